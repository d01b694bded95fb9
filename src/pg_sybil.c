/* pg_sybil.c: the module's identity and its set-up when a backend loads it. */
#include "postgres.h"

#include "fmgr.h"

#include "core/histogram.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* Key the label hash with a per-process random value */
void
_PG_init(void)
{
	uint64		key;

	if (!pg_strong_random(&key, sizeof(key)))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("pg_sybil: could not generate a random hash key")));
	sy_hist_set_hash_key(key);
}
