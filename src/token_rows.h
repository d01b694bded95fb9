/*
 * token_rows.h: the (account, token) rows of a user's query read into a
 * co-occurrence graph (core/cooccur.h), for the linkage functions and
 * sybil.dense_blocks.
 *
 * The account column is any integer type; the token column any type, by its
 * text form (text, varchar and char by their bytes).  Rows with a NULL are
 * skipped.  Rows reach the graph a batch at a time (sy_cooccur_add_rows
 * looks them up together), their token bytes copied into the batch's own
 * arena since a row's values live only until the next few rows.  The graph
 * takes its memory within sybil.graph_memory_limit.
 */
#ifndef SYBIL_TOKEN_ROWS_H
#define SYBIL_TOKEN_ROWS_H

#include "postgres.h"

#include "fmgr.h"

#include "core/cooccur.h"
#include "pg_env.h"

#define TOKEN_ROWS_BATCH 256
#define TOKEN_ROWS_ARENA (64 * 1024)

typedef struct TokenRows
{
	const char *fname;			/* the function, for errors */
	const char *token_name;		/* "token", "item": what the second column holds */
	SybilBudget budget;
	sy_env		env;
	sy_cooccur	graph;
	Oid			account_type;
	bool		token_is_text;
	FmgrInfo	token_out;
	/* rows read and not yet added */
	int			n_batched;
	Size		arena_used;
	int64		accounts[TOKEN_ROWS_BATCH];
	const char *tokens[TOKEN_ROWS_BATCH];	/* into arena */
	uint32		lens[TOKEN_ROWS_BATCH];
	char		arena[TOKEN_ROWS_ARENA];
} TokenRows;

/*
 * Read the rows of query (fname's argument rows_query) into a graph and
 * finish it with the tokens of more than max_degree accounts left out as hubs.
 */
TokenRows  *token_rows_load(const char *query, const char *fname, const char *token_name,
							uint32 max_degree);

/* Raise the ERROR for a failed status of an operation on r's graph. */
void		token_rows_check(const TokenRows *r, sy_status st);

#endif
