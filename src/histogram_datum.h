/*
 * histogram_datum.h: sybil.histogram values inside PostgreSQL.
 *
 * A histogram datum is either flat (the core's flat payload behind a varlena
 * header) or an expanded object: a tally of labels interned in a dictionary,
 * which is what the aggregates keep as their state so that each row updates
 * it in place.
 */
#ifndef SYBIL_HISTOGRAM_DATUM_H
#define SYBIL_HISTOGRAM_DATUM_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/expandeddatum.h"

#include "core/histogram.h"
#include "core/tally.h"
#include "pg_env.h"

/* A memory context with a label dictionary, shared by expanded histograms. */
typedef struct HistogramArena
{
	MemoryContext cxt;
	sy_env		env;
	sy_hist		dict;
} HistogramArena;

typedef struct HistogramExpanded
{
	ExpandedObjectHeader hdr;
	HistogramArena *arena;
	sy_tally	tally;
} HistogramExpanded;

/* A new, empty expanded histogram with its own context under parent. */
HistogramExpanded *histogram_expanded_new(MemoryContext parent);

/*
 * A new, empty aggregate state.  All the states of one aggregate context
 * share an arena: one context (see agg_state_context.h) and one label
 * dictionary.
 */
HistogramExpanded *histogram_expanded_new_state(MemoryContext aggcxt);

/* The expanded histogram behind d, or NULL when d is flat or toasted. */
HistogramExpanded *histogram_expanded_of(Datum d);

/* A flat varlena holding h's content. */
struct varlena *histogram_flatten_builder(const sy_hist *h);

/* Any histogram datum as a view: table order if expanded, else sorted. */
sy_hist_view histogram_view(Datum d);

/* Any histogram datum as a label-sorted view (copies entries if expanded). */
sy_hist_view histogram_sorted_view(Datum d);

#endif
