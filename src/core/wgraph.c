/* wgraph.c: weighted graphs from streamed edges, as CSR lists; cluster statistics. */
#include <math.h>
#include <string.h>
#include "wgraph.h"

#define BLOCK_SHIFT 16
#define BLOCK_EDGES ((uint32_t) 1 << BLOCK_SHIFT)
/* Lists this short are sorted by insertion, longer ones by heapsort. */
#define SHORT_LIST 24

/* --------------------------------------------------------------- builder */

void
sy_wgraph_builder_init(sy_wgraph_builder *b, const sy_env *env)
{
	memset(b, 0, sizeof(*b));
	b->env = env;
	sy_components_init(&b->map, env);
	b->map.max_nodes = SY_WGRAPH_MAX_NODES;
}

static void
free_blocks(sy_wgraph_builder *b)
{
	uint32_t	i;

	for (i = 0; i < b->n_blocks; i++)
		sy_free(b->env, b->blocks[i]);
	sy_free(b->env, b->blocks);
	b->blocks = NULL;
	b->n_blocks = b->blocks_cap = b->last_block_edges = 0;
}

void
sy_wgraph_builder_free(sy_wgraph_builder *b)
{
	sy_components_free(&b->map);
	free_blocks(b);
}

static sy_status
node_index(sy_wgraph_builder *b, int64_t id, uint32_t *index)
{
	sy_status	st;

	if (sy_components_find(&b->map, id, index))
		return SY_OK;
	if ((st = sy_components_add_node(&b->map, id)) != SY_OK)
		return st;
	*index = b->map.n - 1;
	return SY_OK;
}

sy_status
sy_wgraph_add_node(sy_wgraph_builder *b, int64_t id)
{
	uint32_t	index;

	return node_index(b, id, &index);
}

/* Room for one more edge in the last block. */
static sy_status
reserve_edge(sy_wgraph_builder *b)
{
	sy_wedge   *block;

	if (b->n_blocks > 0 && b->last_block_edges < BLOCK_EDGES)
		return SY_OK;
	if (b->n_blocks == b->blocks_cap)
	{
		uint32_t	cap = b->blocks_cap == 0 ? 16 : b->blocks_cap * 2;
		sy_wedge  **grown = b->blocks == NULL
			? sy_alloc_array(b->env, cap, sizeof(*grown))
			: b->env->realloc(b->env->ctx, b->blocks, (size_t) cap * sizeof(*grown));

		if (grown == NULL)
			return SY_ENOMEM;
		b->blocks = grown;
		b->blocks_cap = cap;
	}
	if ((block = sy_alloc_array(b->env, BLOCK_EDGES, sizeof(*block))) == NULL)
		return SY_ENOMEM;
	b->blocks[b->n_blocks++] = block;
	b->last_block_edges = 0;
	return SY_OK;
}

sy_status
sy_wgraph_add_edge(sy_wgraph_builder *b, int64_t a, int64_t b_id, double w)
{
	uint32_t	ia,
				ib;
	sy_status	st;
	sy_wedge   *e;

	if (!(w >= 0) || isinf(w))
		return SY_EVALUE;
	if ((st = node_index(b, a, &ia)) != SY_OK || (st = node_index(b, b_id, &ib)) != SY_OK)
		return st;
	if (w == 0)
		return SY_OK;
	if ((st = reserve_edge(b)) != SY_OK)
		return st;
	e = &b->blocks[b->n_blocks - 1][b->last_block_edges++];
	e->a = ia;
	e->b = ib;
	e->w = w;
	return SY_OK;
}

/* ------------------------------------------------------------ radix sort */

void
sy_radix_sort_u64(uint64_t *keys, uint32_t *vals, uint64_t *tmp_keys, uint32_t *tmp_vals,
				  uint32_t n, const sy_env *env)
{
	uint32_t	count[8][256];
	uint64_t   *src_k = keys,
			   *dst_k = tmp_keys;
	uint32_t   *src_v = vals,
			   *dst_v = tmp_vals;
	uint32_t	i;
	int			pass;

	memset(count, 0, sizeof(count));
	for (i = 0; i < n; i++)
	{
		for (pass = 0; pass < 8; pass++)
			count[pass][(keys[i] >> (8 * pass)) & 0xFF]++;
		sy_poll(env, i);
	}
	for (pass = 0; pass < 8; pass++)
	{
		uint32_t	offset = 0,
					digit;
		int			shift = 8 * pass;

		if (n == 0 || count[pass][(keys[0] >> shift) & 0xFF] == n)
			continue;			/* every key has the same digit here */
		for (digit = 0; digit < 256; digit++)
		{
			uint32_t	c = count[pass][digit];

			count[pass][digit] = offset;
			offset += c;
		}
		for (i = 0; i < n; i++)
		{
			uint32_t	to = count[pass][(src_k[i] >> shift) & 0xFF]++;

			dst_k[to] = src_k[i];
			dst_v[to] = src_v[i];
			sy_poll(env, i);
		}
		{
			uint64_t   *tk = src_k;
			uint32_t   *tv = src_v;

			src_k = dst_k;
			src_v = dst_v;
			dst_k = tk;
			dst_v = tv;
		}
	}
	if (src_k != keys)
	{
		memcpy(keys, src_k, (size_t) n * sizeof(*keys));
		memcpy(vals, src_v, (size_t) n * sizeof(*vals));
	}
}

/* ----------------------------------------------------------------- build */

void
sy_wgraph_init(sy_wgraph *g, const sy_env *env)
{
	memset(g, 0, sizeof(*g));
	g->env = env;
}

void
sy_wgraph_free(sy_wgraph *g)
{
	const sy_env *env = g->env;

	sy_free(env, g->ids);
	sy_free(env, g->start);
	sy_free(env, g->adj);
	sy_free(env, g->w);
	sy_free(env, g->self);
	sy_free(env, g->strength);
	sy_wgraph_init(g, env);
}

/*
 * Number the nodes by ascending id: g->ids, and *rank (first-appearance
 * index -> new index).  Frees the map.
 */
static sy_status
number_by_id(sy_wgraph_builder *b, sy_wgraph *g, uint32_t **rank)
{
	const sy_env *env = b->env;
	uint32_t	n = b->map.n,
				i;
	uint64_t   *keys = sy_alloc_array(env, n, sizeof(*keys));
	uint64_t   *tmp_keys = sy_alloc_array(env, n, sizeof(*tmp_keys));
	uint32_t   *order = sy_alloc_array(env, n, sizeof(*order));
	uint32_t   *tmp = sy_alloc_array(env, n, sizeof(*tmp));

	g->ids = sy_alloc_array(env, n, sizeof(*g->ids));
	if (keys == NULL || tmp_keys == NULL || order == NULL || tmp == NULL || g->ids == NULL)
	{
		sy_free(env, keys);
		sy_free(env, tmp_keys);
		sy_free(env, order);
		sy_free(env, tmp);
		return SY_ENOMEM;
	}
	for (i = 0; i < n; i++)
	{
		/* flipping the sign bit makes unsigned order the signed order */
		keys[i] = (uint64_t) b->map.ids[i] ^ ((uint64_t) 1 << 63);
		order[i] = i;
	}
	sy_radix_sort_u64(keys, order, tmp_keys, tmp, n, env);
	for (i = 0; i < n; i++)
	{
		g->ids[i] = b->map.ids[order[i]];
		tmp[order[i]] = i;
	}
	sy_free(env, keys);
	sy_free(env, tmp_keys);
	sy_free(env, order);
	sy_components_free(&b->map);
	g->n = n;
	*rank = tmp;
	return SY_OK;
}

static uint32_t
edges_in_block(const sy_wgraph_builder *b, uint32_t k)
{
	return k + 1 < b->n_blocks ? BLOCK_EDGES : b->last_block_edges;
}

/* g->start[i + 1] = the number of list entries of node i. */
static void
count_degrees(const sy_wgraph_builder *b, const uint32_t *rank, sy_wgraph *g)
{
	uint32_t	k,
				j;

	for (k = 0; k < b->n_blocks; k++)
	{
		const sy_wedge *block = b->blocks[k];

		for (j = 0; j < edges_in_block(b, k); j++)
		{
			if (block[j].a == block[j].b)
				continue;
			g->start[rank[block[j].a] + 1]++;
			g->start[rank[block[j].b] + 1]++;
		}
		sy_poll(b->env, SY_POLL_EVERY - 1);
	}
}

/* Put every edge into both lists, freeing the blocks as they are read. */
static void
scatter_edges(sy_wgraph_builder *b, const uint32_t *rank, sy_wgraph *g)
{
	uint32_t	i,
				k,
				j;

	for (i = 0; i < g->n; i++)
		g->start[i + 1] += g->start[i];
	/* start[i] is used as node i's cursor, then shifted back */
	for (k = 0; k < b->n_blocks; k++)
	{
		sy_wedge   *block = b->blocks[k];

		for (j = 0; j < edges_in_block(b, k); j++)
		{
			uint32_t	u = rank[block[j].a],
						v = rank[block[j].b];
			double		w = block[j].w;

			if (u == v)
			{
				g->self[u] += 2 * w;
				continue;
			}
			g->adj[g->start[u]] = (int32_t) v;
			g->w[g->start[u]++] = w;
			g->adj[g->start[v]] = (int32_t) u;
			g->w[g->start[v]++] = w;
		}
		sy_free(b->env, block);
		b->blocks[k] = NULL;
		sy_poll(b->env, SY_POLL_EVERY - 1);
	}
	for (i = g->n; i > 0; i--)
		g->start[i] = g->start[i - 1];
	g->start[0] = 0;
	free_blocks(b);
}

static void
swap_entries(int32_t *adj, double *w, uint64_t i, uint64_t j)
{
	int32_t		a = adj[i];
	double		x = w[i];

	adj[i] = adj[j];
	w[i] = w[j];
	adj[j] = a;
	w[j] = x;
}

static void
sift_down(int32_t *adj, double *w, uint64_t root, uint64_t n)
{
	for (;;)
	{
		uint64_t	child = 2 * root + 1;

		if (child >= n)
			return;
		if (child + 1 < n && adj[child + 1] > adj[child])
			child++;
		if (adj[root] >= adj[child])
			return;
		swap_entries(adj, w, root, child);
		root = child;
	}
}

/* Sort one list by neighbour, with its weights. */
static void
sort_list(int32_t *adj, double *w, uint64_t n)
{
	uint64_t	i;

	if (n <= SHORT_LIST)
	{
		for (i = 1; i < n; i++)
		{
			uint64_t	j;

			for (j = i; j > 0 && adj[j - 1] > adj[j]; j--)
				swap_entries(adj, w, j - 1, j);
		}
		return;
	}
	for (i = n / 2; i > 0; i--)
		sift_down(adj, w, i - 1, n);
	for (i = n - 1; i > 0; i--)
	{
		swap_entries(adj, w, 0, i);
		sift_down(adj, w, 0, i);
	}
}

/* Sort every list, merge repeated neighbours, compact, sum strengths. */
static sy_status
merge_lists(sy_wgraph *g, const sy_env *env)
{
	uint64_t	out = 0,
				begin = 0;
	uint32_t	i;

	g->total = 0;
	for (i = 0; i < g->n; i++)
	{
		uint64_t	end = g->start[i + 1],
					j;
		double		strength = g->self[i];

		sort_list(g->adj + begin, g->w + begin, end - begin);
		g->start[i] = out;
		for (j = begin; j < end; j++)
		{
			if (out > g->start[i] && g->adj[out - 1] == g->adj[j])
				g->w[out - 1] += g->w[j];
			else
			{
				g->adj[out] = g->adj[j];
				g->w[out++] = g->w[j];
			}
			strength += g->w[j];
		}
		g->strength[i] = strength;
		g->total += strength;
		begin = end;
		sy_poll(env, i);
	}
	g->start[g->n] = out;
	if (isinf(g->total))
		return SY_EOVERFLOW;	/* then some list's sum may be infinite too */
	return SY_OK;
}

/* Give back the room of merged entries. */
static void
shrink_lists(sy_wgraph *g, const sy_env *env)
{
	uint64_t	entries = g->start[g->n] == 0 ? 1 : g->start[g->n];
	int32_t    *adj = env->realloc(env->ctx, g->adj, (size_t) entries * sizeof(*adj));
	double	   *w;

	if (adj != NULL)
		g->adj = adj;
	w = env->realloc(env->ctx, g->w, (size_t) entries * sizeof(*w));
	if (w != NULL)
		g->w = w;
}

static uint64_t
total_entries(const sy_wgraph *g)
{
	uint64_t	entries = 0;
	uint32_t	i;

	for (i = 0; i < g->n; i++)
		entries += g->start[i + 1];
	return entries;
}

sy_status
sy_wgraph_build(sy_wgraph_builder *b, sy_wgraph *g)
{
	const sy_env *env = b->env;
	uint32_t   *rank = NULL;
	sy_status	st;
	uint64_t	entries;

	sy_wgraph_init(g, env);
	if ((st = number_by_id(b, g, &rank)) != SY_OK)
		goto fail;
	g->start = sy_alloc_zeroed(env, (uint64_t) g->n + 1, sizeof(*g->start));
	g->self = sy_alloc_zeroed(env, g->n, sizeof(*g->self));
	g->strength = sy_alloc_array(env, g->n, sizeof(*g->strength));
	if (g->start == NULL || g->self == NULL || g->strength == NULL)
		goto nomem;
	count_degrees(b, rank, g);
	entries = total_entries(g);
	g->adj = sy_alloc_array(env, entries, sizeof(*g->adj));
	g->w = sy_alloc_array(env, entries, sizeof(*g->w));
	if (g->adj == NULL || g->w == NULL)
		goto nomem;
	scatter_edges(b, rank, g);
	sy_free(env, rank);
	rank = NULL;
	if ((st = merge_lists(g, env)) != SY_OK)
		goto fail;
	shrink_lists(g, env);
	return SY_OK;
nomem:
	st = SY_ENOMEM;
fail:
	sy_free(env, rank);
	sy_wgraph_builder_free(b);
	sy_wgraph_free(g);
	return st;
}

bool
sy_wgraph_find(const sy_wgraph *g, int64_t id, uint32_t *index)
{
	uint32_t	lo = 0,
				hi = g->n;

	while (lo < hi)
	{
		uint32_t	mid = lo + (hi - lo) / 2;

		if (g->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < g->n && g->ids[lo] == id)
	{
		*index = lo;
		return true;
	}
	return false;
}

/* ------------------------------------------------------- cluster stats */

void
sy_wgraph_cluster_stats(const sy_wgraph *g, const uint32_t *cluster, uint32_t n_clusters,
						sy_cluster_stats *stats)
{
	uint32_t	i;

	memset(stats, 0, (size_t) n_clusters * sizeof(*stats));
	for (i = 0; i < g->n; i++)
	{
		uint32_t	c = cluster[i];
		sy_cluster_stats *s;
		uint64_t	j;

		if (c == SY_WGRAPH_NO_CLUSTER)
			continue;
		s = &stats[c];
		s->size++;
		s->volume += g->strength[i];
		for (j = g->start[i]; j < g->start[i + 1]; j++)
		{
			uint32_t	u = (uint32_t) g->adj[j];

			if (cluster[u] != c)
			{
				s->cut_edges++;
				s->cut_weight += g->w[j];
			}
			else if (u > i)
			{
				s->internal_edges++;
				s->internal_weight += g->w[j];
			}
		}
		sy_poll(g->env, i);
	}
}
