/*
 * dense_blocks.c: sybil.dense_blocks, the densest blocks of accounts and
 * items (FRAUDAR, core/dense_blocks.h) from a query of (account, item)
 * rows.
 *
 * The rows are read as the linkage functions read theirs (token_rows.h),
 * into the same graph (core/cooccur.h), with no hub left out: popular
 * items are what the weighting discounts.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "core/dense_blocks.h"
#include "pg_env.h"
#include "token_rows.h"

PG_FUNCTION_INFO_V1(dense_blocks);

#define FNAME "sybil.dense_blocks"

static sy_dense_weighting
parse_weighting(const char *name)
{
	if (strcmp(name, "log") == 0)
		return SY_DENSE_LOG_WEIGHTED;
	if (strcmp(name, "none") == 0)
		return SY_DENSE_UNWEIGHTED;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: unknown weighting \"%s\"", FNAME, name),
			 errhint("Use 'log' (edges to popular items weigh less) or 'none'.")));
}

static void
check_arguments(FunctionCallInfo fcinfo)
{
	int			i;

	for (i = 0; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s: argument %d must not be NULL", FNAME, i + 1)));
	if (PG_GETARG_INT32(1) < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: blocks must be at least 1", FNAME)));
}

static ArrayType *
account_array(const sy_cooccur *g, const sy_dense_block *b)
{
	Datum	   *elems = palloc((Size) (b->n_accounts + 1) * sizeof(Datum));
	uint32		i;

	for (i = 0; i < b->n_accounts; i++)
		elems[i] = Int64GetDatum(sy_cooccur_account_id(g, b->accounts[i]));
	return construct_array(elems, (int) b->n_accounts, INT8OID, 8, FLOAT8PASSBYVAL,
						   TYPALIGN_DOUBLE);
}

static ArrayType *
item_array(const sy_cooccur *g, const sy_dense_block *b)
{
	Datum	   *elems = palloc((Size) (b->n_items + 1) * sizeof(Datum));
	uint32		i;

	for (i = 0; i < b->n_items; i++)
	{
		uint32		len;
		const char *bytes = sy_cooccur_token(g, b->items[i], &len);

		elems[i] = PointerGetDatum(cstring_to_text_with_len(bytes, (int) len));
	}
	return construct_array(elems, (int) b->n_items, TEXTOID, -1, false, TYPALIGN_INT);
}

static void
put_block(FunctionCallInfo fcinfo, const sy_cooccur *g, int32 number, const sy_dense_block *b)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Datum		values[8];
	bool		nulls[8] = {false, false, false, false, false, false, false, false};

	values[0] = Int32GetDatum(number);
	values[1] = Int64GetDatum((int64) b->n_accounts);
	values[2] = Int64GetDatum((int64) b->n_items);
	values[3] = Int64GetDatum((int64) b->edges);
	values[4] = Float8GetDatum((double) b->edges / ((double) b->n_accounts * b->n_items));
	values[5] = Float8GetDatum(b->density);
	values[6] = PointerGetDatum(account_array(g, b));
	values[7] = PointerGetDatum(item_array(g, b));
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/* The densest blocks, one after another, each found once the edges of
 * the blocks before it are removed */
Datum
dense_blocks(PG_FUNCTION_ARGS)
{
	int32		blocks;
	sy_dense_weighting weighting;
	TokenRows  *r;
	sy_dense_peeler *peeler = palloc0(sizeof(sy_dense_peeler));
	int32		number;

	check_arguments(fcinfo);
	blocks = PG_GETARG_INT32(1);
	weighting = parse_weighting(text_to_cstring(PG_GETARG_TEXT_PP(2)));
	r = token_rows_load(text_to_cstring(PG_GETARG_TEXT_PP(0)), FNAME, "item", UINT32_MAX);
	token_rows_check(r, sy_dense_init(peeler, &r->graph, weighting));
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	for (number = 1; number <= blocks; number++)
	{
		bool		found;

		token_rows_check(r, sy_dense_next(peeler, &found));
		if (!found)
			break;
		put_block(fcinfo, &r->graph, number, &peeler->block);
	}
	return (Datum) 0;
}
