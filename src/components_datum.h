/*
 * components_datum.h: sybil.component_set values inside PostgreSQL.
 *
 * A component_set datum is either flat (the core's wire form behind a
 * varlena header: canonical, so equal partitions have equal bytes) or an
 * expanded object: a union-find forest, which is what the aggregates keep
 * as their state so that each row updates it in place.  Edges reach an
 * expanded forest a batch at a time (core/components.h: the cache misses of
 * a batch overlap), so every reader settles the pending edges first.
 */
#ifndef SYBIL_COMPONENTS_DATUM_H
#define SYBIL_COMPONENTS_DATUM_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/expandeddatum.h"

#include "core/components.h"
#include "pg_env.h"

/* Edges queued a batch at a time, once the forest outgrows the caches. */
#define COMPONENTS_PENDING 256
#define COMPONENTS_BATCH_FROM_NODES 4096

typedef struct ComponentsExpanded
{
	ExpandedObjectHeader hdr;
	SybilBudget budget;			/* sybil.graph_memory_limit, for this forest */
	sy_env		env;
	sy_components forest;
	uint32		n_pending;
	int64	   *pending;		/* a's then b's; NULL while the forest is small */
} ComponentsExpanded;

/*
 * A new, empty expanded value with its own context under parent, taking at
 * most limit bytes (sybil_graph_memory_limit() for a graph being built,
 * SIZE_MAX to read a stored value); what names it in errors.
 */
ComponentsExpanded *components_expanded_new(MemoryContext parent, Size limit, const char *what);

/* A new, empty aggregate state, in the context the states of aggcxt share
 * (agg_state_context.h), within sybil.graph_memory_limit. */
ComponentsExpanded *components_expanded_new_state(MemoryContext aggcxt);

/* The expanded value behind d, or NULL when d is flat or toasted. */
ComponentsExpanded *components_expanded_of(Datum d);

/* Queue the edge a-b (a lone node when a == b). */
void		components_add_edge(ComponentsExpanded *x, int64 a, int64 b);

/* Add the pending edges to the forest. */
void		components_settle(ComponentsExpanded *x);

/* Add the partition of d (any component_set datum) to x. */
void		components_merge_datum(ComponentsExpanded *x, Datum d);

/* Any component_set datum as a settled, finished forest: the expanded
 * value's own, or a new one decoded in CurrentMemoryContext. */
sy_components *components_finished_forest(Datum d);

/* Decode a wire form into an empty forest; a malformed one raises sqlstate. */
void		components_decode(sy_components *forest, const unsigned char *src, size_t len,
							  size_t *consumed, int sqlstate);

/* A flat datum of a finished forest. */
struct varlena *components_flatten(const sy_components *forest);

/* Raise the ERROR of a reader's failed status (a corrupted stored value). */
void		components_reader_check(sy_status st);

/* Return the rows a reader reads, as components_return_rows does. */
void		components_return_read_rows(FunctionCallInfo fcinfo, sy_components_reader *r,
										int64 min_size);

/* Return forest's rows (node, component, component_size) whose component
 * has at least min_size nodes, as a materialized set. */
void		components_return_rows(FunctionCallInfo fcinfo, const sy_components *forest,
								   int64 min_size);

#endif
