/* components.c: union-find over int64 node ids, its wire and text forms. */
#include <string.h>
#include "components.h"
#include "prefetch.h"

#define INITIAL_SLOTS 8
#define MIN_CAP 8
#define BIAS ((uint64_t) 1 << 63)
#define INT_TEXT_MAX 20			/* "-9223372036854775808" */

#define AHEAD 8					/* prefetch distance, in loop steps */

static uint64_t hash_key = 0x9E3779B97F4A7C15ULL;

void
sy_components_set_hash_key(uint64_t key)
{
	hash_key = key;
}

/*
 * Keyed murmur3 finalizer: ids are often consecutive or share low bits
 * (shard-prefixed keys), so every input bit must reach the slot bits; the
 * key keeps colliding sets from being precomputed.
 */
static uint64_t
id_hash(int64_t id)
{
	uint64_t	x = (uint64_t) id ^ hash_key;

	x ^= x >> 33;
	x *= 0xFF51AFD7ED558CCDULL;
	x ^= x >> 33;
	x *= 0xC4CEB9FE1A85EC53ULL;
	x ^= x >> 33;
	return x;
}

/* The int64 whose two's complement bits are u (a C99 cast would be
 * implementation-defined above INT64_MAX). */
static int64_t
from_bits(uint64_t u)
{
	if (u <= (uint64_t) INT64_MAX)
		return (int64_t) u;
	return -(int64_t) (~u) - 1;
}

/* id as an unsigned offset from INT64_MIN: order-preserving. */
static uint64_t
biased(int64_t id)
{
	return (uint64_t) id ^ BIAS;
}

static int64_t
unbiased(uint64_t key)
{
	return from_bits(key ^ BIAS);
}

void
sy_components_init(sy_components *c, const sy_env *env)
{
	memset(c, 0, sizeof(*c));
	c->env = env;
	c->max_nodes = SY_COMPONENTS_MAX_NODES;
}

void
sy_components_free(sy_components *c)
{
	const sy_env *env = c->env;
	uint32_t	max_nodes = c->max_nodes;

	if (c->ids != NULL)
		env->free(env->ctx, c->ids);
	if (c->link != NULL)
		env->free(env->ctx, c->link);
	if (c->slots != NULL)
		env->free(env->ctx, c->slots);
	if (c->order != NULL)
		env->free(env->ctx, c->order);
	sy_components_init(c, env);
	c->max_nodes = max_nodes;
}

/* ------------------------------------------------------------------ map */

/* Mask of the slot bits holding index + 1. */
static uint32_t
idx_mask(const sy_components *c)
{
	return ((uint32_t) 1 << c->idx_bits) - 1;
}

/*
 * Slot of id: where it is (*found) or the empty slot where it would go.
 * The tag is the hash's high bits above idx_bits, disjoint from the low
 * bits that chose the home slot, so it separates keys sharing a run.
 */
static uint64_t
probe(const sy_components *c, int64_t id, uint64_t h, bool *found)
{
	uint32_t	mask = idx_mask(c);
	uint32_t	tag = (uint32_t) (h >> 32) & ~mask;
	uint64_t	pos = h & c->slot_mask;

	for (;;)
	{
		uint32_t	s = c->slots[pos];

		if (s == 0)
		{
			*found = false;
			return pos;
		}
		if ((s & ~mask) == tag && c->ids[(s & mask) - 1] == id)
		{
			*found = true;
			return pos;
		}
		pos = (pos + 1) & c->slot_mask;
	}
}

/* Index of id, if it is a node. */
static bool
lookup(const sy_components *c, int64_t id, uint64_t h, uint32_t *index)
{
	uint64_t	pos;
	bool		found;

	if (c->n == 0)
		return false;
	pos = probe(c, id, h, &found);
	if (found)
		*index = (c->slots[pos] & idx_mask(c)) - 1;
	return found;
}

bool
sy_components_find(const sy_components *c, int64_t id, uint32_t *index)
{
	return lookup(c, id, id_hash(id), index);
}

/* Add id, known to be absent, as a singleton; room was reserved. */
static uint32_t
insert_new(sy_components *c, int64_t id, uint64_t h)
{
	bool		found;
	uint64_t	pos = probe(c, id, h, &found);
	uint32_t	i = c->n++;

	c->ids[i] = id;
	c->link[i] = -1;
	c->slots[pos] = ((uint32_t) (h >> 32) & ~idx_mask(c)) | (i + 1);
	c->n_components++;
	c->finished = false;
	return i;
}

/* Nodes a table of this many slots holds: three quarters of it. */
static uint64_t
slots_capacity(uint64_t slots)
{
	uint64_t	cap = slots - slots / 4;

	return cap < SY_COMPONENTS_MAX_NODES ? cap : SY_COMPONENTS_MAX_NODES;
}

/* Replace the map by one of the given size, re-inserting every node. */
static sy_status
rehash(sy_components *c, uint64_t nslots)
{
	const sy_env *env = c->env;
	uint32_t   *grown;
	uint64_t	cap = slots_capacity(nslots);
	uint64_t	ring[AHEAD];
	uint32_t	bits = 1;
	uint32_t	i;

	if (nslots > SIZE_MAX / sizeof(uint32_t))
		return SY_ENOMEM;
	grown = env->alloc(env->ctx, (size_t) nslots * sizeof(uint32_t));
	if (grown == NULL)
		return SY_ENOMEM;
	memset(grown, 0, (size_t) nslots * sizeof(uint32_t));
	while (bits < 31 && ((uint64_t) 1 << bits) <= cap)
		bits++;
	if (c->slots != NULL)
		env->free(env->ctx, c->slots);
	c->slots = grown;
	c->slot_mask = nslots - 1;
	c->idx_bits = bits;
	/* the ids are distinct: each takes the first free slot of its run, no
	 * compare; the slots of later nodes are asked for a few nodes ahead */
	for (i = 0; i < c->n && i < AHEAD; i++)
		ring[i] = id_hash(c->ids[i]);
	for (i = 0; i < c->n; i++)
	{
		uint64_t	h = ring[i % AHEAD];
		uint64_t	pos = h & c->slot_mask;

		if (i + AHEAD < c->n)
		{
			ring[i % AHEAD] = id_hash(c->ids[i + AHEAD]);
			PREFETCH(&c->slots[ring[i % AHEAD] & c->slot_mask]);
		}
		while (c->slots[pos] != 0)
			pos = (pos + 1) & c->slot_mask;
		c->slots[pos] = ((uint32_t) (h >> 32) & ~idx_mask(c)) | (i + 1);
		sy_poll(env, i);
	}
	return SY_OK;
}

/* Grow the id and link arrays to hold want nodes, by half at least so that
 * the slack stays below 50% (doubling would cost up to 12 bytes a node). */
static sy_status
grow_nodes(sy_components *c, uint32_t want)
{
	const sy_env *env = c->env;
	uint64_t	cap = (uint64_t) c->cap + c->cap / 2;
	int64_t    *ids;
	int32_t    *link;

	if (cap < want)
		cap = want;
	if (cap < MIN_CAP)
		cap = MIN_CAP;
	if (cap > c->max_nodes)
		cap = c->max_nodes;
	if (c->ids == NULL)
		ids = env->alloc(env->ctx, (size_t) cap * sizeof(int64_t));
	else
		ids = env->realloc(env->ctx, c->ids, (size_t) cap * sizeof(int64_t));
	if (ids == NULL)
		return SY_ENOMEM;
	c->ids = ids;
	if (c->link == NULL)
		link = env->alloc(env->ctx, (size_t) cap * sizeof(int32_t));
	else
		link = env->realloc(env->ctx, c->link, (size_t) cap * sizeof(int32_t));
	if (link == NULL)
		return SY_ENOMEM;		/* ids is larger than cap says: harmless */
	c->link = link;
	c->cap = (uint32_t) cap;
	return SY_OK;
}

sy_status
sy_components_reserve(sy_components *c, uint32_t n)
{
	uint64_t	nslots;
	sy_status	st;

	if (n > c->max_nodes || n > SY_COMPONENTS_MAX_NODES)
		return SY_ETOOBIG;
	if (n > c->cap && (st = grow_nodes(c, n)) != SY_OK)
		return st;
	nslots = c->slots == NULL ? INITIAL_SLOTS : c->slot_mask + 1;
	while (slots_capacity(nslots) < n)
		nslots *= 2;
	if (c->slots == NULL || nslots != c->slot_mask + 1)
		return rehash(c, nslots);
	return SY_OK;
}

/* ----------------------------------------------------------- union-find */

/* Root of i, halving the path on the way (each node skips to its
 * grandparent), which keeps trees flat without a second pass. */
static uint32_t
find_root(int32_t *link, uint32_t i)
{
	while (link[i] >= 0)
	{
		uint32_t	p = (uint32_t) link[i];

		if (link[p] < 0)
			return p;
		link[i] = link[p];
		i = (uint32_t) link[p];
	}
	return i;
}

/* Root of i without changing anything, for a const forest. */
static uint32_t
root_of(const int32_t *link, uint32_t i)
{
	while (link[i] >= 0)
		i = (uint32_t) link[i];
	return i;
}

/* Join the components of i and j, the smaller under the larger. */
static void
unite(sy_components *c, uint32_t i, uint32_t j)
{
	uint32_t	a = find_root(c->link, i);
	uint32_t	b = find_root(c->link, j);
	uint32_t	t;

	if (a == b)
		return;
	if (c->link[a] > c->link[b])	/* sizes are negated: a is smaller */
	{
		t = a;
		a = b;
		b = t;
	}
	c->link[a] += c->link[b];
	c->link[b] = (int32_t) a;
	c->n_components--;
	c->finished = false;
}

sy_status
sy_components_add_node(sy_components *c, int64_t a)
{
	uint64_t	h = id_hash(a);
	uint32_t	i;
	sy_status	st;

	if (lookup(c, a, h, &i))
		return SY_OK;
	if ((st = sy_components_reserve(c, c->n + 1)) != SY_OK)
		return st;
	insert_new(c, a, h);
	return SY_OK;
}

sy_status
sy_components_add_edge(sy_components *c, int64_t a, int64_t b)
{
	uint64_t	ha,
				hb;
	uint32_t	ia = 0,
				ib = 0;
	bool		fa,
				fb;
	sy_status	st;

	if (a == b)
		return sy_components_add_node(c, a);
	ha = id_hash(a);
	hb = id_hash(b);
	fa = lookup(c, a, ha, &ia);
	fb = lookup(c, b, hb, &ib);
	if (!fa || !fb)
	{
		/* reserve both first, so that a failure changes nothing */
		if ((st = sy_components_reserve(c, c->n + !fa + !fb)) != SY_OK)
			return st;
		if (!fa)
			ia = insert_new(c, a, ha);
		if (!fb)
			ib = insert_new(c, b, hb);
	}
	unite(c, ia, ib);
	return SY_OK;
}

/* The node index in the first slot of id's run whose tag matches, if any:
 * almost always id's own slot when id is a node. */
static bool
candidate(const sy_components *c, uint64_t h, uint32_t *index)
{
	uint32_t	mask = idx_mask(c);
	uint32_t	tag = (uint32_t) (h >> 32) & ~mask;
	uint64_t	pos = h & c->slot_mask;
	uint32_t	s;

	while ((s = c->slots[pos]) != 0)
	{
		if ((s & ~mask) == tag)
		{
			*index = (s & mask) - 1;
			return true;
		}
		pos = (pos + 1) & c->slot_mask;
	}
	return false;
}

/* One edge of a batch: room for both ends was reserved. */
static void
add_edge_reserved(sy_components *c, int64_t a, int64_t b, uint64_t ha, uint64_t hb)
{
	uint32_t	ia = 0,
				ib = 0;

	if (!lookup(c, a, ha, &ia))
		ia = insert_new(c, a, ha);
	if (a == b)
		return;
	if (!lookup(c, b, hb, &ib))
		ib = insert_new(c, b, hb);
	unite(c, ia, ib);
}

/*
 * A forest of millions of nodes is mostly cache misses: a slot, then the
 * id it points at, then links.  Edges are taken BATCH at a time: first
 * every slot is prefetched, then the ids and links of the candidate
 * nodes, and only then are the edges added in order, so the misses of a
 * batch overlap instead of following one another.
 */
#define BATCH 32

sy_status
sy_components_add_edges(sy_components *c, const int64_t *a, const int64_t *b, size_t n)
{
	uint64_t	ha[BATCH],
				hb[BATCH];
	size_t		start;

	for (start = 0; start < n; start += BATCH)
	{
		size_t		k = n - start < BATCH ? n - start : BATCH;
		size_t		j;
		uint32_t	index;

		/* room for every end to be new, so that no rehash moves a slot
		 * mid-batch; near max_nodes, edge by edge for exact limits */
		if (c->max_nodes - c->n < 2 * k ||
			sy_components_reserve(c, c->n + (uint32_t) (2 * k)) != SY_OK)
		{
			for (j = 0; j < k; j++)
			{
				sy_status	st = sy_components_add_edge(c, a[start + j], b[start + j]);

				if (st != SY_OK)
					return st;
			}
			continue;
		}
		for (j = 0; j < k; j++)
		{
			ha[j] = id_hash(a[start + j]);
			hb[j] = id_hash(b[start + j]);
			PREFETCH(&c->slots[ha[j] & c->slot_mask]);
			PREFETCH(&c->slots[hb[j] & c->slot_mask]);
		}
		for (j = 0; j < k; j++)
		{
			if (candidate(c, ha[j], &index))
			{
				PREFETCH(&c->ids[index]);
				PREFETCH(&c->link[index]);
			}
			if (candidate(c, hb[j], &index))
			{
				PREFETCH(&c->ids[index]);
				PREFETCH(&c->link[index]);
			}
		}
		for (j = 0; j < k; j++)
			add_edge_reserved(c, a[start + j], b[start + j], ha[j], hb[j]);
		sy_poll(c->env, start + BATCH - 1);	/* every SY_POLL_EVERY edges */
	}
	return SY_OK;
}

/* The same batches for lookups only: slots, then the ids they point at. */
void
sy_components_find_batch(const sy_components *c, const int64_t *ids, size_t n, uint32_t *index)
{
	uint64_t	h[BATCH];
	size_t		start;

	for (start = 0; start < n; start += BATCH)
	{
		size_t		k = n - start < BATCH ? n - start : BATCH;
		size_t		j;
		uint32_t	i;

		if (c->n == 0)
		{
			for (j = 0; j < k; j++)
				index[start + j] = SY_COMPONENTS_ABSENT;
			continue;
		}
		for (j = 0; j < k; j++)
		{
			h[j] = id_hash(ids[start + j]);
			PREFETCH(&c->slots[h[j] & c->slot_mask]);
		}
		for (j = 0; j < k; j++)
			if (candidate(c, h[j], &i))
				PREFETCH(&c->ids[i]);
		for (j = 0; j < k; j++)
			if (!lookup(c, ids[start + j], h[j], &index[start + j]))
				index[start + j] = SY_COMPONENTS_ABSENT;
	}
}

/* Nodes of other handed to sy_components_add_edges at a time. */
#define MERGE_CHUNK 256

/* Every node of other becomes the edge node-root (a root, a lone node). */
sy_status
sy_components_merge(sy_components *c, const sy_components *other)
{
	int64_t		a[MERGE_CHUNK],
				b[MERGE_CHUNK];
	uint32_t	i,
				k = 0;
	sy_status	st;

	if (other == c)
		return SY_OK;
	for (i = 0; i < other->n; i++)
	{
		a[k] = other->ids[i];
		b[k] = other->ids[root_of(other->link, i)];
		if (++k == MERGE_CHUNK || i == other->n - 1)
		{
			if ((st = sy_components_add_edges(c, a, b, k)) != SY_OK)
				return st;
			k = 0;
		}
		sy_poll(c->env, i);
	}
	return SY_OK;
}

/* ------------------------------------------------------- canonical order */

/*
 * Make each component's smallest node its root and point every other node
 * straight at it.  A node smaller than its root's id takes the root's
 * place (the old root hangs below it, and later finds skip over it), so
 * each root ends as the minimum of its component.
 */
static void
reroot_and_flatten(sy_components *c)
{
	int32_t    *link = c->link;
	uint32_t	i;

	for (i = 0; i < c->n; i++)
	{
		uint32_t	r;

		if (i + AHEAD < c->n && link[i + AHEAD] >= 0)
		{
			PREFETCH(&link[link[i + AHEAD]]);
			PREFETCH(&c->ids[link[i + AHEAD]]);
		}
		r = find_root(link, i);
		if (r != i && c->ids[i] < c->ids[r])
		{
			link[i] = link[r];
			link[r] = (int32_t) i;
		}
		sy_poll(c->env, i);
	}
	for (i = 0; i < c->n; i++)
	{
		if (i + AHEAD < c->n && link[i + AHEAD] >= 0)
			PREFETCH(&link[link[i + AHEAD]]);
		if (link[i] >= 0)
			link[i] = (int32_t) find_root(link, i);
		sy_poll(c->env, i);
	}
}

/*
 * Whether the dense order is already canonical (a forest read from the
 * wire, or built in canonical order), so finishing needs no sort.
 */
static bool
dense_is_canonical(const sy_components *c)
{
	uint32_t	i = 0;
	uint32_t	prev_root = 0;

	while (i < c->n)
	{
		uint32_t	size,
					j;

		if (c->link[i] >= 0)
			return false;
		size = (uint32_t) -c->link[i];
		if (size > c->n - i || (i > 0 && c->ids[i] <= c->ids[prev_root]))
			return false;
		for (j = i + 1; j < i + size; j++)
			if (c->link[j] != (int32_t) i || c->ids[j] <= c->ids[j - 1])
				return false;
		prev_root = i;
		i += size;
	}
	return true;
}

/*
 * Sorting node indices by id.  An LSD radix sort over the index array
 * would read ids[] at random once a pass (8 passes for ids spread over 64
 * bits).  Instead one MSD pass on the top varying bits, which reads ids[]
 * in order, splits the nodes into buckets of a few thousand; each bucket's
 * (key, index) pairs are then gathered, with one random read a node, into
 * a buffer that stays in cache and sorted there by LSD radix.  A bucket
 * too big for the buffer (skewed ids) is split again on the next bits.
 */
#define SORT_DIGIT 11			/* bits of an MSD pass: 2048 buckets */
#define SMALL_BUCKET 4096		/* pairs sorted in the buffer */

typedef struct keyed
{
	uint64_t	key;			/* id offset from the smallest id */
	uint32_t	idx;
} keyed;

typedef struct sorter
{
	const sy_components *c;
	uint64_t	base;			/* smallest biased id */
	keyed	   *buf;			/* 2 * SMALL_BUCKET pairs */
	size_t		polls;
} sorter;

/* Sort p[0..n) on the low bits of their keys; tmp has n entries. */
static void
sort_pairs(keyed *p, keyed *tmp, uint32_t n, int bits)
{
	uint32_t	counts[256];
	keyed	   *src = p,
			   *dst = tmp,
			   *t;
	uint32_t	i,
				j;
	int			shift;

	if (n < 32)
	{
		for (i = 1; i < n; i++)
		{
			keyed		x = p[i];

			for (j = i; j > 0 && p[j - 1].key > x.key; j--)
				p[j] = p[j - 1];
			p[j] = x;
		}
		return;
	}
	for (shift = 0; shift < bits; shift += 8)
	{
		uint32_t	sum = 0;
		int			k;

		memset(counts, 0, sizeof(counts));
		for (i = 0; i < n; i++)
			counts[(src[i].key >> shift) & 0xFF]++;
		if (counts[(src[0].key >> shift) & 0xFF] == n)
			continue;			/* the same digit everywhere */
		for (k = 0; k < 256; k++)
		{
			uint32_t	c = counts[k];

			counts[k] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[counts[(src[i].key >> shift) & 0xFF]++] = src[i];
		t = src;
		src = dst;
		dst = t;
	}
	if (src != p)
		memcpy(p, src, (size_t) n * sizeof(keyed));
}

/*
 * Sort idx[0..n) by id; their keys agree above the low `bits` bits.
 * scratch has n entries.
 */
static void
sort_range(sorter *s, uint32_t *idx, uint32_t *scratch, uint32_t n, int bits)
{
	const int64_t *ids = s->c->ids;
	uint32_t	counts[1 << SORT_DIGIT];
	uint32_t	i,
				lo;
	int			d,
				shift;
	uint32_t	digit_mask;
	uint32_t	k;

	if (n <= SMALL_BUCKET)
	{
		for (i = 0; i < n; i++)
		{
			if (i + AHEAD < n)
				PREFETCH(&ids[idx[i + AHEAD]]);
			s->buf[i].key = biased(ids[idx[i]]) - s->base;
			s->buf[i].idx = idx[i];
			sy_poll(s->c->env, s->polls++);
		}
		sort_pairs(s->buf, s->buf + SMALL_BUCKET, n, bits);
		for (i = 0; i < n; i++)
			idx[i] = s->buf[i].idx;
		return;
	}
	d = bits < SORT_DIGIT ? bits : SORT_DIGIT;
	shift = bits - d;
	digit_mask = ((uint32_t) 1 << d) - 1;
	memset(counts, 0, sizeof(uint32_t) << d);
	for (i = 0; i < n; i++)
	{
		if (i + AHEAD < n)
			PREFETCH(&ids[idx[i + AHEAD]]);
		counts[((biased(ids[idx[i]]) - s->base) >> shift) & digit_mask]++;
		sy_poll(s->c->env, s->polls++);
	}
	lo = 0;
	for (k = 0; k <= digit_mask; k++)
	{
		uint32_t	c = counts[k];

		counts[k] = lo;
		lo += c;
	}
	for (i = 0; i < n; i++)
	{
		if (i + AHEAD < n)
			PREFETCH(&ids[idx[i + AHEAD]]);
		scratch[counts[((biased(ids[idx[i]]) - s->base) >> shift) & digit_mask]++] = idx[i];
		sy_poll(s->c->env, s->polls++);
	}
	memcpy(idx, scratch, (size_t) n * sizeof(uint32_t));
	if (shift == 0)
		return;
	/* counts[k] is now the end of bucket k */
	lo = 0;
	for (k = 0; k <= digit_mask; k++)
	{
		if (counts[k] - lo > 1)
			sort_range(s, idx + lo, scratch + lo, counts[k] - lo, shift);
		lo = counts[k];
	}
}

/* Sort a[0..n) (filled here) by id, b as scratch. */
static sy_status
sort_by_id(const sy_components *c, uint32_t *a, uint32_t *b)
{
	const sy_env *env = c->env;
	sorter		s;
	uint64_t	lo = UINT64_MAX,
				hi = 0;
	int			bits = 0;
	uint32_t	i;

	for (i = 0; i < c->n; i++)
	{
		uint64_t	key = biased(c->ids[i]);

		lo = key < lo ? key : lo;
		hi = key > hi ? key : hi;
		a[i] = i;
	}
	while (bits < 64 && ((hi - lo) >> bits) != 0)
		bits++;
	s.c = c;
	s.base = lo;
	s.polls = 0;
	s.buf = env->alloc(env->ctx, 2 * SMALL_BUCKET * sizeof(keyed));
	if (s.buf == NULL)
		return SY_ENOMEM;
	sort_range(&s, a, b, c->n, bits);
	env->free(env->ctx, s.buf);
	return SY_OK;
}

/*
 * Place the id-sorted nodes component by component into out.  Roots come
 * before their members in id order, so one pass suffices: meeting a root
 * reserves its component's range, and until the end a root's link holds
 * -1 - (next free position in its range) instead of -size.
 */
static void
group_by_component(sy_components *c, const uint32_t *sorted, uint32_t *out)
{
	int32_t    *link = c->link;
	uint32_t	next = 0;
	uint32_t	k;

	for (k = 0; k < c->n; k++)
	{
		uint32_t	i = sorted[k];

		/* two steps: a node's link, then (once it is in) its root's */
		if (k + 2 * AHEAD < c->n)
			PREFETCH(&link[sorted[k + 2 * AHEAD]]);
		if (k + AHEAD < c->n && link[sorted[k + AHEAD]] >= 0)
			PREFETCH(&link[link[sorted[k + AHEAD]]]);
		if (link[i] < 0)
		{
			uint32_t	size = (uint32_t) -link[i];

			out[next] = i;
			link[i] = (int32_t) (-1 - (int64_t) (next + 1));
			next += size;
		}
		else
		{
			uint32_t	r = (uint32_t) link[i];
			uint32_t	p = (uint32_t) (-1 - (int64_t) link[r]);

			out[p] = i;
			link[r] = (int32_t) (-1 - (int64_t) (p + 1));
		}
		sy_poll(c->env, k);
	}
	/*
	 * Each root now holds the end of its range: back to -size.  A scan of
	 * every position, not a jump from range to range, so that the reads
	 * of roots do not wait for one another.
	 */
	for (k = 0; k < c->n; k++)
	{
		uint32_t	r = out[k];

		if (k + AHEAD < c->n)
			PREFETCH(&link[out[k + AHEAD]]);
		if (link[r] < 0)
			link[r] = -(int32_t) ((uint32_t) (-1 - (int64_t) link[r]) - k);
	}
}

sy_status
sy_components_finish(sy_components *c)
{
	const sy_env *env = c->env;
	uint32_t   *a,
			   *b;
	uint32_t	i;

	if (c->finished)
		return SY_OK;
	if (c->order != NULL)
		env->free(env->ctx, c->order);
	c->order = NULL;
	if (c->n == 0)
	{
		c->finished = true;
		return SY_OK;
	}
	a = env->alloc(env->ctx, (size_t) c->n * sizeof(uint32_t));
	if (a == NULL)
		return SY_ENOMEM;
	reroot_and_flatten(c);
	if (dense_is_canonical(c))
	{
		for (i = 0; i < c->n; i++)
			a[i] = i;
		c->order = a;
		c->finished = true;
		return SY_OK;
	}
	b = env->alloc(env->ctx, (size_t) c->n * sizeof(uint32_t));
	if (b == NULL)
	{
		env->free(env->ctx, a);
		return SY_ENOMEM;
	}
	if (sort_by_id(c, a, b) != SY_OK)
	{
		env->free(env->ctx, a);
		env->free(env->ctx, b);
		return SY_ENOMEM;
	}
	group_by_component(c, a, b);
	c->order = b;
	env->free(env->ctx, a);
	c->finished = true;
	return SY_OK;
}

bool
sy_components_component_of(const sy_components *c, int64_t id, int64_t *component)
{
	uint32_t	i;

	if (!sy_components_find(c, id, &i))
		return false;
	/* finished: every node links straight to its root, the smallest node */
	*component = c->link[i] < 0 ? id : c->ids[c->link[i]];
	return true;
}

void
sy_components_row(const sy_components *c, uint32_t k, sy_component_row *row)
{
	uint32_t	i = c->order[k];
	uint32_t	r = c->link[i] < 0 ? i : (uint32_t) c->link[i];

	/* callers go through k in order: ask for a later row's node now */
	if (k + AHEAD < c->n)
	{
		PREFETCH(&c->ids[c->order[k + AHEAD]]);
		PREFETCH(&c->link[c->order[k + AHEAD]]);
	}

	row->node = c->ids[i];
	row->component = c->ids[r];
	row->size = (uint32_t) -c->link[r];
}

/* ------------------------------------------------------------- wire form */

static size_t
varint_len(uint64_t x)
{
	size_t		len = 1;

	while (x >= 0x80)
	{
		x >>= 7;
		len++;
	}
	return len;
}

static unsigned char *
put_varint(unsigned char *dst, uint64_t x)
{
	while (x >= 0x80)
	{
		*dst++ = (unsigned char) (x | 0x80);
		x >>= 7;
	}
	*dst++ = (unsigned char) x;
	return dst;
}

/* Read a minimal LEB128 varint of at most 64 bits at *pos. */
static bool
get_varint(const unsigned char *src, size_t len, size_t *pos, uint64_t *out)
{
	uint64_t	x = 0;
	size_t		p = *pos;
	int			shift = 0;

	for (;;)
	{
		unsigned char byte;

		if (p >= len)
			return false;
		byte = src[p++];
		if (shift == 63 && byte > 1)
			return false;		/* past 64 bits */
		x |= (uint64_t) (byte & 0x7F) << shift;
		if ((byte & 0x80) == 0)
		{
			if (byte == 0 && shift > 0)
				return false;	/* not minimal */
			break;
		}
		shift += 7;
	}
	*pos = p;
	*out = x;
	return true;
}

/* Zigzag: small negative and positive ids both give short varints. */
static uint64_t
zigzag(int64_t id)
{
	return id < 0 ? ~((uint64_t) id << 1) : (uint64_t) id << 1;
}

static int64_t
unzigzag(uint64_t z)
{
	return from_bits((z >> 1) ^ (0 - (z & 1)));
}

/*
 * Walk the canonical order as the wire form lists it, either measuring
 * (dst NULL) or writing.  Returns the size.
 */
static size_t
wire_walk(const sy_components *c, unsigned char *dst)
{
	unsigned char *d = dst;
	size_t		size = 1 + varint_len(c->n) + varint_len(c->n_components);
	uint64_t	prev_first = 0;
	uint32_t	k = 0;

	if (d != NULL)
	{
		*d++ = SY_COMPONENTS_WIRE_VERSION;
		d = put_varint(d, c->n);
		d = put_varint(d, c->n_components);
	}
	while (k < c->n)
	{
		uint32_t	r = c->order[k];
		uint32_t	csize,
					j;
		uint64_t	first,
					delta,
					prev;

		/* the rows are read in order: ask for later ones' nodes now */
		for (j = 1; j <= AHEAD && k + j < c->n; j++)
		{
			PREFETCH(&c->ids[c->order[k + j]]);
			PREFETCH(&c->link[c->order[k + j]]);
		}
		csize = (uint32_t) -c->link[r];
		first = biased(c->ids[r]);
		delta = k == 0 ? zigzag(c->ids[r]) : first - prev_first;
		prev = first;

		size += varint_len(csize) + varint_len(delta);
		if (d != NULL)
		{
			d = put_varint(d, csize);
			d = put_varint(d, delta);
		}
		for (j = 1; j < csize; j++)
		{
			uint64_t	key = biased(c->ids[c->order[k + j]]);

			if (k + j + AHEAD < c->n)
			{
				PREFETCH(&c->ids[c->order[k + j + AHEAD]]);
				PREFETCH(&c->link[c->order[k + j + AHEAD]]);
			}

			size += varint_len(key - prev);
			if (d != NULL)
				d = put_varint(d, key - prev);
			prev = key;
		}
		prev_first = first;
		k += csize;
	}
	return size;
}

size_t
sy_components_wire_size(const sy_components *c)
{
	if (!c->finished)
		return 0;
	return wire_walk(c, NULL);
}

void
sy_components_to_wire(const sy_components *c, unsigned char *dst)
{
	if (c->finished)
		wire_walk(c, dst);
}

/* Add a node that must be new: SY_EDUPLICATE if it is already there. */
static sy_status
add_new(sy_components *c, int64_t id, uint32_t *index)
{
	uint64_t	h = id_hash(id);
	sy_status	st;

	if (lookup(c, id, h, index))
		return SY_EDUPLICATE;
	if ((st = sy_components_reserve(c, c->n + 1)) != SY_OK)
		return st;
	*index = insert_new(c, id, h);
	return SY_OK;
}

sy_status
sy_components_reader_init(sy_components_reader *r, const unsigned char *src, size_t len)
{
	uint64_t	n,
				ncomp;

	memset(r, 0, sizeof(*r));
	r->src = src;
	r->len = len;
	r->pos = 1;
	if (len < 1 || src[0] != SY_COMPONENTS_WIRE_VERSION)
		return SY_ECORRUPT;
	if (!get_varint(src, len, &r->pos, &n) || !get_varint(src, len, &r->pos, &ncomp))
		return SY_ECORRUPT;
	/* every node takes a byte at least, and every component a size byte */
	if (ncomp > n || (n > 0) != (ncomp > 0) || n > len - r->pos || ncomp > len - r->pos - n)
		return SY_ECORRUPT;
	if (n > SY_COMPONENTS_MAX_NODES)
		return SY_ETOOBIG;
	r->n = (uint32_t) n;
	r->n_components = (uint32_t) ncomp;
	return SY_OK;
}

/* Start the next component: its size and first id. */
static sy_status
reader_component(sy_components_reader *r)
{
	uint64_t	size,
				delta;

	if (r->components == r->n_components ||
		!get_varint(r->src, r->len, &r->pos, &size) ||
		!get_varint(r->src, r->len, &r->pos, &delta))
		return SY_ECORRUPT;
	/* room left for the components still to come, a node each */
	if (size == 0 || size > (uint64_t) (r->n - r->rows) - (r->n_components - r->components - 1))
		return SY_ECORRUPT;
	if (r->components == 0)
		r->key = biased(unzigzag(delta));
	else if (delta == 0 || delta > UINT64_MAX - r->first)
		return SY_ECORRUPT;
	else
		r->key = r->first + delta;
	r->first = r->key;
	r->size = r->left = (uint32_t) size;
	r->components++;
	return SY_OK;
}

sy_status
sy_components_reader_next(sy_components_reader *r, sy_component_row *row, bool *done)
{
	*done = r->rows == r->n;
	if (*done)
		return r->components == r->n_components ? SY_OK : SY_ECORRUPT;
	if (r->left == 0)
	{
		sy_status	st = reader_component(r);

		if (st != SY_OK)
			return st;
	}
	else
	{
		uint64_t	delta;

		if (!get_varint(r->src, r->len, &r->pos, &delta) ||
			delta == 0 || delta > UINT64_MAX - r->key)
			return SY_ECORRUPT;
		r->key += delta;
	}
	r->left--;
	r->rows++;
	row->node = unbiased(r->key);
	row->component = unbiased(r->first);
	row->size = r->size;
	return SY_OK;
}

/*
 * Read the nodes straight into ids[] and link[] in wire order, which is
 * canonical (each root, its smallest node, before its members: already
 * flat), then index them all, prefetching slots a few nodes ahead; the
 * index finds any id listed twice.
 */
static sy_status
from_wire(sy_components *c, const unsigned char *src, size_t len, size_t *consumed)
{
	sy_components_reader r;
	sy_component_row row;
	bool		done;
	uint32_t	n,
				i = 0,
				root = 0;
	uint64_t	ring[AHEAD];
	sy_status	st;

	if ((st = sy_components_reader_init(&r, src, len)) != SY_OK)
		return st;
	n = r.n;
	if (n > c->max_nodes)
		return SY_ETOOBIG;
	if (n > 0 && (st = sy_components_reserve(c, n)) != SY_OK)
		return st;
	for (;;)
	{
		if ((st = sy_components_reader_next(&r, &row, &done)) != SY_OK)
			return st;
		if (done)
			break;
		if (row.node == row.component)
			root = i;
		c->ids[i] = row.node;
		c->link[i] = row.node == row.component ? -(int32_t) row.size : (int32_t) root;
		i++;
		sy_poll(c->env, i);
	}

	for (i = 0; i < n && i < AHEAD; i++)
		ring[i] = id_hash(c->ids[i]);
	for (i = 0; i < n; i++)
	{
		uint64_t	h = ring[i % AHEAD];
		uint64_t	slot;
		bool		found;

		if (i + AHEAD < n)
		{
			ring[i % AHEAD] = id_hash(c->ids[i + AHEAD]);
			PREFETCH(&c->slots[ring[i % AHEAD] & c->slot_mask]);
		}
		slot = probe(c, c->ids[i], h, &found);
		if (found)
			return SY_ECORRUPT;
		c->slots[slot] = ((uint32_t) (h >> 32) & ~idx_mask(c)) | (i + 1);
		c->n = i + 1;
		c->n_components += c->link[i] < 0;
		sy_poll(c->env, i);
	}
	*consumed = r.pos;
	return SY_OK;
}

sy_status
sy_components_from_wire(sy_components *c, const unsigned char *src, size_t len,
						size_t *consumed)
{
	sy_status	st;

	if (c->n != 0)
		return SY_EVALUE;
	st = from_wire(c, src, len, consumed);
	if (st != SY_OK)
		sy_components_free(c);
	return st;
}

/* ------------------------------------------------------------- text form */

size_t
sy_components_text_max_len(const sy_components *c)
{
	/* outer braces; per component braces and a comma; per id its digits
	 * and a comma */
	return 2 + (size_t) c->n_components * 3 + (size_t) c->n * (INT_TEXT_MAX + 1);
}

static char *
put_int(char *dst, int64_t v)
{
	char		digits[INT_TEXT_MAX];
	uint64_t	u = v < 0 ? 0 - (uint64_t) v : (uint64_t) v;
	int			n = 0;

	do
	{
		digits[n++] = (char) ('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*dst++ = '-';
	while (n > 0)
		*dst++ = digits[--n];
	return dst;
}

size_t
sy_components_format(const sy_components *c, char *dst)
{
	char	   *d = dst;
	uint32_t	k;

	if (!c->finished)
	{
		*d = '\0';
		return 0;
	}
	*d++ = '{';
	for (k = 0; k < c->n; k++)
	{
		uint32_t	i = c->order[k];
		bool		is_root = c->link[i] < 0;

		if (is_root)
		{
			if (k > 0)
			{
				*d++ = '}';
				*d++ = ',';
			}
			*d++ = '{';
		}
		else
			*d++ = ',';
		d = put_int(d, c->ids[i]);
	}
	if (c->n > 0)
		*d++ = '}';
	*d++ = '}';
	*d = '\0';
	return (size_t) (d - dst);
}

typedef struct text_parser
{
	sy_components *c;
	sy_scan		sc;
} text_parser;

/* A decimal bigint with an optional sign; pos stays at its start on error. */
static sy_status
parse_int(text_parser *p, int64_t *out)
{
	size_t		q = p->sc.pos;
	bool		negative = false;
	uint64_t	u = 0;
	uint64_t	limit;

	if (q < p->sc.len && (p->sc.s[q] == '-' || p->sc.s[q] == '+'))
		negative = p->sc.s[q++] == '-';
	if (q >= p->sc.len || p->sc.s[q] < '0' || p->sc.s[q] > '9')
		return sy_scan_fail(&p->sc, SY_ESYNTAX, "Expected an integer");
	limit = negative ? BIAS : BIAS - 1;
	while (q < p->sc.len && p->sc.s[q] >= '0' && p->sc.s[q] <= '9')
	{
		unsigned	digit = (unsigned) (p->sc.s[q] - '0');

		if (u > (limit - digit) / 10)
			return sy_scan_fail(&p->sc, SY_EVALUE, "Node id out of range for bigint");
		u = u * 10 + digit;
		q++;
	}
	*out = negative ? from_bits(0 - u) : (int64_t) u;
	p->sc.pos = q;
	return SY_OK;
}

/* The component being read: its first node, which every later one joins. */
typedef struct component_reader
{
	text_parser *p;
	uint32_t	first;
	bool		have_first;
} component_reader;

/* One node id of a component; it must be new. */
static sy_status
parse_member_node(void *ctx)
{
	component_reader *r = ctx;
	text_parser *p = r->p;
	size_t		start = p->sc.pos;
	int64_t		id;
	uint32_t	index;
	sy_status	st;

	if ((st = parse_int(p, &id)) != SY_OK)
		return st;
	if ((st = add_new(p->c, id, &index)) != SY_OK)
	{
		p->sc.pos = start;		/* point at the id */
		if (st == SY_EDUPLICATE)
			return sy_scan_fail(&p->sc, st, "Node listed twice");
		if (st == SY_ETOOBIG)
			return sy_scan_fail(&p->sc, st, "Too many nodes");
		return sy_scan_fail(&p->sc, st, "Out of memory");
	}
	if (r->have_first)
		unite(p->c, r->first, index);
	else
		r->first = index;
	r->have_first = true;
	return SY_OK;
}

/* One component, {id, ...}. */
static sy_status
parse_component(void *ctx)
{
	component_reader r = {ctx, 0, false};

	return sy_scan_list(&r.p->sc, parse_member_node, &r, false, r.p->c->env);
}

static sy_status
parse_text(text_parser *p)
{
	sy_status	st = sy_scan_list(&p->sc, parse_component, p, true, p->c->env);

	return st != SY_OK ? st : sy_scan_end(&p->sc);
}

sy_status
sy_components_parse(sy_components *c, const char *text, size_t len, sy_parse_error *err)
{
	text_parser p;
	sy_status	st;

	memset(&p, 0, sizeof(p));
	p.c = c;
	p.sc.s = text;
	p.sc.len = len;
	p.sc.err = err;
	if (c->n != 0)
		return sy_scan_fail(&p.sc, SY_EVALUE, "Components parsed into a non-empty forest");
	st = parse_text(&p);
	if (st != SY_OK)
		sy_components_free(c);
	return st;
}

