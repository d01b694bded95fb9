/* components_funcs.c: reading a sybil.component_set. */
#include "postgres.h"

#include "funcapi.h"
#include "utils/memutils.h"

#include "components_datum.h"

PG_FUNCTION_INFO_V1(component_rows);
PG_FUNCTION_INFO_V1(component_set_node_count);
PG_FUNCTION_INFO_V1(component_set_component_count);
PG_FUNCTION_INFO_V1(component_of);

/*
 * A reader of a flat set's rows, or NULL when d is expanded.  Reading a
 * stored set row by row needs no forest: a set of millions of nodes is
 * counted or listed in the memory of its bytes.
 */
static sy_components_reader *
flat_reader(Datum d)
{
	sy_components_reader *r;
	struct varlena *flat;

	if (components_expanded_of(d) != NULL)
		return NULL;
	flat = PG_DETOAST_DATUM(d);
	r = palloc(sizeof(sy_components_reader));
	components_reader_check(sy_components_reader_init(r, (const unsigned char *) VARDATA(flat),
													  VARSIZE(flat) - VARHDRSZ));
	return r;
}

/* One row per node: the node, its component's smallest node, the size */
Datum
component_rows(PG_FUNCTION_ARGS)
{
	sy_components_reader *r = flat_reader(PG_GETARG_DATUM(0));

	if (r == NULL)
		components_return_rows(fcinfo, components_finished_forest(PG_GETARG_DATUM(0)),
							   PG_GETARG_INT64(1));
	else
		components_return_read_rows(fcinfo, r, PG_GETARG_INT64(1));
	return (Datum) 0;
}

/* Number of nodes */
Datum
component_set_node_count(PG_FUNCTION_ARGS)
{
	sy_components_reader *r = flat_reader(PG_GETARG_DATUM(0));

	if (r == NULL)
		PG_RETURN_INT64((int64) components_finished_forest(PG_GETARG_DATUM(0))->n);
	PG_RETURN_INT64((int64) r->n);
}

/* Number of components */
Datum
component_set_component_count(PG_FUNCTION_ARGS)
{
	sy_components_reader *r = flat_reader(PG_GETARG_DATUM(0));

	if (r == NULL)
		PG_RETURN_INT64((int64) components_finished_forest(PG_GETARG_DATUM(0))->n_components);
	PG_RETURN_INT64((int64) r->n_components);
}

/*
 * The finished forest of a set that a query passes row after row (as in
 * component_of(c, node) over a table of nodes): decoded once and kept in
 * fn_extra with a copy of the bytes it came from, which are compared on
 * each call (a compare is far cheaper than a decode).
 */
typedef struct DecodedSet
{
	MemoryContext cxt;			/* holds the copy and the forest */
	struct varlena *flat;
	const sy_components *forest;
} DecodedSet;

static const sy_components *
cached_forest(FunctionCallInfo fcinfo, Datum d)
{
	DecodedSet *cache = fcinfo->flinfo->fn_extra;
	struct varlena *flat;
	MemoryContext caller;

	if (components_expanded_of(d) != NULL)
		return components_finished_forest(d);
	flat = PG_DETOAST_DATUM(d);
	if (cache != NULL && VARSIZE(cache->flat) == VARSIZE(flat) &&
		memcmp(cache->flat, flat, VARSIZE(flat)) == 0)
		return cache->forest;
	if (cache == NULL)
	{
		cache = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(DecodedSet));
		cache->cxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "sybil.component_of cache",
										   ALLOCSET_SMALL_SIZES);
		fcinfo->flinfo->fn_extra = cache;
	}
	MemoryContextReset(cache->cxt);
	cache->flat = NULL;
	caller = MemoryContextSwitchTo(cache->cxt);
	cache->forest = components_finished_forest(PointerGetDatum(flat));
	cache->flat = palloc(VARSIZE(flat));
	memcpy(cache->flat, flat, VARSIZE(flat));
	MemoryContextSwitchTo(caller);
	return cache->forest;
}

/* The component (its smallest node) of a node; NULL when it is not a node */
Datum
component_of(PG_FUNCTION_ARGS)
{
	const sy_components *forest = cached_forest(fcinfo, PG_GETARG_DATUM(0));
	int64		component;

	if (!sy_components_component_of(forest, PG_GETARG_INT64(1), &component))
		PG_RETURN_NULL();
	PG_RETURN_INT64(component);
}
