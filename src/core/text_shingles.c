/* text_shingles.c: see text_shingles.h for the rules and the hashes. */
#include "text_shingles.h"

#include <stdbool.h>
#include <stdint.h>

#include "stable_hash.h"

typedef enum char_kind
{
	CHAR_LETTER,
	CHAR_SEPARATOR,
	CHAR_IGNORED,
	CHAR_ALONE					/* a word by itself */
} char_kind;

typedef struct cp_range
{
	uint32_t	first;
	uint32_t	last;
} cp_range;

/* Each table is sorted, and the tables are tried in this order. */

/* Default_Ignorable_Code_Point, Unicode 15.0 (DerivedCoreProperties.txt) */
static const cp_range ignored_chars[] = {
	{0x00AD, 0x00AD}, {0x034F, 0x034F}, {0x061C, 0x061C}, {0x115F, 0x1160},
	{0x17B4, 0x17B5}, {0x180B, 0x180F}, {0x200B, 0x200F}, {0x202A, 0x202E},
	{0x2060, 0x206F}, {0x3164, 0x3164}, {0xFE00, 0xFE0F}, {0xFEFF, 0xFEFF},
	{0xFFA0, 0xFFA0}, {0xFFF0, 0xFFF8}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A},
	{0xE0000, 0xE0FFF},
};

static const cp_range separator_chars[] = {
	{0x0080, 0x00BF}, {0x00D7, 0x00D7}, {0x00F7, 0x00F7}, {0x1680, 0x1680},
	{0x2000, 0x206F}, {0x3000, 0x303F}, {0x30FB, 0x30FB}, {0xFF01, 0xFF0F},
	{0xFF1A, 0xFF20}, {0xFF3B, 0xFF40}, {0xFF5B, 0xFF65},
};

static const cp_range alone_chars[] = {
	{0x3040, 0x30FF}, {0x31F0, 0x31FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF},
	{0xF900, 0xFAFF}, {0xFF66, 0xFF9F}, {0x20000, 0x3FFFF},
};

#define N_RANGES(a) (sizeof(a) / sizeof((a)[0]))

static bool
in_ranges(uint32_t cp, const cp_range *ranges, size_t n)
{
	for (size_t i = 0; i < n && ranges[i].first <= cp; i++)
		if (cp <= ranges[i].last)
			return true;
	return false;
}

static char_kind
classify(uint32_t cp)
{
	if (in_ranges(cp, ignored_chars, N_RANGES(ignored_chars)))
		return CHAR_IGNORED;
	if (in_ranges(cp, separator_chars, N_RANGES(separator_chars)))
		return CHAR_SEPARATOR;
	if (in_ranges(cp, alone_chars, N_RANGES(alone_chars)))
		return CHAR_ALONE;
	return CHAR_LETTER;
}

/*
 * The length of the well-formed UTF-8 sequence of 2 to 4 bytes at s, with
 * its code point in *cp, or 0 when s does not begin one.
 */
static size_t
utf8_decode(const unsigned char *s, size_t avail, uint32_t *cp)
{
	unsigned char lo = 0x80,
				hi = 0xBF;
	size_t		n;
	uint32_t	c;

	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 4;
	else
		return 0;
	/* Unicode table 3-7: no overlong form, surrogate, or past U+10FFFF */
	if (s[0] == 0xE0)
		lo = 0xA0;
	else if (s[0] == 0xED)
		hi = 0x9F;
	else if (s[0] == 0xF0)
		lo = 0x90;
	else if (s[0] == 0xF4)
		hi = 0x8F;
	if (avail < n || s[1] < lo || s[1] > hi)
		return 0;
	c = s[0] & (0x7F >> n);
	for (size_t i = 1; i < n; i++)
	{
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	*cp = c;
	return n;
}

/* The reader's state: the word being read and the hashes of the last words. */
typedef struct shingler
{
	int			words;			/* shingle size */
	sy_shingle_emit emit;
	void	   *arg;
	uint64_t	ring[SY_SHINGLE_MAX_WORDS];	/* word k's hash at k % words */
	size_t		seen;			/* words completed */
	size_t		emitted;
	bool		in_word;
	uint64_t	word_hash;		/* of the current word's full chunks */
	size_t		chunk_len;
	unsigned char chunk[SY_WORD_CHUNK];
} shingler;

/* Emits the shingle of the last count words. */
static void
emit_last(shingler *s, size_t count)
{
	uint64_t	h = SY_SHINGLE_SEED;

	for (size_t k = s->seen - count; k < s->seen; k++)
		h = sy_stable_mix(h ^ s->ring[k % (size_t) s->words]);
	s->emit(s->arg, h);
	s->emitted++;
}

static void
word_add(shingler *s, const unsigned char *bytes, size_t n)
{
	if (!s->in_word)
	{
		s->in_word = true;
		s->word_hash = SY_WORD_SEED;
		s->chunk_len = 0;
	}
	for (size_t i = 0; i < n; i++)
	{
		/* a chunk is hashed once the next byte shows it is not the last */
		if (s->chunk_len == SY_WORD_CHUNK)
		{
			s->word_hash = sy_stable_hash(s->chunk, SY_WORD_CHUNK, s->word_hash);
			s->chunk_len = 0;
		}
		s->chunk[s->chunk_len++] = bytes[i];
	}
}

static void
word_end(shingler *s)
{
	if (!s->in_word)
		return;
	s->in_word = false;
	s->ring[s->seen % (size_t) s->words] = sy_stable_hash(s->chunk, s->chunk_len, s->word_hash);
	s->seen++;
	if (s->seen >= (size_t) s->words)
		emit_last(s, (size_t) s->words);
}

static void
read_ascii(shingler *s, unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
	{
		unsigned char lower = (unsigned char) (c - 'A' + 'a');

		word_add(s, &lower, 1);
	}
	else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
		word_add(s, &c, 1);
	else
		word_end(s);
}

/* Reads the character at p (avail >= 1 bytes); returns its length. */
static size_t
read_char(shingler *s, const unsigned char *p, size_t avail)
{
	uint32_t	cp;
	size_t		n;

	if (p[0] < 0x80)
	{
		read_ascii(s, p[0]);
		return 1;
	}
	n = utf8_decode(p, avail, &cp);
	if (n == 0)
	{
		word_add(s, p, 1);		/* a stray byte is a letter */
		return 1;
	}
	switch (classify(cp))
	{
		case CHAR_LETTER:
			word_add(s, p, n);
			break;
		case CHAR_SEPARATOR:
			word_end(s);
			break;
		case CHAR_IGNORED:
			break;
		case CHAR_ALONE:
			word_end(s);
			word_add(s, p, n);
			word_end(s);
			break;
	}
	return n;
}

/* Reads the text until it ends or max_shingles have been emitted. */
static size_t
read_shingles(const char *text, size_t len, int words, size_t max_shingles,
			  sy_shingle_emit emit, void *arg)
{
	const unsigned char *p = (const unsigned char *) text;
	shingler	s = {0};
	size_t		pos = 0;

	if (words < 1 || words > SY_SHINGLE_MAX_WORDS)
		return 0;
	s.words = words;
	s.emit = emit;
	s.arg = arg;
	while (pos < len && s.emitted < max_shingles)
		pos += read_char(&s, p + pos, len - pos);
	if (s.emitted >= max_shingles)
		return s.emitted;
	word_end(&s);
	if (s.seen > 0 && s.seen < (size_t) words)
		emit_last(&s, s.seen);
	return s.emitted;
}

size_t
sy_text_shingles(const char *text, size_t len, int words, sy_shingle_emit emit, void *arg)
{
	return read_shingles(text, len, words, SIZE_MAX, emit, arg);
}

typedef struct first_shingle
{
	bool		found;
	uint64_t	hash;
} first_shingle;

/* One character can end two shingles (a CJK character after a word). */
static void
keep_first(void *arg, uint64_t hash)
{
	first_shingle *first = arg;

	if (!first->found)
	{
		first->found = true;
		first->hash = hash;
	}
}

/* The opening needs only the text's first words: reading stops there. */
bool
sy_text_opening(const char *text, size_t len, int words, uint64_t *hash)
{
	first_shingle first = {false, 0};

	read_shingles(text, len, words, 1, keep_first, &first);
	if (first.found)
		*hash = first.hash;
	return first.found;
}
