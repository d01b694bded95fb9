/* query_rows.c: a query text run through SPI into a streaming receiver. */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "tcop/dest.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/plancache.h"

#include "query_rows.h"

#define ROWS_PER_RESET 1024

typedef struct RowsReceiver
{
	DestReceiver pub;
	const QueryRowsCallbacks *callbacks;
	MemoryContext rowcxt;
	uint32		since_reset;
} RowsReceiver;

static void
receiver_startup(DestReceiver *self, int operation, TupleDesc desc)
{
	RowsReceiver *r = (RowsReceiver *) self;

	(void) operation;
	r->callbacks->start(r->callbacks->arg, desc);
}

static bool
receiver_slot(TupleTableSlot *slot, DestReceiver *self)
{
	RowsReceiver *r = (RowsReceiver *) self;
	MemoryContext caller = MemoryContextSwitchTo(r->rowcxt);

	slot_getallattrs(slot);
	r->callbacks->row(r->callbacks->arg, slot);
	MemoryContextSwitchTo(caller);
	if (++r->since_reset == ROWS_PER_RESET)
	{
		MemoryContextReset(r->rowcxt);
		r->since_reset = 0;
	}
	return true;
}

static void
receiver_nothing(DestReceiver *self)
{
	(void) self;
}

/* Whether the plan is one SELECT (VALUES and TABLE included) that only
 * reads: no data-modifying WITH, no FOR UPDATE. */
static bool
is_one_select(SPIPlanPtr plan)
{
	List	   *sources = SPI_plan_get_plan_sources(plan);
	List	   *queries;
	Query	   *q;

	if (list_length(sources) != 1)
		return false;
	queries = ((CachedPlanSource *) linitial(sources))->query_list;
	if (list_length(queries) != 1)
		return false;
	q = linitial_node(Query, queries);
	return q->commandType == CMD_SELECT && !q->hasModifyingCTE && q->rowMarks == NIL;
}

void
sybil_query_rows(const char *query, const char *fname, const char *argname,
				 const QueryRowsCallbacks *callbacks)
{
	RowsReceiver receiver;
	SPIExecuteOptions options;
	SPIPlanPtr	plan;

	memset(&receiver, 0, sizeof(receiver));
	receiver.pub.receiveSlot = receiver_slot;
	receiver.pub.rStartup = receiver_startup;
	receiver.pub.rShutdown = receiver_nothing;
	receiver.pub.rDestroy = receiver_nothing;
	receiver.pub.mydest = DestNone;
	receiver.callbacks = callbacks;
	receiver.rowcxt = AllocSetContextCreate(CurrentMemoryContext, "sybil query row",
											ALLOCSET_SMALL_SIZES);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "%s: SPI_connect failed", fname);
	plan = SPI_prepare_cursor(query, 0, NULL, CURSOR_OPT_PARALLEL_OK);
	if (plan == NULL)
		elog(ERROR, "%s: SPI_prepare failed: %s", fname, SPI_result_code_string(SPI_result));
	if (!is_one_select(plan))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s must be one query that only reads rows", fname, argname),
				 errhint("Pass a single SELECT, VALUES or TABLE statement, without FOR UPDATE "
						 "or a data-modifying WITH.")));
	memset(&options, 0, sizeof(options));
	options.dest = &receiver.pub;
	/* in the caller's snapshot; a data-modifying WITH is refused */
	options.read_only = true;
	SPI_execute_plan_extended(plan, &options);
	SPI_finish();
	MemoryContextDelete(receiver.rowcxt);
}

const char *
sybil_column_type_name(TupleDesc desc, int col)
{
	return format_type_be(TupleDescAttr(desc, col)->atttypid);
}

bool
sybil_is_integer_type(Oid typid)
{
	return typid == INT8OID || typid == INT4OID || typid == INT2OID;
}

Oid
sybil_node_column_type(TupleDesc desc, int col, const char *fname)
{
	Oid			typid = TupleDescAttr(desc, col)->atttypid;

	if (!sybil_is_integer_type(typid))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s: column %d of edges_query must be bigint, integer or smallint, not %s",
						fname, col + 1, sybil_column_type_name(desc, col)),
				 errhint("Cast it, e.g. SELECT a::bigint, b::bigint FROM ...")));
	return typid;
}

int64
sybil_integer_value(Datum d, Oid typid)
{
	switch (typid)
	{
		case INT8OID:
			return DatumGetInt64(d);
		case INT4OID:
			return DatumGetInt32(d);
		default:
			return DatumGetInt16(d);
	}
}

bool
sybil_is_number_type(Oid typid)
{
	return typid == FLOAT8OID || typid == FLOAT4OID || typid == NUMERICOID ||
		sybil_is_integer_type(typid);
}

double
sybil_number_value(Datum d, Oid typid)
{
	switch (typid)
	{
		case FLOAT8OID:
			return DatumGetFloat8(d);
		case FLOAT4OID:
			return DatumGetFloat4(d);
		case NUMERICOID:
			return DatumGetFloat8(DirectFunctionCall1(numeric_float8, d));
		default:
			return (double) sybil_integer_value(d, typid);
	}
}
