/*
 * gen_edges.c: the connected-components benchmark's synthetic graph, written
 * to stdout in COPY text format (id TAB a TAB b), one row per edge.
 *
 * Usage: gen_edges [edges [nodes [seed]]]         the rows
 *        gen_edges edges nodes seed --stats       a summary of the partition
 *        defaults: 10000000 5000000 20240601
 *
 * Deterministic: the same arguments give the same bytes (splitmix64 PRNG, no
 * libc rand, no floating point in the output; pow/log/exp only choose
 * component sizes).  The model, documented in bench/README.md:
 *
 *   - the nodes are cut into components before any edge is drawn, so the
 *     partition is known: four large ones holding 20%, 10%, 4% and 2% of
 *     the nodes (1M, 500k, 200k and 100k at 5M nodes), 4% of the nodes in
 *     mid-sized components of 21 to 2000 nodes (log-uniform), and the rest,
 *     60%, in small components of 2 to 20 nodes, P(size) ~ size^-1.5
 *     (mean about 5.6), so about two thirds of them have two to five nodes;
 *   - each component gets a spanning tree (nodes - components edges in
 *     all): node i of a component joins an earlier node, half the time one
 *     drawn uniformly, half the time an end of an earlier tree edge
 *     (preferential attachment), so the large components have hubs, as
 *     shared devices or payment cards make them in real data;
 *   - the remaining edges join a node drawn uniformly from all nodes to
 *     another node of its component, so every component has about
 *     edges / nodes edges per node; in a 2-node component this repeats the
 *     edge, and repeated edges are left in, as real logs have them;
 *   - node ids are the node numbers through a keyed bijection of
 *     [0, 2^63), so they are distinct, non-negative, arbitrary 63-bit
 *     values with no locality; the ends of an edge are swapped at random;
 *   - the edges are shuffled (a seeded Fisher-Yates), as in an append-only
 *     log, and numbered 1..edges in that order (the id column, which
 *     pgRouting needs).
 *
 * Needs edges >= nodes - components (the spanning trees); exits with an
 * error otherwise.  Memory: 8 bytes an edge and 12 a node.
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

/* Uniform in [0, n), n > 0 (Lemire's multiply-shift; bias < 2^-32 here). */
static uint32_t
next_below(uint32_t n)
{
	return (uint32_t) (((next_u64() >> 32) * (uint64_t) n) >> 32);
}

#define MASK63 0x7FFFFFFFFFFFFFFFULL

/*
 * Node number -> id: a bijection of [0, 2^63) (xor with a key, odd
 * multiplications mod 2^63 and xor-shifts are each one-to-one), so ids are
 * distinct without a lookup table.
 */
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
		fprintf(stderr, "gen_edges: out of memory (%zu bytes)\n", n);
		exit(1);
	}
	return p;
}

/* Small component size in [2, 20], P(s) ~ s^-1.5, by inverting the CDF. */
static double small_cdf[21];

static uint32_t
small_size(void)
{
	double		u = next_unit() * small_cdf[20];
	uint32_t	s = 2;

	while (s < 20 && small_cdf[s] <= u)
		s++;
	return s;
}

static int
cmp_u32_desc(const void *a, const void *b)
{
	uint32_t	x = *(const uint32_t *) a,
				y = *(const uint32_t *) b;

	return (x < y) - (x > y);
}

int
main(int argc, char **argv)
{
	uint64_t	n_edges = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000000;
	uint64_t	n_nodes = argc > 2 ? strtoull(argv[2], NULL, 10) : 5000000;
	uint64_t	seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 20240601;
	int			stats = argc > 4 && strcmp(argv[4], "--stats") == 0;
	static const double large_share[] = {0.20, 0.10, 0.04, 0.02};
	const double mid_share = 0.04;
	uint32_t   *comp_size,
			   *comp_start,
			   *comp_of;
	uint32_t	n_comp = 0,
				cap_comp,
				pos = 0;
	uint32_t   *ea,
			   *eb;
	uint64_t	ne = 0;

	if (n_nodes < 2 || n_nodes > 2000000000ULL || n_edges > 4000000000ULL)
	{
		fprintf(stderr, "usage: gen_edges [edges [nodes [seed [--stats]]]] (2 <= nodes <= 2e9)\n");
		return 2;
	}
	rng_state = seed;
	id_key = next_u64();

	/* Component sizes: large, then mid-sized, then small, filling n_nodes. */
	cap_comp = (uint32_t) (n_nodes / 2 + 8);
	comp_size = xmalloc(sizeof(uint32_t) * cap_comp);
	for (size_t k = 0; k < sizeof large_share / sizeof large_share[0]; k++)
	{
		uint32_t	s = (uint32_t) (large_share[k] * (double) n_nodes);

		if (s >= 2)
			comp_size[n_comp++] = s, pos += s;
	}
	{
		uint64_t	mid_target = pos + (uint64_t) (mid_share * (double) n_nodes);

		while (pos < mid_target)
		{
			uint32_t	s = (uint32_t) exp(log(21.0) + next_unit() * (log(2000.0) - log(21.0)));

			if (s > mid_target - pos)
				s = (uint32_t) (mid_target - pos);
			if (s < 2)
				break;
			comp_size[n_comp++] = s, pos += s;
		}
	}
	/* small_cdf[s]: the weight of sizes 2..s (small_cdf[0, 1] stay 0). */
	for (uint32_t s = 2; s <= 20; s++)
		small_cdf[s] = small_cdf[s - 1] + pow((double) s, -1.5);
	while (pos < n_nodes)
	{
		uint32_t	s = small_size();
		uint64_t	left = n_nodes - pos;

		if (s > left)
			s = (uint32_t) left;
		if (left - s == 1)		/* never leave a single node */
			s++;
		comp_size[n_comp++] = s, pos += s;
	}

	comp_start = xmalloc(sizeof(uint32_t) * n_comp);
	comp_of = xmalloc(sizeof(uint32_t) * n_nodes);
	pos = 0;
	for (uint32_t c = 0; c < n_comp; c++)
	{
		comp_start[c] = pos;
		for (uint32_t k = 0; k < comp_size[c]; k++)
			comp_of[pos + k] = c;
		pos += comp_size[c];
	}
	if (n_edges < n_nodes - n_comp)
	{
		fprintf(stderr, "gen_edges: %llu edges cannot connect %llu nodes in %u components"
				" (needs %llu)\n", (unsigned long long) n_edges,
				(unsigned long long) n_nodes, n_comp,
				(unsigned long long) (n_nodes - n_comp));
		return 1;
	}

	if (stats)
	{
		uint32_t   *sorted = xmalloc(sizeof(uint32_t) * n_comp);
		uint64_t	hist[5] = {0};	/* 2-5, 6-20, 21-2000, 2001-99999, >= 100000 */

		memcpy(sorted, comp_size, sizeof(uint32_t) * n_comp);
		qsort(sorted, n_comp, sizeof(uint32_t), cmp_u32_desc);
		for (uint32_t c = 0; c < n_comp; c++)
		{
			uint32_t	s = comp_size[c];

			hist[s <= 5 ? 0 : s <= 20 ? 1 : s <= 2000 ? 2 : s < 100000 ? 3 : 4]++;
		}
		printf("edges %llu, nodes %llu, components %u (sizes 2-5: %llu, 6-20: %llu,"
			   " 21-2000: %llu, 2001-99999: %llu, >= 100000: %llu); largest:",
			   (unsigned long long) n_edges, (unsigned long long) n_nodes, n_comp,
			   (unsigned long long) hist[0], (unsigned long long) hist[1],
			   (unsigned long long) hist[2], (unsigned long long) hist[3],
			   (unsigned long long) hist[4]);
		for (uint32_t c = 0; c < n_comp && c < 6; c++)
			printf(" %u", sorted[c]);
		printf("\n");
		return 0;
	}

	ea = xmalloc(sizeof(uint32_t) * n_edges);
	eb = xmalloc(sizeof(uint32_t) * n_edges);

	/* Spanning trees: uniform or preferential attachment, half and half. */
	for (uint32_t c = 0; c < n_comp; c++)
	{
		uint32_t	start = comp_start[c];
		uint64_t	first_edge = ne;

		for (uint32_t k = 1; k < comp_size[c]; k++)
		{
			uint32_t	parent;

			if (k == 1 || (next_u64() & 1))
				parent = start + next_below(k);
			else
			{
				uint64_t	e = first_edge + next_below((uint32_t) (ne - first_edge));

				parent = (next_u64() & 1) ? ea[e] : eb[e];
			}
			ea[ne] = start + k;
			eb[ne] = parent;
			ne++;
		}
	}
	/* The rest: a uniform node to another node of its component. */
	while (ne < n_edges)
	{
		uint32_t	u = next_below((uint32_t) n_nodes);
		uint32_t	c = comp_of[u];
		uint32_t	v = comp_start[c] + next_below(comp_size[c] - 1);

		if (v >= u)
			v++;				/* skip u itself */
		ea[ne] = u;
		eb[ne] = v;
		ne++;
	}
	free(comp_of);

	/* Log order: shuffle the edges, and swap the ends of half of them. */
	for (uint64_t i = n_edges; i > 1; i--)
	{
		uint64_t	j = next_below((uint32_t) i);
		uint32_t	t;

		t = ea[i - 1], ea[i - 1] = ea[j], ea[j] = t;
		t = eb[i - 1], eb[i - 1] = eb[j], eb[j] = t;
	}

	{
		static char outbuf[1 << 20];
		size_t		outpos = 0;

		for (uint64_t i = 0; i < n_edges; i++)
		{
			uint64_t	vals[3];
			int			swap = (int) (next_u64() & 1);

			vals[0] = i + 1;
			vals[1] = (uint64_t) node_id(swap ? eb[i] : ea[i]);
			vals[2] = (uint64_t) node_id(swap ? ea[i] : eb[i]);
			if (outpos + 64 > sizeof outbuf)
			{
				if (fwrite(outbuf, 1, outpos, stdout) != outpos)
				{
					perror("gen_edges: write");
					return 1;
				}
				outpos = 0;
			}
			for (int f = 0; f < 3; f++)
			{
				char		digits[24];
				int			nd = 0;
				uint64_t	v = vals[f];

				do
					digits[nd++] = (char) ('0' + v % 10);
				while ((v /= 10) != 0);
				while (nd > 0)
					outbuf[outpos++] = digits[--nd];
				outbuf[outpos++] = f < 2 ? '\t' : '\n';
			}
		}
		if (fwrite(outbuf, 1, outpos, stdout) != outpos || fflush(stdout) != 0)
		{
			perror("gen_edges: write");
			return 1;
		}
	}
	return 0;
}
