/*
 * fuzz_text_shingles.c: libFuzzer target for the tokenizer and shingle
 * hashes (src/core/text_shingles.c) and SimHash (src/core/simhash.c).
 *
 * Arbitrary bytes as a text, valid UTF-8 or not.  With W the number of
 * single-word shingles (the words):
 *   - shingles of w words, for w = 2, 16 and one size the input picks:
 *     max(W - w + 1, 1) shingles, 0 if W = 0, each one emitted; any w
 *     outside 1..16 emits nothing;
 *   - the text cut in two at any byte and joined by a space has the words
 *     of the first part followed by those of the second, and the same
 *     SimHash as the parts in the other order (the same bag of words);
 *   - lowercasing the ASCII letters, or surrounding the text with spaces and
 *     zero-width spaces, changes no shingle;
 *   - a text without words has SimHash 0 and no shingle;
 *   - the opening of w words is the first shingle of w words, and exists
 *     exactly when the text has a word.
 */
#include "fuzz_common.h"
#include "simhash.h"
#include "text_shingles.h"

typedef struct collected
{
	uint64_t   *h;
	size_t		n;
	size_t		cap;
} collected;

static void
collect(void *arg, uint64_t hash)
{
	collected  *c = arg;

	CHECK(c->n < c->cap);
	c->h[c->n++] = hash;
}

/* A text of len bytes has at most len words, so at most len shingles. */
static void
collected_init(collected *c, size_t len)
{
	c->cap = len + 1;
	c->h = malloc(c->cap * sizeof(uint64_t));
	CHECK(c->h != NULL);
	c->n = 0;
}

static size_t
shingles(const unsigned char *text, size_t len, int words, collected *out)
{
	size_t		count;

	out->n = 0;
	count = sy_text_shingles((const char *) text, len, words, collect, out);
	CHECK(count == out->n);
	return count;
}

static int
same_hashes(const uint64_t *a, const uint64_t *b, size_t n)
{
	return n == 0 || memcmp(a, b, n * sizeof(uint64_t)) == 0;
}

/* a + ' ' + b in a block of exactly that size (ASan sees any overread) */
static unsigned char *
join(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
	unsigned char *t = malloc(alen + 1 + blen);

	CHECK(t != NULL);
	memcpy(t, a, alen);
	t[alen] = ' ';
	memcpy(t + alen + 1, b, blen);
	return t;
}

static void
check_counts(const unsigned char *text, size_t len, size_t n_words, int picked)
{
	static const int bad_sizes[] = {0, -1, SY_SHINGLE_MAX_WORDS + 1, 1000};
	const int	sizes[] = {2, SY_SHINGLE_MAX_WORDS, picked};
	collected	c;

	collected_init(&c, len);
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
	{
		size_t		w = (size_t) sizes[i];
		size_t		want = n_words == 0 ? 0 : n_words >= w ? n_words - w + 1 : 1;

		CHECK(shingles(text, len, sizes[i], &c) == want);
	}
	for (size_t i = 0; i < sizeof bad_sizes / sizeof bad_sizes[0]; i++)
		CHECK(shingles(text, len, bad_sizes[i], &c) == 0);
	free(c.h);
}

/* words(a + ' ' + b) = words(a), words(b); SimHash(a ' ' b) = SimHash(b ' ' a) */
static void
check_split(const unsigned char *text, size_t len, size_t cut)
{
	unsigned char *ab = join(text, cut, text + cut, len - cut);
	unsigned char *ba = join(text + cut, len - cut, text, cut);
	collected	first,
				second,
				joined;
	size_t		n_ab,
				n_ba;

	collected_init(&first, cut);
	collected_init(&second, len - cut);
	collected_init(&joined, len + 1);
	shingles(text, cut, 1, &first);
	shingles(text + cut, len - cut, 1, &second);
	shingles(ab, len + 1, 1, &joined);
	CHECK(joined.n == first.n + second.n);
	CHECK(same_hashes(joined.h, first.h, first.n));
	CHECK(same_hashes(joined.h + first.n, second.h, second.n));
	CHECK(sy_simhash((const char *) ab, len + 1, 1, &n_ab) ==
		  sy_simhash((const char *) ba, len + 1, 1, &n_ba));
	CHECK(n_ab == joined.n && n_ba == joined.n);
	free(first.h);
	free(second.h);
	free(joined.h);
	free(ab);
	free(ba);
}

/* lowercased ASCII, or spaces and zero-width spaces around: the same shingles */
static void
check_invariance(const unsigned char *text, size_t len)
{
	static const unsigned char zwsp[] = {0xE2, 0x80, 0x8B};
	unsigned char *lower = malloc(len + 1);
	unsigned char *wrapped = malloc(len + 8);
	collected	plain,
				other;

	CHECK(lower != NULL && wrapped != NULL);
	for (size_t i = 0; i < len; i++)
		lower[i] = text[i] >= 'A' && text[i] <= 'Z' ? (unsigned char) (text[i] - 'A' + 'a') : text[i];
	wrapped[0] = ' ';
	memcpy(wrapped + 1, zwsp, 3);
	memcpy(wrapped + 4, text, len);
	memcpy(wrapped + 4 + len, zwsp, 3);
	wrapped[len + 7] = ' ';

	collected_init(&plain, len);
	collected_init(&other, len + 8);
	shingles(text, len, 3, &plain);
	shingles(lower, len, 3, &other);
	CHECK(other.n == plain.n && same_hashes(other.h, plain.h, plain.n));
	shingles(wrapped, len + 8, 3, &other);
	CHECK(other.n == plain.n && same_hashes(other.h, plain.h, plain.n));
	free(plain.h);
	free(other.h);
	free(lower);
	free(wrapped);
}

static void
check_opening(const unsigned char *text, size_t len, size_t n_words, int w)
{
	collected	c;
	uint64_t	opening = 0;

	collected_init(&c, len);
	shingles(text, len, w, &c);
	CHECK(sy_text_opening((const char *) text, len, w, &opening) == (n_words > 0));
	CHECK(n_words == 0 || opening == c.h[0]);
	free(c.h);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	collected	words;
	size_t		n_shingles;
	uint64_t	fingerprint;

	collected_init(&words, size);
	shingles(data, size, 1, &words);
	/* the input's first and last bytes pick a shingle size and a cut */
	check_counts(data, size, words.n, size > 0 ? 1 + data[size - 1] % SY_SHINGLE_MAX_WORDS : 1);
	check_split(data, size, size > 0 ? data[0] % (size + 1) : 0);
	check_invariance(data, size);
	fingerprint = sy_simhash((const char *) data, size, SY_SIMHASH_DEFAULT_WORDS, &n_shingles);
	CHECK(n_shingles == words.n);
	CHECK(words.n > 0 || fingerprint == 0);
	check_opening(data, size, words.n, size > 0 ? 1 + data[0] % SY_SHINGLE_MAX_WORDS : 3);
	free(words.h);
	return 0;
}
