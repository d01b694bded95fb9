/*
 * agg_state_context.h: one memory context for all the expanded aggregate
 * states of a kind inside one aggregate context.
 *
 * nodeAgg keeps a read-write expanded state without copying it only when
 * the object's context is a child of the aggregate context.  A context per
 * group would cost a kilobyte each, and PostgreSQL 15's hash aggregation
 * sums the memory of every child context whenever it adds a group:
 * quadratic.  So the states of one kind share a child context, found again
 * through a backend-local registry that forgets it when it is reset.  The
 * price: such a state must never be deleted on its own
 * (DeleteExpandedObject would delete its siblings), so transition functions
 * always return the state they were given once it exists, and nodeAgg then
 * never deletes it; the aggregate context's reset frees them all.
 */
#ifndef SYBIL_AGG_STATE_CONTEXT_H
#define SYBIL_AGG_STATE_CONTEXT_H

#include "postgres.h"

/*
 * The shared context of kind (a static string, compared by address, also
 * the context's identifier) under aggcxt, with its payload: payload_size zeroed
 * bytes allocated in it when it is created, *created telling so.
 */
void	   *sybil_agg_state_context(MemoryContext aggcxt, const char *kind, Size payload_size,
									MemoryContext *cxt, bool *created);

#endif
