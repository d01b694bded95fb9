/* leiden.c: the Leiden algorithm for modularity communities (see leiden.h). */
#include <math.h>
#include <string.h>
#include "leiden.h"

#define NONE UINT32_MAX

/* The work arrays, all sized for the original graph (levels only shrink). */
typedef struct leiden
{
	const sy_env *env;
	double		scale;			/* gamma / 2m: gains are in units of 1/m */
	uint64_t	rng;			/* splitmix64 state */
	size_t		work;			/* steps since the last poll */
	uint32_t	n0;				/* nodes of the original graph */

	/* the partition P being optimised, per node of the current level */
	uint32_t   *comm;
	double	   *tot;			/* per community: sum of strengths */
	uint32_t   *csize;			/* per community: nodes */
	uint32_t   *empty;			/* stack of unused community labels */
	uint32_t	n_empty;

	/* neighbour weights per community, and which entries are set */
	double	   *nw;
	uint32_t   *touched;

	uint32_t   *queue;
	uint8_t    *queued;
	uint32_t   *order;

	/* the refined partition */
	uint32_t   *ref;
	double	   *ref_tot;
	double	   *ref_ext;		/* weight to the rest of the node's community */
	uint32_t   *ref_size;

	uint32_t   *members_start;	/* n0 + 1: nodes grouped by subcommunity */
	uint32_t   *members;
	uint32_t   *relabel;
	uint32_t   *level_of;		/* original node -> node of the current level */
} leiden;

static double modularity_of(const sy_wgraph *g, const uint32_t *community, double resolution,
							double *community_total);

/* ---------------------------------------------------------------- helpers */

static void
spend(leiden *L, size_t steps)
{
	L->work += steps;
	if (L->work >= SY_POLL_EVERY)
	{
		L->work = 0;
		if (L->env->poll != NULL)
			L->env->poll(L->env->ctx);
	}
}

static uint64_t
splitmix64(uint64_t *state)
{
	uint64_t	z = (*state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n), without modulo bias, so that every host agrees. */
static uint32_t
random_below(uint64_t *state, uint32_t n)
{
	uint64_t	limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t	r;

	do
		r = splitmix64(state);
	while (r >= limit);
	return (uint32_t) (r % n);
}

/* a = a random permutation of 0..n-1 (Fisher-Yates). */
static void
shuffle(leiden *L, uint32_t *a, uint32_t n)
{
	uint32_t	i;

	for (i = 0; i < n; i++)
		a[i] = i;
	for (i = n; i > 1; i--)
	{
		uint32_t	j = random_below(&L->rng, i);
		uint32_t	t = a[i - 1];

		a[i - 1] = a[j];
		a[j] = t;
	}
	spend(L, n);
}

static void
leiden_free(leiden *L)
{
	const sy_env *env = L->env;

	sy_free(env, L->comm);
	sy_free(env, L->tot);
	sy_free(env, L->csize);
	sy_free(env, L->empty);
	sy_free(env, L->nw);
	sy_free(env, L->touched);
	sy_free(env, L->queue);
	sy_free(env, L->queued);
	sy_free(env, L->order);
	sy_free(env, L->ref);
	sy_free(env, L->ref_tot);
	sy_free(env, L->ref_ext);
	sy_free(env, L->ref_size);
	sy_free(env, L->members_start);
	sy_free(env, L->members);
	sy_free(env, L->relabel);
	sy_free(env, L->level_of);
}

static sy_status
leiden_init(leiden *L, const sy_wgraph *g, double resolution, uint64_t seed)
{
	const sy_env *env = g->env;
	uint32_t	n = g->n;

	memset(L, 0, sizeof(*L));
	L->env = env;
	L->scale = resolution / g->total;
	L->rng = seed;
	L->n0 = n;
	L->comm = sy_alloc_array(env, n, sizeof(uint32_t));
	L->tot = sy_alloc_array(env, n, sizeof(double));
	L->csize = sy_alloc_array(env, n, sizeof(uint32_t));
	L->empty = sy_alloc_array(env, n, sizeof(uint32_t));
	L->nw = sy_alloc_array(env, n, sizeof(double));
	L->touched = sy_alloc_array(env, n, sizeof(uint32_t));
	L->queue = sy_alloc_array(env, n, sizeof(uint32_t));
	L->queued = sy_alloc_array(env, n, sizeof(uint8_t));
	L->order = sy_alloc_array(env, n, sizeof(uint32_t));
	L->ref = sy_alloc_array(env, n, sizeof(uint32_t));
	L->ref_tot = sy_alloc_array(env, n, sizeof(double));
	L->ref_ext = sy_alloc_array(env, n, sizeof(double));
	L->ref_size = sy_alloc_array(env, n, sizeof(uint32_t));
	L->members_start = sy_alloc_array(env, (uint64_t) n + 1, sizeof(uint32_t));
	L->members = sy_alloc_array(env, n, sizeof(uint32_t));
	L->relabel = sy_alloc_array(env, n, sizeof(uint32_t));
	L->level_of = sy_alloc_array(env, n, sizeof(uint32_t));
	if (!L->comm || !L->tot || !L->csize || !L->empty || !L->nw || !L->touched ||
		!L->queue || !L->queued || !L->order || !L->ref || !L->ref_tot || !L->ref_ext ||
		!L->ref_size || !L->members_start || !L->members || !L->relabel || !L->level_of)
	{
		leiden_free(L);
		return SY_ENOMEM;
	}
	memset(L->nw, 0, (size_t) n * sizeof(double));
	return SY_OK;
}

/*
 * nw[label[u]] = weight from v to the nodes u of each label (only the
 * neighbours for which keep(u) holds, when same is not NONE: those with
 * comm[u] == same).  Returns how many labels were touched.
 */
static uint32_t
gather(leiden *L, const sy_wgraph *G, uint32_t v, const uint32_t *label, uint32_t same)
{
	uint32_t	n_touched = 0;
	uint64_t	j;

	for (j = G->start[v]; j < G->start[v + 1]; j++)
	{
		uint32_t	u = (uint32_t) G->adj[j],
					c;

		if (same != NONE && L->comm[u] != same)
			continue;
		c = label[u];
		if (L->nw[c] == 0)
			L->touched[n_touched++] = c;
		L->nw[c] += G->w[j];
	}
	return n_touched;
}

static void
clear_touched(leiden *L, uint32_t n_touched)
{
	uint32_t	t;

	for (t = 0; t < n_touched; t++)
		L->nw[L->touched[t]] = 0;
}

/* ---------------------------------------------------- fast local moving */

/* Community sizes and totals of comm, and the stack of unused labels. */
static uint32_t
tally_communities(leiden *L, const sy_wgraph *G)
{
	uint32_t	n = G->n,
				v,
				used = 0;

	memset(L->csize, 0, (size_t) n * sizeof(uint32_t));
	memset(L->tot, 0, (size_t) n * sizeof(double));
	for (v = 0; v < n; v++)
	{
		L->csize[L->comm[v]]++;
		L->tot[L->comm[v]] += G->strength[v];
	}
	L->n_empty = 0;
	for (v = n; v > 0; v--)
	{
		if (L->csize[v - 1] == 0)
			L->empty[L->n_empty++] = v - 1;
		else
			used++;
	}
	return used;
}

/* Take v out of its community and put it where the gain is greatest. */
static uint32_t
best_move(leiden *L, const sy_wgraph *G, uint32_t v)
{
	uint32_t	old = L->comm[v],
				best = old,
				n_touched,
				t;
	double		kv = G->strength[v],
				scale_kv = L->scale * kv,
				best_gain;

	L->tot[old] -= kv;
	if (--L->csize[old] == 0)
		L->tot[old] = 0;		/* no rounding residue in an empty community */
	n_touched = gather(L, G, v, L->comm, NONE);
	best_gain = L->nw[old] - scale_kv * L->tot[old];
	for (t = 0; t < n_touched; t++)
	{
		uint32_t	c = L->touched[t];
		double		gain = L->nw[c] - scale_kv * L->tot[c];

		if (gain > best_gain)
		{
			best_gain = gain;
			best = c;
		}
	}
	clear_touched(L, n_touched);
	if (best_gain < 0 && L->csize[old] > 0)
		best = L->empty[--L->n_empty];	/* alone: a gain of 0 */
	if (L->csize[old] == 0 && best != old)
		L->empty[L->n_empty++] = old;
	L->comm[v] = best;
	L->tot[best] += kv;
	L->csize[best]++;
	return best;
}

/* Returns the number of communities once no node gains by moving. */
static uint32_t
move_nodes(leiden *L, const sy_wgraph *G)
{
	uint32_t	n = G->n,
				head = 0,
				pending = n,
				communities;

	tally_communities(L, G);
	shuffle(L, L->queue, n);
	memset(L->queued, 1, n);
	while (pending > 0)
	{
		uint32_t	v = L->queue[head],
					old = L->comm[v],
					best;
		uint64_t	j;

		head = head + 1 == n ? 0 : head + 1;
		pending--;
		L->queued[v] = 0;
		best = best_move(L, G, v);
		spend(L, G->start[v + 1] - G->start[v] + 1);
		if (best == old)
			continue;
		for (j = G->start[v]; j < G->start[v + 1]; j++)
		{
			uint32_t	u = (uint32_t) G->adj[j];

			if (!L->queued[u] && L->comm[u] != best)
			{
				uint32_t	tail = head + pending;

				L->queue[tail >= n ? tail - n : tail] = u;
				L->queued[u] = 1;
				pending++;
			}
		}
	}
	communities = n - L->n_empty;
	return communities;
}

/* ------------------------------------------------------------ refinement */

static bool
well_connected(const leiden *L, double external, double strength, double community_total)
{
	return external >= L->scale * strength * (community_total - strength);
}

static void
start_refinement(leiden *L, const sy_wgraph *G)
{
	uint32_t	v;

	for (v = 0; v < G->n; v++)
	{
		uint32_t	n_touched = gather(L, G, v, L->comm, L->comm[v]);

		L->ref[v] = v;
		L->ref_tot[v] = G->strength[v];
		L->ref_size[v] = 1;
		L->ref_ext[v] = n_touched > 0 ? L->nw[L->comm[v]] : 0;
		clear_touched(L, n_touched);
		spend(L, G->start[v + 1] - G->start[v] + 1);
	}
}

/* Merge v, alone, into the best well-connected subcommunity of its
 * community, if any gains. */
static void
refine_node(leiden *L, const sy_wgraph *G, uint32_t v)
{
	uint32_t	c = L->comm[v],
				best = NONE,
				n_touched,
				t;
	double		community_total = L->tot[c],
				kv = G->strength[v],
				best_gain = 0;

	if (!well_connected(L, L->ref_ext[v], kv, community_total))
		return;
	n_touched = gather(L, G, v, L->ref, c);
	for (t = 0; t < n_touched; t++)
	{
		uint32_t	r = L->touched[t];
		double		gain = L->nw[r] - L->scale * kv * L->ref_tot[r];

		if (gain > best_gain &&
			well_connected(L, L->ref_ext[r], L->ref_tot[r], community_total))
		{
			best_gain = gain;
			best = r;
		}
	}
	if (best != NONE)
	{
		L->ref_ext[best] += L->ref_ext[v] - 2 * L->nw[best];
		L->ref_tot[best] += kv;
		L->ref_size[best]++;
		L->ref_size[v] = 0;
		L->ref[v] = best;
	}
	clear_touched(L, n_touched);
}

/* Subcommunities of each community in L->ref; returns how many. */
static uint32_t
refine(leiden *L, const sy_wgraph *G)
{
	uint32_t	n = G->n,
				k,
				count = 0;

	start_refinement(L, G);
	shuffle(L, L->order, n);
	for (k = 0; k < n; k++)
	{
		uint32_t	v = L->order[k];

		/* only nodes still alone move: a subcommunity stays whole */
		if (L->ref[v] == v && L->ref_size[v] == 1)
			refine_node(L, G, v);
		spend(L, G->start[v + 1] - G->start[v] + 1);
	}
	for (k = 0; k < n; k++)
		count += L->ref_size[k] > 0;
	return count;
}

/* ----------------------------------------------------------- aggregation */

/* Renumber labels[0..n) densely, by first appearance; returns the count. */
static uint32_t
renumber(leiden *L, uint32_t *labels, uint32_t n)
{
	uint32_t	v,
				count = 0;

	memset(L->relabel, 0xFF, (size_t) n * sizeof(uint32_t));
	for (v = 0; v < n; v++)
	{
		if (L->relabel[labels[v]] == NONE)
			L->relabel[labels[v]] = count++;
		labels[v] = L->relabel[labels[v]];
	}
	return count;
}

/* members of subcommunity a: members[members_start[a] .. members_start[a + 1]) */
static void
group_members(leiden *L, uint32_t n, uint32_t parts)
{
	uint32_t	v,
				a;

	memset(L->members_start, 0, ((size_t) parts + 1) * sizeof(uint32_t));
	for (v = 0; v < n; v++)
		L->members_start[L->ref[v] + 1]++;
	for (a = 0; a < parts; a++)
		L->members_start[a + 1] += L->members_start[a];
	for (v = 0; v < n; v++)
		L->members[L->members_start[L->ref[v]]++] = v;
	for (a = parts; a > 0; a--)
		L->members_start[a] = L->members_start[a - 1];
	L->members_start[0] = 0;
}

static sy_status
alloc_graph(const sy_env *env, sy_wgraph *g, uint32_t n, uint64_t entries)
{
	sy_wgraph_init(g, env);
	g->n = n;
	g->start = sy_alloc_array(env, (uint64_t) n + 1, sizeof(*g->start));
	g->adj = sy_alloc_array(env, entries, sizeof(*g->adj));
	g->w = sy_alloc_array(env, entries, sizeof(*g->w));
	g->self = sy_alloc_array(env, n, sizeof(*g->self));
	g->strength = sy_alloc_array(env, n, sizeof(*g->strength));
	if (!g->start || !g->adj || !g->w || !g->self || !g->strength)
	{
		sy_wgraph_free(g);
		return SY_ENOMEM;
	}
	return SY_OK;
}

/* Node a of the aggregate: its list, self-weight and strength. */
static uint64_t
aggregate_node(leiden *L, const sy_wgraph *G, sy_wgraph *A, uint32_t a, uint64_t out)
{
	uint32_t	k,
				n_touched = 0,
				t;
	double		self = 0,
				strength = 0;

	for (k = L->members_start[a]; k < L->members_start[a + 1]; k++)
	{
		uint32_t	v = L->members[k];
		uint64_t	j;

		self += G->self[v];
		strength += G->strength[v];
		for (j = G->start[v]; j < G->start[v + 1]; j++)
		{
			uint32_t	b = L->ref[G->adj[j]];

			if (b == a)
				self += G->w[j];	/* both directions: 2w in all */
			else
			{
				if (L->nw[b] == 0)
					L->touched[n_touched++] = b;
				L->nw[b] += G->w[j];
			}
		}
		spend(L, G->start[v + 1] - G->start[v] + 1);
	}
	A->start[a] = out;
	for (t = 0; t < n_touched; t++)
	{
		A->adj[out] = (int32_t) L->touched[t];
		A->w[out++] = L->nw[L->touched[t]];
	}
	clear_touched(L, n_touched);
	A->self[a] = self;
	A->strength[a] = strength;
	return out;
}

/*
 * The graph of the subcommunities L->ref (labels below G->n), with P
 * carried over into L->comm, and level_of updated.
 */
static sy_status
aggregate(leiden *L, const sy_wgraph *G, sy_wgraph *A)
{
	uint32_t	n = G->n,
				parts = renumber(L, L->ref, n),
				v,
				a;
	uint64_t	out = 0;
	sy_status	st;

	if ((st = alloc_graph(L->env, A, parts, G->start[n])) != SY_OK)
		return st;
	renumber(L, L->comm, n);
	for (v = 0; v < n; v++)
		L->order[L->ref[v]] = L->comm[v];
	for (v = 0; v < L->n0; v++)
		L->level_of[v] = L->ref[L->level_of[v]];
	group_members(L, n, parts);
	for (a = 0; a < parts; a++)
		out = aggregate_node(L, G, A, a, out);
	A->start[parts] = out;
	A->total = G->total;
	memcpy(L->comm, L->order, (size_t) parts * sizeof(uint32_t));
	return SY_OK;
}

/* ---------------------------------------------------------- iterations */

/*
 * One iteration from the partition part[] of g (canonical labels); leaves
 * the new partition in L->comm, per original node, not canonical.
 */
static sy_status
iterate(leiden *L, const sy_wgraph *g, const uint32_t *part)
{
	const sy_wgraph *G = g;
	sy_wgraph	owned[2];
	int			current = 0;
	uint32_t	v;
	sy_status	st = SY_OK;

	sy_wgraph_init(&owned[0], g->env);
	sy_wgraph_init(&owned[1], g->env);
	memcpy(L->comm, part, (size_t) g->n * sizeof(uint32_t));
	for (v = 0; v < g->n; v++)
		L->level_of[v] = v;
	for (;;)
	{
		uint32_t	communities = move_nodes(L, G);

		if (communities == G->n)
			break;
		if (refine(L, G) == G->n)
			memcpy(L->ref, L->comm, (size_t) G->n * sizeof(uint32_t));
		if ((st = aggregate(L, G, &owned[1 - current])) != SY_OK)
			break;
		sy_wgraph_free(&owned[current]);
		current = 1 - current;
		G = &owned[current];
	}
	if (st == SY_OK)
	{
		/* per original node; order is free again, and n0 >= levels */
		for (v = 0; v < g->n; v++)
			L->order[v] = L->comm[L->level_of[v]];
		memcpy(L->comm, L->order, (size_t) g->n * sizeof(uint32_t));
	}
	sy_wgraph_free(&owned[current]);
	return st;
}

/* Label each node with the first node of its community: out[] canonical. */
static void
canonical(leiden *L, const uint32_t *labels, uint32_t *out, uint32_t n)
{
	uint32_t	v;

	memset(L->relabel, 0xFF, (size_t) n * sizeof(uint32_t));
	for (v = 0; v < n; v++)
	{
		if (L->relabel[labels[v]] == NONE)
			L->relabel[labels[v]] = v;
		out[v] = L->relabel[labels[v]];
	}
}

/* Split every community of part[] into its connected parts (breadth
 * first, from each part's first node, so labels stay canonical). */
static void
split_disconnected(leiden *L, const sy_wgraph *g, uint32_t *part)
{
	uint32_t   *label = L->relabel;
	uint32_t	s;

	memset(label, 0xFF, (size_t) g->n * sizeof(uint32_t));
	for (s = 0; s < g->n; s++)
	{
		uint32_t	head = 0,
					tail = 0;

		if (label[s] != NONE)
			continue;
		label[s] = s;
		L->queue[tail++] = s;
		while (head < tail)
		{
			uint32_t	v = L->queue[head++];
			uint64_t	j;

			for (j = g->start[v]; j < g->start[v + 1]; j++)
			{
				uint32_t	u = (uint32_t) g->adj[j];

				if (label[u] == NONE && part[u] == part[v])
				{
					label[u] = s;
					L->queue[tail++] = u;
				}
			}
			spend(L, g->start[v + 1] - g->start[v] + 1);
		}
	}
	memcpy(part, label, (size_t) g->n * sizeof(uint32_t));
}

sy_status
sy_leiden(const sy_wgraph *g, double resolution, uint64_t seed, uint32_t *community)
{
	leiden		L;
	uint32_t	v;
	int			iteration;
	sy_status	st = SY_OK;
	double		quality;

	if (!(resolution > 0) || isinf(resolution))
		return SY_EVALUE;
	for (v = 0; v < g->n; v++)
		community[v] = v;
	if (g->total == 0)
		return SY_OK;			/* no edge: everybody alone */
	if ((st = leiden_init(&L, g, resolution, seed)) != SY_OK)
		return st;
	quality = modularity_of(g, community, resolution, L.tot);
	for (iteration = 0; iteration < SY_LEIDEN_MAX_ITERATIONS; iteration++)
	{
		double		previous = quality;

		if ((st = iterate(&L, g, community)) != SY_OK)
			break;
		canonical(&L, L.comm, L.ref, g->n);
		if (memcmp(L.ref, community, (size_t) g->n * sizeof(uint32_t)) == 0)
			break;
		memcpy(community, L.ref, (size_t) g->n * sizeof(uint32_t));
		/* past the first iterations, big graphs gain crumbs at full cost */
		quality = modularity_of(g, community, resolution, L.tot);
		if (quality - previous < SY_LEIDEN_MIN_GAIN)
			break;
	}
	if (st == SY_OK)
		split_disconnected(&L, g, community);
	leiden_free(&L);
	return st;
}

/* The modularity of community[] (labels below g->n, g->total > 0), with
 * community_total (g->n doubles) as scratch. */
static double
modularity_of(const sy_wgraph *g, const uint32_t *community, double resolution,
			  double *community_total)
{
	double		internal = 0,
				expected = 0;
	uint32_t	v;

	memset(community_total, 0, (size_t) g->n * sizeof(double));
	for (v = 0; v < g->n; v++)
	{
		uint64_t	j;

		community_total[community[v]] += g->strength[v];
		internal += g->self[v];
		for (j = g->start[v]; j < g->start[v + 1]; j++)
			if (community[g->adj[j]] == community[v])
				internal += g->w[j];
		sy_poll(g->env, v);
	}
	for (v = 0; v < g->n; v++)
	{
		double		share = community_total[v] / g->total;

		expected += share * share;
	}
	return internal / g->total - resolution * expected;
}

sy_status
sy_modularity(const sy_wgraph *g, const uint32_t *community, double resolution,
			  double *modularity)
{
	double	   *community_total;

	if (g->total == 0)
	{
		*modularity = NAN;
		return SY_OK;
	}
	if ((community_total = sy_alloc_array(g->env, g->n, sizeof(double))) == NULL)
		return SY_ENOMEM;
	*modularity = modularity_of(g, community, resolution, community_total);
	sy_free(g->env, community_total);
	return SY_OK;
}
