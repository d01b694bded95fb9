/*
 * minhash_funcs.c: reading and comparing sybil.minhash signatures, and the
 * signature of one text's word shingles.
 */
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "core/text_shingles.h"
#include "minhash_datum.h"

PG_FUNCTION_INFO_V1(minhash_jaccard);
PG_FUNCTION_INFO_V1(minhash_k);
PG_FUNCTION_INFO_V1(minhash_seed);
PG_FUNCTION_INFO_V1(minhash_of_text);

Datum
minhash_jaccard(PG_FUNCTION_ARGS)
{
	MinHash    *a = PG_GETARG_MINHASH_P(0);
	MinHash    *b = PG_GETARG_MINHASH_P(1);

	minhash_check_comparable(a, b, "sybil.jaccard");
	PG_RETURN_FLOAT8((double) sy_minhash_agreements(a->mins, b->mins, a->k) / a->k);
}

Datum
minhash_k(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(PG_GETARG_MINHASH_P(0)->k);
}

Datum
minhash_seed(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64((int64) PG_GETARG_MINHASH_P(0)->seed);
}

typedef struct ShingleSink
{
	MinHash    *signature;
	const sy_minhash_family *family;
} ShingleSink;

static void
add_shingle(void *arg, uint64_t hash)
{
	ShingleSink *sink = arg;

	sy_minhash_add(sink->signature->mins, sink->family, hash);
}

/*
 * minhash(doc text, shingle int, k int, seed bigint); NULL for a text
 * without words.  The tokenizer reads UTF-8: a text of another server
 * encoding is converted first, so that signatures agree across databases.
 */
Datum
minhash_of_text(PG_FUNCTION_ARGS)
{
	text	   *doc = PG_GETARG_TEXT_PP(0);
	int			len = VARSIZE_ANY_EXHDR(doc);
	const char *utf8 = pg_server_to_any(VARDATA_ANY(doc), len, PG_UTF8);
	int32		shingle = PG_GETARG_INT32(1);
	int32		k = PG_GETARG_INT32(2);
	uint64		seed = (uint64) PG_GETARG_INT64(3);
	ShingleSink sink;

	if (shingle < 1 || shingle > SY_SHINGLE_MAX_WORDS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sybil.minhash: shingle must be between 1 and %d words, not %d",
						SY_SHINGLE_MAX_WORDS, shingle)));
	minhash_check_k(k, "sybil.minhash");
	sink.signature = minhash_new((uint32) k, seed, CurrentMemoryContext);
	sink.family = minhash_family((uint32) k, seed);
	if (sy_text_shingles(utf8, utf8 == VARDATA_ANY(doc) ? (size_t) len : strlen(utf8), shingle,
						 add_shingle, &sink) == 0)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(sink.signature);
}
