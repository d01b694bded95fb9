/*
 * minhash_datum.h: sybil.minhash values inside PostgreSQL.
 *
 * In memory a signature is its header and k native-order minima behind a
 * varlena header; the wire form (core/minhash.h) is only for send/recv and
 * text.  A signature is small and fixed in size, so an aggregate keeps the
 * flat value as its state and updates the minima in place.
 */
#ifndef SYBIL_MINHASH_DATUM_H
#define SYBIL_MINHASH_DATUM_H

#include "postgres.h"

#include "fmgr.h"

#include "core/minhash.h"

typedef struct MinHash
{
	int32		vl_len_;
	uint16		k;
	uint8		version;
	uint8		reserved;
	uint64		seed;
	uint32		mins[FLEXIBLE_ARRAY_MEMBER];
} MinHash;

#define MINHASH_SIZE(k) (offsetof(MinHash, mins) + (Size) (k) * sizeof(uint32))
#define PG_GETARG_MINHASH_P(n) minhash_from_datum(PG_GETARG_DATUM(n))

/* The signature behind a datum, detoasted; ERROR if its header is corrupt. */
MinHash    *minhash_from_datum(Datum d);

/* A signature of the empty set, in cxt. */
MinHash    *minhash_new(uint32 k, uint64 seed, MemoryContext cxt);

/* A copy of m in cxt. */
MinHash    *minhash_copy(const MinHash *m, MemoryContext cxt);

/* ERROR unless k is a signature size; what names the caller. */
void		minhash_check_k(int64 k, const char *what);

/* ERROR unless a and b have the same size and seed; what names the caller. */
void		minhash_check_comparable(const MinHash *a, const MinHash *b, const char *what);

/* The hash family of (k, seed), cached for the backend's lifetime. */
const sy_minhash_family *minhash_family(uint32 k, uint64 seed);

#endif
