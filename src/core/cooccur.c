/* cooccur.c: accounts linked by the tokens they share. */
#include <string.h>
#include "cooccur.h"
#include "prefetch.h"
#include "sort.h"

/* Row blocks double from 2^FIRST_BLOCK_SHIFT rows up to 2^MAX_BLOCK_SHIFT,
 * so that a small input takes little and a big one has no slack. */
#define FIRST_BLOCK_SHIFT 8
#define MAX_BLOCK_SHIFT 16
/* Below this many partners an insertion sort beats radix passes. */
#define SMALL_SORT 64

#define AHEAD 4					/* prefetch distance, in tokens */
/* Rows of sy_cooccur_add_rows looked up together. */
#define ROW_BATCH 32

/* Grow *array of elements of size bytes to hold want, doubling. */
static sy_status
reserve_array(const sy_env *env, void **array, uint32_t *cap, uint32_t want, size_t size)
{
	uint64_t	grown = *cap < 16 ? 16 : *cap;
	void	   *p;

	if (want <= *cap)
		return SY_OK;
	while (grown < want)
		grown *= 2;
	if (grown > UINT32_MAX)
		grown = UINT32_MAX;
	if (grown > SIZE_MAX / size)
		return SY_ENOMEM;
	if (*array == NULL)
		p = env->alloc(env->ctx, (size_t) grown * size);
	else
		p = env->realloc(env->ctx, *array, (size_t) grown * size);
	if (p == NULL)
		return SY_ENOMEM;
	*array = p;
	*cap = (uint32_t) grown;
	return SY_OK;
}

/* ------------------------------------------------------------ init/free */

void
sy_cooccur_init(sy_cooccur *g, const sy_env *env)
{
	memset(g, 0, sizeof(*g));
	g->env = env;
	g->max_rows = SY_COOCCUR_MAX_ROWS;
	sy_components_init(&g->account_map, env);
}

static void
free_blocks(sy_cooccur *g)
{
	uint32_t	i;

	for (i = 0; i < g->n_blocks; i++)
		sy_free(g->env, g->blocks[i]);
	sy_free(g->env, g->blocks);
	g->blocks = NULL;
	g->n_blocks = 0;
	g->blocks_cap = 0;
}

void
sy_cooccur_free(sy_cooccur *g)
{
	const sy_env *env = g->env;
	uint32_t	max_rows = g->max_rows;

	sy_components_free(&g->account_map);
	if (g->has_dictionary)
		sy_hist_free(&g->dictionary);
	free_blocks(g);
	sy_free(env, g->account_ids);
	sy_free(env, g->account_start);
	sy_free(env, g->account_tokens);
	sy_free(env, g->account_degree);
	sy_free(env, g->token_start);
	sy_free(env, g->token_accounts);
	sy_cooccur_init(g, env);
	g->max_rows = max_rows;
}

/* ------------------------------------------------------------------ add */

static uint32_t
block_rows(uint32_t i)
{
	uint32_t	shift = FIRST_BLOCK_SHIFT + i;

	return (uint32_t) 1 << (shift < MAX_BLOCK_SHIFT ? shift : MAX_BLOCK_SHIFT);
}

/* Rows in block i: the last one may not be full. */
static uint32_t
rows_in_block(const sy_cooccur *g, uint32_t i)
{
	return i + 1 < g->n_blocks ? block_rows(i) : g->last_block_rows;
}

/* Make room for one more row. */
static sy_status
reserve_row(sy_cooccur *g)
{
	sy_cooccur_row *block;
	sy_status	st;

	if (g->n_blocks > 0 && g->last_block_rows < block_rows(g->n_blocks - 1))
		return SY_OK;
	st = reserve_array(g->env, (void **) &g->blocks, &g->blocks_cap, g->n_blocks + 1,
					   sizeof(sy_cooccur_row *));
	if (st != SY_OK)
		return st;
	block = sy_alloc_array(g->env, block_rows(g->n_blocks), sizeof(sy_cooccur_row));
	if (block == NULL)
		return SY_ENOMEM;
	g->blocks[g->n_blocks++] = block;
	g->last_block_rows = 0;
	return SY_OK;
}

/*
 * The previous row, or NULL.  Rows often come grouped by account or by
 * token; comparing with the previous row then saves a lookup, which on
 * big inputs is a few cache misses.
 */
static const sy_cooccur_row *
previous_row(const sy_cooccur *g)
{
	return g->n_rows > 0 ? &g->last_row : NULL;
}

/* Index of account, or room reserved for it in the map (*found false). */
static sy_status
find_or_reserve_account(sy_cooccur *g, const sy_cooccur_row *previous, int64_t account,
						uint32_t *index, bool *found)
{
	if (previous != NULL && g->account_map.ids[previous->account] == account)
	{
		*index = previous->account;
		*found = true;
		return SY_OK;
	}
	*found = sy_components_find(&g->account_map, account, index);
	if (*found)
		return SY_OK;
	return sy_components_reserve(&g->account_map, g->account_map.n + 1);
}

static sy_status
intern_token(sy_cooccur *g, const sy_cooccur_row *previous, const char *token, uint32_t len,
			 uint32_t *number)
{
	if (previous != NULL)
	{
		const sy_hist_entry *e = &g->dictionary.entries[previous->token];

		if (e->label_len == len &&
			(len == 0 || memcmp(g->dictionary.labels + e->label_off, token, len) == 0))
		{
			*number = previous->token;
			return SY_OK;
		}
	}
	return sy_hist_intern(&g->dictionary, token, len, number);
}

static sy_status
ensure_dictionary(sy_cooccur *g)
{
	sy_status	st;

	if (g->has_dictionary)
		return SY_OK;
	if ((st = sy_hist_init(&g->dictionary, g->env, 0)) != SY_OK)
		return st;
	/* token numbers and offsets are uint32, no flat form is made */
	g->dictionary.max_payload = UINT32_MAX;
	g->has_dictionary = true;
	return SY_OK;
}

/* Append a row; room was reserved. */
static void
store_row(sy_cooccur *g, uint32_t account_index, uint32_t token_number)
{
	g->last_row.account = account_index;
	g->last_row.token = token_number;
	g->blocks[g->n_blocks - 1][g->last_block_rows++] = g->last_row;
	g->n_rows++;
}

static bool
has_nul(const char *token, uint32_t len)
{
	return len > 0 && memchr(token, 0, len) != NULL;
}

sy_status
sy_cooccur_add(sy_cooccur *g, int64_t account, const char *token, uint32_t len)
{
	const sy_cooccur_row *previous = previous_row(g);
	uint32_t	account_index,
				token_number;
	bool		found;
	sy_status	st;

	if (g->finished || has_nul(token, len))
		return SY_EVALUE;
	if (g->n_rows >= g->max_rows)
		return SY_ETOOBIG;
	/* everything that can fail comes before anything that changes g */
	if ((st = ensure_dictionary(g)) != SY_OK ||
		(st = reserve_row(g)) != SY_OK ||
		(st = find_or_reserve_account(g, previous, account, &account_index, &found)) != SY_OK ||
		(st = intern_token(g, previous, token, len, &token_number)) != SY_OK)
		return st;
	if (!found)
	{
		/* cannot fail: room was reserved */
		sy_components_add_node(&g->account_map, account);
		account_index = g->account_map.n - 1;
	}
	store_row(g, account_index, token_number);
	return SY_OK;
}

/*
 * How many of the next n rows to take as a batch, at most ROW_BATCH: room
 * is made for them in the current row block, below max_rows, and in the
 * account map for each to bring a new account.  Then only the dictionary
 * can fail, and the rows before the one it fails on are added.  0 when a
 * limit is near or memory is short: the caller goes row by row, so that
 * limits and failures are exactly those of sy_cooccur_add.
 */
static size_t
reserve_batch(sy_cooccur *g, size_t n)
{
	sy_components *map = &g->account_map;
	size_t		k = n < ROW_BATCH ? n : ROW_BATCH;
	uint32_t	block_left;

	if (g->n_rows >= g->max_rows || ensure_dictionary(g) != SY_OK || reserve_row(g) != SY_OK)
		return 0;
	block_left = block_rows(g->n_blocks - 1) - g->last_block_rows;
	if (k > block_left)
		k = block_left;
	if (k > g->max_rows - g->n_rows)
		k = g->max_rows - g->n_rows;
	if (map->max_nodes - map->n < k ||
		sy_components_reserve(map, map->n + (uint32_t) k) != SY_OK)
		return 0;
	return k;
}

/* Index of an account missing from the map before the batch: it may have
 * come with an earlier row of it.  Room was reserved, so it cannot fail. */
static uint32_t
add_reserved_account(sy_cooccur *g, int64_t account)
{
	uint32_t	a;

	if (g->n_rows > 0 && g->account_map.ids[g->last_row.account] == account)
		return g->last_row.account;
	if (sy_components_find(&g->account_map, account, &a))
		return a;
	sy_components_add_node(&g->account_map, account);
	return g->account_map.n - 1;
}

/*
 * Batches of rows are looked up together in the account map (its slots,
 * then the ids they point at) and in the dictionary (sy_hist_intern_batch),
 * then added in order.
 */
sy_status
sy_cooccur_add_rows(sy_cooccur *g, const int64_t *accounts, const char *const *tokens,
					const uint32_t *lens, size_t n)
{
	uint32_t	account_index[ROW_BATCH],
				token_number[ROW_BATCH];
	size_t		done = 0;

	if (g->finished)
		return SY_EVALUE;
	while (done < n)
	{
		const int64_t *account = accounts + done;
		size_t		k,
					interned,
					j;
		sy_status	st;

		/* the first row's checks come in sy_cooccur_add's order */
		if (has_nul(tokens[done], lens[done]))
			return SY_EVALUE;
		k = reserve_batch(g, n - done);
		if (k == 0)
		{
			if ((st = sy_cooccur_add(g, *account, tokens[done], lens[done])) != SY_OK)
				return st;
			done++;
			continue;
		}
		sy_components_find_batch(&g->account_map, account, k, account_index);
		st = sy_hist_intern_batch(&g->dictionary, tokens + done, lens + done, k, token_number,
								  &interned);
		for (j = 0; j < interned; j++)
		{
			uint32_t	a = account_index[j];

			if (a == SY_COMPONENTS_ABSENT)
				a = add_reserved_account(g, account[j]);
			store_row(g, a, token_number[j]);
		}
		if (st != SY_OK)
			return st;
		done += k;
	}
	return SY_OK;
}

/* --------------------------------------------------------------- finish */

/*
 * Turn counts held in starts[1..n] into offsets: starts[k] becomes where
 * bucket k begins, starts[n] the total.
 */
static void
counts_to_starts(uint32_t *starts, uint32_t n)
{
	uint32_t	k;

	starts[0] = 0;
	for (k = 0; k < n; k++)
		starts[k + 1] += starts[k];
}

/*
 * Filling bucket k at starts[k]++ leaves starts[k] at its end, which is
 * where bucket k + 1 begins: shift back by one.
 */
static void
rewind_starts(uint32_t *starts, uint32_t n)
{
	memmove(starts + 1, starts, (size_t) n * sizeof(uint32_t));
	starts[0] = 0;
}

/*
 * Sort the account ids (the map's canonical order is ascending ids, as a
 * forest without edges has one node a component), keep them in g, and
 * give each index by first appearance its rank.  The map is freed.
 */
static sy_status
number_accounts(sy_cooccur *g, uint32_t **rank)
{
	sy_components *map = &g->account_map;
	uint32_t	k;
	sy_status	st;

	g->n_accounts = map->n;
	if ((st = sy_components_finish(map)) != SY_OK)
		return st;
	g->account_ids = sy_alloc_array(g->env, map->n, sizeof(int64_t));
	*rank = sy_alloc_array(g->env, map->n, sizeof(uint32_t));
	if (g->account_ids == NULL || *rank == NULL)
		return SY_ENOMEM;
	for (k = 0; k < map->n; k++)
	{
		g->account_ids[k] = map->ids[map->order[k]];
		(*rank)[map->order[k]] = k;
		sy_poll(g->env, k);
	}
	sy_components_free(map);
	return SY_OK;
}

/*
 * Bucket the rows by token: token_start and the account ranks of each
 * token in by_token, in row order, repeats included.  Each row block is
 * freed once read, so the rows and by_token overlap only briefly.
 */
static sy_status
group_rows_by_token(sy_cooccur *g, const uint32_t *rank, uint32_t **by_token)
{
	size_t		polls = 0;
	uint32_t	i,
				k;

	g->token_start = sy_alloc_zeroed(g->env, (size_t) g->n_tokens + 1, sizeof(uint32_t));
	*by_token = sy_alloc_array(g->env, g->n_rows, sizeof(uint32_t));
	if (g->token_start == NULL || *by_token == NULL)
		return SY_ENOMEM;
	for (i = 0; i < g->n_blocks; i++)
	{
		uint32_t	rows = rows_in_block(g, i);

		for (k = 0; k < rows; k++)
		{
			g->token_start[g->blocks[i][k].token + 1]++;
			sy_poll(g->env, polls++);
		}
	}
	counts_to_starts(g->token_start, g->n_tokens);
	for (i = 0; i < g->n_blocks; i++)
	{
		uint32_t	rows = rows_in_block(g, i);

		for (k = 0; k < rows; k++)
		{
			const sy_cooccur_row *row = &g->blocks[i][k];

			(*by_token)[g->token_start[row->token]++] = rank[row->account];
			sy_poll(g->env, polls++);
		}
		sy_free(g->env, g->blocks[i]);
		g->blocks[i] = NULL;
	}
	rewind_starts(g->token_start, g->n_tokens);
	free_blocks(g);
	return SY_OK;
}

/*
 * Drop repeated accounts from each token's list, in place; token_start
 * follows.  last_token[a] - 1 is the last token a was kept for.
 */
static sy_status
drop_repeats(sy_cooccur *g, uint32_t *by_token)
{
	uint32_t   *last_token = sy_alloc_zeroed(g->env, g->n_accounts, sizeof(uint32_t));
	uint32_t	kept = 0,
				begin = 0,
				t;

	if (last_token == NULL)
		return SY_ENOMEM;
	for (t = 0; t < g->n_tokens; t++)
	{
		uint32_t	end = g->token_start[t + 1];
		uint32_t	k;

		g->token_start[t] = kept;
		for (k = begin; k < end; k++)
		{
			uint32_t	a = by_token[k];

			if (last_token[a] != t + 1)
			{
				last_token[a] = t + 1;
				by_token[kept++] = a;
			}
			sy_poll(g->env, k);
		}
		begin = end;
	}
	g->token_start[g->n_tokens] = kept;
	sy_free(g->env, last_token);
	return SY_OK;
}

/* Each account's tokens, ascending, from the (unordered) token lists. */
static sy_status
build_account_lists(sy_cooccur *g, const uint32_t *by_token)
{
	uint32_t	pairs = g->token_start[g->n_tokens];
	uint32_t	k,
				t;

	g->account_start = sy_alloc_zeroed(g->env, (size_t) g->n_accounts + 1, sizeof(uint32_t));
	g->account_tokens = sy_alloc_array(g->env, pairs, sizeof(uint32_t));
	if (g->account_start == NULL || g->account_tokens == NULL)
		return SY_ENOMEM;
	for (k = 0; k < pairs; k++)
	{
		g->account_start[by_token[k] + 1]++;
		sy_poll(g->env, k);
	}
	counts_to_starts(g->account_start, g->n_accounts);
	for (t = 0; t < g->n_tokens; t++)
		for (k = g->token_start[t]; k < g->token_start[t + 1]; k++)
		{
			g->account_tokens[g->account_start[by_token[k]]++] = t;
			sy_poll(g->env, k);
		}
	rewind_starts(g->account_start, g->n_accounts);
	return SY_OK;
}

/* Each token's accounts, ascending, from the account lists. */
static sy_status
build_token_lists(sy_cooccur *g)
{
	uint32_t	a,
				k;

	g->token_accounts = sy_alloc_array(g->env, g->token_start[g->n_tokens], sizeof(uint32_t));
	if (g->token_accounts == NULL)
		return SY_ENOMEM;
	for (a = 0; a < g->n_accounts; a++)
		for (k = g->account_start[a]; k < g->account_start[a + 1]; k++)
		{
			g->token_accounts[g->token_start[g->account_tokens[k]]++] = a;
			sy_poll(g->env, k);
		}
	rewind_starts(g->token_start, g->n_tokens);
	return SY_OK;
}

static sy_status
count_account_degrees(sy_cooccur *g)
{
	uint32_t	a,
				k;

	g->account_degree = sy_alloc_array(g->env, g->n_accounts, sizeof(uint32_t));
	if (g->account_degree == NULL)
		return SY_ENOMEM;
	for (a = 0; a < g->n_accounts; a++)
	{
		uint32_t	degree = 0;

		for (k = g->account_start[a]; k < g->account_start[a + 1]; k++)
		{
			degree += !sy_cooccur_is_hub(g, g->account_tokens[k]);
			sy_poll(g->env, k);
		}
		g->account_degree[a] = degree;
	}
	return SY_OK;
}

sy_status
sy_cooccur_finish(sy_cooccur *g, uint32_t max_degree)
{
	uint32_t   *rank = NULL,
			   *by_token = NULL;
	sy_status	st;

	if (g->finished || max_degree == 0)
		return SY_EVALUE;
	g->finished = true;
	g->max_degree = max_degree;
	g->n_tokens = g->has_dictionary ? g->dictionary.n : 0;
	if ((st = number_accounts(g, &rank)) == SY_OK)
		st = group_rows_by_token(g, rank, &by_token);
	sy_free(g->env, rank);
	if (st == SY_OK)
		st = drop_repeats(g, by_token);
	if (st == SY_OK)
		st = build_account_lists(g, by_token);
	sy_free(g->env, by_token);
	if (st == SY_OK)
		st = build_token_lists(g);
	if (st == SY_OK)
		st = count_account_degrees(g);
	return st;
}

/* ------------------------------------------------------------ accessors */

uint32_t
sy_cooccur_accounts(const sy_cooccur *g)
{
	return g->n_accounts;
}

uint32_t
sy_cooccur_tokens(const sy_cooccur *g)
{
	return g->n_tokens;
}

int64_t
sy_cooccur_account_id(const sy_cooccur *g, uint32_t a)
{
	return g->account_ids[a];
}

bool
sy_cooccur_find_account(const sy_cooccur *g, int64_t id, uint32_t *a)
{
	uint32_t	lo = 0,
				hi = g->n_accounts;

	while (lo < hi)
	{
		uint32_t	mid = lo + (hi - lo) / 2;

		if (g->account_ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == g->n_accounts || g->account_ids[lo] != id)
		return false;
	*a = lo;
	return true;
}

uint32_t
sy_cooccur_account_degree(const sy_cooccur *g, uint32_t a)
{
	return g->account_degree[a];
}

uint32_t
sy_cooccur_token_degree(const sy_cooccur *g, uint32_t t)
{
	return g->token_start[t + 1] - g->token_start[t];
}

bool
sy_cooccur_is_hub(const sy_cooccur *g, uint32_t t)
{
	return sy_cooccur_token_degree(g, t) > g->max_degree;
}

const char *
sy_cooccur_token(const sy_cooccur *g, uint32_t t, uint32_t *len)
{
	const sy_hist_entry *e = &g->dictionary.entries[t];

	*len = e->label_len;
	return g->dictionary.labels + e->label_off;
}

/* ----------------------------------------------------------------- hubs */

static int
cmp_token_bytes(uint32_t a, uint32_t b, const void *ctx)
{
	const sy_cooccur *g = ctx;
	uint32_t	alen,
				blen;
	const char *as = sy_cooccur_token(g, a, &alen);
	const char *bs = sy_cooccur_token(g, b, &blen);

	return sy_label_cmp(as, alen, bs, blen);
}

static int
cmp_hubs(uint32_t a, uint32_t b, const void *ctx)
{
	const sy_cooccur *g = ctx;
	uint32_t	da = sy_cooccur_token_degree(g, a);
	uint32_t	db = sy_cooccur_token_degree(g, b);

	if (da != db)
		return da > db ? -1 : 1;
	return cmp_token_bytes(a, b, ctx);
}

sy_status
sy_cooccur_hubs(const sy_cooccur *g, uint32_t **tokens, uint32_t *n)
{
	uint32_t	count = 0,
				t;

	*tokens = NULL;
	*n = 0;
	for (t = 0; t < g->n_tokens; t++)
		count += sy_cooccur_is_hub(g, t);
	if (count == 0)
		return SY_OK;
	*tokens = sy_alloc_array(g->env, count, sizeof(uint32_t));
	if (*tokens == NULL)
		return SY_ENOMEM;
	for (t = 0; t < g->n_tokens; t++)
		if (sy_cooccur_is_hub(g, t))
			(*tokens)[(*n)++] = t;
	sy_sort_indices(*tokens, count, cmp_hubs, g, g->env);
	return SY_OK;
}

/* ----------------------------------------------------------------- scan */

sy_status
sy_cooccur_scan_init(sy_cooccur_scan *s, const sy_cooccur *g)
{
	memset(s, 0, sizeof(*s));
	s->g = g;
	if (!g->finished)
		return SY_EVALUE;
	s->count = sy_alloc_zeroed(g->env, g->n_accounts, sizeof(uint32_t));
	s->touched = sy_alloc_array(g->env, g->n_accounts, sizeof(uint32_t));
	s->sort_scratch = sy_alloc_array(g->env, g->n_accounts, sizeof(uint32_t));
	if (s->count == NULL || s->touched == NULL || s->sort_scratch == NULL)
	{
		sy_cooccur_scan_free(s);
		return SY_ENOMEM;
	}
	return SY_OK;
}

void
sy_cooccur_scan_free(sy_cooccur_scan *s)
{
	const sy_env *env = s->g->env;

	sy_free(env, s->count);
	sy_free(env, s->touched);
	sy_free(env, s->sort_scratch);
	sy_free(env, s->partners);
	sy_free(env, s->shared);
	s->count = s->touched = s->sort_scratch = s->shared = NULL;
	s->partners = NULL;
	s->partners_cap = s->shared_cap = 0;
}

/*
 * The position of a in list[lo..hi), which holds it, plus one.  Without
 * branches: where a lies in a token's list is a coin toss at every step.
 */
static uint32_t
after(const uint32_t *list, uint32_t lo, uint32_t hi, uint32_t a)
{
	const uint32_t *base = list + lo;
	uint32_t	n = hi - lo;

	while (n > 1)
	{
		uint32_t	half = n / 2;

		base = base[half] <= a ? base + half : base;
		n -= half;
	}
	return (uint32_t) (base - list) + 1;
}

/*
 * Count, for every account b > a, the non-hub tokens it shares with a;
 * returns how many accounts were touched (listed in s->touched).
 */
static uint32_t
count_shared(sy_cooccur_scan *s, uint32_t a)
{
	const sy_cooccur *g = s->g;
	const uint32_t *accounts = g->token_accounts;
	uint32_t	end = g->account_start[a + 1];
	uint32_t	n_touched = 0;
	uint32_t	k;

	for (k = g->account_start[a]; k < end; k++)
	{
		uint32_t	t = g->account_tokens[k];
		uint32_t	lo = g->token_start[t],
					hi = g->token_start[t + 1];
		uint32_t	i;

		/* a's tokens are all over: ask for the next ones' lists early */
		if (k + 2 * AHEAD < end)
			PREFETCH(&g->token_start[g->account_tokens[k + 2 * AHEAD]]);
		if (k + AHEAD < end)
			PREFETCH(&accounts[g->token_start[g->account_tokens[k + AHEAD]]]);

		if (hi - lo > g->max_degree)
			continue;
		for (i = after(accounts, lo, hi, a); i < hi; i++)
		{
			uint32_t	b = accounts[i];

			/* without a branch: whether b is new is a coin toss */
			s->touched[n_touched] = b;
			n_touched += s->count[b]++ == 0;
			sy_poll(g->env, s->steps++);
		}
	}
	return n_touched;
}

/* Computed exactly as the definition reads, so that SQL can match it. */
static double
jaccard(uint32_t shared, uint32_t da, uint32_t db)
{
	return (double) shared / (double) ((uint64_t) da + db - shared);
}

static bool
is_linked(uint32_t shared, uint32_t da, uint32_t db, uint32_t min_shared, double min_jaccard)
{
	return shared >= min_shared && jaccard(shared, da, db) >= min_jaccard;
}

/* Sort v[0..n) ascending, every value < bound; tmp has room for n. */
static void
sort_accounts(uint32_t *v, uint32_t *tmp, uint32_t n, uint32_t bound)
{
	uint32_t   *src = v,
			   *dst = tmp,
			   *swap;
	uint32_t	shift,
				i,
				j;

	if (n < SMALL_SORT)
	{
		for (i = 1; i < n; i++)
		{
			uint32_t	x = v[i];

			for (j = i; j > 0 && v[j - 1] > x; j--)
				v[j] = v[j - 1];
			v[j] = x;
		}
		return;
	}
	for (shift = 0; shift < 32 && (bound - 1) >> shift != 0; shift += 8)
	{
		uint32_t	starts[257] = {0};

		for (i = 0; i < n; i++)
			starts[((src[i] >> shift) & 0xFF) + 1]++;
		counts_to_starts(starts, 256);
		for (i = 0; i < n; i++)
			dst[starts[(src[i] >> shift) & 0xFF]++] = src[i];
		swap = src;
		src = dst;
		dst = swap;
	}
	if (src != v)
		memcpy(v, src, (size_t) n * sizeof(uint32_t));
}

static bool
jaccard_is_valid(double j)
{
	return j >= 0 && j <= 1;	/* false for NaN */
}

sy_status
sy_cooccur_partners(sy_cooccur_scan *s, uint32_t a, uint32_t min_shared, double min_jaccard,
					const sy_cooccur_partner **out, uint32_t *n)
{
	const sy_cooccur *g = s->g;
	uint32_t	n_touched,
				kept = 0,
				i;
	sy_status	st;

	*out = NULL;
	*n = 0;
	if (a >= g->n_accounts || min_shared == 0 || !jaccard_is_valid(min_jaccard))
		return SY_EVALUE;
	n_touched = count_shared(s, a);
	for (i = 0; i < n_touched; i++)
	{
		uint32_t	b = s->touched[i];

		if (is_linked(s->count[b], g->account_degree[a], g->account_degree[b],
					  min_shared, min_jaccard))
			s->touched[kept++] = b;
		else
			s->count[b] = 0;
	}
	st = reserve_array(g->env, (void **) &s->partners, &s->partners_cap, kept,
					   sizeof(sy_cooccur_partner));
	if (st != SY_OK)
	{
		for (i = 0; i < kept; i++)
			s->count[s->touched[i]] = 0;
		return st;
	}
	sort_accounts(s->touched, s->sort_scratch, kept, g->n_accounts);
	for (i = 0; i < kept; i++)
	{
		uint32_t	b = s->touched[i];
		uint32_t	shared = s->count[b];
		sy_cooccur_partner *p = &s->partners[i];

		p->b = b;
		p->shared = shared;
		p->jaccard = jaccard(shared, g->account_degree[a], g->account_degree[b]);
		s->count[b] = 0;
	}
	*out = s->partners;
	*n = kept;
	return SY_OK;
}

sy_status
sy_cooccur_shared_tokens(sy_cooccur_scan *s, uint32_t a, uint32_t b, bool include_hubs,
						 const uint32_t **tokens, uint32_t *n)
{
	const sy_cooccur *g = s->g;
	uint32_t	i,
				j,
				kept = 0;
	sy_status	st;

	*tokens = NULL;
	*n = 0;
	if (a >= g->n_accounts || b >= g->n_accounts)
		return SY_EVALUE;
	i = g->account_start[a];
	j = g->account_start[b];
	st = reserve_array(g->env, (void **) &s->shared, &s->shared_cap,
					   g->account_start[a + 1] - i, sizeof(uint32_t));
	if (st != SY_OK)
		return st;
	while (i < g->account_start[a + 1] && j < g->account_start[b + 1])
	{
		uint32_t	ta = g->account_tokens[i],
					tb = g->account_tokens[j];

		if (ta == tb && (include_hubs || !sy_cooccur_is_hub(g, ta)))
			s->shared[kept++] = ta;
		i += ta <= tb;
		j += tb <= ta;
		sy_poll(g->env, s->steps++);
	}
	sy_sort_indices(s->shared, kept, cmp_token_bytes, g, g->env);
	*tokens = s->shared;
	*n = kept;
	return SY_OK;
}
