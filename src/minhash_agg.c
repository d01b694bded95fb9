/*
 * minhash_agg.c: MinHash signatures of the items of a group
 * (sybil.minhash_agg) and of signatures (sybil.minhash_union).  The state is
 * the signature itself, allocated in the aggregate context and updated in
 * place; combining two states is merging two signatures.
 */
#include "postgres.h"

#include "minhash_datum.h"
#include "minhash_item.h"

PG_FUNCTION_INFO_V1(minhash_add);
PG_FUNCTION_INFO_V1(minhash_merge);

/*
 * The state to update in place: the aggregate's own state, or a copy when
 * the function is called directly (its argument is not ours to change).  A
 * new state is made in the current context and nodeAgg copies it into the
 * aggregate context, once per group.
 */
static MinHash *
state_for_update(FunctionCallInfo fcinfo)
{
	MinHash    *state;

	if (PG_ARGISNULL(0))
		return NULL;
	state = PG_GETARG_MINHASH_P(0);
	if ((Pointer) state == DatumGetPointer(PG_GETARG_DATUM(0)) &&
		!AggCheckCallContext(fcinfo, NULL))
		state = minhash_copy(state, CurrentMemoryContext);
	return state;
}

/* The item hasher for argument 1's type, kept across calls. */
static ItemHasher *
item_hasher(FunctionCallInfo fcinfo)
{
	ItemHasher *h = fcinfo->flinfo->fn_extra;
	Oid			type = get_fn_expr_argtype(fcinfo->flinfo, 1);

	if (!OidIsValid(type))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sybil.minhash_agg: could not determine the item type")));
	if (h == NULL)
	{
		h = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(ItemHasher));
		item_hasher_init(h, type, fcinfo->flinfo->fn_mcxt);
		fcinfo->flinfo->fn_extra = h;
	}
	return h;
}

/* k and seed of this call: arguments 2 and 3 when given, else the defaults. */
static void
call_parameters(FunctionCallInfo fcinfo, int64 *k, uint64 *seed)
{
	*k = SY_MINHASH_DEFAULT_K;
	*seed = 0;
	if (PG_NARGS() > 2)
	{
		if (PG_ARGISNULL(2) || (PG_NARGS() > 3 && PG_ARGISNULL(3)))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("sybil.minhash_agg: k and seed must not be NULL")));
		*k = PG_GETARG_INT32(2);
		if (PG_NARGS() > 3)
			*seed = (uint64) PG_GETARG_INT64(3);
	}
}

/* minhash_add(state, item [, k [, seed]]): the transition of minhash_agg. */
Datum
minhash_add(PG_FUNCTION_ARGS)
{
	MinHash    *state;
	int64		k;
	uint64		seed;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	state = state_for_update(fcinfo);
	call_parameters(fcinfo, &k, &seed);
	if (state == NULL)
	{
		minhash_check_k(k, "sybil.minhash_agg");
		state = minhash_new((uint32) k, seed, CurrentMemoryContext);
	}
	else if (state->k != k || state->seed != seed)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sybil.minhash_agg: k and seed must be the same in every row of a group")));
	sy_minhash_add(state->mins, minhash_family(state->k, state->seed),
				   item_hash(item_hasher(fcinfo), PG_GETARG_DATUM(1)));
	PG_RETURN_POINTER(state);
}

/* minhash_merge(a, b): the signature of the union; combines both aggregates. */
Datum
minhash_merge(PG_FUNCTION_ARGS)
{
	MinHash    *state;
	MinHash    *other;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	other = PG_GETARG_MINHASH_P(1);
	state = state_for_update(fcinfo);
	if (state == NULL)
		PG_RETURN_POINTER(other);
	minhash_check_comparable(state, other, "sybil.minhash_union");
	sy_minhash_merge(state->mins, other->mins, state->k);
	PG_RETURN_POINTER(state);
}
