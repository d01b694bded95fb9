/*
 * test_cadence.c: unit tests of src/core/cadence.c (gap statistics of event
 * times).
 *
 * Hand-computed cases pin the definitions (population sd, Goh-Barabasi
 * burstiness and memory, the median of an even count, what is undefined);
 * random times of many shapes (spread, clustered with ties, sharing their
 * high bytes, negative, at the ends of int64) are checked against a naive
 * reference computed here with qsort and long double sums, and against
 * themselves shuffled, bit for bit.  Emits TAP.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadence.h"
#include "helpers.h"

#define SEC 1000000				/* microseconds */

static void
bail(const char *what)
{
	printf("Bail out! %s\n", what);
	exit(255);
}

static int64_t *
xmalloc_times(size_t n)
{
	int64_t    *p = malloc((n ? n : 1) * sizeof(int64_t));

	if (p == NULL)
		bail("out of memory");
	return p;
}

/* The statistics of times[0..n), computed on a copy (the core scribbles). */
static sy_cadence_stats
stats_of(const int64_t *times, size_t n)
{
	int64_t    *work = xmalloc_times(n);
	sy_cadence_stats s;
	sy_status	st;

	if (n > 0)
		memcpy(work, times, n * sizeof(int64_t));
	st = sy_cadence_compute(work, n, &sy_env_malloc, &s);
	if (st != SY_OK)
		bail(status_name(st));
	free(work);
	return s;
}

static void
shuffle(int64_t *t, size_t n)
{
	size_t		i;

	for (i = n; i > 1; i--)
	{
		size_t		j = (size_t) (rng_next() % i);
		int64_t		x = t[i - 1];

		t[i - 1] = t[j];
		t[j] = x;
	}
}

/* -------------------------------------------------------------- reference */

static int
cmp_int64(const void *a, const void *b)
{
	int64_t		x = *(const int64_t *) a;
	int64_t		y = *(const int64_t *) b;

	return (x > y) - (x < y);
}

static int
cmp_ld(const void *a, const void *b)
{
	long double x = *(const long double *) a;
	long double y = *(const long double *) b;

	return (x > y) - (x < y);
}

/* Straight from the definitions, in long double (exact for 64-bit gaps). */
static sy_cadence_stats
reference(const int64_t *times, size_t n)
{
	sy_cadence_stats r;
	int64_t    *t = xmalloc_times(n);
	long double *g = malloc((n ? n : 1) * sizeof(long double));
	long double mean = 0,
				var = 0,
				ma = 0,
				mb = 0,
				saa = 0,
				sbb = 0,
				sab = 0;
	size_t		m = n ? n - 1 : 0,
				i;

	r.events = n;
	r.mean_gap = r.sd_gap = r.cv = r.burstiness = r.memory = NAN;
	r.median_gap = r.min_gap = r.max_gap = NAN;
	if (g == NULL)
		bail("out of memory");
	memcpy(t, times, n * sizeof(int64_t));
	qsort(t, n, sizeof(int64_t), cmp_int64);
	for (i = 0; i < m; i++)
		g[i] = (long double) ((uint64_t) t[i + 1] - (uint64_t) t[i]);
	if (m >= 1)
	{
		for (i = 0; i < m; i++)
			mean += g[i];
		mean /= m;
		for (i = 0; i < m; i++)
			var += (g[i] - mean) * (g[i] - mean);
		var /= m;
		r.mean_gap = (double) (mean / SEC);
		r.sd_gap = (double) (sqrtl(var) / SEC);
		if (mean > 0)
		{
			r.cv = (double) (sqrtl(var) / mean);
			r.burstiness = (double) ((sqrtl(var) - mean) / (sqrtl(var) + mean));
		}
	}
	if (m >= 2)
	{
		for (i = 0; i + 1 < m; i++)
		{
			ma += g[i];
			mb += g[i + 1];
		}
		ma /= m - 1;
		mb /= m - 1;
		for (i = 0; i + 1 < m; i++)
		{
			saa += (g[i] - ma) * (g[i] - ma);
			sbb += (g[i + 1] - mb) * (g[i + 1] - mb);
			sab += (g[i] - ma) * (g[i + 1] - mb);
		}
		if (saa > 0 && sbb > 0)
			r.memory = (double) (sab / sqrtl(saa * sbb));
	}
	if (m >= 1)
	{
		qsort(g, m, sizeof(long double), cmp_ld);
		r.median_gap = (double) ((m % 2 ? g[m / 2] : (g[m / 2 - 1] + g[m / 2]) / 2) / SEC);
		r.min_gap = (double) (g[0] / SEC);
		r.max_gap = (double) (g[m - 1] / SEC);
	}
	free(t);
	free(g);
	return r;
}

/* got and want agree to tol relative (abs_tol near 0); NAN matches NAN. */
static int
close_to(double got, double want, double tol, double abs_tol)
{
	if (isnan(want) || isnan(got))
		return isnan(want) && isnan(got);
	return fabs(got - want) <= tol * fabs(want) + abs_tol;
}

static int
stats_close(sy_cadence_stats a, sy_cadence_stats b, double tol)
{
	return a.events == b.events &&
		close_to(a.mean_gap, b.mean_gap, tol, 0) &&
		close_to(a.sd_gap, b.sd_gap, tol, 1e-12 * fabs(b.mean_gap)) &&
		close_to(a.cv, b.cv, tol, 1e-12) &&
		close_to(a.burstiness, b.burstiness, tol, 1e-12) &&
		close_to(a.memory, b.memory, tol, 1e-12) &&
		close_to(a.median_gap, b.median_gap, tol, 0) &&
		close_to(a.min_gap, b.min_gap, tol, 0) &&
		close_to(a.max_gap, b.max_gap, tol, 0);
}

static int
stats_identical(sy_cadence_stats a, sy_cadence_stats b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

static void
diag_stats(const char *what, sy_cadence_stats s)
{
	diag("%s: events %llu mean %.17g sd %.17g cv %.17g B %.17g M %.17g median %.17g min %.17g max %.17g",
		 what, (unsigned long long) s.events, s.mean_gap, s.sd_gap, s.cv, s.burstiness,
		 s.memory, s.median_gap, s.min_gap, s.max_gap);
}

/* ------------------------------------------------------- hand-made cases */

static void
test_too_few(void)
{
	int64_t		one = 42;
	track_ctx	tc = {0, 0, 0};
	sy_env		env = {track_alloc, track_realloc, track_free, track_poll, &tc};
	sy_cadence_stats s;

	is_status(sy_cadence_compute(NULL, 0, &env, &s), SY_OK, "no events: OK");
	ok(s.events == 0 && isnan(s.mean_gap) && isnan(s.sd_gap) && isnan(s.median_gap) &&
	   isnan(s.min_gap) && isnan(s.max_gap) && isnan(s.cv) && isnan(s.burstiness) &&
	   isnan(s.memory), "no events: every gap statistic is undefined");
	is_status(sy_cadence_compute(&one, 1, &env, &s), SY_OK, "one event: OK");
	ok(s.events == 1 && isnan(s.mean_gap) && isnan(s.sd_gap) && isnan(s.median_gap) &&
	   isnan(s.memory), "one event: every gap statistic is undefined");
	is_int((long long) tc.peak, 0, "fewer than 2 events allocate nothing");
}

static void
test_two_events(void)
{
	int64_t		t[2] = {90 * (int64_t) SEC, 30 * (int64_t) SEC};
	sy_cadence_stats s = stats_of(t, 2);

	is_int((long long) s.events, 2, "two events");
	is_double(s.mean_gap, 60, 0, "two events: mean gap 60 s (order of the input irrelevant)");
	is_double(s.sd_gap, 0, 0, "two events: sd 0");
	is_double(s.cv, 0, 0, "two events: cv 0");
	is_double(s.burstiness, -1, 0, "two events: burstiness -1");
	ok(isnan(s.memory), "two events: memory undefined");
	ok(s.median_gap == 60 && s.min_gap == 60 && s.max_gap == 60, "two events: median = min = max = 60");
}

static void
test_metronome(void)
{
	enum
	{
		N = 1000
	};
	int64_t		t[N];
	sy_cadence_stats s;
	int			i;

	for (i = 0; i < N; i++)
		t[i] = -3600 * (int64_t) SEC + (int64_t) i * 60 * SEC;
	shuffle(t, N);
	s = stats_of(t, N);
	is_double(s.mean_gap, 60, 0, "metronome (every 60 s, shuffled): mean exactly 60");
	is_double(s.sd_gap, 0, 0, "metronome: sd exactly 0");
	is_double(s.cv, 0, 0, "metronome: cv exactly 0");
	is_double(s.burstiness, -1, 0, "metronome: burstiness exactly -1");
	ok(isnan(s.memory), "metronome: memory undefined (constant gaps)");
	ok(s.median_gap == 60 && s.min_gap == 60 && s.max_gap == 60, "metronome: median = min = max = 60");
}

static void
test_ties(void)
{
	int64_t		same[5] = {7, 7, 7, 7, 7};
	int64_t		pairs[6] = {10 * SEC, 0, 10 * SEC, 0, 20 * SEC, 20 * SEC};
	sy_cadence_stats s = stats_of(same, 5);

	ok(s.events == 5 && s.mean_gap == 0 && s.sd_gap == 0 && s.median_gap == 0 &&
	   s.min_gap == 0 && s.max_gap == 0, "equal times: zero gaps");
	ok(isnan(s.cv) && isnan(s.burstiness) && isnan(s.memory),
	   "equal times: cv, burstiness and memory undefined (mean 0)");

	/* sorted 0 0 10 10 20 20: gaps 0 10 0 10 0 */
	s = stats_of(pairs, 6);
	is_double(s.mean_gap, 4, 0, "pairs of equal times: mean (20 - 0) / 5 = 4");
	is_double(s.sd_gap, sqrt(24.0), 1e-15, "pairs of equal times: sd sqrt(24)");
	is_double(s.median_gap, 0, 0, "pairs of equal times: median 0");
	is_double(s.memory, -1, 1e-15, "pairs of equal times: alternating gaps, memory -1");
}

static void
test_hand_computed(void)
{
	/* gaps 1 2 3 4 s */
	int64_t		rising[5] = {6 * SEC, 0, 10 * SEC, 1 * SEC, 3 * SEC};
	/* gaps 1 3 1 3 1 s */
	int64_t		alternating[6] = {0, 1 * SEC, 4 * SEC, 5 * SEC, 8 * SEC, 9 * SEC};
	/* gaps 1 2 s: one pair, each run constant */
	int64_t		three[3] = {0, 1 * SEC, 3 * SEC};
	sy_cadence_stats s = stats_of(rising, 5);
	double		sd = sqrt(1.25);

	is_double(s.mean_gap, 2.5, 0, "gaps 1 2 3 4: mean 2.5");
	is_double(s.sd_gap, sd, 1e-15, "gaps 1 2 3 4: population sd sqrt(1.25)");
	is_double(s.cv, sd / 2.5, 1e-15, "gaps 1 2 3 4: cv = sd / mean");
	is_double(s.burstiness, (sd - 2.5) / (sd + 2.5), 1e-15, "gaps 1 2 3 4: B = (sd - mean) / (sd + mean)");
	is_double(s.memory, 1, 1e-15, "gaps 1 2 3 4: memory 1 (each gap predicts the next)");
	is_double(s.median_gap, 2.5, 0, "gaps 1 2 3 4: median of an even count is the midpoint");
	ok(s.min_gap == 1 && s.max_gap == 4, "gaps 1 2 3 4: min 1, max 4");

	s = stats_of(alternating, 6);
	is_double(s.mean_gap, 1.8, 1e-15, "gaps 1 3 1 3 1: mean 9 / 5");
	is_double(s.memory, -1, 1e-15, "gaps 1 3 1 3 1: memory -1");
	is_double(s.median_gap, 1, 0, "gaps 1 3 1 3 1: median 1");

	s = stats_of(three, 3);
	ok(isnan(s.memory), "3 events: memory undefined (one pair of gaps)");
	is_double(s.burstiness, (0.5 - 1.5) / (0.5 + 1.5), 1e-15, "3 events: burstiness defined");
}

static void
test_extremes(void)
{
	int64_t		ends[2] = {INT64_MAX, INT64_MIN};
	int64_t		three[3] = {INT64_MIN, 0, INT64_MAX};
	int64_t		micro[4] = {-1, 1, 0, 2};
	sy_cadence_stats s = stats_of(ends, 2);

	is_double(s.max_gap, 18446744073709551615.0 / SEC, 0,
			  "INT64_MIN to INT64_MAX: the gap 2^64 - 1 us is not overflowed");
	is_double(s.mean_gap, 18446744073709551615.0 / SEC, 0, "INT64_MIN to INT64_MAX: mean");
	s = stats_of(three, 3);
	ok(s.min_gap == 9223372036854775807.0 / SEC && s.max_gap == 9223372036854775808.0 / SEC,
	   "INT64_MIN, 0, INT64_MAX: gaps 2^63 and 2^63 - 1 us");
	s = stats_of(micro, 4);
	ok(s.mean_gap == 1e-6 && s.sd_gap == 0 && s.median_gap == 1e-6,
	   "microsecond gaps across 0: mean 1e-6 s, sd 0");
}

/* ----------------------------------------------------------- random times */

typedef enum
{
	SHAPE_SPREAD,				/* uniform over 10 years */
	SHAPE_TIES,					/* a few distinct seconds, many repeats */
	SHAPE_POISSON,				/* exponential gaps */
	SHAPE_BURSTS,				/* bursts of close events, long pauses */
	SHAPE_FULL_RANGE,			/* anywhere in int64 */
	SHAPE_NEGATIVE,				/* before the epoch, low bytes only */
	SHAPE_COUNT
} shape;

static const char *const shape_names[] = {
	"spread", "ties", "poisson", "bursts", "full int64 range", "negative"
};

static double
uniform01(void)
{
	return ((double) (rng_next() >> 11) + 0.5) / 9007199254740992.0;
}

static void
draw(int64_t *t, size_t n, shape sh)
{
	int64_t		now = 1700000000 * (int64_t) SEC;
	size_t		i;

	for (i = 0; i < n; i++)
	{
		switch (sh)
		{
			case SHAPE_SPREAD:
				t[i] = now + (int64_t) (rng_next() % (uint64_t) (3650 * 86400 * (int64_t) SEC));
				break;
			case SHAPE_TIES:
				t[i] = now + (int64_t) rng_below(7) * SEC;
				break;
			case SHAPE_POISSON:
				now += (int64_t) (-log(uniform01()) * 300 * SEC);
				t[i] = now;
				break;
			case SHAPE_BURSTS:
				now += rng_below(20) == 0 ? (int64_t) (uniform01() * 86400 * SEC)
					: (int64_t) rng_below(5 * SEC);
				t[i] = now;
				break;
			case SHAPE_FULL_RANGE:
				t[i] = (int64_t) rng_next();
				break;
			case SHAPE_NEGATIVE:
				t[i] = -(int64_t) rng_below(100000);
				break;
			default:
				bail("unknown shape");
		}
	}
	shuffle(t, n);
}

static void
test_random(void)
{
	static const size_t sizes[] = {2, 3, 4, 5, 10, 100, 257, 1000, 4096, 20000};
	int			sh;
	size_t		k;

	for (sh = 0; sh < SHAPE_COUNT; sh++)
	{
		int			bad_ref = 0,
					bad_order = 0,
					trials = 0;

		for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++)
		{
			int			rep;

			for (rep = 0; rep < 5; rep++)
			{
				size_t		n = sizes[k];
				int64_t    *t = xmalloc_times(n);
				sy_cadence_stats got,
							want,
							again;

				draw(t, n, (shape) sh);
				got = stats_of(t, n);
				want = reference(t, n);
				shuffle(t, n);
				again = stats_of(t, n);
				trials++;
				if (!stats_close(got, want, 1e-12) && bad_ref++ == 0)
				{
					diag_stats("got", got);
					diag_stats("want", want);
				}
				if (!stats_identical(got, again))
					bad_order++;
				free(t);
			}
		}
		ok(bad_ref == 0, "%s: %d random sets agree with the long double reference", shape_names[sh], trials);
		ok(bad_order == 0, "%s: a shuffled set gives the same statistics, bit for bit", shape_names[sh]);
	}
}

/* ---------------------------------------------- memory, polls and failures */

static void
test_large_and_polls(void)
{
	size_t		n = 1000000;
	int64_t    *t = xmalloc_times(n);
	int64_t    *copy = xmalloc_times(n);
	track_ctx	tc = {0, 0, 0};
	sy_env		env = {track_alloc, track_realloc, track_free, track_poll, &tc};
	sy_cadence_stats got,
				want;

	draw(t, n, SHAPE_POISSON);
	memcpy(copy, t, n * sizeof(int64_t));
	is_status(sy_cadence_compute(copy, n, &env, &got), SY_OK, "a million events: OK");
	want = reference(t, n);
	ok(stats_close(got, want, 1e-12), "a million events agree with the reference");
	is_int((long long) tc.live, 0, "everything allocated is freed");
	is_int((long long) tc.peak, (long long) (n * sizeof(int64_t)), "the working space is 8 bytes an event");
	ok(tc.polls >= (long) (n / SY_POLL_EVERY), "polled %ld times (at least once every %d steps)",
	   tc.polls, SY_POLL_EVERY);
	free(t);
	free(copy);
}

static void
test_enomem(void)
{
	int64_t		t[4] = {3, 1, 2, 0};
	fail_ctx	fc;
	sy_env		env = fail_env(&fc, 0);
	sy_cadence_stats s;

	is_status(sy_cadence_compute(t, 4, &env, &s), SY_ENOMEM, "an allocator failure is SY_ENOMEM");
	is_int(fc.live, 0, "nothing is left allocated after SY_ENOMEM");
}

int
main(void)
{
	rng_seed(20240604);
	test_too_few();
	test_two_events();
	test_metronome();
	test_ties();
	test_hand_computed();
	test_extremes();
	test_random();
	test_large_and_polls();
	test_enomem();
	return done_testing();
}
