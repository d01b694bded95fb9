/*
 * minhash_lsh.c: similar pairs among MinHash signatures without comparing
 * all pairs: the LSH band keys of one signature (sybil.lsh_bands), the
 * pairs at or above a Jaccard threshold among the signatures that a query
 * returns, optionally verified against the exact sets (sybil.similar_pairs),
 * and the same from (id, item) rows, the signatures built here
 * (sybil.similar_sets).
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "optimizer/cost.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "core/lsh.h"
#include "core/minhash_sets.h"
#include "core/sort.h"
#include "minhash_datum.h"
#include "minhash_item.h"
#include "pg_env.h"
#include "prefaulted_array.h"
#include "query_rows.h"

PG_FUNCTION_INFO_V1(minhash_lsh_bands);
PG_FUNCTION_INFO_V1(similar_pairs);
PG_FUNCTION_INFO_V1(similar_sets);

static const char *const fname = "sybil.similar_pairs";
static const char *const sets_fname = "sybil.similar_sets";

/* ERROR unless bands cuts a signature of size k into bands of >= 1 slot. */
static void
check_bands(int32 bands, uint32 k, const char *what)
{
	if (bands < 1 || (uint32) bands > k)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: bands must be between 1 and the signature size %u, not %d",
						what, k, bands)));
}

/* lsh_bands(m, bands): one key per band of k / bands slots. */
Datum
minhash_lsh_bands(PG_FUNCTION_ARGS)
{
	MinHash    *m = PG_GETARG_MINHASH_P(0);
	int32		bands = PG_GETARG_INT32(1);
	uint32		rows;
	Datum	   *keys;

	check_bands(bands, m->k, "sybil.lsh_bands");
	rows = m->k / (uint32) bands;
	keys = palloc(sizeof(Datum) * bands);
	for (int32 band = 0; band < bands; band++)
		keys[band] = Int64GetDatum((int64) sy_lsh_band_key(m->mins + (Size) band * rows, rows,
															 (uint32) band, m->seed));
	PG_RETURN_ARRAYTYPE_P(construct_array(keys, bands, INT8OID, sizeof(int64), FLOAT8PASSBYVAL,
										  TYPALIGN_DOUBLE));
}

typedef struct IdEntry
{
	int64		id;
	uint32		index;
} IdEntry;

/* The signatures a query returned, one after another, with their ids. */
typedef struct SignatureSet
{
	const char *fname;			/* the SQL function, for messages */
	Oid			minhash_type;
	Oid			id_type;
	SybilBudget budget;
	sy_env		env;
	uint32		n;
	uint32		capacity;
	uint32		k;				/* 0 until the first signature */
	uint64		seed;
	int64	   *ids;
	uint32	   *mins;
	PrefaultedArray *reading;	/* mins while the query runs */
	IdEntry    *by_id;			/* sorted: finds an id's signature */
} SignatureSet;

static void *
grow(SignatureSet *s, void *array, Size elem_size, Size capacity)
{
	void	   *bigger = array == NULL ? s->env.alloc(s->env.ctx, elem_size * capacity)
		: s->env.realloc(s->env.ctx, array, elem_size * capacity);

	if (bigger == NULL)
		sybil_raise(SY_ENOMEM, s->fname);
	return bigger;
}

/*
 * ERROR unless the query argument argname of function what returns two
 * columns, an integer id and `second`; the id's type.
 */
static Oid
id_column_type(TupleDesc desc, const char *what, const char *argname, const char *second)
{
	Oid			id_type;

	if (desc->natts != 2)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s: %s must return 2 columns (id, %s), not %d",
						what, argname, second, desc->natts)));
	id_type = TupleDescAttr(desc, 0)->atttypid;
	if (!sybil_is_integer_type(id_type))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s: the id column of %s must be bigint, integer or smallint, not %s",
						what, argname, sybil_column_type_name(desc, 0))));
	return id_type;
}

static void
start_signatures(void *arg, TupleDesc desc)
{
	SignatureSet *s = arg;

	s->id_type = id_column_type(desc, fname, "signatures_query", "signature");
	if (getBaseType(TupleDescAttr(desc, 1)->atttypid) != s->minhash_type)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s: the signature column of signatures_query must be sybil.minhash, not %s",
						fname, sybil_column_type_name(desc, 1))));
}

static void
read_signature(void *arg, TupleTableSlot *slot)
{
	SignatureSet *s = arg;
	MinHash    *m;

	if (slot->tts_isnull[0] || slot->tts_isnull[1])
		return;
	m = minhash_from_datum(slot->tts_values[1]);
	if (s->k == 0)
	{
		s->k = m->k;
		s->seed = m->seed;
	}
	else if (m->k != s->k || m->seed != s->seed)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s: every signature must have the same size and seed", fname),
				 errdetail("The first had k = %u and seed " INT64_FORMAT "; one has k = %u and seed "
						   INT64_FORMAT ".", s->k, (int64) s->seed, m->k, (int64) m->seed)));
	if (s->n == s->capacity)
	{
		if (s->capacity >= PG_INT32_MAX / 2)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("%s: too many signatures", fname)));
		s->capacity = Max(1024, s->capacity * 2);
		s->ids = grow(s, s->ids, sizeof(int64), s->capacity);
	}
	if (s->reading == NULL)
		s->reading = prefaulted_array_create(&s->budget, sizeof(uint32) * s->k);
	s->ids[s->n] = sybil_integer_value(slot->tts_values[0], s->id_type);
	memcpy(prefaulted_array_push(s->reading), m->mins, sizeof(uint32) * s->k);
	s->n++;
}

static int
compare_ids(const void *a, const void *b)
{
	int64		x = ((const IdEntry *) a)->id;
	int64		y = ((const IdEntry *) b)->id;

	return (x > y) - (x < y);
}

/* Sort the ids for lookups; ERROR if one appears twice. */
static void
index_ids(SignatureSet *s)
{
	s->by_id = palloc_extended(sizeof(IdEntry) * Max(s->n, 1), MCXT_ALLOC_HUGE);
	for (uint32 i = 0; i < s->n; i++)
	{
		s->by_id[i].id = s->ids[i];
		s->by_id[i].index = i;
	}
	qsort(s->by_id, s->n, sizeof(IdEntry), compare_ids);
	for (uint32 i = 1; i < s->n; i++)
		if (s->by_id[i].id == s->by_id[i - 1].id)
			ereport(ERROR,
					(errcode(ERRCODE_CARDINALITY_VIOLATION),
					 errmsg("%s: signatures_query returned id " INT64_FORMAT " more than once",
							fname, s->by_id[i].id),
					 errhint("Aggregate the items of an id into one signature (minhash_agg, minhash_union).")));
}

/* The index of id's signature, or -1. */
static int64
find_id(const SignatureSet *s, int64 id)
{
	uint32		low = 0;
	uint32		high = s->n;

	while (low < high)
	{
		uint32		mid = low + (high - low) / 2;

		if (s->by_id[mid].id < id)
			low = mid + 1;
		else
			high = mid;
	}
	return low < s->n && s->by_id[low].id == id ? s->by_id[low].index : -1;
}

static void
put_pair(ReturnSetInfo *rsinfo, int64 a, int64 b, double estimate, double exact, bool verified)
{
	Datum		values[4];
	bool		nulls[4] = {false, false, false, !verified};

	values[0] = Int64GetDatum(Min(a, b));
	values[1] = Int64GetDatum(Max(a, b));
	values[2] = Float8GetDatum(estimate);
	values[3] = Float8GetDatum(exact);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/* Where candidate pairs go: straight out, or kept for verification. */
typedef struct PairSink
{
	SignatureSet *set;
	ReturnSetInfo *rsinfo;		/* NULL: keep the pairs */
	uint64	   *pairs;			/* a << 32 | b */
	Size		n_pairs;
	Size		capacity;
} PairSink;

static void
take_pair(void *arg, uint32_t a, uint32_t b, uint32_t agreements)
{
	PairSink   *sink = arg;
	SignatureSet *s = sink->set;

	if (sink->rsinfo != NULL)
	{
		put_pair(sink->rsinfo, s->ids[a], s->ids[b], (double) agreements / s->k, 0, false);
		return;
	}
	if (sink->n_pairs == sink->capacity)
	{
		sink->capacity = Max(1024, sink->capacity * 2);
		sink->pairs = grow(s, sink->pairs, sizeof(uint64), sink->capacity);
	}
	sink->pairs[sink->n_pairs++] = (uint64) a << 32 | b;
}

/*
 * The exact item sets of the signatures that some candidate pair needs,
 * from verify_query's (id, item) rows: item hashes grouped by signature,
 * each group sorted and without repeats.
 */
typedef struct ExactSets
{
	SignatureSet *set;
	const bool *needed;
	ItemHasher	hasher;
	Size		n_items;
	Size		capacity;
	uint32	   *item_owner;
	uint64	   *item_hash;
	Size	   *start;			/* group i is hashes[start[i] .. start[i] + size[i]) */
	uint32	   *size;
	uint64	   *hashes;
} ExactSets;

static void
start_items(void *arg, TupleDesc desc)
{
	ExactSets  *e = arg;

	(void) id_column_type(desc, fname, "verify_query", "item");
	item_hasher_init(&e->hasher, TupleDescAttr(desc, 1)->atttypid, CurrentMemoryContext);
}

static void
read_item(void *arg, TupleTableSlot *slot)
{
	ExactSets  *e = arg;
	SignatureSet *s = e->set;
	int64		owner;

	if (slot->tts_isnull[0] || slot->tts_isnull[1])
		return;
	owner = find_id(s, sybil_integer_value(slot->tts_values[0],
										   TupleDescAttr(slot->tts_tupleDescriptor, 0)->atttypid));
	if (owner < 0 || !e->needed[owner])
		return;
	if (e->n_items == e->capacity)
	{
		e->capacity = Max(4096, e->capacity * 2);
		e->item_owner = grow(s, e->item_owner, sizeof(uint32), e->capacity);
		e->item_hash = grow(s, e->item_hash, sizeof(uint64), e->capacity);
	}
	e->item_owner[e->n_items] = (uint32) owner;
	e->item_hash[e->n_items] = item_hash(&e->hasher, slot->tts_values[1]);
	e->n_items++;
}

/* Group the items by owner (a counting sort), then sort and dedupe each group. */
static void
group_items(ExactSets *e)
{
	uint32		n = e->set->n;
	Size	   *next = palloc_extended(sizeof(Size) * (n + 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);

	e->start = palloc_extended(sizeof(Size) * (n + 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	e->size = palloc_extended(sizeof(uint32) * Max(n, 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	e->hashes = grow(e->set, NULL, sizeof(uint64), Max(e->n_items, 1));
	for (Size i = 0; i < e->n_items; i++)
		e->start[e->item_owner[i] + 1]++;
	for (uint32 i = 0; i < n; i++)
		e->start[i + 1] += e->start[i];
	memcpy(next, e->start, sizeof(Size) * (n + 1));
	for (Size i = 0; i < e->n_items; i++)
		e->hashes[next[e->item_owner[i]]++] = e->item_hash[i];
	for (uint32 i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		e->size[i] = (uint32) sy_sort_distinct_u64(e->hashes + e->start[i],
												   e->start[i + 1] - e->start[i]);
	}
}

/* Exact Jaccard similarity of the item sets of a and b (0 if both are empty). */
static double
exact_jaccard(const ExactSets *e, uint32 a, uint32 b)
{
	const uint64 *x = e->hashes + e->start[a];
	const uint64 *y = e->hashes + e->start[b];
	uint32		i = 0,
				j = 0,
				common = 0;
	uint32		union_size;

	while (i < e->size[a] && j < e->size[b])
	{
		if (x[i] < y[j])
			i++;
		else if (x[i] > y[j])
			j++;
		else
		{
			common++;
			i++;
			j++;
		}
	}
	union_size = e->size[a] + e->size[b] - common;
	return union_size == 0 ? 0 : (double) common / union_size;
}

/* Emit the kept candidate pairs whose exact similarity reaches threshold. */
static void
emit_verified(PairSink *sink, const ExactSets *e, double threshold)
{
	SignatureSet *s = sink->set;

	for (Size i = 0; i < sink->n_pairs; i++)
	{
		uint32		a = (uint32) (sink->pairs[i] >> 32);
		uint32		b = (uint32) sink->pairs[i];
		double		exact = exact_jaccard(e, a, b);

		CHECK_FOR_INTERRUPTS();
		if (exact >= threshold)
			put_pair(sink->rsinfo, s->ids[a], s->ids[b],
					 (double) sy_minhash_agreements(s->mins + (Size) a * s->k,
													s->mins + (Size) b * s->k, s->k) / s->k,
					 exact, true);
	}
}

/* Emit the kept candidate pairs by the exact sets of verify_query's rows. */
static void
verify_pairs(PairSink *sink, const char *verify_query, double threshold)
{
	SignatureSet *s = sink->set;
	ExactSets	e = {0};
	bool	   *needed = palloc_extended(Max(s->n, 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	QueryRowsCallbacks callbacks = {start_items, read_item, &e};

	for (Size i = 0; i < sink->n_pairs; i++)
	{
		needed[sink->pairs[i] >> 32] = true;
		needed[(uint32) sink->pairs[i]] = true;
	}
	e.set = s;
	e.needed = needed;
	sybil_query_rows(verify_query, fname, "verify_query", &callbacks);
	group_items(&e);
	emit_verified(sink, &e, threshold);
}

/*
 * The fewest agreeing slots a candidate needs.  Without verification, the
 * threshold itself.  With it, the exact similarity decides, so candidates
 * are kept down to 4 standard errors below the threshold: a pair at the
 * threshold falls further with probability 3e-5, and the many candidates
 * of a band far below it (they number in the millions on a big table)
 * cost no memory.
 */
static uint32
candidate_floor(double threshold, uint32 k, bool verify)
{
	double		floor = threshold;

	if (verify)
		floor -= 4 * sqrt(threshold * (1 - threshold) / k);
	return floor <= 0 ? 0 : (uint32) ceil(floor * k - 1e-9);
}

/* The type sybil.minhash: in the schema of this function. */
static Oid
minhash_type_oid(FunctionCallInfo fcinfo)
{
	Oid			schema = get_func_namespace(fcinfo->flinfo->fn_oid);

	return GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum("minhash"),
						   ObjectIdGetDatum(schema));
}

/* The threshold argument: ERROR unless in (0, 1]. */
static double
threshold_arg(FunctionCallInfo fcinfo, int arg, const char *what)
{
	double		threshold = PG_GETARG_FLOAT8(arg);

	if (!(threshold > 0 && threshold <= 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: threshold must be greater than 0 and at most 1", what)));
	return threshold;
}

/*
 * The candidate pairs of s into sink, the banding shared with as many
 * threads as a parallel query would get workers
 * (max_parallel_workers_per_gather).  Only this thread touches PostgreSQL:
 * the others compute, block signals and malloc within the same memory
 * limit; they are joined before any ERROR leaves here.
 */
static void
band_in_threads(SignatureSet *s, const sy_lsh_params *params, PairSink *sink)
{
	SybilThreadBudget thread_budget;
	sy_env		thread_env;
	sy_lsh_parallel *run = NULL;
	sy_status	status = SY_OK;

	sybil_thread_env_init(&thread_env, &thread_budget, &s->budget);
	sybil_check(sy_lsh_parallel_start(&s->env, &thread_env, (uint32) max_parallel_workers_per_gather,
									  s->mins, s->n, params, &run), s->fname);
	PG_TRY();
	{
		status = sy_lsh_parallel_run(run, take_pair, sink);
	}
	PG_FINALLY();
	{
		sy_lsh_parallel_end(run);
	}
	PG_END_TRY();
	sybil_thread_budget_check(&thread_budget);
	sybil_check(status, s->fname);
}

/*
 * The candidate pairs of the signatures of s into sink, banded for
 * threshold, or with bands_arg's bands when that argument is not NULL.
 */
static void
find_candidates(FunctionCallInfo fcinfo, int bands_arg, SignatureSet *s, double threshold,
				bool verify, PairSink *sink)
{
	sy_lsh_params params;

	params.k = s->k;
	params.seed = s->seed;
	if (PG_ARGISNULL(bands_arg))
	{
		params.rows = sy_lsh_rows_for(threshold, s->k);
		params.bands = sy_lsh_bands_for(threshold, params.rows, s->k);
	}
	else
	{
		check_bands(PG_GETARG_INT32(bands_arg), s->k, s->fname);
		params.bands = (uint32) PG_GETARG_INT32(bands_arg);
		params.rows = s->k / params.bands;
	}
	params.min_agreements = candidate_floor(threshold, s->k, verify);
	band_in_threads(s, &params, sink);
}

/* A set of signatures to fill, its memory within sybil.graph_memory_limit. */
static SignatureSet *
new_signature_set(const char *what)
{
	SignatureSet *s = palloc0(sizeof(SignatureSet));

	s->fname = what;
	sybil_budget_env_init(&s->env, &s->budget, CurrentMemoryContext, sybil_graph_memory_limit(),
						  what);
	return s;
}

/*
 * similar_pairs(signatures_query, threshold, bands, verify_query):
 * (a, b, estimate, exact) for the pairs whose estimated (or, with
 * verify_query, exact) Jaccard similarity is at least threshold.
 */
Datum
similar_pairs(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SignatureSet *s;
	QueryRowsCallbacks callbacks = {start_signatures, read_signature, NULL};
	PairSink	sink = {NULL, NULL, NULL, 0, 0};
	double		threshold;
	bool		verify = !PG_ARGISNULL(3);

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: signatures_query and threshold must not be NULL", fname)));
	threshold = threshold_arg(fcinfo, 1, fname);
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	s = new_signature_set(fname);
	s->minhash_type = minhash_type_oid(fcinfo);
	callbacks.arg = s;
	sybil_query_rows(text_to_cstring(PG_GETARG_TEXT_PP(0)), fname, "signatures_query", &callbacks);
	if (s->n == 0)
		PG_RETURN_NULL();
	s->mins = prefaulted_array_finish(s->reading);
	index_ids(s);
	sink.set = s;
	if (!verify)
		sink.rsinfo = rsinfo;
	find_candidates(fcinfo, 2, s, threshold, verify, &sink);
	if (verify)
	{
		sink.rsinfo = rsinfo;
		verify_pairs(&sink, text_to_cstring(PG_GETARG_TEXT_PP(3)), threshold);
	}
	PG_RETURN_NULL();
}

/*
 * The (id, item) rows of similar_sets: each item into its id's signature,
 * and, for exact similarity, every (id, item hash) kept.
 */
typedef struct SetRows
{
	SignatureSet *set;
	sy_minhash_sets sets;
	Oid			id_type;
	ItemHasher	hasher;
	bool		exact;
	Size		n_rows;			/* kept for exact similarity */
	Size		capacity;
	int64	   *row_id;
	uint64	   *row_hash;
} SetRows;

static void
start_set_rows(void *arg, TupleDesc desc)
{
	SetRows    *r = arg;

	r->id_type = id_column_type(desc, sets_fname, "items_query", "item");
	item_hasher_init(&r->hasher, TupleDescAttr(desc, 1)->atttypid, CurrentMemoryContext);
}

static void
check_sets(sy_status status)
{
	if (status == SY_ETOOBIG)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: too many ids", sets_fname)));
	sybil_check(status, sets_fname);
}

static void
read_set_row(void *arg, TupleTableSlot *slot)
{
	SetRows    *r = arg;
	int64		id;
	uint64		hash;

	if (slot->tts_isnull[0] || slot->tts_isnull[1])
		return;
	id = sybil_integer_value(slot->tts_values[0], r->id_type);
	hash = item_hash(&r->hasher, slot->tts_values[1]);
	check_sets(sy_minhash_sets_add(&r->sets, id, hash));
	if (!r->exact)
		return;
	if (r->n_rows == r->capacity)
	{
		r->capacity = Max(4096, r->capacity * 2);
		r->row_id = grow(r->set, r->row_id, sizeof(int64), r->capacity);
		r->row_hash = grow(r->set, r->row_hash, sizeof(uint64), r->capacity);
	}
	r->row_id[r->n_rows] = id;
	r->row_hash[r->n_rows++] = hash;
}

/* The item sets of the kept rows, grouped by the index of their id's set. */
static void
exact_sets_of_rows(SetRows *r, ExactSets *e)
{
	e->set = r->set;
	e->n_items = r->n_rows;
	e->item_hash = r->row_hash;
	e->item_owner = grow(r->set, NULL, sizeof(uint32), Max(r->n_rows, 1));
	for (Size i = 0; i < r->n_rows; i++)
	{
		uint32		index = 0;

		sy_minhash_sets_find(&r->sets, r->row_id[i], &index);
		e->item_owner[i] = index;
		CHECK_FOR_INTERRUPTS();
	}
	group_items(e);
}

/*
 * similar_sets(items_query, threshold, exact, k, seed, bands): the pairs
 * of similar_pairs over minhash_agg(item, k, seed) grouped by id, with the
 * signatures built here from the rows as they come; with exact, the pairs
 * are kept by the exact Jaccard similarity of the rows' item sets.
 */
Datum
similar_sets(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SignatureSet *s;
	SetRows		rows = {0};
	sy_minhash_family family;
	QueryRowsCallbacks callbacks = {start_set_rows, read_set_row, &rows};
	PairSink	sink = {NULL, NULL, NULL, 0, 0};
	double		threshold;
	bool		verify;
	int64		k;

	for (int arg = 0; arg < 5; arg++)
		if (PG_ARGISNULL(arg))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s: items_query, threshold, exact, k and seed must not be NULL",
							sets_fname)));
	threshold = threshold_arg(fcinfo, 1, sets_fname);
	verify = PG_GETARG_BOOL(2);
	k = PG_GETARG_INT32(3);
	minhash_check_k(k, sets_fname);
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	s = new_signature_set(sets_fname);
	s->k = (uint32) k;
	s->seed = (uint64) PG_GETARG_INT64(4);
	rows.set = s;
	rows.exact = verify;
	/* our own family: minhash_family()'s is shared with calls inside items_query */
	sy_minhash_family_init(&family, s->k, s->seed, palloc(sy_minhash_family_size(s->k)));
	sy_minhash_sets_init(&rows.sets, &s->env, &family);
	sybil_query_rows(text_to_cstring(PG_GETARG_TEXT_PP(0)), sets_fname, "items_query", &callbacks);
	check_sets(sy_minhash_sets_finish(&rows.sets));
	if (rows.sets.n == 0)
		PG_RETURN_NULL();
	s->n = rows.sets.n;
	s->ids = rows.sets.ids;
	s->mins = rows.sets.mins;
	sink.set = s;
	if (!verify)
		sink.rsinfo = rsinfo;
	find_candidates(fcinfo, 5, s, threshold, verify, &sink);
	if (verify)
	{
		ExactSets	exact = {0};

		sink.rsinfo = rsinfo;
		exact_sets_of_rows(&rows, &exact);
		emit_verified(&sink, &exact, threshold);
	}
	PG_RETURN_NULL();
}
