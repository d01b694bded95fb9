/* dense_blocks.c: FRAUDAR's greedy peeling of an account x item graph. */
#include <math.h>
#include <string.h>
#include "dense_blocks.h"
#include "sort.h"

/* Fixed-point weights: c_j * 2^WEIGHT_BITS.  c_j < 0.56, so a sum over
 * 2^32 edges stays below 2^62. */
#define WEIGHT_BITS 30
#define NOT_IN_HEAP UINT32_MAX

static void
free_block_lists(sy_dense_peeler *p)
{
	sy_free(p->env, p->block.accounts);
	sy_free(p->env, p->block.items);
	memset(&p->block, 0, sizeof(p->block));
}

void
sy_dense_free(sy_dense_peeler *p)
{
	if (p->env == NULL)
		return;
	free_block_lists(p);
	sy_free(p->env, p->item_of_rank);
	sy_free(p->env, p->rank_of_item);
	sy_free(p->env, p->removed_in_account_lists);
	sy_free(p->env, p->removed_in_item_lists);
	sy_free(p->env, p->item_degree);
	sy_free(p->env, p->item_weight);
	sy_free(p->env, p->priority);
	sy_free(p->env, p->heap);
	sy_free(p->env, p->heap_position);
	sy_free(p->env, p->peel_order);
	sy_free(p->env, p->in_block);
	memset(p, 0, sizeof(*p));
}

/* ------------------------------------------------------------------ bits */

static bool
bit_is_set(const uint8_t *bits, uint32_t i)
{
	return (bits[i >> 3] >> (i & 7)) & 1;
}

static void
set_bit(uint8_t *bits, uint32_t i)
{
	bits[i >> 3] |= (uint8_t) (1u << (i & 7));
}

/* ------------------------------------------------------------------ init */

static int
cmp_item_bytes(uint32_t a, uint32_t b, const void *ctx)
{
	const sy_cooccur *g = ctx;
	uint32_t	alen,
				blen;
	const char *as = sy_cooccur_token(g, a, &alen);
	const char *bs = sy_cooccur_token(g, b, &blen);

	return sy_label_cmp(as, alen, bs, blen);
}

/* Items by their bytes, so that ties never depend on the order of rows. */
static void
rank_items(sy_dense_peeler *p)
{
	uint32_t	r;

	for (r = 0; r < p->n_items; r++)
		p->item_of_rank[r] = r;
	sy_sort_indices(p->item_of_rank, p->n_items, cmp_item_bytes, p->g, p->env);
	for (r = 0; r < p->n_items; r++)
		p->rank_of_item[p->item_of_rank[r]] = r;
}

static bool
allocated(const sy_dense_peeler *p)
{
	return p->item_of_rank != NULL && p->rank_of_item != NULL &&
		p->removed_in_account_lists != NULL && p->removed_in_item_lists != NULL &&
		p->item_degree != NULL && p->item_weight != NULL && p->priority != NULL &&
		p->heap != NULL && p->heap_position != NULL && p->peel_order != NULL &&
		p->in_block != NULL;
}

sy_status
sy_dense_init(sy_dense_peeler *p, const sy_cooccur *g, sy_dense_weighting weighting)
{
	const sy_env *env = g->env;
	size_t		bitmap_bytes;

	memset(p, 0, sizeof(*p));
	if (!g->finished || g->max_degree != UINT32_MAX)
		return SY_EVALUE;
	if ((uint64_t) g->n_accounts + g->n_tokens >= NOT_IN_HEAP)
		return SY_ETOOBIG;
	p->g = g;
	p->env = env;
	p->weighting = weighting;
	p->n_accounts = g->n_accounts;
	p->n_items = g->n_tokens;
	p->n_nodes = g->n_accounts + g->n_tokens;
	bitmap_bytes = ((size_t) g->account_start[g->n_accounts] + 7) / 8;
	p->item_of_rank = sy_alloc_array(env, p->n_items, sizeof(uint32_t));
	p->rank_of_item = sy_alloc_array(env, p->n_items, sizeof(uint32_t));
	p->removed_in_account_lists = sy_alloc_zeroed(env, bitmap_bytes, 1);
	p->removed_in_item_lists = sy_alloc_zeroed(env, bitmap_bytes, 1);
	p->item_degree = sy_alloc_array(env, p->n_items, sizeof(uint32_t));
	p->item_weight = sy_alloc_array(env, p->n_items, sizeof(uint64_t));
	p->priority = sy_alloc_array(env, p->n_nodes, sizeof(uint64_t));
	p->heap = sy_alloc_array(env, p->n_nodes, sizeof(uint32_t));
	p->heap_position = sy_alloc_array(env, p->n_nodes, sizeof(uint32_t));
	p->peel_order = sy_alloc_array(env, p->n_nodes, sizeof(uint32_t));
	p->in_block = sy_alloc_zeroed(env, p->n_nodes, 1);
	if (!allocated(p))
		return SY_ENOMEM;
	rank_items(p);
	return SY_OK;
}

/* --------------------------------------------------------------- weights */

static double
edge_weight(sy_dense_weighting weighting, uint32_t item_degree)
{
	return weighting == SY_DENSE_UNWEIGHTED ? 1.0 : 1.0 / log((double) item_degree + 5.0);
}

static uint64_t
fixed_point_weight(sy_dense_weighting weighting, uint32_t item_degree)
{
	if (weighting == SY_DENSE_UNWEIGHTED)
		return 1;
	return (uint64_t) nearbyint(ldexp(edge_weight(weighting, item_degree), WEIGHT_BITS));
}

/* Degrees and weights of the items over the edges left. */
static void
weigh_items(sy_dense_peeler *p)
{
	const sy_cooccur *g = p->g;
	uint32_t	j,
				k;

	for (j = 0; j < p->n_items; j++)
	{
		uint32_t	degree = 0;

		for (k = g->token_start[j]; k < g->token_start[j + 1]; k++)
		{
			degree += !bit_is_set(p->removed_in_item_lists, k);
			sy_poll(p->env, p->steps++);
		}
		p->item_degree[j] = degree;
		p->item_weight[j] = degree == 0 ? 0 : fixed_point_weight(p->weighting, degree);
	}
}

/* Every node's weighted degree over the edges left; the total weight. */
static uint64_t
compute_priorities(sy_dense_peeler *p)
{
	const sy_cooccur *g = p->g;
	uint64_t	total = 0;
	uint32_t	a,
				j,
				k;

	for (a = 0; a < p->n_accounts; a++)
	{
		uint64_t	sum = 0;

		for (k = g->account_start[a]; k < g->account_start[a + 1]; k++)
		{
			if (!bit_is_set(p->removed_in_account_lists, k))
				sum += p->item_weight[g->account_tokens[k]];
			sy_poll(p->env, p->steps++);
		}
		p->priority[a] = sum;
		total += sum;
	}
	for (j = 0; j < p->n_items; j++)
		p->priority[p->n_accounts + p->rank_of_item[j]] =
			(uint64_t) p->item_degree[j] * p->item_weight[j];
	return total;
}

/* ------------------------------------------------------------------ heap */

/* Heap order: lower priority first, then lower node. */
static bool
before(const sy_dense_peeler *p, uint32_t x, uint32_t y)
{
	return p->priority[x] < p->priority[y] || (p->priority[x] == p->priority[y] && x < y);
}

static void
place(sy_dense_peeler *p, uint32_t slot, uint32_t node)
{
	p->heap[slot] = node;
	p->heap_position[node] = slot;
}

static void
sift_up(sy_dense_peeler *p, uint32_t slot)
{
	uint32_t	node = p->heap[slot];

	while (slot > 0 && before(p, node, p->heap[(slot - 1) / 2]))
	{
		place(p, slot, p->heap[(slot - 1) / 2]);
		slot = (slot - 1) / 2;
	}
	place(p, slot, node);
}

static void
sift_down(sy_dense_peeler *p, uint32_t slot)
{
	uint32_t	node = p->heap[slot];

	for (;;)
	{
		uint64_t	child = 2 * (uint64_t) slot + 1;

		if (child >= p->heap_size)
			break;
		if (child + 1 < p->heap_size && before(p, p->heap[child + 1], p->heap[child]))
			child++;
		if (!before(p, p->heap[child], node))
			break;
		place(p, slot, p->heap[child]);
		slot = (uint32_t) child;
	}
	place(p, slot, node);
}

/* Heap of the nodes with an edge left; the others are out from the start. */
static void
build_heap(sy_dense_peeler *p)
{
	uint32_t	x,
				slot;

	p->heap_size = 0;
	for (x = 0; x < p->n_nodes; x++)
	{
		p->heap_position[x] = NOT_IN_HEAP;
		if (p->priority[x] > 0)
			place(p, p->heap_size++, x);
	}
	for (slot = p->heap_size / 2; slot-- > 0;)
	{
		sift_down(p, slot);
		sy_poll(p->env, p->steps++);
	}
}

static uint32_t
pop_min(sy_dense_peeler *p)
{
	uint32_t	top = p->heap[0];

	p->heap_position[top] = NOT_IN_HEAP;
	if (--p->heap_size > 0)
	{
		place(p, 0, p->heap[p->heap_size]);
		sift_down(p, 0);
	}
	return top;
}

/* Node y, still in the heap, lost an edge of weight w. */
static void
lower_priority(sy_dense_peeler *p, uint32_t y, uint64_t w)
{
	p->priority[y] -= w;
	sift_up(p, p->heap_position[y]);
}

/* --------------------------------------------------------------- peeling */

/* Remove node x: its edges left to nodes still in the heap go. */
static void
remove_node(sy_dense_peeler *p, uint32_t x)
{
	const sy_cooccur *g = p->g;
	uint32_t	k;

	if (x < p->n_accounts)
	{
		for (k = g->account_start[x]; k < g->account_start[x + 1]; k++)
		{
			uint32_t	j = g->account_tokens[k];
			uint32_t	y = p->n_accounts + p->rank_of_item[j];

			if (!bit_is_set(p->removed_in_account_lists, k) && p->heap_position[y] != NOT_IN_HEAP)
				lower_priority(p, y, p->item_weight[j]);
			sy_poll(p->env, p->steps++);
		}
		return;
	}
	{
		uint32_t	j = p->item_of_rank[x - p->n_accounts];

		for (k = g->token_start[j]; k < g->token_start[j + 1]; k++)
		{
			uint32_t	a = g->token_accounts[k];

			if (!bit_is_set(p->removed_in_item_lists, k) && p->heap_position[a] != NOT_IN_HEAP)
				lower_priority(p, a, p->item_weight[j]);
			sy_poll(p->env, p->steps++);
		}
	}
}

/* hi * 2^32 + lo: a 96-bit product of a weight (< 2^62) and a size. */
typedef struct wide
{
	uint64_t	hi;
	uint32_t	lo;
} wide;

static wide
multiply(uint64_t weight, uint32_t size)
{
	uint64_t	low_part = (weight & 0xFFFFFFFFu) * size;
	wide		w;

	w.hi = (weight >> 32) * size + (low_part >> 32);
	w.lo = (uint32_t) low_part;
	return w;
}

/* Whether f1 / n1 > f2 / n2, exactly. */
static bool
denser(uint64_t f1, uint32_t n1, uint64_t f2, uint32_t n2)
{
	wide		left = multiply(f1, n2);
	wide		right = multiply(f2, n1);

	return left.hi > right.hi || (left.hi == right.hi && left.lo > right.lo);
}

/*
 * Peel every node left, in order into peel_order; return how many were
 * removed before the densest set was left (0: the whole graph).
 */
static uint32_t
peel(sy_dense_peeler *p, uint64_t total)
{
	uint64_t	f = total,
				best_f = total;
	uint32_t	left = p->heap_size,
				best_left = p->heap_size,
				removed = 0,
				best_removed = 0;

	while (p->heap_size > 0)
	{
		uint32_t	x = pop_min(p);

		p->peel_order[removed++] = x;
		f -= p->priority[x];
		left--;
		remove_node(p, x);
		if (left > 0 && denser(f, left, best_f, best_left))
		{
			best_f = f;
			best_left = left;
			best_removed = removed;
		}
		sy_poll(p->env, p->steps++);
	}
	return best_removed;
}

/* ----------------------------------------------------------------- block */

static sy_status
collect_block_nodes(sy_dense_peeler *p, uint32_t first, uint32_t last)
{
	uint32_t	i,
				x;

	for (i = first; i < last; i++)
	{
		x = p->peel_order[i];
		p->in_block[x] = 1;
		if (x < p->n_accounts)
			p->block.n_accounts++;
		else
			p->block.n_items++;
	}
	p->block.accounts = sy_alloc_array(p->env, p->block.n_accounts, sizeof(uint32_t));
	p->block.items = sy_alloc_array(p->env, p->block.n_items, sizeof(uint32_t));
	if (p->block.accounts == NULL || p->block.items == NULL)
		return SY_ENOMEM;
	p->block.n_accounts = p->block.n_items = 0;
	/* by node number: accounts by id, items by bytes */
	for (x = 0; x < p->n_nodes; x++)
	{
		if (!p->in_block[x])
			continue;
		if (x < p->n_accounts)
			p->block.accounts[p->block.n_accounts++] = x;
		else
			p->block.items[p->block.n_items++] = p->item_of_rank[x - p->n_accounts];
		sy_poll(p->env, p->steps++);
	}
	return SY_OK;
}

/*
 * Count and weigh the block's edges, and remove them from both lists, so
 * that the next peel looks elsewhere.  The weights are summed item by
 * item in byte order, so that the density's last bits never depend on the
 * order of rows.
 */
static void
take_block_edges(sy_dense_peeler *p)
{
	const sy_cooccur *g = p->g;
	double		mass = 0;
	uint32_t	i,
				k;

	for (i = 0; i < p->block.n_items; i++)
	{
		uint32_t	j = p->block.items[i];
		uint32_t	inside = 0;

		for (k = g->token_start[j]; k < g->token_start[j + 1]; k++)
		{
			if (!bit_is_set(p->removed_in_item_lists, k) && p->in_block[g->token_accounts[k]])
			{
				inside++;
				set_bit(p->removed_in_item_lists, k);
			}
			sy_poll(p->env, p->steps++);
		}
		p->block.edges += inside;
		mass += inside * edge_weight(p->weighting, p->item_degree[j]);
	}
	for (i = 0; i < p->block.n_accounts; i++)
	{
		uint32_t	a = p->block.accounts[i];

		for (k = g->account_start[a]; k < g->account_start[a + 1]; k++)
		{
			if (p->in_block[p->n_accounts + p->rank_of_item[g->account_tokens[k]]])
				set_bit(p->removed_in_account_lists, k);
			sy_poll(p->env, p->steps++);
		}
	}
	p->block.density = mass / ((double) p->block.n_accounts + p->block.n_items);
}

static void
clear_block_marks(sy_dense_peeler *p)
{
	uint32_t	i;

	for (i = 0; i < p->block.n_accounts; i++)
		p->in_block[p->block.accounts[i]] = 0;
	for (i = 0; i < p->block.n_items; i++)
		p->in_block[p->n_accounts + p->rank_of_item[p->block.items[i]]] = 0;
}

sy_status
sy_dense_next(sy_dense_peeler *p, bool *found)
{
	uint64_t	total;
	uint32_t	nodes,
				best_removed;
	sy_status	st;

	*found = false;
	free_block_lists(p);
	weigh_items(p);
	total = compute_priorities(p);
	if (total == 0)
		return SY_OK;
	build_heap(p);
	nodes = p->heap_size;
	best_removed = peel(p, total);
	st = collect_block_nodes(p, best_removed, nodes);
	if (st != SY_OK)
		return st;
	take_block_edges(p);
	clear_block_marks(p);
	*found = true;
	return SY_OK;
}
