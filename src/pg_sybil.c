/* pg_sybil.c: the module's identity and its set-up when a backend loads it. */
#include "postgres.h"

#include <limits.h>

#include "fmgr.h"

#include "utils/guc.h"

#include "core/components.h"
#include "core/histogram.h"
#include "pg_env.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

static uint64
random_hash_key(void)
{
	uint64		key;

	if (!pg_strong_random(&key, sizeof(key)))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("pg_sybil: could not generate a random hash key")));
	return key;
}

/* Key the hash tables with per-process random values; define the settings */
void
_PG_init(void)
{
	sy_hist_set_hash_key(random_hash_key());
	sy_components_set_hash_key(random_hash_key());
	DefineCustomIntVariable("sybil.graph_memory_limit",
							"The most memory one graph (a components aggregate state, "
							"one call of a graph function) may take.",
							"Past it the function stops with an ERROR.",
							&sybil_graph_memory_limit_kb,
							1024 * 1024, 1024, MAX_KILOBYTES,
							PGC_USERSET, GUC_UNIT_KB,
							NULL, NULL, NULL);
	MarkGUCPrefixReserved("sybil");
}
