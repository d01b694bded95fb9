/*
 * test_communities.c: unit tests of src/core/wgraph.c (weighted graphs
 * from streamed edges, cluster statistics) and src/core/leiden.c
 * (communities by the Leiden algorithm, modularity).
 *
 * Small graphs whose best partition is known (two cliques joined by an
 * edge, a ring of cliques on both sides of the resolution limit), the
 * edge cases (no node, one node, self-loops only, zero and bad weights),
 * invariants on random graphs (every community connected, the reported
 * modularity equal to a brute-force sum over node pairs, the result
 * independent of the edge order and reproducible from the seed, more
 * communities at a higher resolution), cluster statistics against a
 * brute-force count, and allocation failure at every allocation without
 * leaks.  Emits TAP.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "leiden.h"
#include "wgraph.h"

typedef struct edge
{
	int64_t		a;
	int64_t		b;
	double		w;
} edge;

typedef struct edge_list
{
	edge	   *e;
	size_t		n;
	size_t		cap;
} edge_list;

static void
push(edge_list *l, int64_t a, int64_t b, double w)
{
	if (l->n == l->cap)
	{
		l->cap = l->cap ? 2 * l->cap : 64;
		l->e = realloc(l->e, l->cap * sizeof(edge));
		if (l->e == NULL)
		{
			printf("Bail out! out of memory\n");
			exit(255);
		}
	}
	l->e[l->n].a = a;
	l->e[l->n].b = b;
	l->e[l->n++].w = w;
}

static void
clique(edge_list *l, int64_t first, int size)
{
	int			i,
				j;

	for (i = 0; i < size; i++)
		for (j = i + 1; j < size; j++)
			push(l, first + i, first + j, 1);
}

/* Build the graph of l's edges (in l's order) with env. */
static sy_status
build(const edge_list *l, const sy_env *env, sy_wgraph *g)
{
	sy_wgraph_builder b;
	size_t		i;
	sy_status	st;

	sy_wgraph_builder_init(&b, env);
	for (i = 0; i < l->n; i++)
		if ((st = sy_wgraph_add_edge(&b, l->e[i].a, l->e[i].b, l->e[i].w)) != SY_OK)
		{
			sy_wgraph_builder_free(&b);
			sy_wgraph_init(g, env);
			return st;
		}
	return sy_wgraph_build(&b, g);
}

static void
build_ok(const edge_list *l, sy_wgraph *g)
{
	if (build(l, &sy_env_malloc, g) != SY_OK)
	{
		printf("Bail out! build failed\n");
		exit(255);
	}
}

static uint32_t *
communities_of(const sy_wgraph *g, double resolution, uint64_t seed)
{
	uint32_t   *c = malloc((g->n ? g->n : 1) * sizeof(uint32_t));

	if (c == NULL || sy_leiden(g, resolution, seed, c) != SY_OK)
	{
		printf("Bail out! leiden failed\n");
		exit(255);
	}
	return c;
}

static uint32_t
count_communities(const uint32_t *c, uint32_t n)
{
	uint32_t	i,
				k = 0;

	for (i = 0; i < n; i++)
		k += c[i] == i;
	return k;
}

/* Modularity by the definition, over all node pairs. */
static double
brute_modularity(const sy_wgraph *g, const uint32_t *c, double gamma)
{
	double		q = 0;
	uint32_t	i,
				j;

	for (i = 0; i < g->n; i++)
		for (j = 0; j < g->n; j++)
		{
			double		a = 0;
			uint64_t	k;

			if (c[i] != c[j])
				continue;
			if (i == j)
				a = g->self[i];
			for (k = g->start[i]; k < g->start[i + 1]; k++)
				if ((uint32_t) g->adj[k] == j)
					a += g->w[k];
			q += a - gamma * g->strength[i] * g->strength[j] / g->total;
		}
	return q / g->total;
}

static double
modularity(const sy_wgraph *g, const uint32_t *c, double gamma)
{
	double		q;

	if (sy_modularity(g, c, gamma, &q) != SY_OK)
	{
		printf("Bail out! modularity failed\n");
		exit(255);
	}
	return q;
}

/* Whether every community is connected, and labelled by its first node. */
static bool
valid_partition(const sy_wgraph *g, const uint32_t *c)
{
	uint32_t   *seen = calloc(g->n ? g->n : 1, sizeof(uint32_t));
	uint32_t   *stack = malloc((g->n ? g->n : 1) * sizeof(uint32_t));
	uint32_t	i;
	bool		valid = true;

	for (i = 0; i < g->n && valid; i++)
	{
		uint32_t	top = 0;

		if (c[i] > i || c[c[i]] != c[i])
			valid = false;
		if (c[i] != i || !valid)
			continue;
		seen[i] = 1;
		stack[top++] = i;
		while (top > 0)
		{
			uint32_t	v = stack[--top];
			uint64_t	k;

			for (k = g->start[v]; k < g->start[v + 1]; k++)
			{
				uint32_t	u = (uint32_t) g->adj[k];

				if (c[u] == i && !seen[u])
				{
					seen[u] = 1;
					stack[top++] = u;
				}
			}
		}
	}
	for (i = 0; i < g->n && valid; i++)
		valid = seen[i] == 1;
	free(seen);
	free(stack);
	return valid;
}

/* ----------------------------------------------------------------- tests */

static void
test_edge_cases(void)
{
	edge_list	l = {0};
	sy_wgraph_builder b;
	sy_wgraph	g;
	uint32_t	c[2];
	double		q;

	build_ok(&l, &g);
	is_int(g.n, 0, "no edge: no node");
	is_status(sy_leiden(&g, 1, 0, c), SY_OK, "no node: leiden runs");
	ok(sy_modularity(&g, c, 1, &q) == SY_OK && isnan(q), "no node: modularity is NaN");
	sy_wgraph_free(&g);

	sy_wgraph_builder_init(&b, &sy_env_malloc);
	is_status(sy_wgraph_add_node(&b, 42), SY_OK, "one node added");
	is_status(sy_wgraph_add_edge(&b, 42, 7, 0), SY_OK, "an edge of weight 0 adds its nodes");
	is_status(sy_wgraph_add_edge(&b, 1, 2, -1), SY_EVALUE, "negative weight: SY_EVALUE");
	is_status(sy_wgraph_add_edge(&b, 1, 2, NAN), SY_EVALUE, "NaN weight: SY_EVALUE");
	is_status(sy_wgraph_add_edge(&b, 1, 2, INFINITY), SY_EVALUE, "infinite weight: SY_EVALUE");
	is_status(sy_wgraph_build(&b, &g), SY_OK, "built");
	ok(g.n == 2 && g.ids[0] == 7 && g.ids[1] == 42 && g.start[2] == 0,
	   "two nodes by id, no edge (a bad weight adds nothing)");
	is_status(sy_leiden(&g, 1, 0, c), SY_OK, "no weight: leiden runs");
	ok(c[0] == 0 && c[1] == 1, "no weight: everybody alone");
	sy_wgraph_free(&g);

	push(&l, 5, 5, 2);
	push(&l, 9, 9, 1);
	build_ok(&l, &g);
	ok(g.self[0] == 4 && g.self[1] == 2 && g.total == 6, "self-loops: A_ii = 2w, 2m = 6");
	is_status(sy_leiden(&g, 1, 0, c), SY_OK, "self-loops only: leiden runs");
	ok(c[0] == 0 && c[1] == 1, "self-loops only: apart");
	is_double(modularity(&g, c, 1), 1 - (4.0 / 9 + 1.0 / 9), 1e-12, "self-loops only: Q");
	is_status(sy_leiden(&g, 0, 0, c), SY_EVALUE, "resolution 0: SY_EVALUE");
	is_status(sy_leiden(&g, NAN, 0, c), SY_EVALUE, "resolution NaN: SY_EVALUE");
	is_status(sy_leiden(&g, INFINITY, 0, c), SY_EVALUE, "resolution infinite: SY_EVALUE");
	sy_wgraph_free(&g);
	free(l.e);
}

static void
test_build(void)
{
	edge_list	l = {0};
	sy_wgraph	g;
	uint32_t	i;

	push(&l, INT64_MAX, -3, 1);
	push(&l, -3, INT64_MAX, 2);
	push(&l, INT64_MIN, 0, 0.5);
	push(&l, 0, -3, 1);
	push(&l, -3, 0, 1);
	build_ok(&l, &g);
	ok(g.n == 4 && g.ids[0] == INT64_MIN && g.ids[1] == -3 && g.ids[2] == 0 &&
	   g.ids[3] == INT64_MAX, "nodes numbered by ascending id");
	ok(g.start[1] - g.start[0] == 1 && g.start[2] - g.start[1] == 2 &&
	   g.start[3] - g.start[2] == 2 && g.start[4] - g.start[3] == 1,
	   "repeated edges merged into one entry each way");
	ok(g.adj[g.start[1]] == 2 && g.w[g.start[1]] == 2 && g.adj[g.start[1] + 1] == 3 &&
	   g.w[g.start[1] + 1] == 3, "lists sorted by neighbour, weights added");
	is_double(g.total, 2 * 5.5, 0, "2m is twice the weight");
	for (i = 0; i < g.n; i++)
	{
		uint32_t	index;

		ok(sy_wgraph_find(&g, g.ids[i], &index) && index == i, "find node %u", i);
	}
	{
		uint32_t	index;

		ok(!sy_wgraph_find(&g, 5, &index), "find: absent id");
	}
	sy_wgraph_free(&g);
	free(l.e);
}

static void
test_two_cliques(void)
{
	edge_list	l = {0};
	sy_wgraph	g;
	uint32_t   *c;
	uint32_t	i;
	bool		right = true;

	clique(&l, 100, 5);
	clique(&l, 200, 5);
	push(&l, 104, 200, 1);
	build_ok(&l, &g);
	c = communities_of(&g, 1, 0);
	for (i = 0; i < 10; i++)
		right = right && c[i] == (i < 5 ? 0 : 5);
	ok(right, "two cliques and a bridge: the two cliques");
	is_double(modularity(&g, c, 1), 2 * (10.0 / 21 - 0.25), 1e-12, "two cliques: Q");
	is_double(modularity(&g, c, 1), brute_modularity(&g, c, 1), 1e-12,
			  "two cliques: Q by definition");
	free(c);
	sy_wgraph_free(&g);
	free(l.e);
}

/* A ring of k-cliques: with many cliques, modularity at gamma 1 merges
 * neighbouring cliques (the resolution limit); a higher gamma separates them. */
static void
test_ring_of_cliques(void)
{
	const int	cliques = 30,
				size = 5;
	edge_list	l = {0};
	sy_wgraph	g;
	uint32_t   *c,
			   *cliques_part;
	uint32_t	i;
	int			k;

	for (k = 0; k < cliques; k++)
	{
		clique(&l, k * size, size);
		push(&l, k * size, ((k + 1) % cliques) * size + 1, 1);
	}
	build_ok(&l, &g);
	cliques_part = malloc(g.n * sizeof(uint32_t));
	for (i = 0; i < g.n; i++)
		cliques_part[i] = i - i % size;
	c = communities_of(&g, 1, 3);
	ok(count_communities(c, g.n) < (uint32_t) cliques,
	   "ring of 30 K5 at gamma 1: cliques merged (resolution limit), %u communities",
	   count_communities(c, g.n));
	ok(modularity(&g, c, 1) >= modularity(&g, cliques_part, 1),
	   "ring at gamma 1: at least the modularity of the cliques");
	ok(valid_partition(&g, c), "ring at gamma 1: communities connected");
	free(c);
	c = communities_of(&g, 4, 3);
	ok(memcmp(c, cliques_part, g.n * sizeof(uint32_t)) == 0, "ring at gamma 4: the cliques");
	free(c);
	free(cliques_part);
	sy_wgraph_free(&g);
	free(l.e);
}

/* Planted groups of 20 with dense insides and a few edges across. */
static void
random_graph(edge_list *l, uint32_t nodes, uint64_t seed)
{
	uint32_t	i;

	rng_seed(seed);
	for (i = 0; i < nodes * 4; i++)
	{
		uint32_t	a = rng_below(nodes),
					b = rng_below(10) == 0 ? rng_below(nodes) : a - a % 20 + rng_below(20);

		if (b < nodes)
			push(l, (int64_t) a * 7919 - 50000, (int64_t) b * 7919 - 50000, 1 + rng_below(3));
	}
}

static void
test_random_graphs(void)
{
	int			round;

	for (round = 0; round < 6; round++)
	{
		edge_list	l = {0},
					shuffled = {0};
		sy_wgraph	g,
					h;
		uint32_t   *c,
				   *again,
				   *other,
				   *from_shuffled,
				   *low,
				   *high;
		size_t		i;

		random_graph(&l, 200 + 50 * round, 1000 + round);
		build_ok(&l, &g);
		c = communities_of(&g, 1, round);
		ok(valid_partition(&g, c), "random %d: canonical labels, connected communities", round);
		is_double(modularity(&g, c, 1), brute_modularity(&g, c, 1), 1e-9,
				  "random %d: modularity by definition", round);
		ok(modularity(&g, c, 1) > 0.5, "random %d: planted groups found (Q = %.3f)", round,
		   modularity(&g, c, 1));
		again = communities_of(&g, 1, round);
		ok(memcmp(c, again, g.n * sizeof(uint32_t)) == 0, "random %d: same seed, same result",
		   round);
		other = communities_of(&g, 1, round + 100);
		ok(valid_partition(&g, other), "random %d: another seed, a valid partition", round);

		for (i = 0; i < l.n; i++)
			push(&shuffled, l.e[l.n - 1 - i].b, l.e[l.n - 1 - i].a, l.e[l.n - 1 - i].w);
		build_ok(&shuffled, &h);
		from_shuffled = communities_of(&h, 1, round);
		ok(memcmp(c, from_shuffled, g.n * sizeof(uint32_t)) == 0,
		   "random %d: edges reversed and flipped, same result", round);

		low = communities_of(&g, 0.2, round);
		high = communities_of(&g, 5, round);
		ok(count_communities(low, g.n) <= count_communities(c, g.n) &&
		   count_communities(c, g.n) <= count_communities(high, g.n),
		   "random %d: communities grow with the resolution (%u, %u, %u)", round,
		   count_communities(low, g.n), count_communities(c, g.n),
		   count_communities(high, g.n));
		free(c);
		free(again);
		free(other);
		free(from_shuffled);
		free(low);
		free(high);
		sy_wgraph_free(&g);
		sy_wgraph_free(&h);
		free(l.e);
		free(shuffled.e);
	}
}

static void
test_cluster_stats(void)
{
	edge_list	l = {0};
	sy_wgraph	g;
	uint32_t	cluster[6];
	sy_cluster_stats s[2];

	/* 1-2-3 triangle (cluster 0), 4-5 (cluster 1), 6 unclustered */
	push(&l, 1, 2, 1);
	push(&l, 2, 3, 2);
	push(&l, 1, 3, 1);
	push(&l, 1, 3, 1);
	push(&l, 3, 4, 0.5);
	push(&l, 4, 5, 1);
	push(&l, 5, 6, 3);
	push(&l, 5, 5, 1);
	build_ok(&l, &g);
	cluster[0] = cluster[1] = cluster[2] = 0;
	cluster[3] = cluster[4] = 1;
	cluster[5] = SY_WGRAPH_NO_CLUSTER;
	sy_wgraph_cluster_stats(&g, cluster, 2, s);
	ok(s[0].size == 3 && s[0].internal_edges == 3 && s[0].internal_weight == 5 &&
	   s[0].cut_edges == 1 && s[0].cut_weight == 0.5 && s[0].volume == 10.5,
	   "cluster stats: the triangle");
	ok(s[1].size == 2 && s[1].internal_edges == 1 && s[1].internal_weight == 1 &&
	   s[1].cut_edges == 2 && s[1].cut_weight == 3.5 && s[1].volume == 1.5 + 6,
	   "cluster stats: the pair, with a self-loop in its volume only");
	sy_wgraph_free(&g);
	free(l.e);
}

/* Fail the k-th allocation, for every k: a status, never a leak. */
static void
test_allocation_failures(void)
{
	edge_list	l = {0};
	long		budget;
	bool		clean = true;
	int			failures = 0;

	random_graph(&l, 300, 77);
	for (budget = 0;; budget++)
	{
		fail_ctx	fc;
		sy_env		env = fail_env(&fc, budget);
		sy_wgraph	g;
		uint32_t   *c = malloc(300 * sizeof(uint32_t));
		sy_status	st = build(&l, &env, &g);
		double		q;

		if (st == SY_OK)
			st = sy_leiden(&g, 1, 0, c);
		if (st == SY_OK)
			st = sy_modularity(&g, c, 1, &q);
		sy_wgraph_free(&g);
		free(c);
		if (fc.live != 0 || (st != SY_OK && st != SY_ENOMEM))
			clean = false;
		if (st == SY_OK)
			break;
		failures++;
	}
	ok(clean, "every allocation failed in turn (%d): SY_ENOMEM and nothing leaked", failures);
	ok(failures > 30, "the failures covered the build, leiden and modularity");
	free(l.e);
}

int
main(void)
{
	test_edge_cases();
	test_build();
	test_two_cliques();
	test_ring_of_cliques();
	test_random_graphs();
	test_cluster_stats();
	test_allocation_failures();
	return done_testing();
}
