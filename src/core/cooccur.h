/*
 * cooccur.h: co-occurrence linkage, accounts linked by the tokens they
 * share (IPs, device fingerprints, "template|hour" composites...).
 *
 * Input: rows (account int64, token bytes), duplicates allowed.  A token's
 * degree is the number of distinct accounts having it; a token is a hub
 * when its degree exceeds max_degree, and hubs take no part in linking
 * (a corporate NAT or a public wifi shared by thousands links nobody).
 * T(a) is the set of a's non-hub tokens, deg(a) = |T(a)|.  Accounts a != b
 * are linked when shared = |T(a) n T(b)| >= min_shared and
 * jaccard = shared / (deg(a) + deg(b) - shared) >= min_jaccard, the
 * division done in double precision, exactly that way.
 *
 * Accounts are numbered 0..n-1 in ascending order of id, so every result
 * depends only on the set of rows, never on their order.  Token numbers
 * follow first appearance and are internal: tokens come out sorted by
 * their bytes (memcmp, then length), never by number.
 *
 * Partners are enumerated account by account, never as a list of pairs:
 * for account a, every account b > a of every non-hub token of a bumps a
 * counter, then the counters are filtered.  A whole pass costs the sum,
 * over non-hub tokens, of degree squared / 2, and memory never depends on
 * the number of pairs.
 *
 * Memory.  While adding, a row takes 8 bytes (account and token numbers),
 * in blocks of at most 64k rows, so there is no slack and no big realloc;
 * an account takes 17 to 29 bytes (an sy_components forest without
 * edges serves as the id map, see components.h); a token takes about 46
 * bytes plus twice its length (the sy_hist dictionary: a 16-byte entry
 * and a 4-byte hash, both grown by doubling, an index at most half full,
 * a label arena grown by doubling).  Besides the dictionary,
 * sy_cooccur_finish peaks at 12 bytes a row, 12 an account and 4 a token
 * (row blocks are freed as the 4-byte token lists fill) or, with few rows
 * an account, at 8 bytes a row and 45 an account.  Once finished, a
 * distinct (account, token) pair takes 8 bytes (it is in one account list
 * and one token list), an account 16 and a token 4, besides the
 * dictionary.  A scan takes 12 bytes an account, plus 16 a partner and 4
 * a shared token of its largest answer.
 *
 * Measured on 30M rows of 1M accounts and 1M tokens ("ip-<n>"), whatever
 * their order: 10.2 bytes a row after adding, a peak of 14.1 during
 * finish, 10.2 (8.6 with 20% repeated rows) once finished.
 *
 * Time: adding is bound by memory latency, about 2 cache misses in the
 * account map and 3 in the dictionary (slot, entry, bytes) for a row whose
 * account and token both differ from the previous row's; rows grouped by
 * account or by token skip one lookup.  sy_cooccur_add_rows overlaps the
 * misses of a batch of rows: on the 30M rows above, adding takes about
 * 4 s of CPU in batches against 15 s one row at a time (140 against 500 ns
 * a row).  Finishing is a few counting sorts, O(rows): about 3 s.
 */
#ifndef SYBIL_CORE_COOCCUR_H
#define SYBIL_CORE_COOCCUR_H

#include <stdbool.h>
#include "env.h"
#include "components.h"
#include "histogram.h"

/* Hard row limit: list offsets are uint32.  Accounts are limited to
 * SY_COMPONENTS_MAX_NODES, tokens to 4 GB of dictionary (entries and
 * bytes); past any of them, SY_ETOOBIG. */
#define SY_COOCCUR_MAX_ROWS UINT32_MAX

/* A row as stored until finish: account by first appearance, token. */
typedef struct sy_cooccur_row
{
	uint32_t	account;
	uint32_t	token;
} sy_cooccur_row;

typedef struct sy_cooccur
{
	const sy_env *env;
	uint32_t	max_rows;		/* SY_ETOOBIG past it; callers may lower it */

	/* while adding */
	sy_components account_map;	/* account id -> index by first appearance */
	sy_hist		dictionary;		/* token bytes -> token number */
	bool		has_dictionary; /* set up at the first add */
	sy_cooccur_row **blocks;	/* the rows: 256, 512, ... then 64k a block */
	uint32_t	n_blocks;
	uint32_t	blocks_cap;
	uint32_t	last_block_rows;	/* rows in the last block */
	uint32_t	n_rows;
	sy_cooccur_row last_row;	/* the latest row, when n_rows > 0 */

	/* once finished: CSR lists of distinct (account, token) pairs */
	bool		finished;
	uint32_t	max_degree;
	uint32_t	n_accounts;
	uint32_t	n_tokens;
	int64_t    *account_ids;	/* ascending */
	uint32_t   *account_start;	/* n_accounts + 1 offsets into account_tokens */
	uint32_t   *account_tokens; /* each account's tokens, ascending number */
	uint32_t   *account_degree; /* its non-hub tokens */
	uint32_t   *token_start;	/* n_tokens + 1 offsets into token_accounts */
	uint32_t   *token_accounts; /* each token's accounts, ascending */
} sy_cooccur;

/* An account linked to account a. */
typedef struct sy_cooccur_partner
{
	uint32_t	b;				/* account index, > a */
	uint32_t	shared;
	double		jaccard;
} sy_cooccur_partner;

/* Scratch of one caller enumerating partners. */
typedef struct sy_cooccur_scan
{
	const sy_cooccur *g;
	uint32_t   *count;			/* shared tokens with a, per account; 0 between calls */
	uint32_t   *touched;		/* accounts whose count is not 0 */
	uint32_t   *sort_scratch;
	sy_cooccur_partner *partners;
	uint32_t	partners_cap;
	uint32_t   *shared;			/* result of sy_cooccur_shared_tokens */
	uint32_t	shared_cap;
	size_t		steps;			/* for polling */
} sy_cooccur_scan;

/* An empty set of rows; allocates nothing. */
void		sy_cooccur_init(sy_cooccur *g, const sy_env *env);
/* Free g's memory: g is then empty, with the same env and max_rows. */
void		sy_cooccur_free(sy_cooccur *g);

/*
 * Add a row.  token[0..len) must hold no NUL (SY_EVALUE), g must not be
 * finished (SY_EVALUE).  SY_ETOOBIG past max_rows or another limit.
 * Either the row is added or, on failure, nothing changes.
 */
sy_status	sy_cooccur_add(sy_cooccur *g, int64_t account, const char *token, uint32_t len);

/*
 * Add n rows: (accounts[i], tokens[i][0..lens[i])).  The same as n calls
 * of sy_cooccur_add, stopping at the first failure, with the same result,
 * but several times faster on big inputs: the lookups of a batch of rows
 * in the account map and the dictionary are issued together, so that their
 * cache misses overlap.  On failure, the rows before the failing
 * one were added (g->n_rows grew by their number), and neither the failing
 * row nor any after it was: exactly what the calls of sy_cooccur_add would
 * leave.
 */
sy_status	sy_cooccur_add_rows(sy_cooccur *g, const int64_t *accounts,
								const char *const *tokens, const uint32_t *lens, size_t n);

/*
 * Build the lists: deduplicate rows, number accounts by id, and mark the
 * hubs, tokens of more than max_degree (>= 1, else SY_EVALUE) accounts.
 * Once only (SY_EVALUE after that); no add may follow.  On failure, only
 * sy_cooccur_free may follow.
 */
sy_status	sy_cooccur_finish(sy_cooccur *g, uint32_t max_degree);

/* After sy_cooccur_finish: */
uint32_t	sy_cooccur_accounts(const sy_cooccur *g);
uint32_t	sy_cooccur_tokens(const sy_cooccur *g);
int64_t		sy_cooccur_account_id(const sy_cooccur *g, uint32_t a);
/* Whether id is an account, and its index (binary search). */
bool		sy_cooccur_find_account(const sy_cooccur *g, int64_t id, uint32_t *a);
/* deg(a): a's distinct non-hub tokens. */
uint32_t	sy_cooccur_account_degree(const sy_cooccur *g, uint32_t a);
uint32_t	sy_cooccur_token_degree(const sy_cooccur *g, uint32_t t);
bool		sy_cooccur_is_hub(const sy_cooccur *g, uint32_t t);
/* Token t's bytes (not NUL-terminated), valid until g is freed. */
const char *sy_cooccur_token(const sy_cooccur *g, uint32_t t, uint32_t *len);

/*
 * Hub tokens by degree descending, then bytes ascending, in an array
 * allocated from g's env that the caller frees (NULL when there is none).
 */
sy_status	sy_cooccur_hubs(const sy_cooccur *g, uint32_t **tokens, uint32_t *n);

/* Scratch for g, which must be finished (SY_EVALUE).  Scans of one g may
 * run side by side.  Free a scan before g, even after a failed init. */
sy_status	sy_cooccur_scan_init(sy_cooccur_scan *s, const sy_cooccur *g);
void		sy_cooccur_scan_free(sy_cooccur_scan *s);

/*
 * The accounts b > a linked to a, by ascending b, in an array owned by s
 * and valid until the next call on s.  min_shared >= 1 and min_jaccard in
 * [0, 1], a < accounts, else SY_EVALUE.  Costs the sum of the degrees of
 * a's non-hub tokens.
 */
sy_status	sy_cooccur_partners(sy_cooccur_scan *s, uint32_t a, uint32_t min_shared,
								double min_jaccard, const sy_cooccur_partner **out,
								uint32_t *n);

/*
 * The tokens a and b share (hubs too if include_hubs) by ascending bytes,
 * in an array owned by s and valid until the next call on s.  a, b < accounts,
 * else SY_EVALUE.
 */
sy_status	sy_cooccur_shared_tokens(sy_cooccur_scan *s, uint32_t a, uint32_t b,
									 bool include_hubs, const uint32_t **tokens,
									 uint32_t *n);

#endif
