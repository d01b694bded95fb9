/*
 * text_shingles.h: the words of a text and the stable hashes of its word
 * shingles (runs of consecutive words), the features of sybil.simhash and
 * sybil.minhash.
 *
 * The hashes end up stored (fingerprints, signatures) and compared with
 * values computed elsewhere, so the rules below and the hash definitions
 * are frozen: changing either changes every stored value.
 *
 * Words.  The text is read as UTF-8, one character at a time, and every
 * character is a letter, a separator, ignored, or a word by itself:
 *
 *   - ASCII: A-Z, a-z and 0-9 are letters, A-Z lowercased to a-z; every
 *     other ASCII character (controls, space, punctuation, '_', '\'', '-')
 *     is a separator, so "Don't" is the words "don" and "t".
 *   - Separators beyond ASCII, spaces and punctuation:
 *       U+0080-U+00BF except U+00AD  C1 controls, no-break space, Latin-1
 *                                    punctuation and signs (¡ « » ¿ · ©),
 *                                    also ª º µ ¹ ² ³ ¼ ½ ¾
 *       U+00D7 ×, U+00F7 ÷
 *       U+1680                       Ogham space mark
 *       U+2000-U+206F, except the    General Punctuation: spaces, dashes,
 *         ignored ones below         quotes, bullets, the ellipsis, line
 *                                    and paragraph separators
 *       U+3000-U+303F                CJK Symbols and Punctuation: the
 *                                    ideographic space, 、 。 「 」 ...
 *       U+30FB                       katakana middle dot ・
 *       U+FF01-U+FF0F, U+FF1A-U+FF20,  fullwidth ASCII punctuation
 *       U+FF3B-U+FF40, U+FF5B-U+FF65   (！ ， ： ？ ...), halfwidth CJK
 *                                      punctuation
 *   - Ignored, as if absent, so that they join what they sit between: the
 *     Default_Ignorable_Code_Point characters of Unicode 15.0 (U+00AD soft
 *     hyphen, U+034F, U+061C, U+115F-U+1160, U+17B4-U+17B5, U+180B-U+180F,
 *     U+200B-U+200F zero-width space, non-joiner, joiner and direction
 *     marks, U+202A-U+202E, U+2060-U+206F, U+3164, U+FE00-U+FE0F
 *     variation selectors, U+FEFF, U+FFA0, U+FFF0-U+FFF8, U+1BCA0-U+1BCA3,
 *     U+1D173-U+1D17A, U+E0000-U+E0FFF).  They are invisible, and splitting
 *     a word with one is a cheap way to make a copied prompt look new:
 *     "fr<U+200B>ee" is the word "free".
 *   - A word by itself: the characters of scripts written without spaces
 *     between words, CJK ideographs (U+3400-U+4DBF, U+4E00-U+9FFF,
 *     U+F900-U+FAFF, U+20000-U+3FFFF), hiragana and katakana
 *     (U+3040-U+30FF but U+30FB, U+31F0-U+31FF, U+FF66-U+FF9F).  A Chinese or
 *     Japanese sentence would otherwise be one long word; as single
 *     characters, its shingles are the character n-grams that search
 *     engines use for these languages.
 *   - Every other character is a letter: other scripts, digits, marks,
 *     symbols, emoji; beyond ASCII nothing is case-folded or normalised.
 *   - A byte that does not begin a well-formed UTF-8 sequence (Unicode
 *     table 3-7: no overlong form, surrogate or code point past U+10FFFF)
 *     is a letter by itself.  PostgreSQL validates text in UTF-8
 *     databases, so this only matters for SQL_ASCII ones (and fuzzers).
 *
 * A word is a maximal run of letters (ignored characters aside); its bytes
 * are the UTF-8 of its letters, ASCII lowercased.
 *
 * Hashes (src/core/stable_hash.h):
 *
 *   word hash     h = SY_WORD_SEED, then for each 64-byte chunk c of the
 *                 word's bytes in order (the last one 1 to 64 bytes):
 *                 h = sy_stable_hash(c, |c|, h)
 *   shingle hash  h = SY_SHINGLE_SEED, then for each word hash w of the
 *                 shingle in text order: h = sy_stable_mix(h ^ w)
 *
 * The chunks let a word of any length be hashed without allocating.
 */
#ifndef SYBIL_CORE_TEXT_SHINGLES_H
#define SYBIL_CORE_TEXT_SHINGLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Frozen constants of the hash definitions above. */
#define SY_WORD_SEED UINT64_C(0x737962696c776f72)	/* "sybilwor" */
#define SY_SHINGLE_SEED UINT64_C(0x737962696c73686e)	/* "sybilshn" */
#define SY_WORD_CHUNK 64

/*
 * The longest shingle, in words.  Near-duplicate detection uses 1 to 5;
 * the cap lets the last words' hashes live in a fixed ring.
 */
#define SY_SHINGLE_MAX_WORDS 16

typedef void (*sy_shingle_emit) (void *arg, uint64_t hash);

/*
 * Splits UTF-8 text into words and calls emit with the stable hash of every
 * run of `words` consecutive words, in text order; a text with fewer words
 * than that gives one shingle of all its words, a text with no word gives
 * none.  Returns the number of shingles emitted: max(n - words + 1, 1) for
 * a text of n >= 1 words, 0 for none.  words must be in
 * 1..SY_SHINGLE_MAX_WORDS; otherwise nothing is emitted and the result is 0
 * (callers check it first).  Never allocates; any bytes are safe.
 */
size_t		sy_text_shingles(const char *text, size_t len, int words,
							 sy_shingle_emit emit, void *arg);

/*
 * The hash of the text's opening: its first shingle of `words` words (of
 * all its words if it has fewer), as sy_text_shingles emits it first.
 * Returns false, leaving *hash alone, for a text without a word or words
 * outside 1..SY_SHINGLE_MAX_WORDS.  Prompts filled into one template share
 * their opening whatever goes into the slots after it.
 */
bool		sy_text_opening(const char *text, size_t len, int words, uint64_t *hash);

#endif
