/*
 * linkage.c: accounts linked by the tokens they share, from a query of
 * (account, token) rows: the linked pairs, their components, the hub
 * tokens left out, and the tokens behind a link (core/cooccur.h).
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "lib/qunique.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "components_datum.h"
#include "core/cooccur.h"
#include "token_rows.h"

PG_FUNCTION_INFO_V1(linked_pairs);
PG_FUNCTION_INFO_V1(linked_components);
PG_FUNCTION_INFO_V1(hub_tokens);
PG_FUNCTION_INFO_V1(why_linked_pair);
PG_FUNCTION_INFO_V1(why_linked_set);

/* What decides a link, from the functions' arguments. */
typedef struct LinkRule
{
	uint32		min_shared;
	uint32		max_degree;
	double		min_jaccard;
} LinkRule;

static void
check_rule(const char *fname, int32 min_shared, int32 max_degree, double min_jaccard)
{
	if (min_shared < 1 || max_degree < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s must be at least 1", fname,
						min_shared < 1 ? "min_shared" : "max_degree")));
	if (!(min_jaccard >= 0 && min_jaccard <= 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: min_jaccard must be between 0 and 1", fname)));
}

/*
 * Load the rows of the query in argument 0 and build the lists, for
 * fname; the rule's arguments are at the given positions (-1: absent).
 */
static TokenRows *
load(FunctionCallInfo fcinfo, const char *fname, int shared_arg, int degree_arg,
	 int jaccard_arg, LinkRule *rule)
{
	int			i;

	for (i = 0; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s: argument %d must not be NULL", fname, i + 1)));
	rule->min_jaccard = jaccard_arg < 0 ? 0 : PG_GETARG_FLOAT8(jaccard_arg);
	check_rule(fname, shared_arg < 0 ? 1 : PG_GETARG_INT32(shared_arg),
			   PG_GETARG_INT32(degree_arg), rule->min_jaccard);
	rule->min_shared = shared_arg < 0 ? 1 : (uint32) PG_GETARG_INT32(shared_arg);
	rule->max_degree = (uint32) PG_GETARG_INT32(degree_arg);
	return token_rows_load(text_to_cstring(PG_GETARG_TEXT_PP(0)), fname, "token",
						   rule->max_degree);
}

static sy_cooccur_scan *
new_scan(TokenRows *r)
{
	sy_cooccur_scan *s = palloc0(sizeof(sy_cooccur_scan));

	token_rows_check(r, sy_cooccur_scan_init(s, &r->graph));
	return s;
}

static const sy_cooccur_partner *
partners_of(TokenRows *r, sy_cooccur_scan *s, uint32 a, const LinkRule *rule, uint32 *n)
{
	const sy_cooccur_partner *p;

	token_rows_check(r, sy_cooccur_partners(s, a, rule->min_shared, rule->min_jaccard, &p, n));
	return p;
}

static text *
token_text(const TokenRows *r, uint32 t)
{
	uint32		len;
	const char *bytes = sy_cooccur_token(&r->graph, t, &len);

	return cstring_to_text_with_len(bytes, (int) len);
}

/* The non-hub tokens a and b share, as text[] (by ascending bytes). */
static ArrayType *
shared_tokens_array(TokenRows *r, sy_cooccur_scan *s, uint32 a, uint32 b)
{
	const uint32 *tokens;
	uint32		n,
				k;
	Datum	   *elems;

	token_rows_check(r, sy_cooccur_shared_tokens(s, a, b, false, &tokens, &n));
	elems = palloc((Size) (n + 1) * sizeof(Datum));
	for (k = 0; k < n; k++)
		elems[k] = PointerGetDatum(token_text(r, tokens[k]));
	return construct_array(elems, (int) n, TEXTOID, -1, false, TYPALIGN_INT);
}

static void
put_row(FunctionCallInfo fcinfo, Datum *values, bool *nulls)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/* Pairs of accounts sharing at least min_shared non-hub tokens */
Datum
linked_pairs(PG_FUNCTION_ARGS)
{
	LinkRule	rule;
	TokenRows  *r = load(fcinfo, "sybil.linked_pairs", 1, 2, 3, &rule);
	sy_cooccur_scan *s = new_scan(r);
	uint32		a;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	for (a = 0; a < sy_cooccur_accounts(&r->graph); a++)
	{
		uint32		n,
					k;
		const sy_cooccur_partner *p = partners_of(r, s, a, &rule, &n);

		for (k = 0; k < n; k++)
		{
			Datum		values[4];
			bool		nulls[4] = {false, false, false, false};

			values[0] = Int64GetDatum(sy_cooccur_account_id(&r->graph, a));
			values[1] = Int64GetDatum(sy_cooccur_account_id(&r->graph, p[k].b));
			values[2] = Int32GetDatum((int32) p[k].shared);
			values[3] = Float8GetDatum(p[k].jaccard);
			put_row(fcinfo, values, nulls);
		}
		CHECK_FOR_INTERRUPTS();
	}
	return (Datum) 0;
}

/* Connected components of the linked-pairs graph */
Datum
linked_components(PG_FUNCTION_ARGS)
{
	LinkRule	rule;
	TokenRows  *r = load(fcinfo, "sybil.linked_components", 1, 2, 3, &rule);
	sy_cooccur_scan *s = new_scan(r);
	/* the forest gets what the rows left of the limit */
	ComponentsExpanded *forest = components_expanded_new(CurrentMemoryContext,
														 sybil_budget_left(&r->budget),
														 "sybil.linked_components");
	uint32		a;

	for (a = 0; a < sy_cooccur_accounts(&r->graph); a++)
	{
		int64		id = sy_cooccur_account_id(&r->graph, a);
		uint32		n,
					k;
		const sy_cooccur_partner *p = partners_of(r, s, a, &rule, &n);

		components_add_edge(forest, id, id);
		for (k = 0; k < n; k++)
			components_add_edge(forest, id, sy_cooccur_account_id(&r->graph, p[k].b));
		CHECK_FOR_INTERRUPTS();
	}
	sy_cooccur_scan_free(s);
	sy_cooccur_free(&r->graph);
	components_return_rows(fcinfo, components_finished_forest(EOHPGetRWDatum(&forest->hdr)),
						   PG_GETARG_INT64(4));
	return (Datum) 0;
}

/* Tokens left out of linking: those of more than max_degree accounts */
Datum
hub_tokens(PG_FUNCTION_ARGS)
{
	LinkRule	rule;
	TokenRows  *r = load(fcinfo, "sybil.hub_tokens", -1, 1, -1, &rule);
	uint32	   *hubs;
	uint32		n,
				k;

	token_rows_check(r, sy_cooccur_hubs(&r->graph, &hubs, &n));
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	for (k = 0; k < n; k++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = PointerGetDatum(token_text(r, hubs[k]));
		values[1] = Int64GetDatum((int64) sy_cooccur_token_degree(&r->graph, hubs[k]));
		put_row(fcinfo, values, nulls);
	}
	return (Datum) 0;
}

/* Every token two accounts share, with its degree and whether it is a hub */
Datum
why_linked_pair(PG_FUNCTION_ARGS)
{
	LinkRule	rule;
	TokenRows  *r = load(fcinfo, "sybil.why_linked", -1, 3, -1, &rule);
	uint32		a,
				b;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	if (sy_cooccur_find_account(&r->graph, PG_GETARG_INT64(1), &a) &&
		sy_cooccur_find_account(&r->graph, PG_GETARG_INT64(2), &b) && a != b)
	{
		sy_cooccur_scan *s = new_scan(r);
		const uint32 *tokens;
		uint32		n,
					k;

		token_rows_check(r, sy_cooccur_shared_tokens(s, a, b, true, &tokens, &n));
		for (k = 0; k < n; k++)
		{
			Datum		values[3];
			bool		nulls[3] = {false, false, false};

			values[0] = PointerGetDatum(token_text(r, tokens[k]));
			values[1] = Int64GetDatum((int64) sy_cooccur_token_degree(&r->graph, tokens[k]));
			values[2] = BoolGetDatum(sy_cooccur_is_hub(&r->graph, tokens[k]));
			put_row(fcinfo, values, nulls);
		}
	}
	return (Datum) 0;
}

static int
compare_uint32(const void *x, const void *y)
{
	uint32		a = *(const uint32 *) x,
				b = *(const uint32 *) y;

	return a < b ? -1 : a > b;
}

/* The distinct indices of the accounts of an array that are in the graph,
 * ascending. */
static uint32 *
account_indices(const TokenRows *r, ArrayType *ids, uint32 *n)
{
	Datum	   *elems;
	bool	   *nulls;
	int			count,
				i;
	uint32	   *found;

	deconstruct_array(ids, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &nulls, &count);
	found = palloc((Size) (count + 1) * sizeof(uint32));
	*n = 0;
	/* graph indices follow id order: sorting the ids sorts the indices */
	for (i = 0; i < count; i++)
		if (!nulls[i] && sy_cooccur_find_account(&r->graph, DatumGetInt64(elems[i]), &found[*n]))
			(*n)++;
	qsort(found, *n, sizeof(uint32), compare_uint32);
	*n = qunique(found, *n, sizeof(uint32), compare_uint32);
	return found;
}

static bool
contains(const uint32 *sorted, uint32 n, uint32 x)
{
	return bsearch(&x, sorted, n, sizeof(uint32), compare_uint32) != NULL;
}

/* The links among a set of accounts, each with the tokens behind it */
Datum
why_linked_set(PG_FUNCTION_ARGS)
{
	LinkRule	rule;
	TokenRows  *r = load(fcinfo, "sybil.why_linked", 2, 3, 4, &rule);
	sy_cooccur_scan *s = new_scan(r);
	uint32		n_members,
				i;
	uint32	   *members = account_indices(r, PG_GETARG_ARRAYTYPE_P(1), &n_members);

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	for (i = 0; i < n_members; i++)
	{
		uint32		a = members[i];
		uint32		n,
					k;
		const sy_cooccur_partner *p = partners_of(r, s, a, &rule, &n);

		for (k = 0; k < n; k++)
		{
			Datum		values[5];
			bool		nulls[5] = {false, false, false, false, false};

			if (!contains(members, n_members, p[k].b))
				continue;
			values[0] = Int64GetDatum(sy_cooccur_account_id(&r->graph, a));
			values[1] = Int64GetDatum(sy_cooccur_account_id(&r->graph, p[k].b));
			values[2] = Int32GetDatum((int32) p[k].shared);
			values[3] = Float8GetDatum(p[k].jaccard);
			values[4] = PointerGetDatum(shared_tokens_array(r, s, a, p[k].b));
			put_row(fcinfo, values, nulls);
		}
		CHECK_FOR_INTERRUPTS();
	}
	return (Datum) 0;
}
