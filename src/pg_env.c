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
	*env = (sy_env) {palloc_alloc, palloc_realloc, palloc_free, poll_interrupts, cxt};
}

int			sybil_graph_memory_limit_kb = 1024 * 1024;

pg_attribute_noreturn() static void
over_budget_holding(const SybilBudget *b, Size held, Size more)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("%s: the graph needs more memory than sybil.graph_memory_limit allows", b->what),
			 errdetail("The limit is %zu kB; the graph holds %zu kB and asked for %zu kB more.",
					   b->limit / 1024, held / 1024, more / 1024 + 1),
			 errhint("Raise it for this session, e.g. SET sybil.graph_memory_limit = '4GB', "
					 "or filter the edges or rows first.")));
}

pg_attribute_noreturn() static void
over_budget(const SybilBudget *b, Size more)
{
	over_budget_holding(b, sybil_budget_used(b), more);
}

/* Count size more bytes if the limit allows; whether it did. */
static bool
charge(SybilBudget *b, uint64 size)
{
	if (pg_atomic_add_fetch_u64(&b->used, (int64) size) <= b->limit)
		return true;
	pg_atomic_sub_fetch_u64(&b->used, (int64) size);
	return false;
}

/* What was counted as `counted` bytes takes `actual`. */
static void
recount(SybilBudget *b, Size counted, Size actual)
{
	pg_atomic_add_fetch_u64(&b->used, (int64) actual - (int64) counted);
}

static void *
budget_alloc(void *ctx, size_t size)
{
	SybilBudget *b = ctx;
	void	   *p;

	if (!charge(b, size))
		over_budget(b, size);
	p = MemoryContextAllocHuge(b->cxt, size == 0 ? 1 : size);
	recount(b, size, GetMemoryChunkSpace(p));
	return p;
}

static void *
budget_realloc(void *ctx, void *ptr, size_t size)
{
	SybilBudget *b = ctx;
	Size		old = GetMemoryChunkSpace(ptr);
	Size		more = size > old ? size - old : 0;

	if (!charge(b, more))
		over_budget(b, more);
	ptr = repalloc_huge(ptr, size == 0 ? 1 : size);
	recount(b, old + more, GetMemoryChunkSpace(ptr));
	return ptr;
}

static void
budget_free(void *ctx, void *ptr)
{
	SybilBudget *b = ctx;

	recount(b, GetMemoryChunkSpace(ptr), 0);
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
	pg_atomic_init_u64(&budget->used, 0);
	budget->limit = limit;
	budget->what = what;
	*env = (sy_env) {budget_alloc, budget_realloc, budget_free, poll_interrupts, budget};
}

Size
sybil_budget_used(const SybilBudget *budget)
{
	return (Size) pg_atomic_read_u64(unconstify(pg_atomic_uint64 *, &budget->used));
}

Size
sybil_budget_left(const SybilBudget *budget)
{
	Size		used = sybil_budget_used(budget);

	return used >= budget->limit ? 0 : budget->limit - used;
}

void
sybil_budget_charge(SybilBudget *budget, Size size)
{
	if (!charge(budget, size))
		over_budget(budget, size);
}

void
sybil_budget_refund(SybilBudget *budget, Size size)
{
	recount(budget, size, 0);
}

bool
sybil_budget_try_charge(SybilBudget *budget, Size size)
{
	return charge(budget, size);
}

void
sybil_budget_exceeded(const SybilBudget *budget, Size more)
{
	over_budget(budget, more);
}

/* Before each thread allocation: its size, keeping the memory aligned as malloc's. */
#define THREAD_HEADER MAXALIGN(sizeof(uint64) * 2)

static void *
thread_alloc(void *ctx, size_t size)
{
	SybilThreadBudget *b = ctx;
	uint64		total = (uint64) size + THREAD_HEADER;
	char	   *p;

	if (!charge(b->parent, total))
	{
		pg_atomic_write_u64(&b->held, sybil_budget_used(b->parent));
		pg_atomic_write_u64(&b->refused, total);
		return NULL;
	}
	p = malloc(total);
	if (p == NULL)
	{
		recount(b->parent, total, 0);
		return NULL;
	}
	*(uint64 *) p = total;
	return p + THREAD_HEADER;
}

static void
thread_free(void *ctx, void *ptr)
{
	SybilThreadBudget *b = ctx;
	char	   *p = (char *) ptr - THREAD_HEADER;

	recount(b->parent, *(uint64 *) p, 0);
	free(p);
}

static void *
thread_realloc(void *ctx, void *ptr, size_t size)
{
	void	   *bigger = thread_alloc(ctx, size);
	uint64		old;

	if (bigger == NULL || ptr == NULL)
		return bigger;
	old = *(uint64 *) ((char *) ptr - THREAD_HEADER) - THREAD_HEADER;
	memcpy(bigger, ptr, Min(old, size));
	thread_free(ctx, ptr);
	return bigger;
}

void
sybil_thread_env_init(sy_env *env, SybilThreadBudget *budget, SybilBudget *parent)
{
	pg_atomic_init_u64(&budget->refused, 0);
	pg_atomic_init_u64(&budget->held, 0);
	budget->parent = parent;
	*env = (sy_env) {thread_alloc, thread_realloc, thread_free, NULL, budget};
}

void
sybil_thread_budget_check(SybilThreadBudget *budget)
{
	uint64		refused = pg_atomic_read_u64(&budget->refused);

	if (refused != 0)
		over_budget_holding(budget->parent, pg_atomic_read_u64(&budget->held), refused);
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
