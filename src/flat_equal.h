/*
 * flat_equal.h: equality of types whose flat form is canonical (one
 * encoding per value), so that equal values have equal bytes.
 */
#ifndef SYBIL_FLAT_EQUAL_H
#define SYBIL_FLAT_EQUAL_H

#include "postgres.h"

#include "fmgr.h"

/* Whether arguments 0 and 1 (detoasted, flattened if expanded) have the
 * same bytes. */
static inline bool
sybil_flat_args_equal(FunctionCallInfo fcinfo)
{
	struct varlena *a = PG_GETARG_VARLENA_P(0);
	struct varlena *b = PG_GETARG_VARLENA_P(1);

	return VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0;
}

#endif
