/*
 * minhash_io.c: text and binary I/O of sybil.minhash.  Both are the wire
 * form of core/minhash.h (the text form in hex), so they are exact.
 */
#include "postgres.h"

#include "libpq/pqformat.h"

#include "minhash_datum.h"

PG_FUNCTION_INFO_V1(minhash_in);
PG_FUNCTION_INFO_V1(minhash_out);
PG_FUNCTION_INFO_V1(minhash_recv);
PG_FUNCTION_INFO_V1(minhash_send);

/* A signature from wire bytes whose header was accepted. */
static MinHash *
from_wire(const unsigned char *wire, uint32 k, uint64 seed)
{
	MinHash    *m = minhash_new(k, seed, CurrentMemoryContext);

	sy_minhash_wire_mins(wire, k, m->mins);
	return m;
}

Datum
minhash_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	size_t		len = strlen(text);
	unsigned char *wire = palloc(len / 2 + 1);
	size_t		wire_len;
	uint32		k;
	uint64		seed;

	if (sy_minhash_parse_text(text, len, wire, &wire_len) != SY_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type minhash"),
				 errdetail("A minhash is written \\x followed by the hexadecimal digits of its "
						   "binary form: version 1, a zero byte, k (1 to %d) in 2 bytes, the seed "
						   "in 8, then k minima of 4 bytes each.", SY_MINHASH_MAX_K)));
	sy_minhash_wire_header(wire, wire_len, &k, &seed);
	PG_RETURN_POINTER(from_wire(wire, k, seed));
}

/* The wire form of m, in a new buffer of sy_minhash_wire_size(m->k) bytes. */
static unsigned char *
to_wire(const MinHash *m)
{
	unsigned char *wire = palloc(sy_minhash_wire_size(m->k));

	sy_minhash_to_wire(m->k, m->seed, m->mins, wire);
	return wire;
}

Datum
minhash_out(PG_FUNCTION_ARGS)
{
	MinHash    *m = PG_GETARG_MINHASH_P(0);
	char	   *text = palloc(sy_minhash_text_size(m->k));

	sy_minhash_to_text(to_wire(m), sy_minhash_wire_size(m->k), text);
	PG_RETURN_CSTRING(text);
}

Datum
minhash_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			len = buf->len - buf->cursor;
	const unsigned char *wire = (const unsigned char *) pq_getmsgbytes(buf, len);
	uint32		k;
	uint64		seed;

	if (sy_minhash_wire_header(wire, (size_t) len, &k, &seed) != SY_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type minhash"),
				 errdetail("Expected version 1, a zero byte, k (1 to %d) in 2 bytes, the seed in 8, "
						   "then exactly k minima of 4 bytes each.", SY_MINHASH_MAX_K)));
	PG_RETURN_POINTER(from_wire(wire, k, seed));
}

Datum
minhash_send(PG_FUNCTION_ARGS)
{
	MinHash    *m = PG_GETARG_MINHASH_P(0);
	bytea	   *out = palloc(VARHDRSZ + sy_minhash_wire_size(m->k));

	SET_VARSIZE(out, VARHDRSZ + sy_minhash_wire_size(m->k));
	sy_minhash_to_wire(m->k, m->seed, m->mins, (unsigned char *) VARDATA(out));
	PG_RETURN_BYTEA_P(out);
}
