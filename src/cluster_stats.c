/*
 * cluster_stats.c: sybil.cluster_stats(edges_query, clusters_query), how
 * tight and how isolated each cluster of nodes is in a weighted graph, to
 * rank clusters (from sybil.communities, sybil.components or anywhere)
 * for review.
 */
#include "postgres.h"

#include "funcapi.h"
#include "utils/builtins.h"

#include "core/wgraph.h"
#include "pg_env.h"
#include "query_rows.h"
#include "weighted_edges.h"

PG_FUNCTION_INFO_V1(cluster_stats_of_query);

static const char fname[] = "sybil.cluster_stats";

/* The (node, cluster) rows, as they came. */
typedef struct MembershipReader
{
	sy_wgraph_builder *builder;
	const sy_env *env;
	int64	   *node;
	int64	   *cluster;
	uint32		n;
	uint32		cap;
	Oid			types[2];
} MembershipReader;

static void
start_memberships(void *arg, TupleDesc desc)
{
	MembershipReader *r = arg;
	int			col;

	if (desc->natts != 2)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg_plural("%s: clusters_query returns %d column; it must return (node, cluster)",
							   "%s: clusters_query returns %d columns; it must return (node, cluster)",
							   desc->natts, fname, desc->natts)));
	for (col = 0; col < 2; col++)
	{
		r->types[col] = TupleDescAttr(desc, col)->atttypid;
		if (!sybil_is_integer_type(r->types[col]))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("%s: column %d of clusters_query must be bigint, integer or smallint, not %s",
							fname, col + 1, sybil_column_type_name(desc, col))));
	}
}

static void
grow_memberships(MembershipReader *r)
{
	const sy_env *env = r->env;
	uint32		cap;

	if (r->cap == PG_UINT32_MAX)
		sybil_raise(SY_ETOOBIG, fname);
	cap = r->cap == 0 ? 1024 : (uint32) Min((uint64) r->cap * 2, PG_UINT32_MAX);
	r->node = r->node == NULL ? env->alloc(env->ctx, cap * sizeof(int64))
		: env->realloc(env->ctx, r->node, cap * sizeof(int64));
	r->cluster = r->cluster == NULL ? env->alloc(env->ctx, cap * sizeof(int64))
		: env->realloc(env->ctx, r->cluster, cap * sizeof(int64));
	r->cap = cap;
}

/* A row with a NULL node or cluster is skipped. */
static void
read_membership(void *arg, TupleTableSlot *slot)
{
	MembershipReader *r = arg;
	int64		node;

	if (slot->tts_isnull[0] || slot->tts_isnull[1])
		return;
	if (r->n == r->cap)
		grow_memberships(r);
	node = sybil_integer_value(slot->tts_values[0], r->types[0]);
	sybil_check(sy_wgraph_add_node(r->builder, node), fname);
	r->node[r->n] = node;
	r->cluster[r->n++] = sybil_integer_value(slot->tts_values[1], r->types[1]);
}

/*
 * Number the clusters by ascending id into cluster_of[node index] (built
 * graph g); returns the count and sets *ids to the cluster ids.
 */
static uint32
number_clusters(const MembershipReader *r, const sy_wgraph *g, uint32 *cluster_of, int64 **ids)
{
	const sy_env *env = r->env;
	uint64	   *keys = env->alloc(env->ctx, Max(r->n, 1) * sizeof(uint64));
	uint64	   *tmp_keys = env->alloc(env->ctx, Max(r->n, 1) * sizeof(uint64));
	uint32	   *rows = env->alloc(env->ctx, Max(r->n, 1) * sizeof(uint32));
	uint32	   *tmp_rows = env->alloc(env->ctx, Max(r->n, 1) * sizeof(uint32));
	uint32		k,
				count = 0;

	*ids = env->alloc(env->ctx, Max(r->n, 1) * sizeof(int64));
	for (k = 0; k < r->n; k++)
	{
		keys[k] = (uint64) r->cluster[k] ^ ((uint64) 1 << 63);	/* signed order */
		rows[k] = k;
	}
	sy_radix_sort_u64(keys, rows, tmp_keys, tmp_rows, r->n, env);
	memset(cluster_of, 0xFF, Max(g->n, 1) * sizeof(uint32));
	for (k = 0; k < r->n; k++)
	{
		uint32		row = rows[k],
					node;

		if (k == 0 || keys[k] != keys[k - 1])
			(*ids)[count++] = r->cluster[row];
		if (!sy_wgraph_find(g, r->node[row], &node))
			elog(ERROR, "%s: node " INT64_FORMAT " lost", fname, r->node[row]);
		if (cluster_of[node] != SY_WGRAPH_NO_CLUSTER && cluster_of[node] != count - 1)
			ereport(ERROR,
					(errcode(ERRCODE_CARDINALITY_VIOLATION),
					 errmsg("%s: node " INT64_FORMAT " is in two clusters, " INT64_FORMAT " and " INT64_FORMAT,
							fname, r->node[row], (*ids)[cluster_of[node]], r->cluster[row]),
					 errhint("clusters_query must return a partition: one cluster a node.")));
		cluster_of[node] = count - 1;
	}
	env->free(env->ctx, keys);
	env->free(env->ctx, tmp_keys);
	env->free(env->ctx, rows);
	env->free(env->ctx, tmp_rows);
	return count;
}

static void
put_stats(ReturnSetInfo *rsinfo, int64 id, const sy_cluster_stats *s, double total)
{
	Datum		values[9];
	bool		nulls[9] = {0};
	double		pairs = (double) s->size * ((double) s->size - 1) / 2,
				rest = total - s->volume,
				smaller_volume;

	/* a cluster holding every edge leaves only the rounding of the sums */
	if (rest <= total * 1e-12)
		rest = 0;
	smaller_volume = Min(s->volume, rest);

	values[0] = Int64GetDatum(id);
	values[1] = Int64GetDatum((int64) s->size);
	values[2] = Int64GetDatum((int64) s->internal_edges);
	values[3] = Float8GetDatum(s->internal_weight);
	values[4] = Int64GetDatum((int64) s->cut_edges);
	values[5] = Float8GetDatum(s->cut_weight);
	values[6] = Float8GetDatum(s->volume);
	/* no pair, no density; no volume on a side, no conductance */
	nulls[7] = pairs == 0;
	values[7] = Float8GetDatum(pairs > 0 ? s->internal_edges / pairs : 0);
	nulls[8] = !(smaller_volume > 0);
	values[8] = Float8GetDatum(smaller_volume > 0 ? s->cut_weight / smaller_volume : 0);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/*
 * Per cluster of clusters_query's (node, cluster) rows: size, internal
 * and cut edges and weights, volume, density and conductance, in the
 * graph of edges_query's (a, b [, weight]) rows, by ascending cluster id.
 */
Datum
cluster_stats_of_query(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SybilBudget budget;
	sy_env		env;
	sy_wgraph_builder builder;
	sy_wgraph	graph;
	MembershipReader members;
	QueryRowsCallbacks callbacks = {start_memberships, read_membership, &members};
	uint32	   *cluster_of;
	int64	   *ids;
	uint32		n_clusters,
				c;
	sy_cluster_stats *stats;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		return (Datum) 0;
	sybil_budget_env_init(&env, &budget, CurrentMemoryContext, sybil_graph_memory_limit(), fname);
	sy_wgraph_builder_init(&builder, &env);
	memset(&members, 0, sizeof(members));
	members.builder = &builder;
	members.env = &env;
	sybil_query_rows(text_to_cstring(PG_GETARG_TEXT_PP(1)), fname, "clusters_query", &callbacks);
	sybil_read_weighted_edges(text_to_cstring(PG_GETARG_TEXT_PP(0)), fname, &builder);
	sybil_build_weighted_graph(&builder, &graph, fname);
	cluster_of = env.alloc(env.ctx, Max(graph.n, 1) * sizeof(uint32));
	n_clusters = number_clusters(&members, &graph, cluster_of, &ids);
	stats = env.alloc(env.ctx, Max(n_clusters, 1) * sizeof(sy_cluster_stats));
	sy_wgraph_cluster_stats(&graph, cluster_of, n_clusters, stats);
	for (c = 0; c < n_clusters; c++)
		put_stats(rsinfo, ids[c], &stats[c], graph.total);
	sy_wgraph_free(&graph);
	return (Datum) 0;
}
