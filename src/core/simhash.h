/*
 * simhash.h: 64-bit SimHash fingerprints of texts (Charikar 2002; Manku,
 * Jain and Das Sarma 2007), over the word shingles of text_shingles.h.
 *
 * A text's features are its shingles, each weighted by its number of
 * occurrences.  Bit i of the fingerprint is the sign of the projection of
 * that weighted vector on a random ±1 direction given by bit i of the
 * shingles' hashes:
 *
 *   P_i = sum over shingle occurrences of (bit i of h ? +1 : -1)
 *
 * where h is the shingle hash.  Integer weights make P_i = 0 common in
 * short texts (one bit in six for 30 distinct words), and sending every
 * tie to 0 would pull unrelated texts closer than they are (31 bits apart
 * on average instead of 32); so a tie is broken by a second projection,
 * T_i, computed the same way from sy_stable_mix(h ^ SY_SIMHASH_TIE_SEED):
 *
 *   bit i = 1 if P_i > 0, or P_i = 0 and T_i > 0; else 0
 *
 * which is the sign of the projection on the direction r + e*r' for a tiny
 * e, still a random hyperplane.  For two texts whose weighted feature
 * vectors make an angle theta, each bit differs with probability about
 * theta/pi, so the Hamming distance of their fingerprints is about
 * 64*theta/pi: 0 for the same bag of features, 32 for texts sharing none.
 * (±1 directions are not Gaussian; with a few dozen features the expected
 * distance comes out up to a tenth below 64*theta/pi.)
 */
#ifndef SYBIL_CORE_SIMHASH_H
#define SYBIL_CORE_SIMHASH_H

#include <stddef.h>
#include <stdint.h>

#define SY_SIMHASH_TIE_SEED UINT64_C(0x737962696c746965)	/* "sybiltie" */

/*
 * The default shingle is one word.  Templated prompts differ by the words
 * filled into their slots and by small rewordings; with single words, k
 * words replaced in a text of n distinct words leave a cosine of (n-k)/n,
 * and a reordering changes nothing.  A shingle of w words turns each
 * replaced word into up to w changed features, so the same edit moves the
 * fingerprint about w times as far.  Longer shingles are for telling apart
 * texts that use the same words in a different order.
 */
#define SY_SIMHASH_DEFAULT_WORDS 1

/*
 * The SimHash of text over shingles of `words` words (1..SY_SHINGLE_MAX_WORDS);
 * *shingles gets the number of shingle occurrences.  A text without a word
 * (or an invalid words) gives 0 with *shingles = 0.
 */
uint64_t	sy_simhash(const char *text, size_t len, int words, size_t *shingles);

#endif
