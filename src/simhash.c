/*
 * simhash.c: sybil.simhash, SimHash fingerprints of texts (core/simhash.h),
 * and sybil.hamming, the number of bits in which two fingerprints differ.
 *
 * The core reads UTF-8, and a fingerprint must not depend on the database
 * it was computed in, so a text in another server encoding is converted
 * first (SQL_ASCII is taken as it is: its bytes have no known encoding).
 */
#include "postgres.h"

#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "port/pg_bitutils.h"

#include "core/simhash.h"
#include "core/text_shingles.h"

PG_FUNCTION_INFO_V1(simhash_text);
PG_FUNCTION_INFO_V1(simhash_hamming);

static int
shingle_arg(FunctionCallInfo fcinfo, int argno)
{
	int32		shingle = PG_GETARG_INT32(argno);

	if (shingle < 1 || shingle > SY_SHINGLE_MAX_WORDS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sybil.simhash: shingle must be between 1 and %d words, not %d",
						SY_SHINGLE_MAX_WORDS, shingle)));
	return shingle;
}

/* SimHash of a text over shingles of n words; NULL for a text without a word */
Datum
simhash_text(PG_FUNCTION_ARGS)
{
	int			words = shingle_arg(fcinfo, 1);
	text	   *t = PG_GETARG_TEXT_PP(0);
	const char *bytes = VARDATA_ANY(t);
	int			len = VARSIZE_ANY_EXHDR(t);
	const char *utf8 = pg_server_to_any(bytes, len, PG_UTF8);
	size_t		shingles;
	uint64		fingerprint;

	fingerprint = sy_simhash(utf8, utf8 == bytes ? (size_t) len : strlen(utf8), words, &shingles);
	if (shingles == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT64((int64) fingerprint);
}

/* Number of differing bits */
Datum
simhash_hamming(PG_FUNCTION_ARGS)
{
	uint64		a = (uint64) PG_GETARG_INT64(0);
	uint64		b = (uint64) PG_GETARG_INT64(1);

	PG_RETURN_INT32(pg_popcount64(a ^ b));
}
