/* components_io.c: sybil.component_set text and binary I/O, and equality. */
#include "postgres.h"

#include "libpq/pqformat.h"
#include "utils/memutils.h"

#include "components_datum.h"
#include "flat_equal.h"

PG_FUNCTION_INFO_V1(component_set_in);
PG_FUNCTION_INFO_V1(component_set_out);
PG_FUNCTION_INFO_V1(component_set_recv);
PG_FUNCTION_INFO_V1(component_set_send);
PG_FUNCTION_INFO_V1(component_set_eq);
PG_FUNCTION_INFO_V1(component_set_ne);

/* Reading a stored value is not building a graph: no memory limit. */
static const char what[] = "sybil.component_set";

/* Parse the text form: components as braced lists of node ids */
Datum
component_set_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	ComponentsExpanded *x = components_expanded_new(CurrentMemoryContext, SIZE_MAX, what);
	sy_parse_error err;
	sy_status	st = sy_components_parse(&x->forest, text, strlen(text), &err);
	struct varlena *flat;

	if (st == SY_ESYNTAX || st == SY_EDUPLICATE || st == SY_EVALUE)
		ereport(ERROR,
				(errcode(st == SY_EVALUE ? ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE
						 : ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type sybil.component_set"),
				 errdetail("%s at character %zu.", err.message, err.offset + 1),
				 errhint("A component set lists each component's bigint node ids in braces, "
						 "like {{1,2,3},{5,7}}; a node may appear only once.")));
	if (st == SY_ETOOBIG)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("sybil.component_set: a graph may have at most %u nodes",
						(unsigned) SY_COMPONENTS_MAX_NODES)));
	sybil_check(st, "sybil.component_set input");
	sybil_check(sy_components_finish(&x->forest), "sybil.component_set input");
	flat = components_flatten(&x->forest);
	DeleteExpandedObject(EOHPGetRWDatum(&x->hdr));
	PG_RETURN_POINTER(flat);
}

/* Write the components in canonical order: by smallest node, nodes ascending */
Datum
component_set_out(PG_FUNCTION_ARGS)
{
	const sy_components *forest = components_finished_forest(PG_GETARG_DATUM(0));
	char	   *text = palloc_extended(sy_components_text_max_len(forest) + 1, MCXT_ALLOC_HUGE);

	sy_components_format(forest, text);
	PG_RETURN_CSTRING(text);
}

/* Read the binary (wire) form; it is canonical, so it is stored as received */
Datum
component_set_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const unsigned char *src = (const unsigned char *) buf->data + buf->cursor;
	ComponentsExpanded *x = components_expanded_new(CurrentMemoryContext, SIZE_MAX, what);
	size_t		consumed = 0;
	struct varlena *flat;

	components_decode(&x->forest, src, buf->len - buf->cursor, &consumed,
					  ERRCODE_INVALID_BINARY_REPRESENTATION);
	DeleteExpandedObject(EOHPGetRWDatum(&x->hdr));
	flat = palloc(VARHDRSZ + consumed);
	SET_VARSIZE(flat, VARHDRSZ + consumed);
	memcpy(VARDATA(flat), src, consumed);
	buf->cursor += consumed;
	PG_RETURN_POINTER(flat);
}

/* Write the binary (wire) form */
Datum
component_set_send(PG_FUNCTION_ARGS)
{
	struct varlena *flat = PG_GETARG_VARLENA_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, VARDATA(flat), VARSIZE(flat) - VARHDRSZ);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Whether two component sets are the same partition of the same nodes */
Datum
component_set_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(sybil_flat_args_equal(fcinfo));
}

/* Whether two component sets differ */
Datum
component_set_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!sybil_flat_args_equal(fcinfo));
}
