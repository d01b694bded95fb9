/*
 * components_agg.c: transition and combine functions of the components
 * aggregates.
 *
 * The state is a sybil.component_set (a real type, so Citus can ship
 * partial states as text) held as an expanded union-find forest updated in
 * place, as the histogram aggregates do (histogram_agg.c); combining merges
 * forests.  Nothing is cached in fn_extra.
 */
#include "postgres.h"

#include "components_datum.h"

PG_FUNCTION_INFO_V1(components_add_edge_sfunc);
PG_FUNCTION_INFO_V1(components_merge_sfunc);

/*
 * The state to update in place: argument 0 itself when it is our
 * read-write expanded value inside an aggregate, else a new expanded copy
 * of it, so that a direct call never modifies its input.
 */
static ComponentsExpanded *
state_for_update(FunctionCallInfo fcinfo)
{
	MemoryContext aggcxt;
	bool		in_place = AggCheckCallContext(fcinfo, &aggcxt) != 0;
	ComponentsExpanded *state;

	if (!PG_ARGISNULL(0))
	{
		Datum		d = PG_GETARG_DATUM(0);

		state = components_expanded_of(d);
		if (in_place && state != NULL && VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)))
			return state;
	}
	state = in_place ? components_expanded_new_state(aggcxt)
		: components_expanded_new(CurrentMemoryContext, sybil_graph_memory_limit(),
								  "sybil.components_agg");
	if (!PG_ARGISNULL(0))
		components_merge_datum(state, PG_GETARG_DATUM(0));
	return state;
}

/*
 * Add the edge a-b; a row with one NULL end adds the other node alone, a
 * row with two is skipped
 */
Datum
components_add_edge_sfunc(PG_FUNCTION_ARGS)
{
	ComponentsExpanded *state;
	int64		a,
				b;

	if (PG_ARGISNULL(1) && PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	a = PG_ARGISNULL(1) ? PG_GETARG_INT64(2) : PG_GETARG_INT64(1);
	b = PG_ARGISNULL(2) ? a : PG_GETARG_INT64(2);
	state = state_for_update(fcinfo);
	components_add_edge(state, a, b);
	PG_RETURN_DATUM(EOHPGetRWDatum(&state->hdr));
}

/* Join the partition of the second argument to the first (union, combine) */
Datum
components_merge_sfunc(PG_FUNCTION_ARGS)
{
	ComponentsExpanded *state;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	state = state_for_update(fcinfo);
	components_merge_datum(state, PG_GETARG_DATUM(1));
	PG_RETURN_DATUM(EOHPGetRWDatum(&state->hdr));
}
