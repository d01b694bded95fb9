/*
 * communities.c: sybil.communities(edges_query, ...), the Leiden
 * communities of the weighted edges a query returns.
 */
#include "postgres.h"

#include <math.h>

#include "funcapi.h"
#include "utils/builtins.h"

#include "core/leiden.h"
#include "core/wgraph.h"
#include "pg_env.h"
#include "weighted_edges.h"

PG_FUNCTION_INFO_V1(communities_of_query);

/* ---------------------------------------------------------------- output */

static const char fname[] = "sybil.communities";

/*
 * Rows in canonical order: communities by their smallest id (labels are
 * first node indices, and nodes are numbered by id), each listing its
 * nodes by ascending id, skipping communities smaller than min_size.
 */
static void
return_communities(FunctionCallInfo fcinfo, const sy_wgraph *g, const uint32 *community,
				   double modularity, int64 min_size)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const sy_env *env = g->env;
	uint32	   *size = env->alloc(env->ctx, Max(g->n, 1) * sizeof(uint32));
	uint32	   *first = env->alloc(env->ctx, (Max(g->n, 1) + 1) * sizeof(uint32));
	uint32	   *member = env->alloc(env->ctx, Max(g->n, 1) * sizeof(uint32));
	uint32		v,
				label;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	memset(size, 0, Max(g->n, 1) * sizeof(uint32));
	for (v = 0; v < g->n; v++)
		size[community[v]]++;
	first[0] = 0;
	for (label = 0; label < g->n; label++)
		first[label + 1] = first[label] + size[label];
	for (v = 0; v < g->n; v++)
		member[first[community[v]]++] = v;
	for (v = 0; v < g->n; v++)
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, false, isnan(modularity)};

		label = community[member[v]];
		if ((int64) size[label] < min_size)
			continue;
		values[0] = Int64GetDatum(g->ids[member[v]]);
		values[1] = Int64GetDatum(g->ids[label]);
		values[2] = Int64GetDatum((int64) size[label]);
		values[3] = Float8GetDatum(modularity);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	env->free(env->ctx, size);
	env->free(env->ctx, first);
	env->free(env->ctx, member);
}

/*
 * The communities of the edges that edges_query returns: (a, b [, weight]).
 * Options: resolution (gamma of modularity), seed (of the random orders),
 * min_size (skip smaller communities in the output).
 */
Datum
communities_of_query(PG_FUNCTION_ARGS)
{
	double		resolution = PG_ARGISNULL(1) ? 1.0 : PG_GETARG_FLOAT8(1);
	uint64		seed = PG_ARGISNULL(2) ? 0 : (uint64) PG_GETARG_INT64(2);
	int64		min_size = PG_ARGISNULL(3) ? 1 : PG_GETARG_INT64(3);
	SybilBudget budget;
	sy_env		env;
	sy_wgraph_builder builder;
	sy_wgraph	graph;
	uint32	   *community;
	double		modularity;

	if (!(resolution > 0) || isinf(resolution))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: resolution must be positive and finite, not %g", fname, resolution)));
	sybil_budget_env_init(&env, &budget, CurrentMemoryContext, sybil_graph_memory_limit(), fname);
	sy_wgraph_builder_init(&builder, &env);
	if (!PG_ARGISNULL(0))
		sybil_read_weighted_edges(text_to_cstring(PG_GETARG_TEXT_PP(0)), fname, &builder);
	sybil_build_weighted_graph(&builder, &graph, fname);
	community = env.alloc(env.ctx, Max(graph.n, 1) * sizeof(uint32));
	sybil_check(sy_leiden(&graph, resolution, seed, community), fname);
	sybil_check(sy_modularity(&graph, community, resolution, &modularity), fname);
	return_communities(fcinfo, &graph, community, modularity, min_size);
	env.free(env.ctx, community);
	sy_wgraph_free(&graph);
	return (Datum) 0;
}
