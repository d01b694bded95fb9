/* pg_env.c: palloc-backed core environment and status-to-ERROR mapping. */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/memutils.h"

#include "pg_env.h"

static void *
palloc_alloc(void *ctx, size_t size)
{
	return MemoryContextAllocHuge((MemoryContext) ctx, size == 0 ? 1 : size);
}

static void *
palloc_realloc(void *ctx, void *ptr, size_t size)
{
	(void) ctx;
	return repalloc_huge(ptr, size == 0 ? 1 : size);
}

static void
palloc_free(void *ctx, void *ptr)
{
	(void) ctx;
	pfree(ptr);
}

static void
poll_interrupts(void *ctx)
{
	(void) ctx;
	CHECK_FOR_INTERRUPTS();
}

void
sybil_env_init(sy_env *env, MemoryContext cxt)
{
	env->alloc = palloc_alloc;
	env->realloc = palloc_realloc;
	env->free = palloc_free;
	env->poll = poll_interrupts;
	env->ctx = cxt;
}

void
sybil_raise(sy_status st, const char *what)
{
	switch (st)
	{
		case SY_ETOOBIG:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("%s: result would exceed the 1 GB limit of a value", what)));
			break;
		case SY_EOVERFLOW:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s: a count overflowed double precision", what)));
			break;
		case SY_EVALUE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: counts and weights must be finite and non-negative", what)));
			break;
		case SY_ECORRUPT:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("%s: stored value is corrupted", what)));
			break;
		case SY_ENOMEM:
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("%s: out of memory", what)));
			break;
		default:
			elog(ERROR, "%s: unexpected status %d", what, (int) st);
	}
	pg_unreachable();
}
