/*
 * gen_community_edges.c: the communities benchmark's synthetic graph, a
 * graph with planted communities, written to stdout in COPY text format
 * (a TAB b), one row per edge.
 *
 * Usage: gen_community_edges [edges [nodes [seed [mu]]]]           the rows
 *        gen_community_edges edges nodes seed mu --stats        a summary
 *        gen_community_edges edges nodes seed mu --membership   node TAB block
 *        defaults: 10000000 1000000 20240601 0.2
 *
 * Deterministic: the same arguments give the same bytes (splitmix64 PRNG, no
 * libc rand; pow/log/exp only choose sizes and weights, and the doubles they
 * give are only compared, never printed).  The model, documented in
 * bench/README.md ("Communities"), is a degree-corrected planted partition
 * (LFR-like):
 *
 *   - the nodes are cut into blocks (the planted communities) before any
 *     edge is drawn: sizes from P(s) ~ s^-2 on [20, 2000] (mean about 93),
 *     the last block taking what is left (at least 20 nodes: a short
 *     remainder joins the block before it);
 *   - each node has an expected degree, a weight w: Pareto with exponent
 *     2.5 (P(w > x) ~ x^-1.5, minimum 1), capped at 1000 and at
 *     (size - 1) / (2 (1 - mu)) times the mean weight divided by the mean
 *     degree, so that even the smallest blocks stay at most about half
 *     full of edges and hubs live in large blocks;
 *   - a fraction 1 - mu of the edges is inside blocks.  First every node
 *     gets one edge inside its block (so no node is isolated, and the node
 *     count is the one asked for); the other inside edges pick one end
 *     among all nodes in proportion to w (so a block gets edges in
 *     proportion to its total weight) and the other end in the same block
 *     in proportion to w (Chung-Lu inside the block);
 *   - the other mu of the edges join two ends drawn in proportion to w
 *     from all nodes, in different blocks;
 *   - the graph is simple: self-loops are redrawn, and repeated edges (in
 *     either direction) are removed and redrawn until there are exactly
 *     `edges` distinct ones, with the inside / between counts kept, so
 *     every tool sees the same graph whether or not it merges repeats;
 *   - node ids are the node numbers through a keyed bijection of [0, 2^63)
 *     (as in gen_edges.c): distinct, arbitrary 63-bit values with no
 *     locality, so a block's members are scattered over the id range;
 *   - the edges are shuffled (a seeded Fisher-Yates), as in an append-only
 *     log, and the ends of half of them swapped.
 *
 * --stats prints the blocks, the degrees, the share of edges inside blocks
 * and the modularity of the planted partition (at resolution 1).
 * --membership prints the planted partition: node id TAB block number.
 *
 * Memory: 8 bytes an edge (twice while deduplicating) and 24 a node.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;

static uint64_t
next_u64(void)
{
	uint64_t	z = (rng_state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1) with 53 bits. */
static double
next_unit(void)
{
	return (double) (next_u64() >> 11) * (1.0 / 9007199254740992.0);
}

#define MASK63 0x7FFFFFFFFFFFFFFFULL

/* Node number -> id: a bijection of [0, 2^63), as in gen_edges.c. */
static uint64_t id_key;

static int64_t
node_id(uint32_t i)
{
	uint64_t	x = ((uint64_t) i ^ id_key) & MASK63;

	x = (x * 0x9FB21C651E98DF25ULL) & MASK63;
	x ^= x >> 29;
	x = (x * 0xC2B2AE3D27D4EB4FULL) & MASK63;
	x ^= x >> 32;
	x = (x * 0x94D049BB133111EBULL) & MASK63;
	x ^= x >> 31;
	return (int64_t) x;
}

static void *
xmalloc(size_t n)
{
	void	   *p = malloc(n ? n : 1);

	if (p == NULL)
	{
		fprintf(stderr, "gen_community_edges: out of memory (%zu bytes)\n", n);
		exit(1);
	}
	return p;
}

#define MIN_BLOCK 20
#define MAX_BLOCK 2000
#define MAX_WEIGHT 1000.0

static uint32_t n_nodes;
static uint32_t n_blocks;
static uint32_t *block_start;	/* n_blocks + 1 */
static uint32_t *block_of;		/* n_nodes */
static double *cum;				/* n_nodes + 1: prefix sums of the weights */

/* A node drawn in proportion to its weight among nodes [lo, hi). */
static uint32_t
weighted_node(uint32_t lo, uint32_t hi)
{
	double		target = cum[lo] + next_unit() * (cum[hi] - cum[lo]);

	/* the last node of [lo, hi) whose prefix sum is <= target */
	while (hi - lo > 1)
	{
		uint32_t	mid = lo + (hi - lo) / 2;

		if (cum[mid] <= target)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static uint64_t
edge_key(uint32_t u, uint32_t v)
{
	return u < v ? ((uint64_t) u << 32) | v : ((uint64_t) v << 32) | u;
}

static uint64_t
draw_inside(void)
{
	for (;;)
	{
		uint32_t	u = weighted_node(0, n_nodes);
		uint32_t	c = block_of[u];
		uint32_t	v = weighted_node(block_start[c], block_start[c + 1]);

		if (v != u)
			return edge_key(u, v);
	}
}

static uint64_t
draw_between(void)
{
	for (;;)
	{
		uint32_t	u = weighted_node(0, n_nodes);
		uint32_t	v = weighted_node(0, n_nodes);

		if (block_of[u] != block_of[v])
			return edge_key(u, v);
	}
}

/* LSD radix sort of 64-bit keys, 16 bits a pass; tmp as large as a. */
static void
radix_sort(uint64_t *a, uint64_t *tmp, uint64_t n)
{
	static uint64_t count[1 << 16];

	for (int shift = 0; shift < 64; shift += 16)
	{
		uint64_t	sum = 0;

		memset(count, 0, sizeof count);
		for (uint64_t i = 0; i < n; i++)
			count[(a[i] >> shift) & 0xFFFF]++;
		for (uint32_t k = 0; k < (1 << 16); k++)
		{
			uint64_t	c = count[k];

			count[k] = sum;
			sum += c;
		}
		for (uint64_t i = 0; i < n; i++)
			tmp[count[(a[i] >> shift) & 0xFFFF]++] = a[i];
		memcpy(a, tmp, n * sizeof(uint64_t));
	}
}

/* Sort a[0..n), drop repeats; returns the number left. */
static uint64_t
sort_unique(uint64_t *a, uint64_t *tmp, uint64_t n)
{
	uint64_t	k = 0;

	radix_sort(a, tmp, n);
	for (uint64_t i = 0; i < n; i++)
		if (k == 0 || a[i] != a[k - 1])
			a[k++] = a[i];
	return k;
}

/*
 * Fill a[have..want) with draws, drop repeats, and again until want distinct
 * keys.  Returns the number of rounds.
 */
static int
fill_distinct(uint64_t *a, uint64_t *tmp, uint64_t have, uint64_t want, uint64_t (*draw) (void))
{
	int			rounds = 0;

	have = sort_unique(a, tmp, have);
	while (have < want)
	{
		for (uint64_t i = have; i < want; i++)
			a[i] = draw();
		have = sort_unique(a, tmp, want);
		if (++rounds > 1000)
		{
			fprintf(stderr, "gen_community_edges: cannot draw %llu distinct edges"
					" (the blocks are too full)\n", (unsigned long long) want);
			exit(1);
		}
	}
	return rounds;
}

static int
cmp_u32_desc(const void *a, const void *b)
{
	uint32_t	x = *(const uint32_t *) a,
				y = *(const uint32_t *) b;

	return (x < y) - (x > y);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t	x = *(const uint32_t *) a,
				y = *(const uint32_t *) b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	uint64_t	n_edges = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000000;
	uint64_t	nodes_arg = argc > 2 ? strtoull(argv[2], NULL, 10) : 1000000;
	uint64_t	seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 20240601;
	double		mu = argc > 4 ? strtod(argv[4], NULL) : 0.2;
	int			stats = argc > 5 && strcmp(argv[5], "--stats") == 0;
	int			membership = argc > 5 && strcmp(argv[5], "--membership") == 0;
	uint32_t   *sizes;
	double	   *w;
	double		wsum = 0;
	uint64_t	n_inside,
				n_between;
	uint64_t   *edges,
			   *tmp;
	int			rounds_in,
				rounds_out;

	if (nodes_arg < MIN_BLOCK || nodes_arg > 2000000000ULL || !(mu >= 0 && mu < 1))
	{
		fprintf(stderr, "usage: gen_community_edges [edges [nodes [seed [mu [--stats|--membership]]]]]"
				" (%d <= nodes <= 2e9, 0 <= mu < 1)\n", MIN_BLOCK);
		return 2;
	}
	n_nodes = (uint32_t) nodes_arg;
	rng_state = seed;
	id_key = next_u64();

	/* Blocks: P(s) ~ s^-2 on [MIN_BLOCK, MAX_BLOCK], by inverting the CDF. */
	sizes = xmalloc(sizeof(uint32_t) * (n_nodes / MIN_BLOCK + 1));
	{
		uint32_t	pos = 0;
		const double a = 1.0 / MIN_BLOCK,
					b = 1.0 / MAX_BLOCK;

		n_blocks = 0;
		while (pos < n_nodes)
		{
			uint32_t	s = (uint32_t) (1.0 / (a - next_unit() * (a - b)));
			uint32_t	left = n_nodes - pos;

			if (s > left)
				s = left;
			if (left - s < MIN_BLOCK)
				s = left;		/* never leave a block smaller than the minimum */
			if (s < MIN_BLOCK && n_blocks > 0)
			{
				sizes[n_blocks - 1] += s;	/* a short remainder joins the last block */
				pos += s;
				break;
			}
			sizes[n_blocks++] = s;
			pos += s;
		}
	}
	block_start = xmalloc(sizeof(uint32_t) * (n_blocks + 1));
	block_of = xmalloc(sizeof(uint32_t) * n_nodes);
	block_start[0] = 0;
	for (uint32_t c = 0; c < n_blocks; c++)
	{
		block_start[c + 1] = block_start[c] + sizes[c];
		for (uint32_t v = block_start[c]; v < block_start[c + 1]; v++)
			block_of[v] = c;
	}

	/*
	 * Weights: Pareto, exponent 2.5 (alpha 1.5, minimum 1, mean 3 untruncated),
	 * capped.  The cap for a block of s nodes keeps its expected inside
	 * degree, (1 - mu) * mean_degree * w / mean_w, below (s - 1) / 2; the
	 * mean weight is taken as 3 here (the cap changes it little).
	 */
	w = xmalloc(sizeof(double) * n_nodes);
	cum = xmalloc(sizeof(double) * ((size_t) n_nodes + 1));
	{
		double		mean_degree = 2.0 * (double) n_edges / n_nodes;

		for (uint32_t v = 0; v < n_nodes; v++)
		{
			double		x = pow(1.0 - next_unit(), -1.0 / 1.5);
			double		s = sizes[block_of[v]];
			double		cap = (s - 1) / (2 * (1 - mu) * mean_degree) * 3.0;

			if (cap < 1)
				cap = 1;
			if (x > cap)
				x = cap;
			if (x > MAX_WEIGHT)
				x = MAX_WEIGHT;
			w[v] = x;
		}
	}
	cum[0] = 0;
	for (uint32_t v = 0; v < n_nodes; v++)
		cum[v + 1] = cum[v] + w[v];
	wsum = cum[n_nodes];

	n_between = (uint64_t) llround(mu * (double) n_edges);
	n_inside = n_edges - n_between;
	if (n_inside < n_nodes)
	{
		fprintf(stderr, "gen_community_edges: %llu inside edges cannot give each of %u nodes"
				" an edge (needs edges * (1 - mu) >= nodes)\n",
				(unsigned long long) n_inside, n_nodes);
		return 1;
	}

	/* Inside edges first, then the between edges after them. */
	edges = xmalloc(sizeof(uint64_t) * (n_edges ? n_edges : 1));
	tmp = xmalloc(sizeof(uint64_t) * (n_edges ? n_edges : 1));
	for (uint32_t u = 0; u < n_nodes; u++)
	{
		uint32_t	c = block_of[u],
					v;

		do
			v = weighted_node(block_start[c], block_start[c + 1]);
		while (v == u);
		edges[u] = edge_key(u, v);
	}
	rounds_in = fill_distinct(edges, tmp, n_nodes, n_inside, draw_inside);
	rounds_out = fill_distinct(edges + n_inside, tmp, 0, n_between, draw_between);

	if (stats)
	{
		uint32_t   *deg = xmalloc(sizeof(uint32_t) * n_nodes);
		uint64_t   *inside_c = xmalloc(sizeof(uint64_t) * n_blocks);
		uint64_t   *vol_c = xmalloc(sizeof(uint64_t) * n_blocks);
		uint32_t   *sorted = xmalloc(sizeof(uint32_t) * n_blocks);
		double		q = 0,
					m2 = 2.0 * (double) n_edges;
		uint64_t	hist[4] = {0};	/* 20-49, 50-199, 200-999, 1000+ */
		uint64_t	nodes_in[4] = {0};

		memset(deg, 0, sizeof(uint32_t) * n_nodes);
		memset(inside_c, 0, sizeof(uint64_t) * n_blocks);
		memset(vol_c, 0, sizeof(uint64_t) * n_blocks);
		for (uint64_t i = 0; i < n_edges; i++)
		{
			uint32_t	u = (uint32_t) (edges[i] >> 32),
						v = (uint32_t) edges[i];

			deg[u]++, deg[v]++;
			vol_c[block_of[u]]++, vol_c[block_of[v]]++;
			if (block_of[u] == block_of[v])
				inside_c[block_of[u]]++;
		}
		for (uint32_t c = 0; c < n_blocks; c++)
		{
			q += (double) inside_c[c] / (double) n_edges
				- ((double) vol_c[c] / m2) * ((double) vol_c[c] / m2);
			{
				int			k = sizes[c] < 50 ? 0 : sizes[c] < 200 ? 1 : sizes[c] < 1000 ? 2 : 3;

				hist[k]++;
				nodes_in[k] += sizes[c];
			}
		}
		memcpy(sorted, sizes, sizeof(uint32_t) * n_blocks);
		qsort(sorted, n_blocks, sizeof(uint32_t), cmp_u32_desc);
		printf("edges %llu, nodes %u, blocks %u (sizes 20-49: %llu, 50-199: %llu, 200-999: %llu,"
			   " 1000+: %llu; nodes in them %.0f%%, %.0f%%, %.0f%%, %.0f%%; largest %u %u %u),"
			   " inside %llu (%.1f%%), between %llu, mu %.3f",
			   (unsigned long long) n_edges, n_nodes, n_blocks,
			   (unsigned long long) hist[0], (unsigned long long) hist[1],
			   (unsigned long long) hist[2], (unsigned long long) hist[3],
			   100.0 * nodes_in[0] / n_nodes, 100.0 * nodes_in[1] / n_nodes,
			   100.0 * nodes_in[2] / n_nodes, 100.0 * nodes_in[3] / n_nodes,
			   sorted[0], n_blocks > 1 ? sorted[1] : 0, n_blocks > 2 ? sorted[2] : 0,
			   (unsigned long long) n_inside, 100.0 * (double) n_inside / (double) n_edges,
			   (unsigned long long) n_between, mu);
		qsort(deg, n_nodes, sizeof(uint32_t), cmp_u32);
		printf("; degree mean %.1f, median %u, p99 %u, max %u, min %u",
			   m2 / n_nodes, deg[n_nodes / 2], deg[(uint64_t) n_nodes * 99 / 100],
			   deg[n_nodes - 1], deg[0]);
		printf("; planted modularity %.4f; redraw rounds %d + %d; weight sum %.0f\n",
			   q, rounds_in, rounds_out, wsum);
		return 0;
	}
	if (membership)
	{
		for (uint32_t v = 0; v < n_nodes; v++)
			printf("%lld\t%u\n", (long long) node_id(v), block_of[v]);
		return fflush(stdout) != 0;
	}

	/* Log order: shuffle the edges, and swap the ends of half of them. */
	for (uint64_t i = n_edges; i > 1; i--)
	{
		uint64_t	j = (uint64_t) (((next_u64() >> 11) * (unsigned __int128) i) >> 53);
		uint64_t	t = edges[i - 1];

		edges[i - 1] = edges[j];
		edges[j] = t;
	}

	{
		static char outbuf[1 << 20];
		size_t		outpos = 0;

		for (uint64_t i = 0; i < n_edges; i++)
		{
			uint64_t	vals[2];
			uint32_t	u = (uint32_t) (edges[i] >> 32),
						v = (uint32_t) edges[i];
			int			swap = (int) (next_u64() & 1);

			vals[0] = (uint64_t) node_id(swap ? v : u);
			vals[1] = (uint64_t) node_id(swap ? u : v);
			if (outpos + 48 > sizeof outbuf)
			{
				if (fwrite(outbuf, 1, outpos, stdout) != outpos)
				{
					perror("gen_community_edges: write");
					return 1;
				}
				outpos = 0;
			}
			for (int f = 0; f < 2; f++)
			{
				char		digits[24];
				int			nd = 0;
				uint64_t	x = vals[f];

				do
					digits[nd++] = (char) ('0' + x % 10);
				while ((x /= 10) != 0);
				while (nd > 0)
					outbuf[outpos++] = digits[--nd];
				outbuf[outpos++] = f == 0 ? '\t' : '\n';
			}
		}
		if (fwrite(outbuf, 1, outpos, stdout) != outpos || fflush(stdout) != 0)
		{
			perror("gen_community_edges: write");
			return 1;
		}
	}
	return 0;
}
