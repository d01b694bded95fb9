/*
 * prefaulted_array.h: a growing array of fixed-size elements whose pages a
 * thread of ours makes resident ahead of the backend writing them.
 *
 * A fresh page costs a page fault at its first write, and a fault costs
 * microseconds on a virtual machine: copying 50 MB of signatures into new
 * memory took longer than the scan that read them.  The array lives in an
 * address range reserved at once, so it never moves; it is counted against
 * a SybilBudget as it grows; and a thread populates its pages
 * (MADV_POPULATE_WRITE, Linux 5.14 and later) a few megabytes ahead of the
 * last element while the backend reads rows.  Where that is not available
 * the array grows by repalloc instead.  The thread touches nothing of
 * PostgreSQL and blocks every signal.  The thread is joined and the range
 * unmapped when the memory context the array was made in is reset or
 * deleted, an ERROR included.
 */
#ifndef SYBIL_PREFAULTED_ARRAY_H
#define SYBIL_PREFAULTED_ARRAY_H

#include "postgres.h"

#include "pg_env.h"

typedef struct PrefaultedArray PrefaultedArray;

/* An empty array of elem_size-byte elements, in the budget's memory context. */
PrefaultedArray *prefaulted_array_create(SybilBudget *budget, Size elem_size);

/* Room for one more element at the end (ERROR past the budget). */
void	   *prefaulted_array_push(PrefaultedArray *a);

/* No more elements: the thread stops.  Returns the elements. */
void	   *prefaulted_array_finish(PrefaultedArray *a);

#endif
