/*
 * activity_profile.c: counts of events by local hour of the day and of the
 * week, their profiles (shares of the total) and the cosine similarity of
 * profiles.
 *
 * The state of the count aggregates is a bigint[] of 24 or 168 counts: a
 * real type, so parallel workers and Citus ship partial states as ordinary
 * values.  Inside an aggregate, the transition and combine functions add to
 * the state in place, as PostgreSQL's float8_accum does: the array keeps its
 * size, so nodeAgg gets the same pointer back and never copies it.  Called
 * directly, they work on a copy and leave their input alone.  Anyone can
 * call them with any array, so they check the state's shape on every call
 * (a constant-time check).
 *
 * The local hour of a timestamp needs its zone's UTC offset at that instant.
 * Zones are resolved as timezone(zone, timestamptz) does (an abbreviation
 * first, then a zone name) and cached per call site in fn_extra, so a call
 * costs no name lookup.  A zone with one offset (UTC, '+05:30', EST) costs an
 * addition per row.  For a zone with transitions the cache learns, from
 * pg_next_dst_boundary, the periods during which one offset holds, and a row
 * costs a binary search among the periods seen so far (two a year).  Nothing
 * in the cache is needed for correctness: Citus calls the transition
 * function with a fresh FmgrInfo for every row, which only makes it slower.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/int.h"
#include "fmgr.h"
#include "parser/scansup.h"
#include "pgtime.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/float.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(activity_hourly_add);
PG_FUNCTION_INFO_V1(activity_hourly_add_zone);
PG_FUNCTION_INFO_V1(activity_weekly_add);
PG_FUNCTION_INFO_V1(activity_weekly_add_zone);
PG_FUNCTION_INFO_V1(activity_counts_merge);
PG_FUNCTION_INFO_V1(activity_counts_final);
PG_FUNCTION_INFO_V1(activity_profile);
PG_FUNCTION_INFO_V1(activity_cosine);

#define HOURS_PER_WEEK (7 * HOURS_PER_DAY)

/* 2000-01-01, day 0 of PostgreSQL's timestamps, was a Saturday: day 5 of an
 * ISO week counted from Monday = 0. */
#define EPOCH_DAY_OF_WEEK 5

/* Seconds from the Unix epoch (pg_time_t's) to PostgreSQL's. */
#define POSTGRES_EPOCH_UNIX_SECS \
	((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY)

/* Zones a call site remembers: a per-row zone column usually has few values. */
#define NAMED_CLOCKS 8

/* Offset periods a zone remembers before it starts afresh (500 years). */
#define MAX_PERIODS 1024

/* ------------------------------------------------------------------ zones */

/* One offset holds over [from, until): from is the earliest second seen. */
typedef struct OffsetPeriod
{
	pg_time_t	from;
	pg_time_t	until;			/* the next transition, or PG_INT64_MAX */
	int64		offset;			/* local time minus UTC, in microseconds */
} OffsetPeriod;

typedef enum ZoneKind
{
	ZONE_FIXED,					/* one offset forever: UTC, '+05:30', EST */
	ZONE_RULES,					/* a zone with transitions: America/New_York */
	ZONE_DYNAMIC_ABBREV			/* an abbreviation whose offset changed: VET */
} ZoneKind;

/* How to turn UTC into local time in one zone. */
typedef struct ZoneClock
{
	ZoneKind	kind;
	int64		fixed_offset;	/* ZONE_FIXED, in microseconds */
	pg_tz	   *tz;				/* ZONE_RULES, ZONE_DYNAMIC_ABBREV */
	char	   *abbrev;			/* ZONE_DYNAMIC_ABBREV */
	OffsetPeriod *periods;		/* ZONE_RULES: by until, ascending */
	int			nperiods;
	int			capacity;
} ZoneClock;

typedef struct NamedClock
{
	text	   *name;			/* as the caller spelt it */
	ZoneClock	clock;
} NamedClock;

/* What a call site remembers, in fn_extra. */
typedef struct ClockCache
{
	MemoryContext cxt;
	pg_tz	   *session_tz;		/* the TimeZone that session was made for */
	ZoneClock	session;
	NamedClock	named[NAMED_CLOCKS];
	int			nnamed;
	int			last_hit;
	int			next_evicted;
} ClockCache;

static inline int64
floor_div(int64 a, int64 b)
{
	int64		q = a / b;

	return (a % b < 0) ? q - 1 : q;
}

static void
clock_free(ZoneClock *clock)
{
	if (clock->abbrev != NULL)
		pfree(clock->abbrev);
	if (clock->periods != NULL)
		pfree(clock->periods);
	memset(clock, 0, sizeof(*clock));
}

static void
clock_init_tz(ZoneClock *clock, pg_tz *tz)
{
	long		gmtoff;

	if (pg_get_timezone_offset(tz, &gmtoff))
	{
		clock->kind = ZONE_FIXED;
		clock->fixed_offset = (int64) gmtoff * USECS_PER_SEC;
	}
	else
	{
		clock->kind = ZONE_RULES;
		clock->tz = tz;
	}
}

/*
 * The zone called name, looked up as PostgreSQL 15's timezone(text,
 * timestamptz) does: first as an abbreviation (so that 'EST' is the fixed
 * offset, not the zone file of that name), then as a zone name.
 */
static void
clock_init_name(ZoneClock *clock, text *name, MemoryContext cxt)
{
	char		tzname[TZ_STRLEN_MAX + 1];
	char	   *lowzone;
	int			type;
	int			gmtoff;
	pg_tz	   *tz;

	text_to_cstring_buffer(name, tzname, sizeof(tzname));
	lowzone = downcase_truncate_identifier(tzname, strlen(tzname), false);
	type = DecodeTimezoneAbbrev(0, lowzone, &gmtoff, &tz);
	pfree(lowzone);
	if (type == TZ || type == DTZ)
	{
		clock->kind = ZONE_FIXED;
		clock->fixed_offset = (int64) gmtoff * USECS_PER_SEC;
	}
	else if (type == DYNTZ)
	{
		clock->kind = ZONE_DYNAMIC_ABBREV;
		clock->tz = tz;
		clock->abbrev = MemoryContextStrdup(cxt, tzname);
	}
	else
	{
		tz = pg_tzset(tzname);
		if (tz == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("time zone \"%s\" not recognized", tzname)));
		clock_init_tz(clock, tz);
	}
}

/* Index of the first period ending after t (nperiods if none). */
static int
first_period_ending_after(const ZoneClock *clock, pg_time_t t)
{
	int			lo = 0;
	int			hi = clock->nperiods;

	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (clock->periods[mid].until > t)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static void
insert_period(ZoneClock *clock, int at, OffsetPeriod period, MemoryContext cxt)
{
	if (clock->nperiods == clock->capacity)
	{
		clock->capacity = Max(16, 2 * clock->capacity);
		clock->periods = clock->periods == NULL
			? MemoryContextAlloc(cxt, clock->capacity * sizeof(OffsetPeriod))
			: repalloc(clock->periods, clock->capacity * sizeof(OffsetPeriod));
	}
	memmove(&clock->periods[at + 1], &clock->periods[at],
			(clock->nperiods - at) * sizeof(OffsetPeriod));
	clock->periods[at] = period;
	clock->nperiods++;
}

/*
 * The offset at t, asked of the zone, and remembered.  at is the first
 * period ending after t: since no transition lies between t and the one the
 * zone names, a period ending there is the same period, now seen earlier.
 */
static int64
learn_offset(ZoneClock *clock, int at, pg_time_t t, MemoryContext cxt)
{
	long		before_gmtoff;
	long		after_gmtoff;
	int			before_isdst;
	int			after_isdst;
	pg_time_t	boundary;
	OffsetPeriod period;
	int			found = pg_next_dst_boundary(&t, &before_gmtoff, &before_isdst, &boundary,
											 &after_gmtoff, &after_isdst, clock->tz);

	if (found < 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	period.from = t;
	period.until = found ? boundary : PG_INT64_MAX;
	period.offset = (int64) before_gmtoff * USECS_PER_SEC;
	if (at < clock->nperiods && clock->periods[at].until == period.until)
		clock->periods[at].from = t;
	else
	{
		if (clock->nperiods == MAX_PERIODS)
		{
			clock->nperiods = 0;
			at = 0;
		}
		insert_period(clock, at, period, cxt);
	}
	return period.offset;
}

static int64
rules_offset(ZoneClock *clock, TimestampTz ts, MemoryContext cxt)
{
	pg_time_t	t = floor_div(ts, USECS_PER_SEC) + POSTGRES_EPOCH_UNIX_SECS;
	int			at = first_period_ending_after(clock, t);

	if (at < clock->nperiods && clock->periods[at].from <= t)
		return clock->periods[at].offset;
	return learn_offset(clock, at, t, cxt);
}

/* Local time minus UTC at ts (finite), in microseconds. */
static int64
clock_offset(ZoneClock *clock, TimestampTz ts, MemoryContext cxt)
{
	int			isdst;

	switch (clock->kind)
	{
		case ZONE_FIXED:
			return clock->fixed_offset;
		case ZONE_RULES:
			return rules_offset(clock, ts, cxt);
		case ZONE_DYNAMIC_ABBREV:
			/* returns the offset west of UTC, in seconds */
			return -(int64) DetermineTimeZoneAbbrevOffsetTS(ts, clock->abbrev, clock->tz, &isdst)
				* USECS_PER_SEC;
	}
	pg_unreachable();
}

static ClockCache *
clock_cache(FunctionCallInfo fcinfo)
{
	ClockCache *cache = fcinfo->flinfo->fn_extra;

	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ClockCache));
		cache->cxt = fcinfo->flinfo->fn_mcxt;
		fcinfo->flinfo->fn_extra = cache;
	}
	return cache;
}

/* The clock of the session's TimeZone, which a SET may have changed. */
static ZoneClock *
session_clock(ClockCache *cache)
{
	if (cache->session_tz != session_timezone)
	{
		clock_free(&cache->session);
		clock_init_tz(&cache->session, session_timezone);
		cache->session_tz = session_timezone;
	}
	return &cache->session;
}

static bool
same_text(const text *a, const text *b)
{
	return VARSIZE_ANY_EXHDR(a) == VARSIZE_ANY_EXHDR(b) &&
		memcmp(VARDATA_ANY(a), VARDATA_ANY(b), VARSIZE_ANY_EXHDR(a)) == 0;
}

/*
 * The clock of the zone called name: remembered, or made (before anything in
 * the cache changes, since an unknown name is an ERROR) in place of the
 * oldest one remembered.
 */
static ZoneClock *
named_clock(ClockCache *cache, text *name)
{
	NamedClock *slot;
	ZoneClock	clock = {0};
	int			i;

	if (cache->nnamed > 0 && same_text(cache->named[cache->last_hit].name, name))
		return &cache->named[cache->last_hit].clock;
	for (i = 0; i < cache->nnamed; i++)
		if (same_text(cache->named[i].name, name))
		{
			cache->last_hit = i;
			return &cache->named[i].clock;
		}
	clock_init_name(&clock, name, cache->cxt);
	if (cache->nnamed < NAMED_CLOCKS)
		i = cache->nnamed++;
	else
	{
		i = cache->next_evicted;
		cache->next_evicted = (i + 1) % NAMED_CLOCKS;
		clock_free(&cache->named[i].clock);
		pfree(cache->named[i].name);
	}
	slot = &cache->named[i];
	slot->clock = clock;
	slot->name = MemoryContextAlloc(cache->cxt, VARSIZE_ANY(name));
	memcpy(slot->name, name, VARSIZE_ANY(name));
	cache->last_hit = i;
	return &slot->clock;
}

/* ----------------------------------------------------------- count arrays */

/* The counts of a bigint[] that has one dimension (or none) and no NULL. */
static int64 *
counts_of(ArrayType *counts, int *n)
{
	if (ARR_NDIM(counts) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("counts arrays must be one-dimensional")));
	if (array_contains_nulls(counts))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("counts arrays must not contain NULLs")));
	*n = ArrayGetNItems(ARR_NDIM(counts), ARR_DIMS(counts));
	return (int64 *) ARR_DATA_PTR(counts);
}

/* Argument argno as an array to update: itself inside an aggregate. */
static ArrayType *
counts_for_update(FunctionCallInfo fcinfo, int argno)
{
	if (AggCheckCallContext(fcinfo, NULL))
		return PG_GETARG_ARRAYTYPE_P(argno);
	return PG_GETARG_ARRAYTYPE_P_COPY(argno);
}

static void
add_counts(int64 *sum, int64 add)
{
	if (pg_add_s64_overflow(*sum, add, sum))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("bigint out of range")));
}

/* The local hour of the day (0-23) or of the ISO week (Monday 0h = 0). */
static int
activity_bin(int64 local_usec, int nbins)
{
	int64		day = floor_div(local_usec, USECS_PER_DAY);
	int			hour = (int) ((local_usec - day * USECS_PER_DAY) / USECS_PER_HOUR);
	int			day_of_week = (int) ((day + EPOCH_DAY_OF_WEEK) % 7 + 7) % 7;

	return nbins == HOURS_PER_DAY ? hour : day_of_week * HOURS_PER_DAY + hour;
}

/* Count the timestamp of argument 1, in clock's zone, in a state of nbins. */
static Datum
count_timestamp(FunctionCallInfo fcinfo, ZoneClock *clock, MemoryContext cxt, int nbins)
{
	const char *period = nbins == HOURS_PER_DAY ? "day" : "week";
	TimestampTz ts = PG_GETARG_TIMESTAMPTZ(1);
	ArrayType  *state;
	int64	   *counts;
	int			n;

	if (TIMESTAMP_NOT_FINITE(ts))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("cannot place an infinite timestamp in an hour of the %s", period)));
	state = counts_for_update(fcinfo, 0);
	counts = counts_of(state, &n);
	if (n != nbins)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("counts by hour of the %s must have %d elements", period, nbins),
				 errdetail("The array has %d.", n)));
	add_counts(&counts[activity_bin(ts + clock_offset(clock, ts, cxt), nbins)], 1);
	PG_RETURN_ARRAYTYPE_P(state);
}

static Datum
count_in_session_zone(FunctionCallInfo fcinfo, int nbins)
{
	ClockCache *cache = clock_cache(fcinfo);

	return count_timestamp(fcinfo, session_clock(cache), cache->cxt, nbins);
}

static Datum
count_in_named_zone(FunctionCallInfo fcinfo, int nbins)
{
	ClockCache *cache = clock_cache(fcinfo);

	return count_timestamp(fcinfo, named_clock(cache, PG_GETARG_TEXT_PP(2)), cache->cxt, nbins);
}

/* Count a timestamp by local hour of the day in the session's TimeZone */
Datum
activity_hourly_add(PG_FUNCTION_ARGS)
{
	return count_in_session_zone(fcinfo, HOURS_PER_DAY);
}

/* Count a timestamp by local hour of the day in a named zone */
Datum
activity_hourly_add_zone(PG_FUNCTION_ARGS)
{
	return count_in_named_zone(fcinfo, HOURS_PER_DAY);
}

/* Count a timestamp by local hour of the week in the session's TimeZone */
Datum
activity_weekly_add(PG_FUNCTION_ARGS)
{
	return count_in_session_zone(fcinfo, HOURS_PER_WEEK);
}

/* Count a timestamp by local hour of the week in a named zone */
Datum
activity_weekly_add_zone(PG_FUNCTION_ARGS)
{
	return count_in_named_zone(fcinfo, HOURS_PER_WEEK);
}

/*
 * Element-wise sum of two counts arrays of one length; NULL arguments are
 * skipped.  Not strict, so that counts_sum starts from its first array
 * (whatever its length) instead of an initial value.
 */
Datum
activity_counts_merge(PG_FUNCTION_ARGS)
{
	ArrayType  *sum;
	int64	   *sums;
	int64	   *adds;
	int			n;
	int			m;
	int			i;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	adds = counts_of(PG_GETARG_ARRAYTYPE_P(1), &m);
	if (PG_ARGISNULL(0))
		PG_RETURN_ARRAYTYPE_P(PG_GETARG_ARRAYTYPE_P(1));
	sum = counts_for_update(fcinfo, 0);
	sums = counts_of(sum, &n);
	if (n != m)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("cannot add counts arrays of different lengths"),
				 errdetail("The lengths are %d and %d.", n, m)));
	for (i = 0; i < n; i++)
		add_counts(&sums[i], adds[i]);
	PG_RETURN_ARRAYTYPE_P(sum);
}

/* The counts, or NULL when all are 0 (an aggregate over no rows) */
Datum
activity_counts_final(PG_FUNCTION_ARGS)
{
	ArrayType  *counts = PG_GETARG_ARRAYTYPE_P(0);
	int64	   *c;
	int			n;
	int			i;

	c = counts_of(counts, &n);
	for (i = 0; i < n; i++)
		if (c[i] != 0)
			PG_RETURN_ARRAYTYPE_P(counts);
	PG_RETURN_NULL();
}

/* Each count's share of the total, as float8[]; NULL when the total is 0 */
Datum
activity_profile(PG_FUNCTION_ARGS)
{
	ArrayType  *counts = PG_GETARG_ARRAYTYPE_P(0);
	int64		total = 0;
	Datum	   *shares;
	int64	   *c;
	int			n;
	int			i;

	c = counts_of(counts, &n);
	for (i = 0; i < n; i++)
	{
		if (c[i] < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("counts must not be negative"),
					 errdetail("Element %d is " INT64_FORMAT ".", i + 1, c[i])));
		add_counts(&total, c[i]);
	}
	if (total == 0)
		PG_RETURN_NULL();
	shares = palloc(n * sizeof(Datum));
	for (i = 0; i < n; i++)
		shares[i] = Float8GetDatum((double) c[i] / (double) total);
	PG_RETURN_ARRAYTYPE_P(construct_md_array(shares, NULL, 1, &n, ARR_LBOUND(counts),
											 FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL,
											 TYPALIGN_DOUBLE));
}

/* ----------------------------------------------------------------- cosine */

/* The elements of cosine's argument argno (1 or 2): one dimension (or none),
 * no NULL, all finite. */
static const float8 *
cosine_vector(ArrayType *a, int argno, int *n)
{
	const float8 *x;
	int			i;

	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("cosine arguments must be one-dimensional arrays")));
	if (array_contains_nulls(a))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("cosine arguments must not contain NULLs")));
	*n = ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a));
	x = (const float8 *) ARR_DATA_PTR(a);
	for (i = 0; i < *n; i++)
		if (!isfinite(x[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cosine arguments must be finite"),
					 errdetail("Element %d of argument %d is %s.", i + 1, argno,
							   float8out_internal(x[i]))));
	return x;
}

/* The exponent e of the largest |x[i]|: 2^(e-1) <= |x| < 2^e; false if all are 0. */
static bool
largest_exponent(const float8 *x, int n, int *e)
{
	double		largest = 0;
	int			i;

	for (i = 0; i < n; i++)
		largest = Max(largest, fabs(x[i]));
	(void) frexp(largest, e);
	return largest > 0;
}

/*
 * Cosine of the angle between x and y; NAN when either is all zeros.  Both
 * are first scaled by a power of two (exactly) to a largest element in
 * [0.5, 1), so that no square overflows or underflows whatever the
 * magnitudes.  sqrt(fl(s * s)) = s, so a vector against itself gives exactly 1.
 */
static double
cosine_of(const float8 *x, const float8 *y, int n)
{
	double		dot = 0;
	double		xx = 0;
	double		yy = 0;
	double		r;
	int			ex;
	int			ey;
	int			i;

	if (!largest_exponent(x, n, &ex) || !largest_exponent(y, n, &ey))
		return NAN;
	for (i = 0; i < n; i++)
	{
		double		a = ldexp(x[i], -ex);
		double		b = ldexp(y[i], -ey);

		dot += a * b;
		xx += a * a;
		yy += b * b;
	}
	r = dot / sqrt(xx * yy);
	return r > 1 ? 1 : r < -1 ? -1 : r;	/* rounding can step an ulp outside */
}

/* Cosine similarity of two float8 arrays; NULL when either is all zeros */
Datum
activity_cosine(PG_FUNCTION_ARGS)
{
	int			n;
	int			m;
	const float8 *x = cosine_vector(PG_GETARG_ARRAYTYPE_P(0), 1, &n);
	const float8 *y = cosine_vector(PG_GETARG_ARRAYTYPE_P(1), 2, &m);
	double		r;

	if (n != m)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("cannot compute the cosine of arrays of different lengths"),
				 errdetail("The lengths are %d and %d.", n, m)));
	r = cosine_of(x, y, n);
	if (isnan(r))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(r);
}
