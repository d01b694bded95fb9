/*
 * query_rows.h: running a query text that a user handed to a function, and
 * streaming its rows.
 *
 * The query runs through SPI with the caller's rights (pg_sybil has no
 * SECURITY DEFINER function), as one statement that returns rows.  Its rows
 * go straight from the executor to a callback, one slot at a time: no
 * result set is ever held, so a graph of a billion edges costs the graph's
 * memory, not the edges'.  The callback runs in a short-lived context that
 * is reset every few rows, so per-row conversions need no pfree.
 */
#ifndef SYBIL_QUERY_ROWS_H
#define SYBIL_QUERY_ROWS_H

#include "postgres.h"

#include "access/tupdesc.h"
#include "executor/tuptable.h"

typedef struct QueryRowsCallbacks
{
	/* Check the result's columns before any row (raise ERROR if wrong). */
	void		(*start) (void *arg, TupleDesc desc);
	/* One row, its attributes already deformed into slot. */
	void		(*row) (void *arg, TupleTableSlot *slot);
	void	   *arg;
} QueryRowsCallbacks;

/* Run query (from the function fname's argument argname) and stream its rows. */
void		sybil_query_rows(const char *query, const char *fname, const char *argname,
							 const QueryRowsCallbacks *callbacks);

/* The name of a column's type, for error messages. */
const char *sybil_column_type_name(TupleDesc desc, int col);

/* Whether a column of type typid can be read as a bigint (int2, int4, int8). */
bool		sybil_is_integer_type(Oid typid);

/* ERROR unless column col of edges_query (for fname) is an integer node id;
 * its type. */
Oid			sybil_node_column_type(TupleDesc desc, int col, const char *fname);

/* A non-NULL integer column's value as int64. */
int64		sybil_integer_value(Datum d, Oid typid);

/* Whether a column of type typid can be read as a float8 weight (float8,
 * real, numeric or an integer type). */
bool		sybil_is_number_type(Oid typid);

/* A non-NULL number column's value as float8. */
double		sybil_number_value(Datum d, Oid typid);

#endif
