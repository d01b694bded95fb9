/*
 * stable_hash.h: hashes whose values never change, on any platform or
 * version, because they end up stored (MinHash signatures, LSH band keys,
 * SimHash fingerprints) and are compared with values computed elsewhere.
 * Unlike the keyed hash tables of histogram.c and components.c, they are not
 * randomised per process: never use them to index a table that an attacker
 * fills.
 */
#ifndef SYBIL_CORE_STABLE_HASH_H
#define SYBIL_CORE_STABLE_HASH_H

#include <stddef.h>
#include <stdint.h>

/* A bijective 64-bit mix (the splitmix64 finaliser): equal in, equal out. */
static inline uint64_t
sy_stable_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	x ^= x >> 31;
	return x;
}

/* 64-bit hash of len bytes; bytes are read little-endian on every host. */
uint64_t	sy_stable_hash(const void *data, size_t len, uint64_t seed);

/* 64-bit hash of a signed integer, equal for equal values of any width. */
static inline uint64_t
sy_stable_hash_int(int64_t value, uint64_t seed)
{
	return sy_stable_mix((uint64_t) value ^ sy_stable_mix(seed ^ UINT64_C(0x9e3779b97f4a7c15)));
}

#endif
