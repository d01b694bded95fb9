/*
 * components_query.c: sybil.components(edges_query, ...), the connected
 * components of the edges a query returns, streamed into a forest.
 */
#include "postgres.h"

#include <math.h>

#include "utils/builtins.h"

#include "components_datum.h"
#include "query_rows.h"

PG_FUNCTION_INFO_V1(components_of_query);

static const char fname[] = "sybil.components";

typedef struct EdgeReader
{
	ComponentsExpanded *graph;
	bool		weighted;		/* min_weight given: column 3 filters */
	double		min_weight;
	Oid			types[3];
} EdgeReader;

static void
start_edges(void *arg, TupleDesc desc)
{
	EdgeReader *r = arg;

	if (desc->natts < 2 + r->weighted || desc->natts > 3)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg_plural("%s: edges_query returns %d column; it must return %s",
							   "%s: edges_query returns %d columns; it must return %s",
							   desc->natts, fname, desc->natts,
							   r->weighted ? "(a, b, weight)" : "(a, b) or (a, b, weight)"),
				 r->weighted ? errhint("min_weight needs a third column, the edge's weight.") : 0));
	r->types[0] = sybil_node_column_type(desc, 0, fname);
	r->types[1] = sybil_node_column_type(desc, 1, fname);
	if (desc->natts == 3)
	{
		r->types[2] = TupleDescAttr(desc, 2)->atttypid;
		if (!sybil_is_number_type(r->types[2]))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("%s: the weight column of edges_query must be numeric, not %s",
							fname, sybil_column_type_name(desc, 2))));
	}
}

static void
read_edge(void *arg, TupleTableSlot *slot)
{
	EdgeReader *r = arg;
	bool		a_null = slot->tts_isnull[0],
				b_null = slot->tts_isnull[1];
	int64		a,
				b;

	if (a_null && b_null)
		return;
	/* NaN and NULL weights compare false: the edge is skipped */
	if (r->weighted &&
		(slot->tts_isnull[2] || !(sybil_number_value(slot->tts_values[2], r->types[2]) >= r->min_weight)))
		return;
	a = a_null ? 0 : sybil_integer_value(slot->tts_values[0], r->types[0]);
	b = b_null ? 0 : sybil_integer_value(slot->tts_values[1], r->types[1]);
	components_add_edge(r->graph, a_null ? b : a, b_null ? a : b);
}

/*
 * The components of the edges that edges_query returns: (a, b [, weight]).
 * Options: min_weight (skip lighter edges), min_size (skip smaller
 * components in the output), seed (a previous result to extend).
 */
Datum
components_of_query(PG_FUNCTION_ARGS)
{
	EdgeReader	reader;
	QueryRowsCallbacks callbacks = {start_edges, read_edge, &reader};
	int64		min_size = PG_ARGISNULL(2) ? 1 : PG_GETARG_INT64(2);
	ComponentsExpanded *graph;

	memset(&reader, 0, sizeof(reader));
	reader.weighted = !PG_ARGISNULL(1);
	reader.min_weight = reader.weighted ? PG_GETARG_FLOAT8(1) : 0;
	if (reader.weighted && isnan(reader.min_weight))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: min_weight must not be NaN", fname)));
	graph = components_expanded_new(CurrentMemoryContext, sybil_graph_memory_limit(), fname);
	reader.graph = graph;
	if (!PG_ARGISNULL(3))
		components_merge_datum(graph, PG_GETARG_DATUM(3));
	if (!PG_ARGISNULL(0))
		sybil_query_rows(text_to_cstring(PG_GETARG_TEXT_PP(0)), fname, "edges_query", &callbacks);
	components_return_rows(fcinfo, components_finished_forest(EOHPGetRWDatum(&graph->hdr)),
						   min_size);
	DeleteExpandedObject(EOHPGetRWDatum(&graph->hdr));
	return (Datum) 0;
}
