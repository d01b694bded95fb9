/*
 * test_text_shingles.c: unit tests of src/core/text_shingles.c: the
 * tokenizer's rules (as equalities between texts that must read as the
 * same words, and inequalities between texts that must not), the number of
 * shingles, the hash definitions rebuilt from sy_stable_hash, and known
 * values that catch any change of the hashes (they agree with the Python
 * reimplementation in test/reference/simhash_reference.py).  Emits TAP.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "stable_hash.h"
#include "text_shingles.h"
#include "helpers.h"

#define MAX_HASHES 256

typedef struct hashes
{
	size_t		n;
	uint64_t	h[MAX_HASHES];
} hashes;

static void
collect(void *arg, uint64_t hash)
{
	hashes	   *c = arg;

	if (c->n < MAX_HASHES)
		c->h[c->n] = hash;
	c->n++;
}

/* The shingle hashes of text (len bytes); returns count from the core. */
static size_t
shingles_len(const char *text, size_t len, int words, hashes *out)
{
	out->n = 0;
	return sy_text_shingles(text, len, words, collect, out);
}

static size_t
shingles(const char *text, int words, hashes *out)
{
	return shingles_len(text, strlen(text), words, out);
}

static size_t
word_count(const char *text)
{
	hashes		h;

	return shingles(text, 1, &h);
}

static int
same_hashes(const hashes *a, const hashes *b)
{
	return a->n == b->n && memcmp(a->h, b->h, a->n * sizeof(uint64_t)) == 0;
}

/* text a and text b read as the same words */
static void
same_words(const char *a, const char *b, const char *why)
{
	hashes		ha,
				hb;

	shingles(a, 2, &ha);
	shingles(b, 2, &hb);
	ok(same_hashes(&ha, &hb), "same words: %s", why);
}

static void
different_words(const char *a, const char *b, const char *why)
{
	hashes		ha,
				hb;

	shingles(a, 2, &ha);
	shingles(b, 2, &hb);
	ok(!same_hashes(&ha, &hb), "different words: %s", why);
}

/* ------------------------------------------------------ definitions */

static uint64_t
word_hash(const char *bytes, size_t len)
{
	uint64_t	h = SY_WORD_SEED;
	size_t		off = 0;

	do
	{
		size_t		chunk = len - off < SY_WORD_CHUNK ? len - off : SY_WORD_CHUNK;

		h = sy_stable_hash(bytes + off, chunk, h);
		off += chunk;
	} while (off < len);
	return h;
}

/* the shingle of n words given by their hashes */
static uint64_t
shingle_of(const uint64_t *word_hashes, int n)
{
	uint64_t	h = SY_SHINGLE_SEED;

	for (int i = 0; i < n; i++)
		h = sy_stable_mix(h ^ word_hashes[i]);
	return h;
}

static void
test_definitions(void)
{
	char		word[200],
				text[4096];
	uint64_t	wh[20];
	hashes		got;
	size_t		off = 0,
				longest_right = 0;

	shingles("hello", 1, &got);
	ok(got.n == 1 && got.h[0] == shingle_of((uint64_t[]) {word_hash("hello", 5)}, 1),
	   "one word: the shingle hash of its word hash");

	for (int i = 0; i < 20; i++)
	{
		int			n = snprintf(word, sizeof word, "w%d", i);

		wh[i] = word_hash(word, (size_t) n);
		off += (size_t) snprintf(text + off, sizeof text - off, "%s%s", i ? " " : "", word);
	}
	for (int w = 1; w <= SY_SHINGLE_MAX_WORDS; w++)
	{
		int			all = 1;

		shingles(text, w, &got);
		for (int i = 0; i + w <= 20; i++)
			all &= got.h[i] == shingle_of(wh + i, w);
		ok(got.n == (size_t) (20 - w + 1) && all,
		   "20 words, shingles of %d: each the words' hashes chained in order", w);
	}
	shingles("a b", 5, &got);
	ok(got.n == 1 && got.h[0] == shingle_of((uint64_t[]) {word_hash("a", 1), word_hash("b", 1)}, 2),
	   "fewer words than the shingle: one shingle of all of them");

	/* words across the 64-byte chunks */
	for (size_t len = 1; len <= sizeof word; len++)
	{
		memset(word, 'q', len);
		shingles_len(word, len, 1, &got);
		if (got.n != 1 || got.h[0] != shingle_of((uint64_t[]) {word_hash(word, len)}, 1))
			break;
		longest_right = len;
	}
	is_int(longest_right, sizeof word, "words of 1 to 200 bytes hashed in 64-byte chunks");
}

/* ------------------------------------------------------ known values */

typedef struct known
{
	const char *text;
	int			words;
	size_t		n;
	uint64_t	h[3];
} known;

static const known known_values[] = {
	{"hello", 1, 1, {UINT64_C(0x831eaa4d003e40af)}},
	{"Hello, World! hello", 1, 3,
	{UINT64_C(0x831eaa4d003e40af), UINT64_C(0x4939a20dfa4c91d9), UINT64_C(0x831eaa4d003e40af)}},
	{"Hello, World! hello", 2, 2, {UINT64_C(0xfc9368e39c61f01c), UINT64_C(0x11a8d2f0067a5416)}},
	{"the quick brown fox", 3, 2, {UINT64_C(0x8a9e6c1f22020e58), UINT64_C(0xe0d2bce15f44d91f)}},
	{"a b", 5, 1, {UINT64_C(0xb861b51e0068fc19)}},
	{"\xe6\x95\xb0\xe6\x8d\xae\xe6\xa8\xa1\xe5\x9e\x8b", 2, 3,	/* 数据模型 */
	{UINT64_C(0x34ff767bf27ee6d9), UINT64_C(0xca1aaddc128457a0), UINT64_C(0x07a848383b027f08)}},
	{"caf\xc3\xa9 na\xc3\xafve", 1, 2, {UINT64_C(0x0d64a27b7c2a2145), UINT64_C(0xb389294ddba2a277)}},
	{"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 1, 1,	/* 65 */
	{UINT64_C(0xb6779890cd961399)}},
};

static void
test_known_values(void)
{
	for (size_t k = 0; k < sizeof known_values / sizeof known_values[0]; k++)
	{
		const known *kv = &known_values[k];
		hashes		got;

		shingles(kv->text, kv->words, &got);
		ok(got.n == kv->n && memcmp(got.h, kv->h, kv->n * sizeof(uint64_t)) == 0,
		   "known shingle hashes of \"%s\" in shingles of %d", kv->text, kv->words);
	}
}

/* ------------------------------------------------------ counts */

static void
test_counts(void)
{
	static const int bad_sizes[] = {0, -1, INT_MIN, SY_SHINGLE_MAX_WORDS + 1, INT_MAX};
	char		text[256];
	hashes		got;
	size_t		off = 0;
	int			all = 1;

	for (int n = 0; n <= 20; n++)
	{
		text[off] = '\0';
		for (int w = 1; w <= SY_SHINGLE_MAX_WORDS; w++)
		{
			size_t		want = n == 0 ? 0 : (n >= w ? (size_t) (n - w + 1) : 1);
			size_t		count = shingles(text, w, &got);

			if (count != want || got.n != want)
			{
				all = 0;
				diag("%d words, shingles of %d: returned %zu, emitted %zu, want %zu",
					 n, w, count, got.n, want);
			}
		}
		off += (size_t) snprintf(text + off, sizeof text - off, " ,w%d", n);
	}
	ok(all, "0 to 20 words, shingles of 1 to 16: max(n - w + 1, 1) shingles, none without words");

	is_int(shingles("", 1, &got), 0, "empty text: no shingle");
	is_int(shingles(" ,.;!? \t\n", 3, &got), 0, "separators only: no shingle");
	is_int(shingles("\xe2\x80\x8b\xc2\xad", 1, &got), 0, "ignored characters only: no shingle");
	for (size_t i = 0; i < sizeof bad_sizes / sizeof bad_sizes[0]; i++)
	{
		size_t		count = shingles("one two", bad_sizes[i], &got);

		ok(count == 0 && got.n == 0, "shingles of %d words: nothing", bad_sizes[i]);
	}
	is_int(shingles("one", SY_SHINGLE_MAX_WORDS, &got), 1, "shingle of 16 words over one word: one");
	is_int(shingles_len("a\0b", 3, 1, &got), 2, "NUL is a separator");
}

/* ------------------------------------------------------ rules */

static void
test_ascii(void)
{
	same_words("Hello WORLD", "hello world", "ASCII letters are lowercased");
	same_words("a,b;c:d.e!f?g(h)i[j]k{l}m<n>o/p\\q|r\"s'u`v~w@x#y$z%A^B&C*D+E=F",
			   "a b c d e f g h i j k l m n o p q r s u v w x y z a b c d e f",
			   "ASCII punctuation separates words");
	same_words("don't e-mail snake_case", "don t e mail snake case",
			   "apostrophe, hyphen and underscore separate");
	same_words("  lead\t\r\n\x01\x7ftrail  ", "lead trail", "controls and DEL separate");
	same_words("abc123 456", "abc123 456", "digits are letters");
	different_words("abc123", "abc 123", "digits join letters");
	is_int(word_count("x\x7fy\x1fz"), 3, "DEL and controls separate");
}

static void
test_separators(void)
{
	/* each first and last code point of the separator table, and a letter just outside */
	static const char *const seps[] = {
		"\xc2\x80", "\xc2\xa0", "\xc2\xbf", "\xc3\x97", "\xc3\xb7", "\xe1\x9a\x80",
		"\xe2\x80\x80", "\xe2\x80\x94", "\xe2\x80\x9c", "\xe2\x80\xa6", "\xe2\x80\xa8",
		"\xe2\x81\x9f", "\xe3\x80\x80", "\xe3\x80\x82", "\xe3\x80\xbf", "\xe3\x83\xbb",
		"\xef\xbc\x81", "\xef\xbc\x8f", "\xef\xbc\x9a", "\xef\xbc\xa0", "\xef\xbc\xbb",
		"\xef\xbd\x80", "\xef\xbd\x9b", "\xef\xbd\xa5",
	};
	static const char *const letters[] = {
		"\xc3\x80", "\xc3\x96", "\xc3\x98", "\xc3\xb6", "\xc3\xb8", "\xe1\x99\xbf",
		"\xe1\x9a\x81", "\xe1\xbf\xbf", "\xe2\x81\xb0", "\xef\xbc\x90", "\xef\xbc\x99",
		"\xef\xbc\xa1", "\xef\xbd\x81", "\xef\xbf\xbd", "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf",
		"\xea\xb0\x80", "\xd0\xb6", "\xcf\x89",
	};
	char		text[32];
	int			all = 1;

	for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++)
	{
		snprintf(text, sizeof text, "ab%scd", seps[i]);
		if (word_count(text) != 2)
		{
			all = 0;
			diag("not a separator: %s", seps[i]);
		}
	}
	ok(all, "the separators beyond ASCII: both ends of each range");
	for (size_t i = 0; i < sizeof letters / sizeof letters[0]; i++)
	{
		snprintf(text, sizeof text, "ab%scd", letters[i]);
		if (word_count(text) != 1)
		{
			all = 0;
			diag("not a letter: %s", letters[i]);
		}
	}
	ok(all, "letters beside the separator ranges, other scripts, emoji, U+FFFD, U+10FFFF");
	same_words("a\xc2\xa0\xc2\xa0" "b\xe3\x80\x80" "c", "a b c", "no-break and ideographic spaces");
	different_words("CAF\xc3\x89", "caf\xc3\xa9", "no case folding beyond ASCII");
}

static void
test_ignored(void)
{
	same_words("fr\xe2\x80\x8b" "ee mo\xc2\xadney", "free money", "zero-width space and soft hyphen join");
	same_words("\xef\xbb\xbfstart", "start", "a byte-order mark is ignored");
	same_words("a\xe2\x80\x8c\xe2\x80\x8d\xe2\x80\x8e\xe2\x80\x8f" "b", "ab", "ZWNJ, ZWJ, LRM, RLM");
	same_words("a\xe2\x80\xaa\xe2\x80\xae\xe2\x81\xa0\xe2\x81\xaf" "b", "ab",
			   "bidi embeddings, word joiner, U+206F (inside General Punctuation)");
	same_words("\xe2\x9d\xa4\xef\xb8\x8f x", "\xe2\x9d\xa4 x", "variation selectors");
	same_words("a\xf3\xa0\x80\x81\xf3\xa0\x80\xa0\xf3\xa0\xbf\xbf" "b", "ab", "tag characters, U+E0FFF");
	same_words("a\xcd\x8f" "b\xd8\x9c" "c\xe1\x85\x9f" "d\xe3\x85\xa4" "e\xef\xbe\xa0" "f", "abcdef",
			   "CGJ, Arabic letter mark, Hangul fillers");
	is_int(word_count("a\xf3\xa1\x80\x80" "b"), 1, "U+E1000 (past the tags) is a letter");
	is_int(word_count("a\xe2\x80\x8a" "b"), 2, "U+200A (hair space) separates");
	is_int(word_count("a\xe2\x80\xaf" "b"), 2, "U+202F (narrow no-break space) separates");
}

static void
test_alone(void)
{
	same_words("\xe6\x95\xb0\xe6\x8d\xae", "\xe6\x95\xb0 \xe6\x8d\xae", "ideographs are words by themselves");
	is_int(word_count("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xa7\xe3\x81\x99"), 5, "日本語です: 5 words");
	is_int(word_count("\xe3\x82\xab\xe3\x82\xbf\xe3\x82\xab\xe3\x83\x8a"), 4, "カタカナ: 4 words");
	is_int(word_count("\xe3\x83\x96\xe3\x83\xa9\xe3\x83\xb3\xe3\x83\x89\xe3\x83\xbb"), 4,
		   "katakana middle dot is a separator");
	is_int(word_count("abc\xe4\xb8\xad" "def"), 3, "an ideograph splits Latin letters");
	is_int(word_count("\xf0\xa0\x80\x80\xf0\xaf\xbf\xbf"), 2, "ideographs beyond the BMP");
	is_int(word_count("\xea\xb0\x80\xeb\x82\x98\xeb\x8b\xa4"), 1, "Hangul syllables make one word");
	is_int(word_count("\xef\xbd\xb6\xef\xbe\x9f"), 2, "halfwidth katakana");
}

static void
test_invalid_utf8(void)
{
	hashes		got;

	is_int(word_count("a\xff" "b"), 1, "0xFF is a letter");
	is_int(word_count("a\xc0\xaf" "b"), 1, "an overlong '/' is two letter bytes, not a separator");
	is_int(word_count("a\xe0\x80\xa0" "b"), 1, "an overlong space is letters");
	is_int(word_count("a\xed\xa0\x80" "b"), 1, "a surrogate is letters");
	is_int(word_count("a\xf4\x90\x80\x80" "b"), 1, "past U+10FFFF is letters");
	is_int(word_count("a\xe3\x80" "b"), 1, "a truncated ideographic space is letters");
	is_int(word_count("a\x80\x80 b"), 2, "stray continuation bytes are letters");
	is_int(word_count("a\xe2\x80\x8b"), 1, "a complete zero-width space at the end");
	is_int(shingles_len("abc\xe2\x80", 5, 1, &got), 1, "a sequence cut by the end of the text");
	is_int(shingles_len("\xf0", 1, 1, &got), 1, "a lone lead byte");
	different_words("a\xff", "a", "an invalid byte is part of the word");
}

/* The opening is the first shingle, whatever follows it. */
static void
test_opening(void)
{
	hashes		h;
	uint64_t	opening = 0,
				other = 0;

	shingles("Act as an autonomous agent. Objective #1", 3, &h);
	ok(sy_text_opening("Act as an autonomous agent. Objective #1", 40, 3, &opening) && opening == h.h[0],
	   "opening: the first shingle of 3 words");
	ok(sy_text_opening("act, as AN -- planner #2", 24, 3, &other) && other == opening,
	   "opening: the same for any slot filling after it");
	ok(sy_text_opening("Act as a planner", 16, 3, &other) && other != opening,
	   "opening: differs when the first words do");
	shingles("two words", 3, &h);
	ok(sy_text_opening("two words", 9, 3, &other) && h.n == 1 && other == h.h[0],
	   "opening: a shorter text's opening is all its words");
	other = 42;
	ok(!sy_text_opening("... !!", 6, 3, &other) && other == 42, "opening: none without a word, hash untouched");
	ok(!sy_text_opening("a b c", 5, 0, &other) && !sy_text_opening("a b c", 5, SY_SHINGLE_MAX_WORDS + 1, &other),
	   "opening: none for words out of range");
}

int
main(void)
{
	test_definitions();
	test_known_values();
	test_counts();
	test_ascii();
	test_separators();
	test_ignored();
	test_alone();
	test_invalid_utf8();
	test_opening();
	return done_testing();
}
