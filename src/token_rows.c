/* token_rows.c: see token_rows.h. */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "query_rows.h"
#include "token_rows.h"

void
token_rows_check(const TokenRows *r, sy_status st)
{
	if (st == SY_ETOOBIG)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: too many rows, accounts or %s bytes for one graph", r->fname,
						r->token_name),
				 errdetail("At most %u rows and %u accounts.", (unsigned) SY_COOCCUR_MAX_ROWS,
						   (unsigned) SY_COMPONENTS_MAX_NODES)));
	sybil_check(st, r->fname);
}

static void
start_token_rows(void *arg, TupleDesc desc)
{
	TokenRows  *r = arg;
	Oid			token_type;
	Oid			out;
	bool		varlena;

	if (desc->natts != 2)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg_plural("%s: rows_query returns %d column; it must return (account, %s)",
							   "%s: rows_query returns %d columns; it must return (account, %s)",
							   desc->natts, r->fname, desc->natts, r->token_name)));
	r->account_type = TupleDescAttr(desc, 0)->atttypid;
	if (!sybil_is_integer_type(r->account_type))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s: the account column of rows_query must be bigint, integer or smallint, not %s",
						r->fname, sybil_column_type_name(desc, 0))));
	token_type = getBaseType(TupleDescAttr(desc, 1)->atttypid);
	r->token_is_text = token_type == TEXTOID || token_type == VARCHAROID || token_type == BPCHAROID;
	getTypeOutputInfo(token_type, &out, &varlena);
	fmgr_info(out, &r->token_out);
}

/* Add the batched rows to the graph. */
static void
flush_token_rows(TokenRows *r)
{
	int			n = r->n_batched;

	r->n_batched = 0;
	r->arena_used = 0;
	token_rows_check(r, sy_cooccur_add_rows(&r->graph, r->accounts, r->tokens, r->lens, (size_t) n));
}

static void
read_token_row(void *arg, TupleTableSlot *slot)
{
	TokenRows  *r = arg;
	int64		account;
	const char *token;
	size_t		len;

	if (slot->tts_isnull[0] || slot->tts_isnull[1])
		return;
	account = sybil_integer_value(slot->tts_values[0], r->account_type);
	if (r->token_is_text)
	{
		text	   *t = DatumGetTextPP(slot->tts_values[1]);

		token = VARDATA_ANY(t);
		len = VARSIZE_ANY_EXHDR(t);
	}
	else
	{
		token = OutputFunctionCall(&r->token_out, slot->tts_values[1]);
		len = strlen(token);
	}
	if (len > TOKEN_ROWS_ARENA - r->arena_used || r->n_batched == TOKEN_ROWS_BATCH)
		flush_token_rows(r);
	if (len > TOKEN_ROWS_ARENA)
	{
		token_rows_check(r, sy_cooccur_add(&r->graph, account, token, (uint32) len));
		return;
	}
	memcpy(r->arena + r->arena_used, token, len);
	r->accounts[r->n_batched] = account;
	r->tokens[r->n_batched] = r->arena + r->arena_used;
	r->lens[r->n_batched] = (uint32) len;
	r->n_batched++;
	r->arena_used += len;
}

TokenRows *
token_rows_load(const char *query, const char *fname, const char *token_name, uint32 max_degree)
{
	TokenRows  *r = palloc0(sizeof(TokenRows));
	QueryRowsCallbacks callbacks = {start_token_rows, read_token_row, r};

	r->fname = fname;
	r->token_name = token_name;
	sybil_budget_env_init(&r->env, &r->budget, CurrentMemoryContext, sybil_graph_memory_limit(),
						  fname);
	sy_cooccur_init(&r->graph, &r->env);
	sybil_query_rows(query, fname, "rows_query", &callbacks);
	flush_token_rows(r);
	token_rows_check(r, sy_cooccur_finish(&r->graph, max_degree));
	return r;
}
