/*
 * test_simhash.c: unit tests of src/core/simhash.c: known fingerprints
 * (test/reference/simhash_reference.py computes the same), the definition
 * (two sign sums per bit, the second breaking ties of the first) against a
 * direct computation from the shingle hashes, texts without words, and the
 * properties SimHash is used for: the same bag of shingles gives the same
 * fingerprint, near-duplicates are a few bits apart and unrelated texts 32.
 * Emits TAP.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "simhash.h"
#include "stable_hash.h"
#include "text_shingles.h"
#include "helpers.h"

static int
hamming(uint64_t a, uint64_t b)
{
	int			n = 0;

	for (uint64_t x = a ^ b; x != 0; x &= x - 1)
		n++;
	return n;
}

static uint64_t
simhash(const char *text, int words, size_t *shingles)
{
	return sy_simhash(text, strlen(text), words, shingles);
}

/* ------------------------------------------------------ known values */

typedef struct known
{
	const char *text;
	int			words;
	uint64_t	fingerprint;
} known;

static const known known_values[] = {
	{"hello", 1, UINT64_C(0x831eaa4d003e40af)},
	{"Hello, World! hello", 2, UINT64_C(0x1488c8e31469d01c)},
	{"Write a short story about a dragon who learns to code in Python.", 1, UINT64_C(0x94c4dd594f3646fd)},
	{"Write a short story about a dragon who learns to code in Python.", 2, UINT64_C(0x2c115751b9e62f82)},
	{"Write a short story about a dragon who learns to code in Python.", 3, UINT64_C(0xea00b776f6a0ef4b)},
	{"Write a short story about a unicorn who learns to code in Rust.", 1, UINT64_C(0x9cc49119c376e4bd)},
	/* 请写一个关于龙的故事。 */
	{"\xe8\xaf\xb7\xe5\x86\x99\xe4\xb8\x80\xe4\xb8\xaa\xe5\x85\xb3\xe4\xba\x8e\xe9\xbe\x99\xe7\x9a\x84"
		"\xe6\x95\x85\xe4\xba\x8b\xe3\x80\x82", 1, UINT64_C(0xb49c064132a1a877)},
	{"\xe8\xaf\xb7\xe5\x86\x99\xe4\xb8\x80\xe4\xb8\xaa\xe5\x85\xb3\xe4\xba\x8e\xe9\xbe\x99\xe7\x9a\x84"
		"\xe6\x95\x85\xe4\xba\x8b\xe3\x80\x82", 2, UINT64_C(0x9126456e7e16ed9a)},
	{"a b", 1, UINT64_C(0xbca807f50a940412)},
	{"a b c d", 16, UINT64_C(0x9b10a9eafed4cff1)},
};

static void
test_known_values(void)
{
	for (size_t k = 0; k < sizeof known_values / sizeof known_values[0]; k++)
	{
		const known *kv = &known_values[k];
		size_t		shingles;
		uint64_t	got = simhash(kv->text, kv->words, &shingles);

		ok(got == kv->fingerprint && shingles > 0,
		   "known fingerprint of \"%s\" in shingles of %d (got %016llx)",
		   kv->text, kv->words, (unsigned long long) got);
	}
}

/* ------------------------------------------------------ definition */

#define MAX_SHINGLES 256

typedef struct hashes
{
	size_t		n;
	uint64_t	h[MAX_SHINGLES];
} hashes;

static void
collect(void *arg, uint64_t hash)
{
	hashes	   *c = arg;

	if (c->n < MAX_SHINGLES)
		c->h[c->n] = hash;
	c->n++;
}

/* sum of +1 or -1 per shingle by bit i of its hash (tie: of the tie hash) */
static int
sign_sum(const hashes *c, int bit, int tie)
{
	int			sum = 0;

	for (size_t k = 0; k < c->n; k++)
	{
		uint64_t	h = tie ? sy_stable_mix(c->h[k] ^ SY_SIMHASH_TIE_SEED) : c->h[k];

		sum += (h >> bit) & 1 ? 1 : -1;
	}
	return sum;
}

/* The fingerprint from the shingle hashes; counts the bits settled by ties. */
static uint64_t
direct_simhash(const char *text, int words, long *ties)
{
	hashes		c = {0};
	uint64_t	fingerprint = 0;

	sy_text_shingles(text, strlen(text), words, collect, &c);
	for (int i = 0; i < 64; i++)
	{
		int			primary = sign_sum(&c, i, 0);
		int			tie = sign_sum(&c, i, 1);

		*ties += primary == 0;
		if (primary > 0 || (primary == 0 && tie > 0))
			fingerprint |= UINT64_C(1) << i;
	}
	return fingerprint;
}

/* Random texts of few distinct words, so that many bits tie. */
static void
test_definition(void)
{
	static const char *const vocab[] = {"alpha", "beta", "gamma", "delta", "Eta", "theta"};
	char		text[512];
	long		ties = 0,
				mismatches = 0;

	rng_seed(42);
	for (int t = 0; t < 3000; t++)
	{
		size_t		off = 0,
					shingles;
		int			n = 1 + (int) rng_below(40),
					words = 1 + (int) rng_below(4);

		for (int i = 0; i < n; i++)
			off += (size_t) snprintf(text + off, sizeof text - off, "%s%s",
									 i ? ", " : "", vocab[rng_below(6)]);
		if (simhash(text, words, &shingles) != direct_simhash(text, words, &ties))
			mismatches++;
	}
	is_int(mismatches, 0, "3000 random texts: sign of the sums per bit, ties by the second sums");
	ok(ties > 10000, "the tie-breaker decided many bits (%ld)", ties);
}

/* ------------------------------------------------------ no words */

static void
test_no_words(void)
{
	size_t		shingles = 99;

	ok(simhash("", 1, &shingles) == 0 && shingles == 0, "empty text: 0, no shingle");
	ok(simhash(" ... ,;\xe3\x80\x80\xe2\x80\x8b", 3, &shingles) == 0 && shingles == 0,
	   "separators and ignored characters: 0, no shingle");
	ok(simhash("words", 0, &shingles) == 0 && shingles == 0, "shingle of 0 words: 0, no shingle");
	ok(simhash("words", 17, &shingles) == 0 && shingles == 0, "shingle of 17 words: 0, no shingle");
	simhash("one two three", 2, &shingles);
	is_int(shingles, 2, "the shingles are counted");
}

/* ------------------------------------------------------ properties */

static void
same_fingerprint(const char *a, const char *b, int words, const char *why)
{
	size_t		na,
				nb;

	ok(simhash(a, words, &na) == simhash(b, words, &nb) && na > 0,
	   "same fingerprint: %s", why);
}

static void
test_properties(void)
{
	size_t		n;

	same_fingerprint("Write a short story about a dragon",
					 "  WRITE a short-story, about a dra\xe2\x80\x8bgon!!", 2,
					 "case, punctuation and a zero-width space");
	same_fingerprint("one two three four", "four three two one", 1, "word order, single words");
	same_fingerprint("one two three", "one two three one two three", 1,
					 "every count doubled (a proportional vector)");
	ok(simhash("one two three four", 2, &n) != simhash("four three two one", 2, &n),
	   "word order matters for shingles of 2");
	ok(simhash("one two", 1, &n) != simhash("one two two", 1, &n), "counts are weights");
}

/* n random words of a vocabulary of a million */
static void
random_words(uint32_t *w, int n)
{
	for (int i = 0; i < n; i++)
		w[i] = (uint32_t) rng_below(1000000);
}

static void
render(char *text, size_t size, const uint32_t *w, int n)
{
	size_t		off = 0;

	for (int i = 0; i < n; i++)
		off += (size_t) snprintf(text + off, size - off, " w%u", w[i]);
}

/*
 * 40 words: one replaced makes a cosine of 39/40, theta = 0.224, so
 * 64 theta / pi = 4.6 bits (about 4.3 with ±1 directions); unrelated texts
 * are 32 bits apart on average.  Over 2000 pairs the means have a standard
 * error under 0.1 bit.
 */
static void
test_distances(void)
{
	uint32_t	a[40],
				b[40];
	char		ta[512],
				tb[512];
	long		near = 0,
				far = 0;
	size_t		n;

	rng_seed(7);
	for (int t = 0; t < 2000; t++)
	{
		random_words(a, 40);
		memcpy(b, a, sizeof a);
		b[rng_below(40)] = 1000000 + (uint32_t) t;
		render(ta, sizeof ta, a, 40);
		render(tb, sizeof tb, b, 40);
		near += hamming(simhash(ta, 1, &n), simhash(tb, 1, &n));
		random_words(b, 40);
		render(tb, sizeof tb, b, 40);
		far += hamming(simhash(ta, 1, &n), simhash(tb, 1, &n));
	}
	diag("mean Hamming distance: one word of 40 replaced %.3f, unrelated %.3f",
		 near / 2000.0, far / 2000.0);
	ok(near >= 2000 * 3.5 && near <= 2000 * 5.0, "one word of 40 replaced: 3.5 to 5 bits on average");
	ok(far >= 2000 * 31.5 && far <= 2000 * 32.5, "unrelated texts: 31.5 to 32.5 bits on average");
}

int
main(void)
{
	test_known_values();
	test_definition();
	test_no_words();
	test_properties();
	test_distances();
	return done_testing();
}
