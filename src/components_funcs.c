/* components_funcs.c: reading a sybil.component_set. */
#include "postgres.h"

#include "funcapi.h"

#include "components_datum.h"

PG_FUNCTION_INFO_V1(component_rows);
PG_FUNCTION_INFO_V1(component_set_node_count);
PG_FUNCTION_INFO_V1(component_set_component_count);
PG_FUNCTION_INFO_V1(component_of);

/* One row per node: the node, its component's smallest node, the size */
Datum
component_rows(PG_FUNCTION_ARGS)
{
	components_return_rows(fcinfo, components_finished_forest(PG_GETARG_DATUM(0)),
						   PG_GETARG_INT64(1));
	return (Datum) 0;
}

/* Number of nodes */
Datum
component_set_node_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64((int64) components_finished_forest(PG_GETARG_DATUM(0))->n);
}

/* Number of components */
Datum
component_set_component_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64((int64) components_finished_forest(PG_GETARG_DATUM(0))->n_components);
}

/* The component (its smallest node) of a node; NULL when it is not a node */
Datum
component_of(PG_FUNCTION_ARGS)
{
	const sy_components *forest = components_finished_forest(PG_GETARG_DATUM(0));
	int64		component;

	if (!sy_components_component_of(forest, PG_GETARG_INT64(1), &component))
		PG_RETURN_NULL();
	PG_RETURN_INT64(component);
}
