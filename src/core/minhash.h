/*
 * minhash.h: MinHash signatures of sets, for estimating Jaccard similarity
 * without the sets.
 *
 * A signature of size k holds, for each of k hash functions, the least hash
 * of the set's items.  Two sets agree in a slot with probability equal to
 * their Jaccard similarity, so the share of equal slots estimates it with a
 * standard error of sqrt(J(1-J)/k).  Items enter as stable 64-bit hashes
 * (stable_hash.h); slot i hashes an item x as the high 32 bits of
 * a_i*x + b_i modulo 2^64 (multiply-add-shift, a_i odd), whose coefficients
 * come from the seed.  The items are already well mixed, so this cheap
 * family is enough; the tests hold the estimates to their standard error.
 * Signatures compare only with signatures of the same k and seed.
 *
 * The wire form, which is also the binary send/recv form and, in hex, the
 * text form, is: version byte (1), a zero byte, k (uint16), seed (uint64),
 * then k uint32 minima, all big-endian.
 */
#ifndef SYBIL_CORE_MINHASH_H
#define SYBIL_CORE_MINHASH_H

#include <stddef.h>
#include <stdint.h>

#include "env.h"

#define SY_MINHASH_MIN_K 1
#define SY_MINHASH_MAX_K 4096
#define SY_MINHASH_DEFAULT_K 128
#define SY_MINHASH_WIRE_VERSION 1
#define SY_MINHASH_WIRE_HEADER 12

/* The hash family of one (k, seed). */
typedef struct sy_minhash_family
{
	uint32_t	k;
	uint64_t	seed;
	uint64_t   *mult;			/* a_i, odd */
	uint64_t   *add;			/* b_i */
} sy_minhash_family;

/* Bytes that sy_minhash_family_init needs at storage. */
size_t		sy_minhash_family_size(uint32_t k);

/* Lay the family of (k, seed) out in storage (sy_minhash_family_size(k) bytes, 8-aligned). */
void		sy_minhash_family_init(sy_minhash_family *f, uint32_t k, uint64_t seed, void *storage);

/* Every slot of an empty set: larger than any item's hash can make it. */
void		sy_minhash_clear(uint32_t *mins, uint32_t k);

/* Add the item whose stable hash is item to the signature mins. */
void		sy_minhash_add(uint32_t *mins, const sy_minhash_family *f, uint64_t item);

/* into becomes the signature of the union of the two sets. */
void		sy_minhash_merge(uint32_t *into, const uint32_t *from, uint32_t k);

/* Slots where a and b agree. */
uint32_t	sy_minhash_agreements(const uint32_t *a, const uint32_t *b, uint32_t k);

/* Size of the wire form of a signature of size k. */
static inline size_t
sy_minhash_wire_size(uint32_t k)
{
	return SY_MINHASH_WIRE_HEADER + 4 * (size_t) k;
}

/* Write the wire form into out (sy_minhash_wire_size(k) bytes). */
void		sy_minhash_to_wire(uint32_t k, uint64_t seed, const uint32_t *mins, unsigned char *out);

/*
 * Read the header of a wire form: SY_ECORRUPT unless it has a known version,
 * k within bounds and exactly the length that k implies.
 */
sy_status	sy_minhash_wire_header(const unsigned char *wire, size_t len, uint32_t *k,
								   uint64_t *seed);

/* Read the minima of a wire form whose header was accepted. */
void		sy_minhash_wire_mins(const unsigned char *wire, uint32_t k, uint32_t *mins);

/*
 * The text form: "\x" and the wire form in hex (either case in input).
 * Parsing writes the wire bytes to out (at most (len - 2) / 2 bytes) and
 * checks them as sy_minhash_wire_header does; SY_ESYNTAX for bad hex.
 */
size_t		sy_minhash_text_size(uint32_t k);	/* with the terminating NUL */
void		sy_minhash_to_text(const unsigned char *wire, size_t wire_len, char *out);
sy_status	sy_minhash_parse_text(const char *text, size_t len, unsigned char *out,
								  size_t *out_len);

#endif
