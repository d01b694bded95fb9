/* components_datum.c: flat and expanded sybil.component_set datums. */
#include "postgres.h"

#include "funcapi.h"
#include "miscadmin.h"
#include "utils/memutils.h"

#include "agg_state_context.h"
#include "components_datum.h"

static const char state_kind[] = "sybil.component_set aggregate states";
static const char what[] = "sybil.component_set";

static void
check_named(sy_status st, const char *name)
{
	if (st == SY_ETOOBIG)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: a graph may have at most %u nodes", name,
						(unsigned) SY_COMPONENTS_MAX_NODES)));
	sybil_check(st, name);
}

static void
check(const ComponentsExpanded *x, sy_status st)
{
	check_named(st, x->budget.what);
}

void
components_settle(ComponentsExpanded *x)
{
	if (x->n_pending == 0)
		return;
	check(x, sy_components_add_edges(&x->forest, x->pending, x->pending + COMPONENTS_PENDING,
									 x->n_pending));
	x->n_pending = 0;
}

void
components_add_edge(ComponentsExpanded *x, int64 a, int64 b)
{
	/* a small forest stays in cache: batches would only cost memory a group */
	if (x->pending == NULL)
	{
		if (x->forest.n < COMPONENTS_BATCH_FROM_NODES)
		{
			check(x, sy_components_add_edge(&x->forest, a, b));
			return;
		}
		x->pending = x->env.alloc(x->env.ctx, 2 * COMPONENTS_PENDING * sizeof(int64));
	}
	if (x->n_pending == COMPONENTS_PENDING)
		components_settle(x);
	x->pending[x->n_pending] = a;
	x->pending[COMPONENTS_PENDING + x->n_pending] = b;
	x->n_pending++;
}

struct varlena *
components_flatten(const sy_components *forest)
{
	size_t		size = sy_components_wire_size(forest);
	struct varlena *flat;

	Assert(forest->finished);
	if (size > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: %u nodes take more than the 1 GB a value may hold", what,
						forest->n),
				 errhint("Use sybil.components(edges_query), which returns rows, or group the edges.")));
	flat = palloc(VARHDRSZ + size);
	SET_VARSIZE(flat, VARHDRSZ + size);
	sy_components_to_wire(forest, (unsigned char *) VARDATA(flat));
	return flat;
}

static Size
components_get_flat_size(ExpandedObjectHeader *eohptr)
{
	ComponentsExpanded *x = (ComponentsExpanded *) eohptr;
	size_t		size;

	components_settle(x);
	check(x, sy_components_finish(&x->forest));
	size = sy_components_wire_size(&x->forest);
	if (size > MaxAllocSize - VARHDRSZ)
		(void) components_flatten(&x->forest);	/* raises the ERROR */
	return VARHDRSZ + size;
}

static void
components_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	ComponentsExpanded *x = (ComponentsExpanded *) eohptr;

	Assert(allocated_size == VARHDRSZ + sy_components_wire_size(&x->forest));
	SET_VARSIZE(result, allocated_size);
	sy_components_to_wire(&x->forest, (unsigned char *) VARDATA(result));
}

static const ExpandedObjectMethods components_methods = {
	components_get_flat_size,
	components_flatten_into
};

static ComponentsExpanded *
expanded_in(MemoryContext cxt, Size limit, const char *name)
{
	ComponentsExpanded *x = MemoryContextAllocZero(cxt, sizeof(ComponentsExpanded));

	EOH_init_header(&x->hdr, &components_methods, cxt);
	sybil_budget_env_init(&x->env, &x->budget, cxt, limit, name);
	sy_components_init(&x->forest, &x->env);
	return x;
}

ComponentsExpanded *
components_expanded_new(MemoryContext parent, Size limit, const char *name)
{
	return expanded_in(AllocSetContextCreate(parent, "sybil.component_set",
											 ALLOCSET_DEFAULT_SIZES), limit, name);
}

ComponentsExpanded *
components_expanded_new_state(MemoryContext aggcxt)
{
	MemoryContext cxt;
	bool		created;

	(void) sybil_agg_state_context(aggcxt, state_kind, 1, &cxt, &created);
	return expanded_in(cxt, sybil_graph_memory_limit(), "sybil.components_agg");
}

ComponentsExpanded *
components_expanded_of(Datum d)
{
	ExpandedObjectHeader *eoh;

	if (!VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)))
		return NULL;
	eoh = DatumGetEOHP(d);
	return eoh->eoh_methods == &components_methods ? (ComponentsExpanded *) eoh : NULL;
}

void
components_decode(sy_components *forest, const unsigned char *src, size_t len,
				  size_t *consumed, int sqlstate)
{
	sy_status	st = sy_components_from_wire(forest, src, len, consumed);

	if (st == SY_ECORRUPT && sqlstate != ERRCODE_DATA_CORRUPTED)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("invalid binary %s", what),
				 errdetail("Unknown version, truncated data, or nodes out of canonical order.")));
	components_reader_check(st);
}

/* Decode a flat datum into an empty forest. */
static void
decode_flat(sy_components *into, Datum d)
{
	struct varlena *flat = PG_DETOAST_DATUM(d);
	size_t		consumed;

	components_decode(into, (const unsigned char *) VARDATA(flat), VARSIZE(flat) - VARHDRSZ,
					  &consumed, ERRCODE_DATA_CORRUPTED);
	if (consumed != VARSIZE(flat) - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("%s: stored value is corrupted", what),
				 errdetail("Trailing bytes after the partition.")));
	if ((Pointer) flat != DatumGetPointer(d))
		pfree(flat);
}

void
components_merge_datum(ComponentsExpanded *x, Datum d)
{
	ComponentsExpanded *other = components_expanded_of(d);
	sy_components decoded;

	components_settle(x);
	if (other != NULL)
	{
		if (other != x)
		{
			components_settle(other);
			check(x, sy_components_merge(&x->forest, &other->forest));
		}
		return;
	}
	sy_components_init(&decoded, &x->env);
	decode_flat(&decoded, d);
	/* merging the smaller forest into the larger touches fewer nodes */
	if (decoded.n > x->forest.n)
	{
		sy_components swap = x->forest;

		x->forest = decoded;
		decoded = swap;
	}
	check(x, sy_components_merge(&x->forest, &decoded));
	sy_components_free(&decoded);
}

sy_components *
components_finished_forest(Datum d)
{
	ComponentsExpanded *x = components_expanded_of(d);

	if (x == NULL)
	{
		x = components_expanded_new(CurrentMemoryContext, SIZE_MAX, what);
		decode_flat(&x->forest, d);
	}
	components_settle(x);
	check(x, sy_components_finish(&x->forest));
	return &x->forest;
}

static void
put_row(ReturnSetInfo *rsinfo, const sy_component_row *row, uint32 k)
{
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	values[0] = Int64GetDatum(row->node);
	values[1] = Int64GetDatum(row->component);
	values[2] = Int64GetDatum((int64) row->size);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	if ((k & 0xFFFF) == 0)
		CHECK_FOR_INTERRUPTS();
}

void
components_return_rows(FunctionCallInfo fcinfo, const sy_components *forest, int64 min_size)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	uint32		k = 0;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	while (k < forest->n)
	{
		sy_component_row row;
		uint32		end;

		sy_components_row(forest, k, &row);
		end = k + row.size;
		if ((int64) row.size < min_size)
		{
			k = end;
			continue;
		}
		for (; k < end; k++)
		{
			sy_components_row(forest, k, &row);
			put_row(rsinfo, &row, k);
		}
	}
}

void
components_reader_check(sy_status st)
{
	if (st == SY_ECORRUPT)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("%s: stored value is corrupted", what),
				 errdetail("Unknown version, truncated data, or nodes out of canonical order.")));
	check_named(st, what);
}

void
components_return_read_rows(FunctionCallInfo fcinfo, sy_components_reader *r, int64 min_size)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	sy_component_row row;
	bool		done;
	uint32		k;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	for (k = 0;; k++)
	{
		components_reader_check(sy_components_reader_next(r, &row, &done));
		if (done)
			break;
		if ((int64) row.size >= min_size)
			put_row(rsinfo, &row, k);
	}
}
