/* lsh.c: see lsh.h. */
#include "lsh.h"

#include <math.h>
#include <string.h>

#include "minhash.h"
#include "stable_hash.h"

#define LSH_TARGET_PROBABILITY 0.95

uint64_t
sy_lsh_band_key(const uint32_t *band_mins, uint32_t rows, uint32_t band, uint64_t seed)
{
	uint64_t	h = sy_stable_mix(seed ^ sy_stable_mix(band + UINT64_C(0x9e3779b97f4a7c15)));

	for (uint32_t i = 0; i < rows; i++)
		h = sy_stable_mix(h ^ band_mins[i]) + i;
	return sy_stable_mix(h);
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
 * 32) by key, stably: LSD radix, 8 bits at a time.  32 key bits suffice to
 * group: entries that share them but not the band are told apart when the
 * pair is checked.
 */
static void
sort_by_key(uint64_t *v, uint64_t *tmp, uint32_t n)
{
	for (int shift = 32; shift < 64; shift += 8)
	{
		uint32_t	count[256] = {0};
		uint32_t	sum = 0;

		for (uint32_t i = 0; i < n; i++)
			count[(v[i] >> shift) & 255]++;
		for (int d = 0; d < 256; d++)
		{
			uint32_t	c = count[d];

			count[d] = sum;
			sum += c;
		}
		for (uint32_t i = 0; i < n; i++)
			tmp[count[(v[i] >> shift) & 255]++] = v[i];
		memcpy(v, tmp, (size_t) n * sizeof(uint64_t));
	}
}

static int
band_agrees(const uint32_t *a, const uint32_t *b, uint32_t band, uint32_t rows)
{
	return memcmp(a + (size_t) band * rows, b + (size_t) band * rows,
				  rows * sizeof(uint32_t)) == 0;
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
			agreements = sy_minhash_agreements(sa, sb, p->k);
			if (agreements >= p->min_agreements)
				s->emit(s->arg, a, b, agreements);
		}
	}
}

/* Keys of band `band` of every signature, with their indices, sorted. */
static void
band_entries(const uint32_t *mins, uint32_t n, const sy_lsh_params *p, uint32_t band,
			 uint64_t *entries, uint64_t *tmp, const sy_env *env)
{
	for (uint32_t i = 0; i < n; i++)
	{
		const uint32_t *band_mins = mins + (size_t) i * p->k + (size_t) band * p->rows;
		uint64_t	key = sy_lsh_band_key(band_mins, p->rows, band, p->seed);

		entries[i] = (key & UINT64_C(0xffffffff00000000)) | i;
		sy_poll(env, i);
	}
	sort_by_key(entries, tmp, n);
}

sy_status
sy_lsh_pairs(const sy_env *env, const uint32_t *mins, uint32_t n, const sy_lsh_params *p,
			 sy_lsh_emit emit, void *arg)
{
	band_scan	s = {env, mins, p, emit, arg, 0};
	uint64_t   *entries;
	uint64_t   *tmp;

	if (p->rows == 0 || p->bands == 0 || (uint64_t) p->rows * p->bands > p->k)
		return SY_EVALUE;
	if (n < 2)
		return SY_OK;
	entries = env->alloc(env->ctx, (size_t) n * sizeof(uint64_t));
	tmp = env->alloc(env->ctx, (size_t) n * sizeof(uint64_t));
	if (entries == NULL || tmp == NULL)
	{
		if (entries != NULL)
			env->free(env->ctx, entries);
		return SY_ENOMEM;
	}
	for (uint32_t band = 0; band < p->bands; band++)
	{
		uint32_t	start = 0;

		band_entries(mins, n, p, band, entries, tmp, env);
		for (uint32_t i = 1; i <= n; i++)
			if (i == n || (entries[i] >> 32) != (entries[start] >> 32))
			{
				if (i - start > 1)
					scan_run(&s, entries + start, i - start, band);
				start = i;
			}
	}
	env->free(env->ctx, entries);
	env->free(env->ctx, tmp);
	return SY_OK;
}
