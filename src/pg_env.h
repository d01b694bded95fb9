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

/* sybil.graph_memory_limit, in kB: the most memory one graph may take. */
extern int	sybil_graph_memory_limit_kb;

/* sybil.graph_memory_limit in bytes. */
Size		sybil_graph_memory_limit(void);

/*
 * A core environment whose allocations in cxt are counted against limit
 * bytes (usually sybil_graph_memory_limit(); SIZE_MAX for none): past it
 * the allocator raises an ERROR naming what, instead of letting a graph
 * grow until the OOM killer stops the server.
 */
typedef struct SybilBudget
{
	MemoryContext cxt;
	Size		used;
	Size		limit;
	const char *what;
} SybilBudget;

void		sybil_budget_env_init(sy_env *env, SybilBudget *budget, MemoryContext cxt,
								  Size limit, const char *what);

/* Raise the ERROR for a failed core status; what names the operation. */
pg_attribute_noreturn() void sybil_raise(sy_status st, const char *what);

static inline void
sybil_check(sy_status st, const char *what)
{
	if (st != SY_OK)
		sybil_raise(st, what);
}

#endif
