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

int			sybil_graph_memory_limit_kb = 1024 * 1024;

pg_attribute_noreturn() static void
over_budget(const SybilBudget *b, Size more)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("%s: the graph needs more memory than sybil.graph_memory_limit allows", b->what),
			 errdetail("The limit is %zu kB; the graph holds %zu kB and asked for %zu kB more.",
					   b->limit / 1024, b->used / 1024, more / 1024 + 1),
			 errhint("Raise it for this session, e.g. SET sybil.graph_memory_limit = '4GB', "
					 "or filter the edges or rows first.")));
}

static void *
budget_alloc(void *ctx, size_t size)
{
	SybilBudget *b = ctx;
	void	   *p;

	if (size > b->limit - b->used)
		over_budget(b, size);
	p = MemoryContextAllocHuge(b->cxt, size == 0 ? 1 : size);
	b->used += GetMemoryChunkSpace(p);
	return p;
}

static void *
budget_realloc(void *ctx, void *ptr, size_t size)
{
	SybilBudget *b = ctx;
	Size		old = GetMemoryChunkSpace(ptr);

	if (size > b->limit - (b->used - old))
		over_budget(b, size - Min(size, old));
	ptr = repalloc_huge(ptr, size == 0 ? 1 : size);
	b->used = b->used - old + GetMemoryChunkSpace(ptr);
	return ptr;
}

static void
budget_free(void *ctx, void *ptr)
{
	SybilBudget *b = ctx;

	b->used -= GetMemoryChunkSpace(ptr);
	pfree(ptr);
}

Size
sybil_graph_memory_limit(void)
{
	return (Size) sybil_graph_memory_limit_kb * 1024;
}

void
sybil_budget_env_init(sy_env *env, SybilBudget *budget, MemoryContext cxt, Size limit,
					  const char *what)
{
	budget->cxt = cxt;
	budget->used = 0;
	budget->limit = limit;
	budget->what = what;
	env->alloc = budget_alloc;
	env->realloc = budget_realloc;
	env->free = budget_free;
	env->poll = poll_interrupts;
	env->ctx = budget;
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
