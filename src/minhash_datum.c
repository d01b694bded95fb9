/* minhash_datum.c: see minhash_datum.h. */
#include "postgres.h"

#include "utils/memutils.h"

#include "minhash_datum.h"

MinHash *
minhash_new(uint32 k, uint64 seed, MemoryContext cxt)
{
	MinHash    *m = MemoryContextAllocZero(cxt, MINHASH_SIZE(k));

	SET_VARSIZE(m, MINHASH_SIZE(k));
	m->k = (uint16) k;
	m->version = SY_MINHASH_WIRE_VERSION;
	m->seed = seed;
	sy_minhash_clear(m->mins, k);
	return m;
}

MinHash *
minhash_from_datum(Datum d)
{
	MinHash    *m = (MinHash *) PG_DETOAST_DATUM(d);

	if (VARSIZE(m) < offsetof(MinHash, mins) || m->version != SY_MINHASH_WIRE_VERSION ||
		m->k < SY_MINHASH_MIN_K || m->k > SY_MINHASH_MAX_K || VARSIZE(m) != MINHASH_SIZE(m->k))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted minhash value")));
	return m;
}

MinHash *
minhash_copy(const MinHash *m, MemoryContext cxt)
{
	MinHash    *copy = MemoryContextAlloc(cxt, VARSIZE(m));

	memcpy(copy, m, VARSIZE(m));
	return copy;
}

void
minhash_check_k(int64 k, const char *what)
{
	if (k < SY_MINHASH_MIN_K || k > SY_MINHASH_MAX_K)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: signature size k must be between %d and %d, not " INT64_FORMAT,
						what, SY_MINHASH_MIN_K, SY_MINHASH_MAX_K, k)));
}

void
minhash_check_comparable(const MinHash *a, const MinHash *b, const char *what)
{
	if (a->k != b->k)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s: MinHash signatures of different sizes (%u and %u) cannot be compared",
						what, a->k, b->k),
				 errhint("Build both with the same k.")));
	if (a->seed != b->seed)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s: MinHash signatures of different seeds (" INT64_FORMAT " and "
						INT64_FORMAT ") cannot be compared",
						what, (int64) a->seed, (int64) b->seed),
				 errhint("Build both with the same seed.")));
}

const sy_minhash_family *
minhash_family(uint32 k, uint64 seed)
{
	static sy_minhash_family family;
	static void *storage;
	static uint32 storage_k;

	if (storage != NULL && family.k == k && family.seed == seed)
		return &family;
	if (storage == NULL || storage_k < k)
	{
		void	   *bigger = MemoryContextAlloc(TopMemoryContext, sy_minhash_family_size(k));

		if (storage != NULL)
			pfree(storage);
		storage = bigger;
		storage_k = k;
	}
	sy_minhash_family_init(&family, k, seed, storage);
	return &family;
}
