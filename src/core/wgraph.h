/*
 * wgraph.h: weighted undirected graphs between int64 node ids, streamed in
 * edge by edge and turned into CSR adjacency lists, and the statistics of
 * node clusters over such a graph.
 *
 * Building.  A builder maps ids to indices by first appearance (an
 * sy_components forest without edges serves as the map) and keeps the
 * edges as 16-byte (index, index, weight) records in blocks of 64k, so
 * that nothing is reallocated as the edges grow.  sy_wgraph_build then
 * numbers the nodes by ascending id, counts degrees, scatters the blocks
 * into the lists (freeing each block once scattered), sorts each list by
 * neighbour and merges repeated neighbours (weights add).  The graph
 * therefore depends only on the multiset of edges, never on their order
 * (up to the rounding of the sums of repeated weights).
 *
 * Conventions, those of networkx: an edge of weight w adds w to both
 * endpoints' strength; a self-loop of weight w is kept apart as
 * self[i] = 2w (the diagonal A_ii of the adjacency matrix) and adds 2w to
 * the strength.  total = sum of strengths = 2m.  Edges of weight 0 only
 * add their nodes; a negative, NaN or infinite weight is SY_EVALUE.
 *
 * Memory: while adding, 16 bytes an edge (self-loops included) and the
 * map's 17 to 29 bytes a node.  sy_wgraph_build peaks at 16 bytes an edge
 * (the blocks still to scatter) plus 24 (the two list entries, int32
 * neighbour and double weight) plus 24 a node for the id sort; a built
 * graph takes 24 bytes a distinct edge and 32 a node.
 */
#ifndef SYBIL_CORE_WGRAPH_H
#define SYBIL_CORE_WGRAPH_H

#include <stdbool.h>
#include "env.h"
#include "components.h"

/* Nodes are int32 indices. */
#define SY_WGRAPH_MAX_NODES ((uint32_t) INT32_MAX)

typedef struct sy_wedge
{
	uint32_t	a;				/* node indices by first appearance */
	uint32_t	b;
	double		w;
} sy_wedge;

typedef struct sy_wgraph_builder
{
	const sy_env *env;
	sy_components map;			/* id -> index by first appearance */
	sy_wedge  **blocks;
	uint32_t	n_blocks;
	uint32_t	blocks_cap;
	uint32_t	last_block_edges;	/* edges in the last block */
} sy_wgraph_builder;

/* A built graph: node i has id ids[i], ids ascending; its neighbours are
 * adj[start[i] .. start[i + 1]), ascending, with weights w[]. */
typedef struct sy_wgraph
{
	const sy_env *env;
	uint32_t	n;
	int64_t    *ids;			/* NULL in graphs that are not built from ids */
	uint64_t   *start;			/* n + 1 offsets */
	int32_t    *adj;
	double	   *w;
	double	   *self;			/* twice the self-loop weight */
	double	   *strength;		/* sum of the row: w + self */
	double		total;			/* sum of strengths: 2m */
} sy_wgraph;

void		sy_wgraph_builder_init(sy_wgraph_builder *b, const sy_env *env);
void		sy_wgraph_builder_free(sy_wgraph_builder *b);

/* Add a node without edges (nothing if it is there already). */
sy_status	sy_wgraph_add_node(sy_wgraph_builder *b, int64_t id);

/* Add the edge a-b of weight w (a == b is a self-loop), adding its nodes;
 * SY_EVALUE for a negative, NaN or infinite w, before adding anything. */
sy_status	sy_wgraph_add_edge(sy_wgraph_builder *b, int64_t a, int64_t b_id, double w);

/*
 * Build the graph of everything added, and free the builder's memory (also
 * on failure; the builder is then empty and may be freed again).
 * SY_EOVERFLOW if a strength or the total is infinite.
 */
sy_status	sy_wgraph_build(sy_wgraph_builder *b, sy_wgraph *g);

/* An empty graph of the env (nothing allocated); free any graph. */
void		sy_wgraph_init(sy_wgraph *g, const sy_env *env);
void		sy_wgraph_free(sy_wgraph *g);

/* Whether id is a node of a built graph, and its index (binary search). */
bool		sy_wgraph_find(const sy_wgraph *g, int64_t id, uint32_t *index);

/*
 * Statistics of clusters: cluster[i] in [0, n_clusters) is node i's
 * cluster, or SY_WGRAPH_NO_CLUSTER.  Edges are counted once, as distinct
 * node pairs; self-loops are in volume and strength only.
 */
#define SY_WGRAPH_NO_CLUSTER UINT32_MAX

typedef struct sy_cluster_stats
{
	uint64_t	size;			/* nodes */
	uint64_t	internal_edges; /* pairs of distinct members that are linked */
	double		internal_weight;	/* their weight */
	uint64_t	cut_edges;		/* pairs with one end inside */
	double		cut_weight;
	double		volume;			/* sum of the members' strengths */
} sy_cluster_stats;

/* stats has n_clusters entries, filled here. */
void		sy_wgraph_cluster_stats(const sy_wgraph *g, const uint32_t *cluster,
									uint32_t n_clusters, sy_cluster_stats *stats);

/* Sort n keys ascending with their payloads (LSD radix, stable); tmp_keys
 * and tmp_vals have room for n.  Polls env. */
void		sy_radix_sort_u64(uint64_t *keys, uint32_t *vals, uint64_t *tmp_keys,
							  uint32_t *tmp_vals, uint32_t n, const sy_env *env);

#endif
