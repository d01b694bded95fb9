/*
 * cadence.c: the sybil.cadence aggregate, statistics of the gaps between
 * events (see core/cadence.h).
 *
 * The gaps are those of the sorted times, so the state must hold every
 * timestamp of a group.  It is a timestamptz[]: a real type, so parallel
 * workers and Citus ship partial states as ordinary values.  Inside an
 * aggregate it is kept as an expanded object of our own (CadenceState): a
 * growing array of timestamps appended to in place, doubling when full, so a
 * group of n rows costs O(n) however big; its flat form, made only when
 * PostgreSQL needs bytes (a partial state leaving a worker), is an ordinary
 * one-dimensional timestamptz[].  No other code sees the expanded form:
 * nodeAgg flattens a partial state before it leaves the aggregate, and the
 * final function gets it read-only.
 *
 * All the states of one aggregate context share one memory context (see
 * agg_state_context.h): hash aggregation over a million accounts would
 * otherwise make a million contexts and slow down quadratically.  So a state
 * is never deleted on its own, and the transition and combine functions
 * always return the state they were given once it exists.  Called directly
 * (outside an aggregate) they return a new flat array.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/expandeddatum.h"
#include "utils/timestamp.h"

#include "agg_state_context.h"
#include "core/cadence.h"
#include "pg_env.h"

PG_FUNCTION_INFO_V1(cadence_add);
PG_FUNCTION_INFO_V1(cadence_merge);
PG_FUNCTION_INFO_V1(cadence_final);

/* The most timestamps one state holds: its flat form must fit in 1 GB. */
#define CADENCE_MAX_EVENTS \
	((int64) ((MaxAllocSize - ARR_OVERHEAD_NONULLS(1)) / sizeof(TimestampTz)))

/* The columns of sybil.cadence_stats. */
#define CADENCE_STATS_COLUMNS 9

typedef struct CadenceState
{
	ExpandedObjectHeader hdr;
	TimestampTz *times;
	int64		n;
	int64		capacity;
} CadenceState;

/* The timestamps of any timestamptz[] datum, read in place. */
typedef struct TimestampRun
{
	const TimestampTz *times;
	int64		n;
} TimestampRun;

static const char cadence_state_kind[] = "sybil.cadence states";

static Size
cadence_flat_size(ExpandedObjectHeader *eohptr)
{
	CadenceState *state = (CadenceState *) eohptr;

	return ARR_OVERHEAD_NONULLS(state->n > 0 ? 1 : 0) + state->n * sizeof(TimestampTz);
}

static void
cadence_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	CadenceState *state = (CadenceState *) eohptr;
	ArrayType  *flat = result;
	int			ndim = state->n > 0 ? 1 : 0;

	Assert(allocated_size == cadence_flat_size(eohptr));
	memset(flat, 0, ARR_OVERHEAD_NONULLS(ndim));
	SET_VARSIZE(flat, allocated_size);
	flat->ndim = ndim;
	flat->dataoffset = 0;
	flat->elemtype = TIMESTAMPTZOID;
	if (ndim == 0)
		return;
	ARR_DIMS(flat)[0] = (int) state->n;
	ARR_LBOUND(flat)[0] = 1;
	memcpy(ARR_DATA_PTR(flat), state->times, state->n * sizeof(TimestampTz));
}

static const ExpandedObjectMethods cadence_methods = {
	cadence_flat_size,
	cadence_flatten_into
};

/* The CadenceState behind d, or NULL when d is another array. */
static CadenceState *
cadence_state_of(Datum d)
{
	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(d);

		if (eoh->eoh_methods == &cadence_methods)
			return (CadenceState *) eoh;
	}
	return NULL;
}

static TimestampRun
timestamps_of(Datum d)
{
	CadenceState *state = cadence_state_of(d);
	TimestampRun run;
	ArrayType  *flat;

	if (state != NULL)
	{
		run.times = state->times;
		run.n = state->n;
		return run;
	}
	flat = DatumGetArrayTypeP(d);
	if (ARR_NDIM(flat) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("cadence states must be one-dimensional arrays")));
	if (array_contains_nulls(flat))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("cadence states must not contain NULLs")));
	run.times = (const TimestampTz *) ARR_DATA_PTR(flat);
	run.n = ArrayGetNItems(ARR_NDIM(flat), ARR_DIMS(flat));
	return run;
}

static CadenceState *
cadence_state_new(MemoryContext cxt)
{
	CadenceState *state = MemoryContextAllocZero(cxt, sizeof(CadenceState));

	EOH_init_header(&state->hdr, &cadence_methods, cxt);
	return state;
}

/* Room for more timestamps: the capacity doubles, so appends are O(1). */
static void
cadence_reserve(CadenceState *state, int64 more)
{
	int64		need = state->n + more;
	int64		capacity;

	if (need > CADENCE_MAX_EVENTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("sybil.cadence: a group may hold at most " INT64_FORMAT " timestamps",
						CADENCE_MAX_EVENTS)));
	if (need <= state->capacity)
		return;
	capacity = Min(Max(need, Max(2 * state->capacity, 8)), CADENCE_MAX_EVENTS);
	state->times = state->times == NULL
		? MemoryContextAlloc(state->hdr.eoh_context, capacity * sizeof(TimestampTz))
		: repalloc(state->times, capacity * sizeof(TimestampTz));
	state->capacity = capacity;
}

static void
cadence_append(CadenceState *state, TimestampRun run)
{
	if (run.n == 0)
		return;
	cadence_reserve(state, run.n);
	memcpy(state->times + state->n, run.times, run.n * sizeof(TimestampTz));
	state->n += run.n;
}

/*
 * The state to append to: argument 0 itself when it is our read-write state
 * inside an aggregate; else a new state holding argument 0's timestamps (in
 * the aggregate's shared context for the first row of a group or a partial
 * state, in the current context for a direct call).
 */
static CadenceState *
state_for_update(FunctionCallInfo fcinfo, bool *in_aggregate)
{
	MemoryContext aggcxt;
	MemoryContext cxt = CurrentMemoryContext;
	Datum		d = PG_GETARG_DATUM(0);
	CadenceState *state;

	*in_aggregate = AggCheckCallContext(fcinfo, &aggcxt) != 0;
	if (*in_aggregate)
	{
		bool		created;

		state = cadence_state_of(d);
		if (state != NULL && VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)))
			return state;
		(void) sybil_agg_state_context(aggcxt, cadence_state_kind, 0, &cxt, &created);
	}
	state = cadence_state_new(cxt);
	cadence_append(state, timestamps_of(d));
	return state;
}

/* The state as a result: itself in an aggregate, else a flat array. */
static Datum
state_result(CadenceState *state, bool in_aggregate)
{
	Size		size;
	void	   *flat;

	if (in_aggregate)
		return EOHPGetRWDatum(&state->hdr);
	size = EOH_get_flat_size(&state->hdr);
	flat = palloc(size);
	EOH_flatten_into(&state->hdr, flat, size);
	return PointerGetDatum(flat);
}

static void
reject_infinite(TimestampTz ts)
{
	if (TIMESTAMP_NOT_FINITE(ts))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("cannot measure the gap to an infinite timestamp")));
}

/* Append a timestamp to the state */
Datum
cadence_add(PG_FUNCTION_ARGS)
{
	TimestampTz ts = PG_GETARG_TIMESTAMPTZ(1);
	TimestampRun one = {&ts, 1};
	bool		in_aggregate;
	CadenceState *state;

	reject_infinite(ts);
	state = state_for_update(fcinfo, &in_aggregate);
	cadence_append(state, one);
	PG_RETURN_DATUM(state_result(state, in_aggregate));
}

/* Append the timestamps of another state (combine) */
Datum
cadence_merge(PG_FUNCTION_ARGS)
{
	bool		in_aggregate;
	CadenceState *state = state_for_update(fcinfo, &in_aggregate);

	cadence_append(state, timestamps_of(PG_GETARG_DATUM(1)));
	PG_RETURN_DATUM(state_result(state, in_aggregate));
}

static Datum
stats_datum(double value, bool *isnull)
{
	*isnull = isnan(value);
	return Float8GetDatum(*isnull ? 0 : value);
}

static Datum
stats_tuple(FunctionCallInfo fcinfo, const sy_cadence_stats *stats)
{
	TupleDesc	desc;
	Datum		values[CADENCE_STATS_COLUMNS];
	bool		nulls[CADENCE_STATS_COLUMNS];

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "sybil.cadence_final must return the composite sybil.cadence_stats");
	desc = BlessTupleDesc(desc);
	values[0] = Int64GetDatum((int64) stats->events);
	nulls[0] = false;
	values[1] = stats_datum(stats->mean_gap, &nulls[1]);
	values[2] = stats_datum(stats->sd_gap, &nulls[2]);
	values[3] = stats_datum(stats->cv, &nulls[3]);
	values[4] = stats_datum(stats->burstiness, &nulls[4]);
	values[5] = stats_datum(stats->memory, &nulls[5]);
	values[6] = stats_datum(stats->median_gap, &nulls[6]);
	values[7] = stats_datum(stats->min_gap, &nulls[7]);
	values[8] = stats_datum(stats->max_gap, &nulls[8]);
	return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
}

/* The gap statistics of the state's timestamps; NULL when it has none */
Datum
cadence_final(PG_FUNCTION_ARGS)
{
	TimestampRun run = timestamps_of(PG_GETARG_DATUM(0));
	sy_cadence_stats stats;
	int64	   *work;
	sy_env		env;
	int64		i;

	if (run.n == 0)
		PG_RETURN_NULL();
	/* the core sorts its input: work on a copy, the state stays as it is */
	work = palloc(run.n * sizeof(int64));
	for (i = 0; i < run.n; i++)
	{
		reject_infinite(run.times[i]);
		work[i] = run.times[i];
		if (i % SY_POLL_EVERY == SY_POLL_EVERY - 1)
			CHECK_FOR_INTERRUPTS();
	}
	sybil_env_init(&env, CurrentMemoryContext);
	sybil_check(sy_cadence_compute(work, (size_t) run.n, &env, &stats), "sybil.cadence");
	pfree(work);
	return stats_tuple(fcinfo, &stats);
}
