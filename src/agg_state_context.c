/* agg_state_context.c: the registry of shared aggregate-state contexts. */
#include "postgres.h"

#include "utils/memutils.h"

#include "agg_state_context.h"

typedef struct SharedStateContext
{
	MemoryContext cxt;
	const char *kind;
	void	   *payload;
	MemoryContextCallback forget;
	struct SharedStateContext *next;
} SharedStateContext;

/* The shared contexts of this backend's live aggregate contexts. */
static SharedStateContext *registry = NULL;

static void
forget_context(void *arg)
{
	SharedStateContext **link;

	for (link = &registry; *link != NULL; link = &(*link)->next)
		if (*link == arg)
		{
			*link = ((SharedStateContext *) arg)->next;
			return;
		}
}

void *
sybil_agg_state_context(MemoryContext aggcxt, const char *kind, Size payload_size,
						MemoryContext *cxt, bool *created)
{
	SharedStateContext *entry;

	for (entry = registry; entry != NULL; entry = entry->next)
		if (entry->kind == kind && MemoryContextGetParent(entry->cxt) == aggcxt)
		{
			*cxt = entry->cxt;
			*created = false;
			return entry->payload;
		}
	*cxt = AllocSetContextCreate(aggcxt, "sybil aggregate states", ALLOCSET_DEFAULT_SIZES);
	MemoryContextSetIdentifier(*cxt, kind);
	entry = MemoryContextAllocZero(*cxt, sizeof(SharedStateContext));
	entry->cxt = *cxt;
	entry->kind = kind;
	entry->payload = MemoryContextAllocZero(*cxt, payload_size);
	entry->forget.func = forget_context;
	entry->forget.arg = entry;
	MemoryContextRegisterResetCallback(*cxt, &entry->forget);
	entry->next = registry;
	registry = entry;
	*created = true;
	return entry->payload;
}
