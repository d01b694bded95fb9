/*
 * test_minhash.c: unit tests of src/core/stable_hash.c, minhash.c and
 * lsh.c.  Known-answer values pin the stable hashes (a change would break
 * every stored signature); estimates are held to their standard error
 * against exact Jaccard similarities; LSH pairs are compared with a brute
 * force over all pairs.  Emits TAP.
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lsh.h"
#include "minhash.h"
#include "stable_hash.h"
#include "helpers.h"

/* ------------------------------------------------------------ stable hash */

static void
test_stable_hash_known_answers(void)
{
	/* Computed once by this implementation; they must never change. */
	ok(sy_stable_hash("", 0, 0) == UINT64_C(0xa8871e3718ca0053), "hash of the empty string");
	ok(sy_stable_hash("a", 1, 0) == UINT64_C(0x1c7167a6bc22ea1d), "hash of one byte");
	ok(sy_stable_hash("abcdefgh", 8, 0) == UINT64_C(0x0147bdd6f2921acb), "hash of 8 bytes");
	ok(sy_stable_hash("abcdefghi", 9, 7) == UINT64_C(0xe5f5d51aaa83e292), "hash of 9 bytes, seed 7");
	ok(sy_stable_hash_int(5, 0) == UINT64_C(0xb760672ed3af6909), "hash of the integer 5");
	ok(sy_stable_hash("a", 1, 0) != sy_stable_hash("a", 1, 1), "the seed changes the hash");
	ok(sy_stable_hash("ab", 2, 0) != sy_stable_hash("ab\0", 3, 0), "a trailing zero byte changes it");
}

/* --------------------------------------------------------------- minhash */

static void
test_signature_known_answer(void)
{
	uint64_t	items[] = {1, 2, 3};
	uint32_t	mins[4];

	signature_of(mins, family_of(4, 0), items, 3);
	diag("signature of {1,2,3}, k 4, seed 0: %08x %08x %08x %08x",
		 mins[0], mins[1], mins[2], mins[3]);
	ok(mins[0] == 0x08abf09bu && mins[1] == 0x01802585u && mins[2] == 0x31a40889u &&
	   mins[3] == 0x00347143u, "signature of {1, 2, 3} is pinned");
}

static void
test_signature_algebra(void)
{
	enum {K = 64, N = 500};
	const sy_minhash_family *f = family_of(K, 42);
	uint64_t	items[N];
	uint32_t	whole[K], left[K], right[K], reversed[K];

	for (int i = 0; i < N; i++)
		items[i] = rng_next();
	signature_of(whole, f, items, N);
	signature_of(left, f, items, 200);
	signature_of(right, f, items + 200, N - 200);
	sy_minhash_merge(left, right, K);
	is_mem(left, sizeof(left), whole, sizeof(whole), "merging two parts gives the signature of the whole");
	sy_minhash_clear(reversed, K);
	for (int i = N - 1; i >= 0; i--)
	{
		sy_minhash_add(reversed, f, sy_stable_hash_int((int64_t) items[i], 0));
		sy_minhash_add(reversed, f, sy_stable_hash_int((int64_t) items[i], 0));
	}
	is_mem(reversed, sizeof(reversed), whole, sizeof(whole), "order and repeats do not matter");
	is_int(sy_minhash_agreements(whole, whole, K), K, "a signature agrees with itself everywhere");
	signature_of(right, family_of(K, 43), items, N);
	ok(sy_minhash_agreements(whole, right, K) < 4, "another seed gives another signature");
}

/* Sets of 50..2000 items with a chosen overlap: exact J is known. */
static void
test_estimates_within_standard_error(void)
{
	enum {K = 128, PAIRS = 3000};
	const sy_minhash_family *f = family_of(K, 7);
	uint64_t   *a = malloc(4000 * sizeof(uint64_t));
	uint64_t   *b = malloc(4000 * sizeof(uint64_t));
	uint32_t	sa[K], sb[K];
	int			within = 0, identical_ok = 1, disjoint_max = 0;

	for (int p = 0; p < PAIRS; p++)
	{
		uint32_t	shared = rng_below(1500);
		uint32_t	only_a = rng_below(1000) + (shared == 0);
		uint32_t	only_b = rng_below(1000);
		uint32_t	na = 0, nb = 0;
		double		j, est;

		if (p % 10 == 0)
			only_a = only_b = 0, shared += 1;	/* identical sets */
		for (uint32_t i = 0; i < shared; i++)
		{
			uint64_t	x = rng_next();

			a[na++] = x;
			b[nb++] = x;
		}
		for (uint32_t i = 0; i < only_a; i++)
			a[na++] = rng_next();
		for (uint32_t i = 0; i < only_b; i++)
			b[nb++] = rng_next();
		signature_of(sa, f, a, na);
		signature_of(sb, f, b, nb);
		j = (double) shared / (shared + only_a + only_b);
		est = (double) sy_minhash_agreements(sa, sb, K) / K;
		if (fabs(est - j) <= 3 * sqrt(j * (1 - j) / K) + 1e-12)
			within++;
		if (j == 1 && est != 1)
			identical_ok = 0;
		if (shared == 0 && (int) sy_minhash_agreements(sa, sb, K) > disjoint_max)
			disjoint_max = (int) sy_minhash_agreements(sa, sb, K);
	}
	diag("%d of %d estimates within 3 standard errors", within, PAIRS);
	ok(within >= PAIRS * 99 / 100, "at least 99%% of estimates within 3 sqrt(J(1-J)/k)");
	ok(identical_ok, "identical sets estimate 1");
	ok(disjoint_max <= 1, "disjoint sets agree on at most one slot (%d)", disjoint_max);
	free(a);
	free(b);
}

static void
test_wire_and_text(void)
{
	enum {K = 5};
	uint32_t	mins[K] = {0, 1, 0xdeadbeef, UINT32_MAX, 77};
	uint32_t	back[K];
	unsigned char wire[SY_MINHASH_WIRE_HEADER + 4 * K];
	unsigned char parsed[sizeof(wire)];
	char		text[2 + 2 * sizeof(wire) + 1];
	uint32_t	k;
	uint64_t	seed;
	size_t		len;

	sy_minhash_to_wire(K, UINT64_C(0x8000000000000001), mins, wire);
	is_status(sy_minhash_wire_header(wire, sizeof(wire), &k, &seed), SY_OK, "wire header accepted");
	ok(k == K && seed == UINT64_C(0x8000000000000001), "k and seed read back");
	sy_minhash_wire_mins(wire, k, back);
	is_mem(back, sizeof(back), mins, sizeof(mins), "minima read back");
	is_int(sy_minhash_text_size(K), sizeof(text), "text size");
	sy_minhash_to_text(wire, sizeof(wire), text);
	is_str(text, "\\x0100000580000000000000010000000000000001deadbeefffffffff0000004d", "text form");
	is_status(sy_minhash_parse_text(text, strlen(text), parsed, &len), SY_OK, "text parses");
	is_mem(parsed, len, wire, sizeof(wire), "text gives the wire form back");
	for (char *c = text + 2; *c; c++)
		*c = (char) toupper((unsigned char) *c);
	is_status(sy_minhash_parse_text(text, strlen(text), parsed, &len), SY_OK, "upper-case hex parses");
	is_mem(parsed, len, wire, sizeof(wire), "to the same bytes");
	text[5] = 'g';
	is_status(sy_minhash_parse_text(text, strlen(text), parsed, &len), SY_ESYNTAX, "a non-hex digit");
	is_status(sy_minhash_parse_text("\\x0", 3, parsed, &len), SY_ESYNTAX, "an odd number of digits");
	is_status(sy_minhash_parse_text("01", 2, parsed, &len), SY_ESYNTAX, "no \\x prefix");
	is_status(sy_minhash_wire_header(wire, sizeof(wire) - 1, &k, &seed), SY_ECORRUPT, "short wire");
	wire[0] = 2;
	is_status(sy_minhash_wire_header(wire, sizeof(wire), &k, &seed), SY_ECORRUPT, "unknown version");
	wire[0] = 1;
	wire[1] = 1;
	is_status(sy_minhash_wire_header(wire, sizeof(wire), &k, &seed), SY_ECORRUPT, "reserved byte set");
	wire[1] = 0;
	wire[2] = 0;
	wire[3] = 0;
	is_status(sy_minhash_wire_header(wire, SY_MINHASH_WIRE_HEADER, &k, &seed), SY_ECORRUPT, "k = 0");
	wire[2] = 0x10;
	wire[3] = 0x01;
	is_status(sy_minhash_wire_header(wire, sy_minhash_wire_size(4097), &k, &seed), SY_ECORRUPT,
			  "k above 4096");
}

/* ------------------------------------------------------------------- lsh */

typedef struct pair_log
{
	uint32_t	n;
	uint8_t    *seen;			/* n * n: times each pair was emitted */
	uint32_t   *agreements;
	long		emitted;
} pair_log;

static void
log_pair(void *arg, uint32_t a, uint32_t b, uint32_t agreements)
{
	pair_log   *log = arg;

	if (a < b && b < log->n)
	{
		log->seen[(size_t) a * log->n + b]++;
		log->agreements[(size_t) a * log->n + b] = agreements;
	}
	log->emitted++;
}

static int
band_agrees_brute(const uint32_t *a, const uint32_t *b, uint32_t rows, uint32_t bands)
{
	for (uint32_t band = 0; band < bands; band++)
		if (memcmp(a + band * rows, b + band * rows, rows * sizeof(uint32_t)) == 0)
			return 1;
	return 0;
}

static void
test_lsh_against_brute_force(uint32_t n, uint32_t k, uint32_t bands, uint32_t rows,
							 uint32_t min_agreements)
{
	const sy_minhash_family *f = family_of(k, 11);
	uint32_t   *mins = clustered_signatures(n, f);
	pair_log	log = {n, calloc((size_t) n * n, 1), calloc((size_t) n * n, sizeof(uint32_t)), 0};
	sy_lsh_params p = {k, 11, bands, rows, min_agreements};
	track_ctx	t = {0};
	sy_env		env = {track_alloc, track_realloc, track_free, track_poll, &t};
	long		expected = 0, missing = 0, extra = 0, wrong_count = 0, repeated = 0;

	is_status(sy_lsh_pairs(&env, mins, n, &p, log_pair, &log), SY_OK,
			  "lsh over %u signatures, %u bands of %u rows", n, bands, rows);
	for (uint32_t a = 0; a < n; a++)
		for (uint32_t b = a + 1; b < n; b++)
		{
			const uint32_t *sa = mins + (size_t) a * k;
			const uint32_t *sb = mins + (size_t) b * k;
			uint32_t	agree = sy_minhash_agreements(sa, sb, k);
			int			want = band_agrees_brute(sa, sb, rows, bands) && agree >= min_agreements;
			uint8_t		seen = log.seen[(size_t) a * n + b];

			expected += want;
			missing += want && seen == 0;
			extra += !want && seen > 0;
			repeated += seen > 1;
			wrong_count += seen && log.agreements[(size_t) a * n + b] != agree;
		}
	diag("%ld pairs expected, %ld emitted", expected, log.emitted);
	ok(expected >= 100, "the data has pairs to find");
	ok(missing == 0 && extra == 0 && repeated == 0 && wrong_count == 0 && log.emitted == expected,
	   "exactly the brute-force pairs, once each, with their agreements "
	   "(missing %ld, extra %ld, repeated %ld, wrong count %ld)", missing, extra, repeated, wrong_count);
	is_int((long long) t.live, 0, "no memory left allocated");
	free(mins);
	free(log.seen);
	free(log.agreements);
}

static void
test_lsh_parameters(void)
{
	uint32_t	mins[8] = {0};
	sy_lsh_params p = {8, 0, 3, 3, 0};
	pair_log	log = {0};
	fail_ctx	c;
	sy_env		env = fail_env(&c, -1);

	is_status(sy_lsh_pairs(&env, mins, 1, &p, log_pair, &log), SY_EVALUE, "bands * rows > k");
	p.bands = 0;
	is_status(sy_lsh_pairs(&env, mins, 1, &p, log_pair, &log), SY_EVALUE, "no band");
	p.bands = 2;
	p.rows = 4;
	is_status(sy_lsh_pairs(&env, mins, 1, &p, log_pair, &log), SY_OK, "one signature: no pair");
	for (long budget = 0;; budget++)
	{
		uint32_t	two[16] = {0};
		sy_status	status;

		env = fail_env(&c, budget);
		status = sy_lsh_pairs(&env, two, 2, &p, log_pair, &log);
		is_int(c.live, 0, "nothing leaked when allocation %ld fails", budget + 1);
		if (status == SY_OK)
		{
			ok(budget >= 4, "a failure of each of the %ld allocations is reported", budget);
			break;
		}
		is_status(status, SY_ENOMEM, "allocation %ld fails", budget + 1);
	}
	ok(fabs(sy_lsh_candidate_probability(0.5, 32, 4) - (1 - pow(1 - 0.0625, 32))) < 1e-15,
	   "candidate probability 1 - (1 - j^r)^b");
	is_int(sy_lsh_rows_for(0.5, 128), 3, "rows for threshold 0.5, k 128");
	is_int(sy_lsh_rows_for(0.8, 128), 7, "rows for threshold 0.8, k 128");
	is_int(sy_lsh_rows_for(0.01, 128), 1, "a low threshold needs bands of one row");
	for (double t = 0.05; t < 1; t += 0.05)
		ok(sy_lsh_candidate_probability(t, 128 / sy_lsh_rows_for(t, 128), sy_lsh_rows_for(t, 128)) >= 0.95 ||
		   sy_lsh_rows_for(t, 128) == 1, "rows for %.2f keep 95%% of pairs at the threshold", t);
	ok(fabs(sy_lsh_recall_point(0.5, 128) - (0.5 + 2 * sqrt(0.25 / 128))) < 1e-15,
	   "recall point: two standard errors above the threshold");
	ok(sy_lsh_recall_point(0.99, 16) == 1, "recall point at most 1");
	is_int(sy_lsh_bands_for(0.5, 3, 128), 14, "bands for threshold 0.5, 3 rows, k 128");
	is_int(sy_lsh_bands_for(0.8, 7, 128), 7, "bands for threshold 0.8, 7 rows, k 128");
	is_int(sy_lsh_bands_for(0.5, 2, 64), 7, "bands for threshold 0.5, 2 rows, k 64");
	is_int(sy_lsh_bands_for(0.001, 1, 128), 128, "no number of bands reaches 95%%: all of them");
	for (double t = 0.05; t < 1; t += 0.05)
	{
		uint32_t	rows = sy_lsh_rows_for(t, 128);
		uint32_t	bands = sy_lsh_bands_for(t, rows, 128);
		double		point = sy_lsh_recall_point(t, 128);

		ok(bands * rows <= 128 && (bands == 128 / rows ||
								   (sy_lsh_candidate_probability(point, bands, rows) >= 0.95 &&
									sy_lsh_candidate_probability(point, bands - 1, rows) < 0.95)),
		   "%u bands of %u rows: the fewest that keep 95%% of pairs at %.3f (threshold %.2f)",
		   bands, rows, point, t);
	}
	is_int(sy_lsh_band_key(mins, 4, 0, 0) == sy_lsh_band_key(mins, 4, 1, 0), 0,
		   "equal minima in different bands give different keys");
}

int
main(void)
{
	rng_seed(20261127);
	test_stable_hash_known_answers();
	test_signature_known_answer();
	test_signature_algebra();
	test_estimates_within_standard_error();
	test_wire_and_text();
	test_lsh_against_brute_force(700, 64, 16, 4, 0);
	test_lsh_against_brute_force(700, 64, 8, 8, 40);
	test_lsh_against_brute_force(500, 20, 3, 6, 0);		/* slots past bands * rows unused */
	test_lsh_against_brute_force(300, 16, 16, 1, 2);
	test_lsh_parameters();
	family_of(0, 0);
	return done_testing();
}
