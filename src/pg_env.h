/*
 * pg_env.h: the core's environment inside PostgreSQL, and core statuses
 * turned into ERRORs.
 */
#ifndef SYBIL_PG_ENV_H
#define SYBIL_PG_ENV_H

#include "postgres.h"
#include "core/env.h"

/* Core allocations in cxt (huge allocations allowed); polls interrupts. */
void		sybil_env_init(sy_env *env, MemoryContext cxt);

/* Raise the ERROR for a failed core status; what names the operation. */
pg_attribute_noreturn() void sybil_raise(sy_status st, const char *what);

static inline void
sybil_check(sy_status st, const char *what)
{
	if (st != SY_OK)
		sybil_raise(st, what);
}

#endif
