/*
 * histogram_agg.c: transition, combine and final functions of the histogram
 * aggregates.
 *
 * The state is a sybil.histogram (a real type, so Citus can ship partial
 * states as text) held as an expanded object: a tally of labels interned in
 * a dictionary shared by all groups (see histogram_datum.h, core/tally.h).
 * PostgreSQL keeps a read-write expanded state without copying it when the
 * transition function returns it, so each row updates the hash map in place.  Nothing is cached in fn_extra: Citus calls the
 * transition function with a fresh FmgrInfo for every row.
 */
#include "postgres.h"

#include <math.h>

#include "utils/float.h"

#include "core/distribution.h"
#include "histogram_datum.h"

PG_FUNCTION_INFO_V1(histogram_add);
PG_FUNCTION_INFO_V1(histogram_add_weighted);
PG_FUNCTION_INFO_V1(histogram_merge);
PG_FUNCTION_INFO_V1(histogram_entropy_final);

static void
merge_into(HistogramExpanded *state, sy_hist_view v)
{
	HistogramArena *arena = state->arena;

	sybil_check(sy_tally_merge(&state->tally, &arena->env, &arena->dict, v),
				"sybil.histogram_agg");
}

/*
 * The state to update in place: argument 0 itself when it is our read-write
 * expanded object inside an aggregate (plain or window: both adopt a
 * read-write state whose context is a child of their aggregate context),
 * else a new expanded copy of it, so that a direct call never modifies its
 * input.
 */
static HistogramExpanded *
state_for_update(FunctionCallInfo fcinfo)
{
	MemoryContext aggcxt;
	int			kind = AggCheckCallContext(fcinfo, &aggcxt);
	bool		in_place = (kind != 0);
	HistogramExpanded *state;

	if (!PG_ARGISNULL(0))
	{
		Datum		d = PG_GETARG_DATUM(0);

		state = histogram_expanded_of(d);
		if (in_place && state != NULL && VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)))
			return state;
	}
	state = in_place ? histogram_expanded_new_state(aggcxt)
		: histogram_expanded_new(CurrentMemoryContext);
	if (!PG_ARGISNULL(0))
		merge_into(state, histogram_view(PG_GETARG_DATUM(0)));
	return state;
}

static Datum
unchanged_state(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(PG_GETARG_DATUM(0));
}

static Datum
add_label(FunctionCallInfo fcinfo, double weight)
{
	text	   *label = PG_GETARG_TEXT_PP(1);
	HistogramExpanded *state = state_for_update(fcinfo);
	HistogramArena *arena = state->arena;

	sybil_check(sy_tally_add(&state->tally, &arena->env, &arena->dict, VARDATA_ANY(label),
							 VARSIZE_ANY_EXHDR(label), weight),
				"sybil.histogram_agg");
	PG_RETURN_DATUM(EOHPGetRWDatum(&state->hdr));
}

/* Count one occurrence of a label; NULL labels are skipped */
Datum
histogram_add(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(1))
		return unchanged_state(fcinfo);
	return add_label(fcinfo, 1.0);
}

/* Add a weight to a label's count; NULL labels or weights are skipped */
Datum
histogram_add_weighted(PG_FUNCTION_ARGS)
{
	float8		weight;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return unchanged_state(fcinfo);
	weight = PG_GETARG_FLOAT8(2);
	if (!isfinite(weight) || weight < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("histogram weight must be finite and non-negative"),
				 errdetail("The weight was %s.", float8out_internal(weight))));
	return add_label(fcinfo, weight);
}

/* Add every count of the second histogram to the first (union, combine) */
Datum
histogram_merge(PG_FUNCTION_ARGS)
{
	HistogramExpanded *state;

	if (PG_ARGISNULL(1))
		return unchanged_state(fcinfo);
	state = state_for_update(fcinfo);
	merge_into(state, histogram_view(PG_GETARG_DATUM(1)));
	PG_RETURN_DATUM(EOHPGetRWDatum(&state->hdr));
}

/* Shannon entropy in bits of the aggregated labels */
Datum
histogram_entropy_final(PG_FUNCTION_ARGS)
{
	double		h;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	h = sy_entropy(histogram_sorted_view(PG_GETARG_DATUM(0)));
	if (isnan(h))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(h);
}
