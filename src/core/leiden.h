/*
 * leiden.h: communities of a weighted graph by the Leiden algorithm
 * (Traag, Waltman and van Eck, "From Louvain to Leiden: guaranteeing
 * well-connected communities", Scientific Reports 9, 2019), maximising
 * modularity with a resolution gamma:
 *
 *   Q = 1/2m  sum_ij (A_ij - gamma k_i k_j / 2m) delta(c_i, c_j)
 *
 * An iteration, starting from a partition P of the graph (singletons at
 * first):
 *   1. fast local moving: nodes are taken from a queue (all of them, in a
 *      random order, at first); a node goes to the neighbouring community
 *      (or an empty one) of greatest modularity gain, staying on ties, and
 *      when it moves its neighbours outside its new community join the
 *      queue;
 *   2. if every community is one node, stop; otherwise
 *   3. refinement: inside each community of P, each node still alone (in
 *      a random order) that is well connected to its community joins the
 *      well-connected subcommunity of greatest positive gain (greedily:
 *      the paper's randomness parameter theta taken to 0), so that every
 *      subcommunity is connected;
 *   4. aggregation: one node per subcommunity, and P carried over (a
 *      community of P is a set of subcommunities); back to 1 on that graph.
 *      When the refinement merged nothing, the aggregation uses P itself,
 *      as leidenalg does, so that every level shrinks the graph.
 * Iterations repeat from the partition found until one changes nothing
 * or raises modularity by less than SY_LEIDEN_MIN_GAIN (at most
 * SY_LEIDEN_MAX_ITERATIONS): on a planted graph of 1M nodes and 10M edges
 * the second iteration gains 4e-5 and the sixteenth 1e-7, each at the
 * cost of the first level, so stopping early saves most of the time.  Finally a community that is not
 * connected, if any, is split into its connected parts, which never
 * lowers modularity: every community returned is connected.
 *
 * Determinism: the random orders come from splitmix64 seeded with seed,
 * and ties are broken by position, so a graph and a seed always give the
 * same partition (on any host whose double arithmetic is IEEE 754 without
 * fused multiply-adds in these expressions: x86-64 builds by default).
 * Since the graph's nodes are numbered by id and its lists sorted, the
 * result does not depend on the order the edges came in either.
 *
 * Memory: about 85 bytes a node of the graph for the work arrays, plus the
 * aggregated graphs (at most the size of the graph; usually far less),
 * freed level by level.  Time: each level costs a few passes over its
 * edges; the first level of the first iteration dominates.
 */
#ifndef SYBIL_CORE_LEIDEN_H
#define SYBIL_CORE_LEIDEN_H

#include "env.h"
#include "wgraph.h"

#define SY_LEIDEN_MAX_ITERATIONS 32
#define SY_LEIDEN_MIN_GAIN 1e-5

/*
 * Communities of g: community[i] is the index of the first (smallest-id)
 * node of node i's community.  resolution must be positive and finite
 * (SY_EVALUE otherwise).  Nodes without edges stay alone.  Polls g->env.
 */
sy_status	sy_leiden(const sy_wgraph *g, double resolution, uint64_t seed, uint32_t *community);

/*
 * The modularity of the partition community[] (labels below g->n) at the
 * resolution given, computed from scratch; NaN when the graph has no
 * edge weight (2m = 0).
 */
sy_status	sy_modularity(const sy_wgraph *g, const uint32_t *community, double resolution,
						  double *modularity);

#endif
