/* lsh.c: see lsh.h. */
#include "lsh.h"

#include <math.h>
#include <string.h>

#include "minhash.h"
#include "stable_hash.h"

#define LSH_TARGET_PROBABILITY 0.95
#define LSH_BANDS_PER_SWEEP 8

/* What a band's key starts from: the band's number and the seed, mixed. */
static uint64_t
band_key_start(uint32_t band, uint64_t seed)
{
	return sy_stable_mix(seed ^ sy_stable_mix(band + UINT64_C(0x9e3779b97f4a7c15)));
}

/* A key from its start and the band's minima: one multiply a minimum, then a mix. */
static uint64_t
band_key_from(uint64_t h, const uint32_t *band_mins, uint32_t rows)
{
	for (uint32_t i = 0; i < rows; i++)
		h = (h ^ band_mins[i]) * UINT64_C(0x9fb21c651e98df25);
	return sy_stable_mix(h);
}

uint64_t
sy_lsh_band_key(const uint32_t *band_mins, uint32_t rows, uint32_t band, uint64_t seed)
{
	return band_key_from(band_key_start(band, seed), band_mins, rows);
}

double
sy_lsh_candidate_probability(double j, uint32_t bands, uint32_t rows)
{
	return 1.0 - pow(1.0 - pow(j, rows), bands);
}

uint32_t
sy_lsh_rows_for(double threshold, uint32_t k)
{
	for (uint32_t rows = k; rows > 1; rows--)
		if (sy_lsh_candidate_probability(threshold, k / rows, rows) >= LSH_TARGET_PROBABILITY)
			return rows;
	return 1;
}

/*
 * Sort entries (band key in the high 32 bits, signature index in the low
 * 32) by key, stably: LSD radix, 8 bits at a time, the four counts taken in
 * one pass and the passes going back and forth between v and tmp.  32 key
 * bits suffice to group: entries that share them but not the band are told
 * apart when the pair is checked.
 */
static void
sort_by_key(uint64_t *v, uint64_t *tmp, uint32_t n)
{
	uint32_t	count[4][256] = {{0}};
	uint64_t   *from = v,
			   *to = tmp;

	for (uint32_t i = 0; i < n; i++)
		for (int d = 0; d < 4; d++)
			count[d][(v[i] >> (32 + 8 * d)) & 255]++;
	for (int d = 0; d < 4; d++)
	{
		uint32_t	sum = 0;
		uint64_t   *swap;

		for (int b = 0; b < 256; b++)
		{
			uint32_t	c = count[d][b];

			count[d][b] = sum;
			sum += c;
		}
		for (uint32_t i = 0; i < n; i++)
			to[count[d][(from[i] >> (32 + 8 * d)) & 255]++] = from[i];
		swap = from;
		from = to;
		to = swap;
	}
}

static int
band_agrees(const uint32_t *a, const uint32_t *b, uint32_t band, uint32_t rows)
{
	return memcmp(a + (size_t) band * rows, b + (size_t) band * rows,
				  rows * sizeof(uint32_t)) == 0;
}

/*
 * The slots a and b agree on, if at least min of their k; else some
 * number below min, found as soon as too many slots disagree (most
 * candidates of a band fall well short).
 */
static uint32_t
agreements_at_least(const uint32_t *a, const uint32_t *b, uint32_t k, uint32_t min)
{
	uint32_t	allowed = k - min;	/* disagreements that still leave min */
	uint32_t	equal = 0;

	for (uint32_t start = 0; start < k; start += 16)
	{
		uint32_t	end = start + 16 < k ? start + 16 : k;

		for (uint32_t i = start; i < end; i++)
			equal += a[i] == b[i];
		if (end - equal > allowed)
			return equal;
	}
	return equal;
}

/* Whether a pair that agrees on band `band` agrees on an earlier one too. */
static int
agrees_before(const uint32_t *a, const uint32_t *b, uint32_t band, uint32_t rows)
{
	for (uint32_t earlier = 0; earlier < band; earlier++)
		if (band_agrees(a, b, earlier, rows))
			return 1;
	return 0;
}

typedef struct band_scan
{
	const sy_env *env;
	const uint32_t *mins;
	const sy_lsh_params *p;
	sy_lsh_emit emit;
	void	   *arg;
	uint64_t	checked;		/* pairs looked at, for polling */
} band_scan;

/* The pairs of one run of entries with equal keys in band `band`. */
static void
scan_run(band_scan *s, const uint64_t *run, uint32_t len, uint32_t band)
{
	const sy_lsh_params *p = s->p;

	for (uint32_t x = 0; x < len; x++)
	{
		uint32_t	a = (uint32_t) run[x];
		const uint32_t *sa = s->mins + (size_t) a * p->k;

		for (uint32_t y = x + 1; y < len; y++)
		{
			uint32_t	b = (uint32_t) run[y];
			const uint32_t *sb = s->mins + (size_t) b * p->k;
			uint32_t	agreements;

			sy_poll(s->env, s->checked++);
			if (!band_agrees(sa, sb, band, p->rows) || agrees_before(sa, sb, band, p->rows))
				continue;
			agreements = agreements_at_least(sa, sb, p->k, p->min_agreements);
			if (agreements >= p->min_agreements)
				s->emit(s->arg, a, b, agreements);
		}
	}
}

/*
 * The keys of bands first .. first + count - 1 of every signature, with the
 * signature's index: entries[c * n + i] for band first + c.  One sweep over
 * the signatures serves LSH_BANDS_PER_SWEEP bands, because a sweep is
 * bound by memory: each signature costs a cache miss however few of its
 * minima are read.
 */
static void
band_entries(const uint32_t *mins, uint32_t n, const sy_lsh_params *p, uint32_t first,
			 uint32_t count, uint64_t *entries, const sy_env *env)
{
	uint64_t	starts[LSH_BANDS_PER_SWEEP];

	for (uint32_t c = 0; c < count; c++)
		starts[c] = band_key_start(first + c, p->seed);
	for (uint32_t i = 0; i < n; i++)
	{
		const uint32_t *sig = mins + (size_t) i * p->k;

		for (uint32_t c = 0; c < count; c++)
		{
			const uint32_t *band_mins = sig + (size_t) (first + c) * p->rows;
			uint64_t	key = band_key_from(starts[c], band_mins, p->rows);

			entries[(size_t) c * n + i] = (key & UINT64_C(0xffffffff00000000)) | i;
		}
		sy_poll(env, i);
	}
}

/* The candidate pairs of one band, from its sorted entries. */
static void
scan_band(band_scan *s, const uint64_t *entries, uint32_t n, uint32_t band)
{
	uint32_t	start = 0;

	for (uint32_t i = 1; i <= n; i++)
		if (i == n || (entries[i] >> 32) != (entries[start] >> 32))
		{
			if (i - start > 1)
				scan_run(s, entries + start, i - start, band);
			start = i;
		}
}

sy_status
sy_lsh_pairs(const sy_env *env, const uint32_t *mins, uint32_t n, const sy_lsh_params *p,
			 sy_lsh_emit emit, void *arg)
{
	band_scan	s = {env, mins, p, emit, arg, 0};
	uint32_t	per_sweep = p->bands < LSH_BANDS_PER_SWEEP ? p->bands : LSH_BANDS_PER_SWEEP;
	uint64_t   *entries;
	uint64_t   *tmp;

	if (p->rows == 0 || p->bands == 0 || (uint64_t) p->rows * p->bands > p->k)
		return SY_EVALUE;
	if (n < 2)
		return SY_OK;
	entries = sy_alloc_array(env, (uint64_t) n * per_sweep, sizeof(uint64_t));
	tmp = sy_alloc_array(env, n, sizeof(uint64_t));
	if (entries == NULL || tmp == NULL)
	{
		sy_free(env, entries);
		sy_free(env, tmp);
		return SY_ENOMEM;
	}
	for (uint32_t first = 0; first < p->bands; first += per_sweep)
	{
		uint32_t	count = p->bands - first < per_sweep ? p->bands - first : per_sweep;

		band_entries(mins, n, p, first, count, entries, env);
		for (uint32_t c = 0; c < count; c++)
		{
			sort_by_key(entries + (size_t) c * n, tmp, n);
			scan_band(&s, entries + (size_t) c * n, n, first + c);
		}
	}
	sy_free(env, entries);
	sy_free(env, tmp);
	return SY_OK;
}
