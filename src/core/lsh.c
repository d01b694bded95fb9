/* lsh.c: see lsh.h. */
#include "lsh.h"
#include "lsh_band.h"

#include <math.h>
#include <string.h>

#include "minhash.h"
#include "stable_hash.h"

#define LSH_TARGET_PROBABILITY 0.95

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

double
sy_lsh_recall_point(double threshold, uint32_t k)
{
	double		point = threshold + 2 * sqrt(threshold * (1 - threshold) / k);

	return point < 1 ? point : 1;
}

uint32_t
sy_lsh_bands_for(double threshold, uint32_t rows, uint32_t k)
{
	double		point = sy_lsh_recall_point(threshold, k);

	for (uint32_t bands = 1; bands < k / rows; bands++)
		if (sy_lsh_candidate_probability(point, bands, rows) >= LSH_TARGET_PROBABILITY)
			return bands;
	return k / rows;
}

/*
 * Sort entries (band key in the high 32 bits, signature index in the low
 * 32) by key, stably: LSD radix in three passes of 11, 11 and 10 bits, the
 * counts of all three taken in one pass, going from v to tmp and back.
 * Returns where the sorted entries are (tmp).  32 key bits suffice to
 * group (see scan_band).
 */
#define RADIX_PASSES 3
#define RADIX_BITS 11

static uint64_t *
sort_by_key(uint64_t *v, uint64_t *tmp, uint32_t n)
{
	static const int shift[RADIX_PASSES] = {32, 32 + RADIX_BITS, 32 + 2 * RADIX_BITS};
	uint32_t	count[RADIX_PASSES][1 << RADIX_BITS] = {{0}};
	const uint64_t mask = (1 << RADIX_BITS) - 1;
	uint64_t   *from = v,
			   *to = tmp;

	for (uint32_t i = 0; i < n; i++)
		for (int d = 0; d < RADIX_PASSES; d++)
			count[d][(v[i] >> shift[d]) & mask]++;
	for (int d = 0; d < RADIX_PASSES; d++)
	{
		uint32_t	sum = 0;
		uint64_t   *swap;

		for (int b = 0; b <= (int) mask; b++)
		{
			uint32_t	c = count[d][b];

			count[d][b] = sum;
			sum += c;
		}
		for (uint32_t i = 0; i < n; i++)
			to[count[d][(from[i] >> shift[d]) & mask]++] = from[i];
		swap = from;
		from = to;
		to = swap;
	}
	return from;
}

/* Slots that agree among 16: a fixed count, so that the compiler vectorizes. */
static inline uint32_t
agreements_of_16(const uint32_t *a, const uint32_t *b)
{
	uint32_t	equal = 0;

	for (int i = 0; i < 16; i++)
		equal += a[i] == b[i];
	return equal;
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
	uint32_t	i = 0;

	for (; i + 16 <= k; i += 16)
	{
		equal += agreements_of_16(a + i, b + i);
		if (i + 16 - equal > allowed)
			return equal;
	}
	for (; i < k; i++)
		equal += a[i] == b[i];
	return equal;
}

/* Whether two signatures' keys (rows of keys) collide on a band before `band`. */
static int
collided_before(const uint32_t *keys_a, const uint32_t *keys_b, uint32_t band)
{
	for (uint32_t earlier = 0; earlier < band; earlier++)
		if (keys_a[earlier] == keys_b[earlier])
			return 1;
	return 0;
}

/* Ask keep_going every SY_POLL_EVERY pairs; 0 once it said stop. */
static int
still_going(sy_lsh_band_scan *s)
{
	if (s->stopped)
		return 0;
	if ((s->checked++ % SY_POLL_EVERY) == SY_POLL_EVERY - 1 && !s->keep_going(s->keep_going_arg))
		s->stopped = 1;
	return !s->stopped;
}

/*
 * The pairs of one run of entries with equal keys in band `band`.  A pair
 * whose keys collided on an earlier band was considered there: checking
 * that costs a few compares of keys, where most pairs found in a band
 * were found before (similar pairs collide on many bands).
 */
static void
scan_run(sy_lsh_band_scan *s, const uint64_t *run, uint32_t len, uint32_t band)
{
	const sy_lsh_params *p = s->p;

	for (uint32_t x = 0; x < len; x++)
	{
		uint32_t	a = (uint32_t) run[x];
		const uint32_t *sa = s->mins + (size_t) a * p->k;
		const uint32_t *ka = s->keys + (size_t) a * p->bands;

		for (uint32_t y = x + 1; y < len; y++)
		{
			uint32_t	b = (uint32_t) run[y];
			uint32_t	agreements;

			if (!still_going(s))
				return;
			if (collided_before(ka, s->keys + (size_t) b * p->bands, band))
				continue;
			agreements = agreements_at_least(sa, s->mins + (size_t) b * p->k, p->k,
											 p->min_agreements);
			if (agreements >= p->min_agreements)
				s->emit(s->emit_arg, a, b, agreements);
		}
	}
}

void
sy_lsh_band_starts(const sy_lsh_params *p, uint64_t *starts)
{
	for (uint32_t band = 0; band < p->bands; band++)
		starts[band] = band_key_start(band, p->seed);
}

/*
 * One sweep over the signatures for all their bands: the sweep is bound by
 * memory (each signature costs a cache miss however few of its minima are
 * read).
 */
void
sy_lsh_keys_of(const uint32_t *mins, uint32_t first, uint32_t count, const sy_lsh_params *p,
			   const uint64_t *starts, uint32_t *keys)
{
	for (uint32_t i = first; i < first + count; i++)
	{
		const uint32_t *sig = mins + (size_t) i * p->k;
		uint32_t   *row = keys + (size_t) i * p->bands;

		for (uint32_t band = 0; band < p->bands; band++)
			row[band] = (uint32_t) (band_key_from(starts[band], sig + (size_t) band * p->rows,
												  p->rows) >> 32);
	}
}

/*
 * (key, index) entries of bands first .. first + count - 1, entries[c * n
 * + i] for band first + c: one pass over the rows of keys serves several
 * bands, where a pass per band would read every row's cache line for one
 * key.
 */
static void
band_entries(const uint32_t *keys, uint32_t n, uint32_t bands, uint32_t first, uint32_t count,
			 uint64_t *entries)
{
	for (uint32_t i = 0; i < n; i++)
	{
		const uint32_t *row = keys + (size_t) i * bands + first;

		for (uint32_t c = 0; c < count; c++)
			entries[(size_t) c * n + i] = (uint64_t) row[c] << 32 | i;
	}
}

/*
 * Keep, in order, only the entries whose key another entry may share: most
 * keys of a band are unique, and two passes that mark the top bits of each
 * key as seen once and seen twice cost less than sorting them all (the
 * bitmaps stay in cache).  Unrelated keys that share their top bits are
 * kept too; the sort tells them apart.
 */
static uint32_t
keep_shared_keys(uint64_t *entries, uint32_t n, sy_lsh_workspace *w)
{
	const int	shift = 64 - (int) w->seen_bits;
	size_t		words = ((size_t) 1 << w->seen_bits) / 64;
	uint32_t	kept = 0;

	memset(w->seen_once, 0, words * sizeof(uint64_t));
	memset(w->seen_twice, 0, words * sizeof(uint64_t));
	for (uint32_t i = 0; i < n; i++)
	{
		uint64_t	slot = entries[i] >> shift;
		uint64_t	bit = UINT64_C(1) << (slot & 63);

		w->seen_twice[slot >> 6] |= w->seen_once[slot >> 6] & bit;
		w->seen_once[slot >> 6] |= bit;
	}
	for (uint32_t i = 0; i < n; i++)
	{
		uint64_t	slot = entries[i] >> shift;

		if (w->seen_twice[slot >> 6] & (UINT64_C(1) << (slot & 63)))
			entries[kept++] = entries[i];
	}
	return kept;
}

/*
 * The candidate pairs of one band from its entries: those that may share a
 * key sorted, and every run of equal keys scanned.  Keys are 32 bits:
 * signatures whose band differs share one by chance (about n^2 / 2^33
 * pairs a band); they become candidates too, which costs a comparison and
 * loses nothing.
 */
static void
scan_band(sy_lsh_band_scan *s, uint64_t *entries, sy_lsh_workspace *w, uint32_t band)
{
	uint32_t	n = keep_shared_keys(entries, s->n, w);
	const uint64_t *sorted = sort_by_key(entries, w->tmp, n);
	uint32_t	start = 0;

	for (uint32_t i = 1; i <= n && !s->stopped; i++)
		if (i == n || (sorted[i] >> 32) != (sorted[start] >> 32))
		{
			if (i - start > 1)
				scan_run(s, sorted + start, i - start, band);
			start = i;
		}
}

void
sy_lsh_scan_bands(sy_lsh_band_scan *s, uint32_t first, uint32_t count, sy_lsh_workspace *w)
{
	band_entries(s->keys, s->n, s->p->bands, first, count, w->entries);
	for (uint32_t c = 0; c < count && !s->stopped; c++)
		scan_band(s, w->entries + (size_t) c * s->n, w, first + c);
}

/* Bitmaps of 8 bits a signature (a key's slot is shared by chance one
 * time in 8), at most 2^23 bits: they must stay in cache. */
#define SEEN_BITS_MIN 6
#define SEEN_BITS_MAX 23

sy_status
sy_lsh_workspace_alloc(const sy_env *env, uint32_t n, uint32_t bands, sy_lsh_workspace *w)
{
	size_t		words;

	w->seen_bits = SEEN_BITS_MIN;
	while (w->seen_bits < SEEN_BITS_MAX && ((uint64_t) 1 << w->seen_bits) < (uint64_t) n * 8)
		w->seen_bits++;
	words = ((size_t) 1 << w->seen_bits) / 64;
	w->entries = sy_alloc_array(env, (uint64_t) n * bands, sizeof(uint64_t));
	w->tmp = sy_alloc_array(env, n, sizeof(uint64_t));
	w->seen_once = sy_alloc_array(env, words, sizeof(uint64_t));
	w->seen_twice = sy_alloc_array(env, words, sizeof(uint64_t));
	if (w->entries != NULL && w->tmp != NULL && w->seen_once != NULL && w->seen_twice != NULL)
		return SY_OK;
	sy_lsh_workspace_free(env, w);
	return SY_ENOMEM;
}

void
sy_lsh_workspace_free(const sy_env *env, sy_lsh_workspace *w)
{
	sy_free(env, w->entries);
	sy_free(env, w->tmp);
	sy_free(env, w->seen_once);
	sy_free(env, w->seen_twice);
	memset(w, 0, sizeof(*w));
}
