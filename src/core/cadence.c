/* cadence.c: gap statistics of event times (see cadence.h). */
#include <math.h>
#include <string.h>

#include "cadence.h"

#define USECS_PER_SEC 1e6

/* Flipping the sign bit maps int64 order onto uint64 order. */
#define SIGN_BIT ((uint64_t) 1 << 63)

/*
 * Neumaier's compensated sum: the error stays near one rounding whatever the
 * number of terms, where a plain loop over millions of gaps loses up to one
 * rounding per term.
 */
typedef struct sum_acc
{
	double		sum;
	double		carry;
} sum_acc;

static void
sum_add(sum_acc *a, double x)
{
	double		t = a->sum + x;

	if (fabs(a->sum) >= fabs(x))
		a->carry += (a->sum - t) + x;
	else
		a->carry += (x - t) + a->sum;
	a->sum = t;
}

static double
sum_value(const sum_acc *a)
{
	return a->sum + a->carry;
}

/*
 * LSD radix sort of keys[0..n) (n >= 1), a byte a pass, through
 * scratch[0..n).  Linear on every input, so hostile times cannot make it
 * slow; a byte that every key shares (the high bytes of times within a few
 * years of each other) costs no pass.
 */
static void
radix_sort(uint64_t *keys, uint64_t *scratch, size_t n, const sy_env *env)
{
	size_t		counts[8][256];
	uint64_t   *src = keys;
	uint64_t   *dst = scratch;
	size_t		i;
	int			byte;

	memset(counts, 0, sizeof(counts));
	for (i = 0; i < n; i++)
	{
		for (byte = 0; byte < 8; byte++)
			counts[byte][(keys[i] >> (8 * byte)) & 0xff]++;
		sy_poll(env, i);
	}
	for (byte = 0; byte < 8; byte++)
	{
		size_t	   *next = counts[byte];
		int			shift = 8 * byte;
		size_t		offset = 0;
		uint64_t   *swap;
		int			digit;

		if (next[(src[0] >> shift) & 0xff] == n)
			continue;
		for (digit = 0; digit < 256; digit++)
		{
			size_t		count = next[digit];

			next[digit] = offset;
			offset += count;
		}
		for (i = 0; i < n; i++)
		{
			dst[next[(src[i] >> shift) & 0xff]++] = src[i];
			sy_poll(env, i);
		}
		swap = src;
		src = dst;
		dst = swap;
	}
	if (src != keys)
		memcpy(keys, src, n * sizeof(uint64_t));
}

/*
 * Standard deviation (ddof 0) of gaps[0..m) around their exact mean, in two
 * passes; the second term corrects the rounding of the mean (Chan, Golub and
 * LeVeque's corrected two-pass algorithm).
 */
static double
gap_sd(const uint64_t *gaps, size_t m, double mean, const sy_env *env)
{
	sum_acc		dev = {0, 0};
	sum_acc		sq = {0, 0};
	double		s;
	double		var;
	size_t		i;

	for (i = 0; i < m; i++)
	{
		double		d = (double) gaps[i] - mean;

		sum_add(&dev, d);
		sum_add(&sq, d * d);
		sy_poll(env, i);
	}
	s = sum_value(&dev);
	var = (sum_value(&sq) - s * s / (double) m) / (double) m;
	return var > 0 ? sqrt(var) : 0;
}

/*
 * Goh and Barabasi's memory coefficient: Pearson's r of the k = n - 2 pairs
 * (gap i, gap i + 1).  The means of both runs are exact differences of the
 * sorted times t, so a constant run has a variance of exactly 0 and gives
 * NAN rather than a ratio of rounding errors.
 */
static double
gap_memory(const uint64_t *t, const uint64_t *gaps, size_t n, const sy_env *env)
{
	size_t		k = n - 2;
	double		mean_a = (double) (t[n - 2] - t[0]) / (double) k;
	double		mean_b = (double) (t[n - 1] - t[1]) / (double) k;
	sum_acc		da = {0, 0};
	sum_acc		db = {0, 0};
	sum_acc		aa = {0, 0};
	sum_acc		bb = {0, 0};
	sum_acc		ab = {0, 0};
	double		sa;
	double		sb;
	double		var_a;
	double		var_b;
	double		r;
	size_t		i;

	for (i = 0; i < k; i++)
	{
		double		a = (double) gaps[i] - mean_a;
		double		b = (double) gaps[i + 1] - mean_b;

		sum_add(&da, a);
		sum_add(&db, b);
		sum_add(&aa, a * a);
		sum_add(&bb, b * b);
		sum_add(&ab, a * b);
		sy_poll(env, i);
	}
	sa = sum_value(&da);
	sb = sum_value(&db);
	var_a = sum_value(&aa) - sa * sa / (double) k;
	var_b = sum_value(&bb) - sb * sb / (double) k;
	if (!(var_a > 0 && var_b > 0))
		return NAN;
	r = (sum_value(&ab) - sa * sb / (double) k) / (sqrt(var_a) * sqrt(var_b));
	return r > 1 ? 1 : r < -1 ? -1 : r;	/* rounding can step an ulp outside */
}

/* Median, min and max of the sorted gaps[0..m), in seconds. */
static void
order_stats(const uint64_t *sorted_gaps, size_t m, sy_cadence_stats *out)
{
	double		median = (m % 2 == 1) ? (double) sorted_gaps[m / 2]
		: ((double) sorted_gaps[m / 2 - 1] + (double) sorted_gaps[m / 2]) / 2;

	out->median_gap = median / USECS_PER_SEC;
	out->min_gap = (double) sorted_gaps[0] / USECS_PER_SEC;
	out->max_gap = (double) sorted_gaps[m - 1] / USECS_PER_SEC;
}

/* Mean, sd and the ratios, from the sorted times t[0..n) and their gaps. */
static void
spread_stats(const uint64_t *t, const uint64_t *gaps, size_t n, const sy_env *env,
			 sy_cadence_stats *out)
{
	size_t		m = n - 1;
	double		mean = (double) (t[n - 1] - t[0]) / (double) m;
	double		sd = gap_sd(gaps, m, mean, env);

	out->mean_gap = mean / USECS_PER_SEC;
	out->sd_gap = sd / USECS_PER_SEC;
	if (mean > 0)
	{
		out->cv = sd / mean;
		out->burstiness = (sd - mean) / (sd + mean);
	}
	if (n >= 3)
		out->memory = gap_memory(t, gaps, n, env);
}

sy_status
sy_cadence_compute(int64_t *times_us, size_t n, const sy_env *env, sy_cadence_stats *out)
{
	uint64_t   *t = (uint64_t *) times_us;
	uint64_t   *gaps;
	size_t		i;

	out->events = n;
	out->mean_gap = out->sd_gap = out->cv = out->burstiness = out->memory = NAN;
	out->median_gap = out->min_gap = out->max_gap = NAN;
	if (n < 2)
		return SY_OK;
	if (n > SIZE_MAX / sizeof(uint64_t))
		return SY_ETOOBIG;
	gaps = env->alloc(env->ctx, n * sizeof(uint64_t));
	if (gaps == NULL)
		return SY_ENOMEM;

	for (i = 0; i < n; i++)
		t[i] ^= SIGN_BIT;
	radix_sort(t, gaps, n, env);
	/* A difference of flipped keys is the difference of the times. */
	for (i = 0; i + 1 < n; i++)
		gaps[i] = t[i + 1] - t[i];
	spread_stats(t, gaps, n, env, out);
	radix_sort(gaps, t, n - 1, env);
	order_stats(gaps, n - 1, out);

	env->free(env->ctx, gaps);
	return SY_OK;
}
