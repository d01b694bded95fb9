/*
 * prompt_opening.c: sybil.prompt_opening, the stable hash of a prompt's
 * first words (core/text_shingles.h): the token by which detection links
 * accounts that fill the same prompt template.
 *
 * Like sybil.simhash, the text is read as UTF-8 whatever the server
 * encoding, so the hash does not depend on the database it came from.
 */
#include "postgres.h"

#include "fmgr.h"
#include "mb/pg_wchar.h"

#include "core/text_shingles.h"

PG_FUNCTION_INFO_V1(prompt_opening);

/* Hash of the first `words` words; NULL for a text without a word */
Datum
prompt_opening(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	int32		words = PG_GETARG_INT32(1);
	const char *bytes = VARDATA_ANY(t);
	int			len = VARSIZE_ANY_EXHDR(t);
	const char *utf8;
	uint64		hash;

	if (words < 1 || words > SY_SHINGLE_MAX_WORDS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sybil.prompt_opening: words must be between 1 and %d, not %d",
						SY_SHINGLE_MAX_WORDS, words)));
	utf8 = pg_server_to_any(bytes, len, PG_UTF8);
	if (!sy_text_opening(utf8, utf8 == bytes ? (size_t) len : strlen(utf8), words, &hash))
		PG_RETURN_NULL();
	PG_RETURN_INT64((int64) hash);
}
