/*
 * pg_env.h: the core's environment inside PostgreSQL, and core statuses
 * turned into ERRORs.
 */
#ifndef SYBIL_PG_ENV_H
#define SYBIL_PG_ENV_H

#include "postgres.h"
#include "core/env.h"
#include "port/atomics.h"

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
 * grow until the OOM killer stops the server.  The count is atomic, so
 * that threads of the core can share it (sybil_thread_env_init).
 */
typedef struct SybilBudget
{
	MemoryContext cxt;
	pg_atomic_uint64 used;
	Size		limit;
	const char *what;
} SybilBudget;

void		sybil_budget_env_init(sy_env *env, SybilBudget *budget, MemoryContext cxt,
								  Size limit, const char *what);

/*
 * Count size bytes of memory held outside the environment: ERROR past the
 * limit, or (try) false; no longer count them; raise the ERROR of asking
 * for `more`.
 */
void		sybil_budget_charge(SybilBudget *budget, Size size);
void		sybil_budget_refund(SybilBudget *budget, Size size);
bool		sybil_budget_try_charge(SybilBudget *budget, Size size);
pg_attribute_noreturn() void sybil_budget_exceeded(const SybilBudget *budget, Size more);

/* Bytes counted, and what the limit leaves. */
Size		sybil_budget_used(const SybilBudget *budget);
Size		sybil_budget_left(const SybilBudget *budget);

/*
 * A core environment for threads other than the backend's, which may not
 * palloc, ereport or CHECK_FOR_INTERRUPTS: malloc, counted in `parent`
 * with the backend's own allocations.  Past its limit an allocation
 * returns NULL (the core reports SY_ENOMEM) and the budget remembers its
 * size: then sybil_thread_budget_check raises the parent's ERROR (call it
 * from the backend's thread, the other threads done).
 */
typedef struct SybilThreadBudget
{
	SybilBudget *parent;
	pg_atomic_uint64 refused;	/* size of a refused allocation, or 0 */
	pg_atomic_uint64 held;		/* what parent held then */
} SybilThreadBudget;

void		sybil_thread_env_init(sy_env *env, SybilThreadBudget *budget, SybilBudget *parent);
void		sybil_thread_budget_check(SybilThreadBudget *budget);

/* Raise the ERROR for a failed core status; what names the operation. */
pg_attribute_noreturn() void sybil_raise(sy_status st, const char *what);

static inline void
sybil_check(sy_status st, const char *what)
{
	if (st != SY_OK)
		sybil_raise(st, what);
}

#endif
