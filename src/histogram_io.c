/* histogram_io.c: sybil.histogram text and binary I/O, and equality. */
#include "postgres.h"

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/memutils.h"

#include "core/histogram_text.h"
#include "flat_equal.h"
#include "histogram_datum.h"

PG_FUNCTION_INFO_V1(histogram_in);
PG_FUNCTION_INFO_V1(histogram_out);
PG_FUNCTION_INFO_V1(histogram_recv);
PG_FUNCTION_INFO_V1(histogram_send);
PG_FUNCTION_INFO_V1(histogram_eq);
PG_FUNCTION_INFO_V1(histogram_ne);

/* Parse a histogram's text form */
Datum
histogram_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	sy_env		env;
	sy_hist		h;
	sy_parse_error err;
	sy_status	st;
	struct varlena *flat;

	sybil_env_init(&env, CurrentMemoryContext);
	sybil_check(sy_hist_init(&h, &env, 0), "sybil.histogram");
	st = sy_hist_parse_json(&h, text, strlen(text),
							GetDatabaseEncoding() != PG_UTF8, &err);
	if (st == SY_ESYNTAX || st == SY_EDUPLICATE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type sybil.histogram"),
				 errdetail("%s at character %zu.", err.message, err.offset + 1),
				 errhint("A histogram is a JSON object of labels and counts, like {\"coding.python\": 12, \"chitchat\": 3}.")));
	if (st == SY_EVALUE || st == SY_EOVERFLOW)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("invalid count in sybil.histogram"),
				 errdetail("%s at character %zu.", err.message, err.offset + 1)));
	sybil_check(st, "sybil.histogram input");
	flat = histogram_flatten_builder(&h);
	sy_hist_free(&h);
	PG_RETURN_POINTER(flat);
}

/* Write a histogram as a JSON object, labels in byte order */
Datum
histogram_out(PG_FUNCTION_ARGS)
{
	sy_hist_view v = histogram_sorted_view(PG_GETARG_DATUM(0));
	char	   *text = palloc_extended(sy_hist_json_max_len(v) + 1, MCXT_ALLOC_HUGE);

	sy_hist_format_json(v, text);
	PG_RETURN_CSTRING(text);
}

/* Read the binary form: version, label count, then (count, label) pairs */
Datum
histogram_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	sy_env		env;
	sy_hist		h;
	sy_status	st;
	size_t		consumed = 0;
	uint32		i;
	struct varlena *flat;

	sybil_env_init(&env, CurrentMemoryContext);
	sybil_check(sy_hist_init(&h, &env, 0), "sybil.histogram");
	st = sy_hist_from_wire(&h, (const unsigned char *) buf->data + buf->cursor,
						   buf->len - buf->cursor, &consumed);
	if (st == SY_ECORRUPT || st == SY_EDUPLICATE || st == SY_EVALUE || st == SY_EOVERFLOW)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary sybil.histogram"),
				 errdetail("%s.",
						   st == SY_EDUPLICATE ? "A label appears twice" :
						   st == SY_EVALUE ? "A count is not finite and positive" :
						   st == SY_EOVERFLOW ? "The total of the counts is out of range" :
						   "Unknown version, truncated data or a NUL byte in a label")));
	sybil_check(st, "sybil.histogram receive");
	for (i = 0; i < h.n; i++)
		pg_verify_mbstr(GetDatabaseEncoding(), h.labels + h.entries[i].label_off,
						h.entries[i].label_len, false);
	buf->cursor += consumed;
	flat = histogram_flatten_builder(&h);
	sy_hist_free(&h);
	PG_RETURN_POINTER(flat);
}

/* Write the binary form, labels in byte order */
Datum
histogram_send(PG_FUNCTION_ARGS)
{
	sy_hist_view v = histogram_sorted_view(PG_GETARG_DATUM(0));
	size_t		size = sy_hist_wire_size(v);
	StringInfoData buf;

	if (size > MaxAllocSize - VARHDRSZ - 1)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("sybil.histogram too large to send")));
	pq_begintypsend(&buf);
	enlargeStringInfo(&buf, (int) size);
	sy_hist_to_wire(v, (unsigned char *) buf.data + buf.len);
	buf.len += (int) size;
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Whether two histograms have the same labels with the same counts */
Datum
histogram_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(sybil_flat_args_equal(fcinfo));
}

/* Whether two histograms differ */
Datum
histogram_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!sybil_flat_args_equal(fcinfo));
}
