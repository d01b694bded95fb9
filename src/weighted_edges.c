/* weighted_edges.c: see weighted_edges.h. */
#include "postgres.h"

#include <math.h>

#include "pg_env.h"
#include "query_rows.h"
#include "weighted_edges.h"

typedef struct WeightedEdgeReader
{
	const char *fname;
	sy_wgraph_builder *builder;
	bool		weighted;		/* a third column holds the weight */
	Oid			types[3];
} WeightedEdgeReader;

static void
start_edges(void *arg, TupleDesc desc)
{
	WeightedEdgeReader *r = arg;

	if (desc->natts < 2 || desc->natts > 3)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg_plural("%s: edges_query returns %d column; it must return (a, b) or (a, b, weight)",
							   "%s: edges_query returns %d columns; it must return (a, b) or (a, b, weight)",
							   desc->natts, r->fname, desc->natts)));
	r->types[0] = sybil_node_column_type(desc, 0, r->fname);
	r->types[1] = sybil_node_column_type(desc, 1, r->fname);
	r->weighted = desc->natts == 3;
	if (r->weighted)
	{
		r->types[2] = TupleDescAttr(desc, 2)->atttypid;
		if (!sybil_is_number_type(r->types[2]))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("%s: the weight column of edges_query must be numeric, not %s",
							r->fname, sybil_column_type_name(desc, 2))));
	}
}

/*
 * One row: both ends NULL, skipped; one end NULL, the other end alone; a
 * NULL weight adds both ends without an edge, as a weight of 0 does.
 */
static void
read_edge(void *arg, TupleTableSlot *slot)
{
	WeightedEdgeReader *r = arg;
	bool		a_null = slot->tts_isnull[0],
				b_null = slot->tts_isnull[1];
	int64		a,
				b;
	double		w = 1;

	if (a_null && b_null)
		return;
	a = a_null ? 0 : sybil_integer_value(slot->tts_values[0], r->types[0]);
	b = b_null ? 0 : sybil_integer_value(slot->tts_values[1], r->types[1]);
	if (a_null || b_null)
	{
		sybil_check(sy_wgraph_add_node(r->builder, a_null ? b : a), r->fname);
		return;
	}
	if (r->weighted)
		w = slot->tts_isnull[2] ? 0 : sybil_number_value(slot->tts_values[2], r->types[2]);
	if (!(w >= 0) || isinf(w))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: edge weights must be finite and non-negative", r->fname),
				 errdetail("The edge (" INT64_FORMAT ", " INT64_FORMAT ") has weight %g.", a, b, w)));
	sybil_check(sy_wgraph_add_edge(r->builder, a, b, w), r->fname);
}

void
sybil_read_weighted_edges(const char *query, const char *fname, sy_wgraph_builder *builder)
{
	WeightedEdgeReader reader;
	QueryRowsCallbacks callbacks = {start_edges, read_edge, &reader};

	memset(&reader, 0, sizeof(reader));
	reader.fname = fname;
	reader.builder = builder;
	sybil_query_rows(query, fname, "edges_query", &callbacks);
}

/* The graph of what the builder holds (whose memory it takes over). */
void
sybil_build_weighted_graph(sy_wgraph_builder *builder, sy_wgraph *graph, const char *fname)
{
	sy_status	st = sy_wgraph_build(builder, graph);

	if (st == SY_EOVERFLOW)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s: the edge weights add up to more than double precision holds", fname)));
	sybil_check(st, fname);
}
