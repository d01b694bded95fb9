/*
 * test_dense_blocks.c: unit tests of src/core/dense_blocks.c (FRAUDAR's
 * greedy peeling).
 *
 * Tiny graphs whose blocks are worked out by hand in the comments, under
 * both weightings; the tie rules; independence from the order of rows;
 * on small random graphs, the guarantee of the paper (the block is at
 * least half as dense as the densest subgraph, found here by brute force
 * over every subset); allocation failure at every allocation, without
 * leaks; polling on a larger graph.  Emits TAP.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dense_blocks.h"
#include "helpers.h"

typedef struct edge
{
	int64_t		account;
	const char *item;
} edge;

static void
bail(const char *what, sy_status st)
{
	printf("Bail out! %s: %s\n", what, status_name(st));
	exit(255);
}

/* A finished graph of the edges, in the given order, without hubs. */
static sy_status
build(sy_cooccur *g, const sy_env *env, const edge *edges, size_t n)
{
	size_t		i;
	sy_status	st = SY_OK;

	sy_cooccur_init(g, env);
	for (i = 0; i < n && st == SY_OK; i++)
		st = sy_cooccur_add(g, edges[i].account, edges[i].item, (uint32_t) strlen(edges[i].item));
	return st == SY_OK ? sy_cooccur_finish(g, UINT32_MAX) : st;
}

/* The block's accounts as "1,2,3" and items as "a,b". */
static void
describe(const sy_cooccur *g, const sy_dense_block *b, char *accounts, char *items)
{
	uint32_t	i,
				len;

	accounts[0] = items[0] = '\0';
	for (i = 0; i < b->n_accounts; i++)
		sprintf(accounts + strlen(accounts), "%s%lld", i ? "," : "",
				(long long) sy_cooccur_account_id(g, b->accounts[i]));
	for (i = 0; i < b->n_items; i++)
	{
		const char *s = sy_cooccur_token(g, b->items[i], &len);

		sprintf(items + strlen(items), "%s%.*s", i ? "," : "", (int) len, s);
	}
}

/* Check the next block of p: its accounts, items, edges and density. */
static void
expect_block(sy_dense_peeler *p, const char *accounts, const char *items, uint64_t edges,
			 double density, const char *what)
{
	char		got_accounts[4096],
				got_items[4096];
	bool		found;
	sy_status	st = sy_dense_next(p, &found);

	if (st != SY_OK)
		bail(what, st);
	ok(found, "%s: a block", what);
	describe(p->g, &p->block, got_accounts, got_items);
	is_str(got_accounts, accounts, "%s: accounts", what);
	is_str(got_items, items, "%s: items", what);
	is_int((long long) p->block.edges, (long long) edges, "%s: edges", what);
	is_double(p->block.density, density, 1e-12, "%s: density", what);
}

static void
expect_no_block(sy_dense_peeler *p, const char *what)
{
	bool		found = true;

	is_status(sy_dense_next(p, &found), SY_OK, "%s: next", what);
	ok(!found && p->block.n_accounts == 0 && p->block.n_items == 0, "%s: no block", what);
}

/*
 * A 3 x 3 biclique {1,2,3} x {a,b,c}, account 4 also on a, account 5 alone
 * on d.  Unweighted: the biclique has 9 edges over 6 nodes (1.5), more
 * than with account 4 (10/7) or the whole graph (11/9).  Then (4,a) and
 * (5,d) are left: 2 edges over 4 nodes, every removal makes it worse.
 */
static const edge small_graph[] = {
	{1, "a"}, {1, "b"}, {1, "c"}, {2, "a"}, {2, "b"}, {2, "c"}, {3, "a"}, {3, "b"},
	{3, "c"}, {4, "a"}, {5, "d"}, {1, "a"}, {3, "c"}	/* repeated rows count once */
};

static void
test_small_unweighted(void)
{
	sy_cooccur	g;
	sy_dense_peeler p;
	sy_status	st = build(&g, &sy_env_malloc, small_graph, NPAIRS(small_graph));

	if (st != SY_OK || (st = sy_dense_init(&p, &g, SY_DENSE_UNWEIGHTED)) != SY_OK)
		bail("small graph", st);
	expect_block(&p, "1,2,3", "a,b,c", 9, 1.5, "unweighted, first");
	expect_block(&p, "4,5", "a,d", 2, 0.5, "unweighted, second");
	expect_no_block(&p, "unweighted, third");
	expect_no_block(&p, "unweighted, again");
	sy_dense_free(&p);
	sy_cooccur_free(&g);
}

/*
 * Log weighting: a weighs 1/log(4 + 5), b and c 1/log(3 + 5).  The
 * biclique weighs 3/log 9 + 6/log 8 over 6 nodes (0.708), more than with
 * account 4 (0.672).  Then a and d have degree 1: (4,a) and (5,d) weigh
 * 1/log 6 each, over 4 nodes.
 */
static void
test_small_log(void)
{
	sy_cooccur	g;
	sy_dense_peeler p;
	sy_status	st = build(&g, &sy_env_malloc, small_graph, NPAIRS(small_graph));

	if (st != SY_OK || (st = sy_dense_init(&p, &g, SY_DENSE_LOG_WEIGHTED)) != SY_OK)
		bail("small graph", st);
	expect_block(&p, "1,2,3", "a,b,c", 9, (3 / log(9.0) + 6 / log(8.0)) / 6, "log, first");
	expect_block(&p, "4,5", "a,d", 2, 2 / log(6.0) / 4, "log, second");
	expect_no_block(&p, "log, third");
	sy_dense_free(&p);
	sy_cooccur_free(&g);
}

/*
 * Camouflage: a 4 x 3 biclique {1..4} x {x,y,z} whose accounts also use
 * "pop", an item of 404 accounts.  Unweighted, the 400 other accounts of
 * pop go first, then pop is worth 4 edges like every node of the block,
 * and the block with pop, 16 edges over 8 nodes (2.0), beats it without
 * (12/7): camouflage pulls pop in.  With log weighting pop's edges weigh
 * 1/log 409 = 0.166 against 1/log 9 = 0.455, and the biclique alone
 * (0.780) beats it with pop (0.766).
 */
static void
test_camouflage(void)
{
	static const char *block_items[] = {"x", "y", "z"};
	edge		edges[4 * 4 + 400];
	size_t		n = 0;
	int64_t		a;
	int			k;
	sy_cooccur	g;
	sy_dense_peeler p;
	sy_status	st;
	double		w_block = 1 / log(4.0 + 5),
				w_pop = 1 / log(404.0 + 5);

	for (a = 1; a <= 4; a++)
	{
		for (k = 0; k < 3; k++)
			edges[n++] = (edge) {a, block_items[k]};
		edges[n++] = (edge) {a, "pop"};
	}
	for (a = 100; a < 500; a++)
		edges[n++] = (edge) {a, "pop"};
	ok(12 * w_block / 7 > (12 * w_block + 4 * w_pop) / 8, "log weights leave pop out here");
	if ((st = build(&g, &sy_env_malloc, edges, n)) != SY_OK ||
		(st = sy_dense_init(&p, &g, SY_DENSE_LOG_WEIGHTED)) != SY_OK)
		bail("camouflage", st);
	expect_block(&p, "1,2,3,4", "x,y,z", 12, 12 * w_block / 7, "camouflage, log");
	sy_dense_free(&p);
	if ((st = sy_dense_init(&p, &g, SY_DENSE_UNWEIGHTED)) != SY_OK)
		bail("camouflage", st);
	expect_block(&p, "1,2,3,4", "pop,x,y,z", 16, 2.0, "camouflage, unweighted");
	sy_dense_free(&p);
	sy_cooccur_free(&g);
}

/*
 * Ties: two disjoint 2 x 2 bicliques are each as dense as both together
 * (4 edges over 4 nodes, 8 over 8): the largest equally dense set, the
 * whole graph, is the block.  A path 1 - i - 2: 2 edges over 3 nodes, and
 * removing an end leaves 1 over 2, less dense: the path is the block.
 */
static void
test_ties(void)
{
	static const edge twins[] = {
		{1, "a"}, {1, "b"}, {2, "a"}, {2, "b"}, {3, "c"}, {3, "d"}, {4, "c"}, {4, "d"}
	};
	static const edge path[] = {{1, "i"}, {2, "i"}};
	sy_cooccur	g;
	sy_dense_peeler p;
	sy_status	st;

	if ((st = build(&g, &sy_env_malloc, twins, NPAIRS(twins))) != SY_OK ||
		(st = sy_dense_init(&p, &g, SY_DENSE_UNWEIGHTED)) != SY_OK)
		bail("twins", st);
	expect_block(&p, "1,2,3,4", "a,b,c,d", 8, 1.0, "equal bicliques: both");
	sy_dense_free(&p);
	sy_cooccur_free(&g);
	if ((st = build(&g, &sy_env_malloc, path, NPAIRS(path))) != SY_OK ||
		(st = sy_dense_init(&p, &g, SY_DENSE_UNWEIGHTED)) != SY_OK)
		bail("path", st);
	expect_block(&p, "1,2", "i", 2, 2.0 / 3, "path");
	expect_no_block(&p, "path, then nothing");
	sy_dense_free(&p);
	sy_cooccur_free(&g);
}

static void
test_empty_and_refused(void)
{
	sy_cooccur	g;
	sy_dense_peeler p;
	sy_status	st;

	sy_cooccur_init(&g, &sy_env_malloc);
	is_status(sy_dense_init(&p, &g, SY_DENSE_LOG_WEIGHTED), SY_EVALUE, "unfinished graph refused");
	sy_dense_free(&p);
	if ((st = sy_cooccur_finish(&g, UINT32_MAX)) != SY_OK)
		bail("empty", st);
	is_status(sy_dense_init(&p, &g, SY_DENSE_LOG_WEIGHTED), SY_OK, "empty graph");
	expect_no_block(&p, "empty graph");
	sy_dense_free(&p);
	sy_cooccur_free(&g);
	if ((st = sy_cooccur_add(&g, 1, "a", 1)) != SY_OK || (st = sy_cooccur_finish(&g, 5)) != SY_OK)
		bail("hubs", st);
	is_status(sy_dense_init(&p, &g, SY_DENSE_LOG_WEIGHTED), SY_EVALUE, "graph with hubs refused");
	sy_dense_free(&p);
	sy_cooccur_free(&g);
}

/* Random bipartite edges over n_accounts x n_items, each with chance 1/q. */
static size_t
random_edges(edge *edges, char names[][4], uint32_t n_accounts, uint32_t n_items, uint32_t q)
{
	size_t		n = 0;
	uint32_t	a,
				j;

	for (j = 0; j < n_items; j++)
		sprintf(names[j], "%c%u", 'a' + (char) (j % 3), j);
	for (a = 0; a < n_accounts; a++)
		for (j = 0; j < n_items; j++)
			if (rng_below(q) == 0)
				edges[n++] = (edge) {(int64_t) a * 7 - 10, names[j]};
	return n;
}

/* The densest subgraph's density, unweighted, by trying every subset. */
static double
densest_by_brute_force(const edge *edges, size_t n, uint32_t n_accounts, uint32_t n_items)
{
	uint32_t	nodes = n_accounts + n_items,
				set;
	double		best = 0;

	for (set = 1; set < (1u << nodes); set++)
	{
		size_t		i,
					inside = 0;

		for (i = 0; i < n; i++)
		{
			uint32_t	a = (uint32_t) ((edges[i].account + 10) / 7);
			uint32_t	j = (uint32_t) atoi(edges[i].item + 1);

			inside += ((set >> a) & 1) && ((set >> (n_accounts + j)) & 1);
		}
		if ((double) inside / __builtin_popcount(set) > best)
			best = (double) inside / __builtin_popcount(set);
	}
	return best;
}

static void
test_half_of_optimum(void)
{
	int			round,
				bad = 0;

	for (round = 0; round < 60; round++)
	{
		uint32_t	n_accounts = 2 + rng_below(6),
					n_items = 2 + rng_below(5);
		edge		edges[64];
		char		names[8][4];
		size_t		n = random_edges(edges, names, n_accounts, n_items, 2 + rng_below(2));
		double		best = densest_by_brute_force(edges, n, n_accounts, n_items);
		sy_cooccur	g;
		sy_dense_peeler p;
		bool		found;
		sy_status	st;

		if ((st = build(&g, &sy_env_malloc, edges, n)) != SY_OK ||
			(st = sy_dense_init(&p, &g, SY_DENSE_UNWEIGHTED)) != SY_OK ||
			(st = sy_dense_next(&p, &found)) != SY_OK)
			bail("random", st);
		if (n == 0 ? found : !found || p.block.density < best / 2 || p.block.density > best + 1e-12)
		{
			bad++;
			diag("round %d: %zu edges, densest %g, block %g", round, n, best,
				 found ? p.block.density : -1.0);
		}
		sy_dense_free(&p);
		sy_cooccur_free(&g);
	}
	is_int(bad, 0, "60 random graphs: the block is at least half as dense as the densest subgraph");
}

/* Every block, as text, of edges in that order. */
static void
all_blocks(const edge *edges, size_t n, sy_dense_weighting w, char *out, size_t out_size)
{
	sy_cooccur	g;
	sy_dense_peeler p;
	bool		found = true;
	sy_status	st;
	char		accounts[4096],
				items[4096];

	out[0] = '\0';
	if ((st = build(&g, &sy_env_malloc, edges, n)) != SY_OK || (st = sy_dense_init(&p, &g, w)) != SY_OK)
		bail("all blocks", st);
	while (found)
	{
		if ((st = sy_dense_next(&p, &found)) != SY_OK)
			bail("all blocks", st);
		describe(&g, &p.block, accounts, items);
		snprintf(out + strlen(out), out_size - strlen(out), "[%s|%s|%.17g]", accounts, items,
				 p.block.density);
	}
	sy_dense_free(&p);
	sy_cooccur_free(&g);
}

static void
test_row_order(void)
{
	int			round,
				differ = 0;

	for (round = 0; round < 20; round++)
	{
		edge		edges[256],
					shuffled[256];
		char		names[8][4];
		size_t		n = random_edges(edges, names, 30, 8, 3),
					i;
		static char first[65536],
					second[65536];

		for (i = 0; i < n; i++)
			shuffled[i] = edges[i];
		for (i = n; i > 1; i--)
		{
			size_t		k = rng_below((uint32_t) i);
			edge		t = shuffled[i - 1];

			shuffled[i - 1] = shuffled[k];
			shuffled[k] = t;
		}
		all_blocks(edges, n, round % 2 ? SY_DENSE_LOG_WEIGHTED : SY_DENSE_UNWEIGHTED, first,
				   sizeof(first));
		all_blocks(shuffled, n, round % 2 ? SY_DENSE_LOG_WEIGHTED : SY_DENSE_UNWEIGHTED, second,
				   sizeof(second));
		differ += strcmp(first, second) != 0;
	}
	is_int(differ, 0, "20 random graphs: every block is the same whatever the order of rows");
}

/* Build, init and take every block with at most budget allocations. */
static sy_status
run_with_budget(const edge *edges, size_t n, long budget, fail_ctx *c)
{
	sy_env		env = fail_env(c, -1);
	sy_cooccur	g;
	sy_dense_peeler p;
	bool		found = true;
	sy_status	st = build(&g, &env, edges, n);

	if (st != SY_OK)
		bail("failing env", st);
	c->budget = budget;
	st = sy_dense_init(&p, &g, SY_DENSE_LOG_WEIGHTED);
	while (st == SY_OK && found)
		st = sy_dense_next(&p, &found);
	sy_dense_free(&p);
	sy_cooccur_free(&g);
	return st;
}

static void
test_allocation_failure(void)
{
	edge		edges[512];
	char		names[8][4];
	size_t		n = random_edges(edges, names, 40, 8, 3);
	fail_ctx	c;
	long		budget,
				leaks = 0,
				wrong = 0;
	sy_status	st;

	for (budget = 0;; budget++)
	{
		st = run_with_budget(edges, n, budget, &c);
		leaks += c.live != 0;
		if (st == SY_OK)
			break;
		wrong += st != SY_ENOMEM;
	}
	ok(budget > 10, "allocations counted: %ld", budget);
	is_int(wrong, 0, "every failed allocation gives SY_ENOMEM");
	is_int(leaks, 0, "no leak after a failure at any allocation");
}

static void
test_polls(void)
{
	static edge edges[200000];
	static char names[2000][8];
	track_ctx	t = {0, 0, 0};
	sy_env		env = {track_alloc, track_realloc, track_free, track_poll, &t};
	sy_cooccur	g;
	sy_dense_peeler p;
	bool		found;
	size_t		i;
	sy_status	st;

	for (i = 0; i < 2000; i++)
		sprintf(names[i], "i%zu", i);
	for (i = 0; i < 200000; i++)
		edges[i] = (edge) {(int64_t) rng_below(50000), names[rng_below(2000)]};
	if ((st = build(&g, &env, edges, 200000)) != SY_OK)
		bail("polls", st);
	t.polls = 0;
	if ((st = sy_dense_init(&p, &g, SY_DENSE_LOG_WEIGHTED)) != SY_OK ||
		(st = sy_dense_next(&p, &found)) != SY_OK)
		bail("polls", st);
	ok(t.polls >= 200000 * 3 / SY_POLL_EVERY, "a peel of 200k edges polls (%ld times)", t.polls);
	sy_dense_free(&p);
	sy_cooccur_free(&g);
	is_int((long long) t.live, 0, "everything freed");
}

int
main(void)
{
	test_small_unweighted();
	test_small_log();
	test_camouflage();
	test_ties();
	test_empty_and_refused();
	test_half_of_optimum();
	test_row_order();
	test_allocation_failure();
	test_polls();
	return done_testing();
}
