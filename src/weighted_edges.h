/*
 * weighted_edges.h: the weighted edges of a user's query (a, b [, weight])
 * read into a weighted graph (core/wgraph.h), for sybil.communities and
 * sybil.cluster_stats.
 *
 * Node columns are any integer type, the weight any number (default 1).
 * Both ends NULL: the row is skipped; one end NULL: the other end is a lone
 * node; a NULL or zero weight adds both ends without an edge; a negative,
 * NaN or infinite weight is an ERROR.  Repeated edges add their weights.
 */
#ifndef SYBIL_WEIGHTED_EDGES_H
#define SYBIL_WEIGHTED_EDGES_H

#include "postgres.h"

#include "core/wgraph.h"

/* Stream the rows of query (fname's argument edges_query) into builder. */
void		sybil_read_weighted_edges(const char *query, const char *fname,
									  sy_wgraph_builder *builder);

/* The graph of what the builder holds (whose memory it takes over). */
void		sybil_build_weighted_graph(sy_wgraph_builder *builder, sy_wgraph *graph,
									   const char *fname);

#endif
