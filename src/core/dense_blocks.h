/*
 * dense_blocks.h: dense blocks of a bipartite account x item graph, by
 * FRAUDAR's greedy peeling (Hooi et al., "FRAUDAR: Bounding Graph Fraud in
 * the Face of Camouflage", KDD 2016).
 *
 * The graph is a finished sy_cooccur (tokens are the items), built with no
 * hub (max_degree UINT32_MAX): an edge is a distinct (account, item) pair.
 * Edge (a, j) weighs c_j: 1 unweighted, or 1 / log(d_j + 5) with column
 * weighting, d_j being item j's degree in the graph being peeled, so that
 * edges to popular items (camouflage a fraudster adds to look ordinary)
 * weigh little.  For a set S of accounts and items, f(S) is the weight of
 * the edges inside S and the density g(S) = f(S) / |S|.
 *
 * One peel starts from every node with an edge and repeatedly removes the
 * node whose removal lowers f the least (its weighted degree inside what
 * is left), remembering the densest set seen: the block.  Its density is
 * at least half the best possible (FRAUDAR, Theorem 1).  The block's edges
 * are then removed, degrees and weights recomputed on what is left, and
 * the next peel finds the next block, as in FRAUDAR's code.
 *
 * Exactness.  Peeling compares weights in fixed point (c_j rounded to a
 * multiple of 2^-30, to nearest even), so sums are exact integers: the
 * order of removal depends only on the graph, never on the order in which
 * floating-point sums were made.  Ties go to the lower node: accounts
 * before items, accounts by ascending id, items by ascending bytes; among
 * equally dense sets the largest (the one seen first) is kept.  The
 * density reported is recomputed in double precision from the block's
 * edges with the unrounded weights.
 *
 * Cost: a peel is O(E log V) (a binary heap with decrease-key), plus O(E +
 * V) to recompute degrees and collect the block.  Memory besides the
 * graph: 2 bits an edge (removed edges, in both lists), 21 bytes a node
 * and 20 more an item, and the latest block's node lists.  Long loops poll.
 */
#ifndef SYBIL_CORE_DENSE_BLOCKS_H
#define SYBIL_CORE_DENSE_BLOCKS_H

#include <stdbool.h>
#include "env.h"
#include "cooccur.h"

typedef enum sy_dense_weighting
{
	SY_DENSE_UNWEIGHTED,		/* every edge weighs 1 */
	SY_DENSE_LOG_WEIGHTED		/* edge to item j weighs 1 / log(d_j + 5) */
} sy_dense_weighting;

/* A block, once found. */
typedef struct sy_dense_block
{
	uint32_t	n_accounts;
	uint32_t   *accounts;		/* account indices of the graph, ascending (by id) */
	uint32_t	n_items;
	uint32_t   *items;			/* token numbers of the graph, by ascending bytes */
	uint64_t	edges;			/* edges inside the block */
	double		density;		/* f / (n_accounts + n_items) */
} sy_dense_block;

typedef struct sy_dense_peeler
{
	const sy_cooccur *g;
	const sy_env *env;
	sy_dense_weighting weighting;
	uint32_t	n_accounts;
	uint32_t	n_items;
	uint32_t	n_nodes;		/* accounts are nodes 0.., items follow by byte order */
	uint32_t   *item_of_rank;	/* node n_accounts + r is token item_of_rank[r] */
	uint32_t   *rank_of_item;
	uint8_t    *removed_in_account_lists;	/* bit per position of g->account_tokens */
	uint8_t    *removed_in_item_lists;	/* bit per position of g->token_accounts */
	uint32_t   *item_degree;	/* by token number, edges left */
	uint64_t   *item_weight;	/* by token number, fixed point */
	uint64_t   *priority;		/* by node: weighted degree inside what is left */
	uint32_t   *heap;			/* nodes left, a binary min-heap */
	uint32_t   *heap_position;	/* by node; NOT_IN_HEAP once removed */
	uint32_t	heap_size;
	uint32_t   *peel_order;		/* nodes in order of removal */
	uint8_t    *in_block;		/* by node, while the block is collected */
	size_t		steps;			/* for polling */
	sy_dense_block block;		/* the latest block */
} sy_dense_peeler;

/*
 * Set p up to peel g, which must be finished and have no hub (SY_EVALUE).
 * At most UINT32_MAX - 1 accounts and items together (SY_ETOOBIG).  Free
 * p after use, even after a failed init.
 */
sy_status	sy_dense_init(sy_dense_peeler *p, const sy_cooccur *g, sy_dense_weighting weighting);
void		sy_dense_free(sy_dense_peeler *p);

/*
 * Find the next block into p->block (valid until the next call) and
 * remove its edges.  *found is false, and p->block empty, when no edge is
 * left.  On failure only sy_dense_free may follow.
 */
sy_status	sy_dense_next(sy_dense_peeler *p, bool *found);

#endif
