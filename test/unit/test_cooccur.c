/*
 * test_cooccur.c: unit tests of src/core/cooccur.c (accounts linked by the
 * tokens they share).
 *
 * Every result is checked against a brute-force reference computed here:
 * a dense account x token membership matrix, token degrees and hubs read
 * off its columns, and the shared count of every pair of accounts by a
 * walk over all tokens.  Instances come in many shapes (uniform, few
 * tokens, sparse, fraud rings, one heavy hub, heavy duplicates) over ids
 * of several kinds (serial, spread over 64 bits, INT64_MIN/MAX), under
 * several max_degree, min_shared and min_jaccard, and rows are added in a
 * random order each time, both one at a time and in batches of random
 * sizes (sy_cooccur_add_rows), which must build identical lists.  Tokens are bijective base-255 numerals (bytes 1
 * to 255, the empty token included), so that many are prefixes of others
 * and bytes above 0x7F sort as unsigned; some carry a long common prefix.
 * Emits TAP.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cooccur.h"
#include "helpers.h"

#define TOKEN_MAX 48			/* a long prefix and a numeral */
#define NOT_FOUND UINT32_MAX

static void
bail(const char *what)
{
	printf("Bail out! %s\n", what);
	exit(255);
}

static void *
xmalloc(size_t size)
{
	void	   *p = malloc(size ? size : 1);

	if (p == NULL)
		bail("out of memory");
	return p;
}

static void *
xcalloc(size_t n, size_t size)
{
	void	   *p = calloc(n ? n : 1, size);

	if (p == NULL)
		bail("out of memory");
	return p;
}

static void
check_status(sy_status st, const char *what)
{
	if (st != SY_OK)
	{
		printf("Bail out! %s: %s\n", what, status_name(st));
		exit(255);
	}
}

/* -------------------------------------------------------------- instances */

typedef struct row
{
	uint32_t	account;		/* index into instance.ids */
	uint32_t	token;			/* index into instance.text */
} row;

typedef struct instance
{
	uint32_t	n_ids;
	int64_t    *ids;			/* distinct candidate account ids */
	uint32_t	n_tokens;
	char	  (*text)[TOKEN_MAX];
	uint32_t   *len;
	uint32_t   *value;			/* ascending: the numeral in text */
	uint32_t	prefix_len;		/* bytes of a common prefix before it */
	row		   *rows;
	size_t		n_rows;
	size_t		cap;
} instance;

enum
{
	IDS_SERIAL,
	IDS_SPREAD,
	IDS_EXTREME,
	N_ID_KINDS
};

static const char *const id_kind_name[] = {"serial", "spread", "extreme"};

static int64_t
to_i64(uint64_t u)
{
	int64_t		x;

	memcpy(&x, &u, sizeof(x));
	return x;
}

static int
cmp_i64(const void *pa, const void *pb)
{
	int64_t		a = *(const int64_t *) pa,
				b = *(const int64_t *) pb;

	return (a > b) - (a < b);
}

/* n distinct ids of a kind, in random order */
static void
make_ids(instance *in, int kind, uint32_t n)
{
	static const int64_t extremes[] = {INT64_MIN, INT64_MAX, 0, -1, 1, INT64_MIN + 1,
	INT64_MAX - 1};
	uint32_t	i,
				k = 0;

	in->ids = xmalloc((size_t) n * sizeof(int64_t));
	while (k < n)
	{
		int64_t		id;
		uint32_t	j;
		int			fresh = 1;

		if (kind == IDS_SERIAL)
			id = (int64_t) k + 1;
		else if (kind == IDS_EXTREME && k < 7)
			id = extremes[k];
		else
			id = to_i64(rng_next());
		for (j = 0; j < k && fresh; j++)
			fresh = in->ids[j] != id;
		if (fresh)
			in->ids[k++] = id;
	}
	for (i = n; i > 1; i--)
	{
		uint32_t	j = rng_below(i);
		int64_t		t = in->ids[i - 1];

		in->ids[i - 1] = in->ids[j];
		in->ids[j] = t;
	}
	in->n_ids = n;
}

/* Bijective base-255 numeral of v over the bytes 1..255: one string per
 * number, the empty one for 0.  Returns its length. */
static uint32_t
numeral(uint32_t v, char *out)
{
	uint32_t	len = 0;

	while (v > 0)
	{
		v--;
		out[len++] = (char) (unsigned char) (1 + v % 255);
		v /= 255;
	}
	return len;
}

static uint32_t
numeral_value(const char *s, uint32_t len)
{
	uint32_t	v = 0;

	while (len-- > 0)
		v = v * 255 + (unsigned char) s[len];
	return v;
}

static const char long_prefix[] = "login-template-0042|2024-06-01T13|";

/* n distinct tokens; gaps between numerals from 1 to step */
static void
make_tokens(instance *in, uint32_t n, uint32_t step, int prefixed)
{
	uint32_t	k,
				v = rng_below(3);

	in->n_tokens = n;
	in->text = xmalloc((size_t) n * TOKEN_MAX);
	in->len = xmalloc((size_t) n * sizeof(uint32_t));
	in->value = xmalloc((size_t) n * sizeof(uint32_t));
	in->prefix_len = prefixed ? (uint32_t) strlen(long_prefix) : 0;
	for (k = 0; k < n; k++)
	{
		in->value[k] = v;
		memcpy(in->text[k], long_prefix, in->prefix_len);
		in->len[k] = in->prefix_len + numeral(v, in->text[k] + in->prefix_len);
		v += 1 + rng_below(step);
	}
}

static void
push_row(instance *in, uint32_t account, uint32_t token)
{
	if (in->n_rows == in->cap)
	{
		in->cap = in->cap ? in->cap * 2 : 64;
		in->rows = realloc(in->rows, in->cap * sizeof(row));
		if (in->rows == NULL)
			bail("out of memory");
	}
	in->rows[in->n_rows].account = account;
	in->rows[in->n_rows].token = token;
	in->n_rows++;
}

static void
shuffle_rows(instance *in)
{
	size_t		i;

	for (i = in->n_rows; i > 1; i--)
	{
		size_t		j = rng_below((uint32_t) i);
		row			t = in->rows[i - 1];

		in->rows[i - 1] = in->rows[j];
		in->rows[j] = t;
	}
}

static void
instance_free(instance *in)
{
	free(in->ids);
	free(in->text);
	free(in->len);
	free(in->value);
	free(in->rows);
	memset(in, 0, sizeof(*in));
}

/* The token whose bytes are s[0..len), or NOT_FOUND. */
static uint32_t
token_of(const instance *in, const char *s, uint32_t len)
{
	uint32_t	v,
				lo = 0,
				hi = in->n_tokens;

	if (len < in->prefix_len || memcmp(s, long_prefix, in->prefix_len) != 0)
		return NOT_FOUND;
	v = numeral_value(s + in->prefix_len, len - in->prefix_len);
	while (lo < hi)
	{
		uint32_t	mid = lo + (hi - lo) / 2;

		if (in->value[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == in->n_tokens || in->value[lo] != v || in->len[lo] != len)
		return NOT_FOUND;
	return lo;
}

enum
{
	SHAPE_UNIFORM,				/* random (account, token) rows */
	SHAPE_FEW_TOKENS,			/* 2 to 6 tokens: everybody shares */
	SHAPE_SPARSE,				/* many tokens, few rows: few links */
	SHAPE_RINGS,				/* groups sharing their group's tokens, and noise */
	SHAPE_HUB,					/* one token held by almost every account */
	SHAPE_REPEATS,				/* every row many times over */
	N_SHAPES
};

static const char *const shape_name[] = {
	"uniform", "few-tokens", "sparse", "rings", "hub", "repeats"
};

static void
make_instance(instance *in, int shape, int kind, uint32_t n_accounts)
{
	uint32_t	n_tokens,
				a,
				i,
				rows;

	memset(in, 0, sizeof(*in));
	make_ids(in, kind, n_accounts);
	switch (shape)
	{
		case SHAPE_FEW_TOKENS:
			n_tokens = 2 + rng_below(5);
			break;
		case SHAPE_SPARSE:
			n_tokens = 4 * n_accounts + 10;
			break;
		default:
			n_tokens = 1 + n_accounts / 2 + rng_below(n_accounts + 1);
			break;
	}
	make_tokens(in, n_tokens, rng_below(2) ? 3 : 400, rng_below(4) == 0);
	rows = n_accounts * (1 + rng_below(6));
	if (shape == SHAPE_HUB)
		for (a = 0; a < n_accounts; a++)
			if (rng_below(10) != 0)
				push_row(in, a, 0);
	switch (shape)
	{
		case SHAPE_RINGS:
			for (a = 0; a < n_accounts;)
			{
				uint32_t	size = 1 + rng_below(6),
							first = a,
							shared = 1 + rng_below(4),
							base = rng_below(n_tokens),
							x;

				for (; a < n_accounts && a < first + size; a++)
				{
					for (x = 0; x < shared; x++)
						if (rng_below(5) != 0)
							push_row(in, a, (base + x) % n_tokens);
					for (x = rng_below(3); x > 0; x--)
						push_row(in, a, rng_below(n_tokens));
				}
			}
			break;
		default:
			for (i = 0; i < rows; i++)
				push_row(in, rng_below(n_accounts), rng_below(n_tokens));
			break;
	}
	if (shape == SHAPE_REPEATS)
	{
		size_t		n = in->n_rows,
					j;

		for (j = 0; j < n; j++)
			for (i = rng_below(4); i > 0; i--)
				push_row(in, in->rows[j].account, in->rows[j].token);
	}
}

/* ------------------------------------------------------------ reference */

typedef struct reference
{
	uint32_t	n;				/* accounts having rows */
	int64_t    *ids;			/* ascending */
	uint32_t   *of_id;			/* instance id index -> account, or NOT_FOUND */
	uint32_t	k;				/* instance tokens */
	uint32_t	n_tokens;		/* tokens having rows */
	uint8_t    *has;			/* has[a * k + t] */
	uint32_t   *token_degree;
	uint8_t    *hub;
	uint32_t   *degree;			/* distinct non-hub tokens of each account */
	uint32_t   *shared;			/* shared[a * n + b] for a < b */
	uint32_t	max_degree;
} reference;

static uint32_t
ref_index(const reference *r, int64_t id)
{
	const int64_t *p = bsearch(&id, r->ids, r->n, sizeof(int64_t), cmp_i64);

	if (p == NULL)
		bail("reference: id not found");
	return (uint32_t) (p - r->ids);
}

/* The reference of in's rows but rows[skip] (none if skip >= n_rows). */
static void
ref_build_without(reference *r, const instance *in, uint32_t max_degree, size_t skip)
{
	uint32_t	a,
				b,
				t;
	size_t		i;
	uint8_t    *used = xcalloc(in->n_ids, 1);

	memset(r, 0, sizeof(*r));
	r->max_degree = max_degree;
	r->k = in->n_tokens;
	r->ids = xmalloc((size_t) in->n_ids * sizeof(int64_t));
	for (i = 0; i < in->n_rows; i++)
		if (i != skip)
			used[in->rows[i].account] = 1;
	for (a = 0; a < in->n_ids; a++)
		if (used[a])
			r->ids[r->n++] = in->ids[a];
	qsort(r->ids, r->n, sizeof(int64_t), cmp_i64);
	r->of_id = xmalloc((size_t) in->n_ids * sizeof(uint32_t));
	for (a = 0; a < in->n_ids; a++)
		r->of_id[a] = used[a] ? ref_index(r, in->ids[a]) : NOT_FOUND;
	free(used);

	r->has = xcalloc((size_t) r->n * r->k, 1);
	for (i = 0; i < in->n_rows; i++)
		if (i != skip)
			r->has[(size_t) r->of_id[in->rows[i].account] * r->k + in->rows[i].token] = 1;
	r->token_degree = xcalloc(r->k, sizeof(uint32_t));
	r->hub = xcalloc(r->k, 1);
	for (t = 0; t < r->k; t++)
	{
		for (a = 0; a < r->n; a++)
			r->token_degree[t] += r->has[(size_t) a * r->k + t];
		r->hub[t] = r->token_degree[t] > max_degree;
		r->n_tokens += r->token_degree[t] > 0;
	}
	r->degree = xcalloc(r->n, sizeof(uint32_t));
	for (a = 0; a < r->n; a++)
		for (t = 0; t < r->k; t++)
			r->degree[a] += r->has[(size_t) a * r->k + t] && !r->hub[t];
	r->shared = xcalloc((size_t) r->n * r->n, sizeof(uint32_t));
	for (a = 0; a < r->n; a++)
		for (b = a + 1; b < r->n; b++)
			for (t = 0; t < r->k; t++)
				r->shared[(size_t) a * r->n + b] +=
					r->has[(size_t) a * r->k + t] && r->has[(size_t) b * r->k + t] && !r->hub[t];
}

static void
ref_build(reference *r, const instance *in, uint32_t max_degree)
{
	ref_build_without(r, in, max_degree, SIZE_MAX);
}

static void
ref_free(reference *r)
{
	free(r->ids);
	free(r->of_id);
	free(r->has);
	free(r->token_degree);
	free(r->hub);
	free(r->degree);
	free(r->shared);
}

static double
ref_jaccard(const reference *r, uint32_t a, uint32_t b)
{
	uint32_t	s = r->shared[(size_t) a * r->n + b];

	return (double) s / (double) (r->degree[a] + r->degree[b] - s);
}

static int
ref_linked(const reference *r, uint32_t a, uint32_t b, uint32_t min_shared, double min_jaccard)
{
	uint32_t	s = r->shared[(size_t) a * r->n + b];

	return s >= min_shared && ref_jaccard(r, a, b) >= min_jaccard;
}

/* Byte order of two tokens of in: memcmp, then the shorter first. */
static const instance *sort_instance;

static int
cmp_token_text(const void *pa, const void *pb)
{
	uint32_t	a = *(const uint32_t *) pa,
				b = *(const uint32_t *) pb;
	uint32_t	la = sort_instance->len[a],
				lb = sort_instance->len[b];
	int			c = memcmp(sort_instance->text[a], sort_instance->text[b], la < lb ? la : lb);

	if (c != 0)
		return c;
	return (la > lb) - (la < lb);
}

static const reference *sort_reference;

static int
cmp_hub(const void *pa, const void *pb)
{
	uint32_t	a = *(const uint32_t *) pa,
				b = *(const uint32_t *) pb;
	uint32_t	da = sort_reference->token_degree[a],
				db = sort_reference->token_degree[b];

	if (da != db)
		return da > db ? -1 : 1;
	return cmp_token_text(pa, pb);
}

/* The tokens a and b share (hubs if include_hubs), by bytes; returns n. */
static uint32_t
ref_shared_tokens(const reference *r, const instance *in, uint32_t a, uint32_t b,
				  int include_hubs, uint32_t *out)
{
	uint32_t	t,
				n = 0;

	for (t = 0; t < r->k; t++)
		if (r->has[(size_t) a * r->k + t] && r->has[(size_t) b * r->k + t] &&
			(include_hubs || !r->hub[t]))
			out[n++] = t;
	sort_instance = in;
	qsort(out, n, sizeof(uint32_t), cmp_token_text);
	return n;
}

/* ------------------------------------------------------------- building */

static const instance *order_instance;

static int
cmp_by_account(const void *pa, const void *pb)
{
	const row  *a = pa,
			   *b = pb;

	return cmp_i64(&order_instance->ids[a->account], &order_instance->ids[b->account]);
}

static int
cmp_by_token(const void *pa, const void *pb)
{
	const row  *a = pa,
			   *b = pb;

	return (a->token > b->token) - (a->token < b->token);
}

/*
 * Put in's rows in a random order, or grouped by account or by token (as
 * a table clustered on either gives them), which the add path shortcuts.
 */
static void
reorder_rows(instance *in)
{
	uint32_t	order = rng_below(4);

	shuffle_rows(in);
	order_instance = in;
	if (order == 1)
		qsort(in->rows, in->n_rows, sizeof(row), cmp_by_account);
	else if (order == 2)
		qsort(in->rows, in->n_rows, sizeof(row), cmp_by_token);
}

/* in's rows as the arrays sy_cooccur_add_rows takes. */
typedef struct row_arrays
{
	int64_t    *accounts;
	const char **tokens;
	uint32_t   *lens;
	size_t		n;
} row_arrays;

static void
row_arrays_make(row_arrays *a, const instance *in)
{
	size_t		i;

	a->n = in->n_rows;
	a->accounts = xmalloc((a->n + 1) * sizeof(int64_t));
	a->tokens = xmalloc((a->n + 1) * sizeof(char *));
	a->lens = xmalloc((a->n + 1) * sizeof(uint32_t));
	for (i = 0; i < a->n; i++)
	{
		a->accounts[i] = in->ids[in->rows[i].account];
		a->tokens[i] = in->text[in->rows[i].token];
		a->lens[i] = in->len[in->rows[i].token];
	}
}

static void
row_arrays_free(row_arrays *a)
{
	free(a->accounts);
	free(a->tokens);
	free(a->lens);
}

/* A batch size: often 0 or 1, often past a batch of sy_cooccur_add_rows
 * (32) and past a row block (256). */
static size_t
random_batch(size_t left)
{
	static const uint32_t limits[] = {2, 40, 100, 700};
	size_t		k = rng_below(limits[rng_below(4)]);

	return k < left ? k : left;
}

/* Add rows [from, to) of a to g in batches of random sizes; the first
 * failure, with *added set to the rows added before it. */
static sy_status
add_batches(sy_cooccur *g, const row_arrays *a, size_t from, size_t to, size_t *added)
{
	size_t		i = from;

	while (i < to)
	{
		size_t		k = random_batch(to - i);
		uint32_t	before = g->n_rows;
		sy_status	st = sy_cooccur_add_rows(g, a->accounts + i, a->tokens + i, a->lens + i, k);

		i += g->n_rows - before;
		if (st != SY_OK)
		{
			*added = i - from;
			return st;
		}
	}
	*added = to - from;
	return SY_OK;
}

/* Add in's rows to g in their current order, one at a time or in batches
 * of random sizes, and finish it. */
static void
build_rows(sy_cooccur *g, const instance *in, uint32_t max_degree, bool batched)
{
	size_t		i;

	sy_cooccur_init(g, &sy_env_malloc);
	if (batched)
	{
		row_arrays	a;
		size_t		added;

		row_arrays_make(&a, in);
		check_status(add_batches(g, &a, 0, a.n, &added), "add_rows");
		row_arrays_free(&a);
	}
	else
		for (i = 0; i < in->n_rows; i++)
		{
			const row  *w = &in->rows[i];

			check_status(sy_cooccur_add(g, in->ids[w->account], in->text[w->token],
										in->len[w->token]), "add");
		}
	check_status(sy_cooccur_finish(g, max_degree), "finish");
}

/*
 * Two finished sets of rows equal in everything, internal token numbers
 * included (they follow first appearance): the lists, the degrees, the
 * dictionary.
 */
static bool
graphs_identical(const sy_cooccur *x, const sy_cooccur *y)
{
	uint32_t	a,
				t,
				pairs;

	if (x->n_accounts != y->n_accounts || x->n_tokens != y->n_tokens ||
		x->max_degree != y->max_degree)
		return false;
	for (a = 0; a < x->n_accounts; a++)
		if (x->account_ids[a] != y->account_ids[a] || x->account_degree[a] != y->account_degree[a])
			return false;
	pairs = x->account_start[x->n_accounts];
	if (memcmp(x->account_start, y->account_start, ((size_t) x->n_accounts + 1) * 4) != 0 ||
		memcmp(x->token_start, y->token_start, ((size_t) x->n_tokens + 1) * 4) != 0 ||
		(pairs > 0 && (memcmp(x->account_tokens, y->account_tokens, (size_t) pairs * 4) != 0 ||
					   memcmp(x->token_accounts, y->token_accounts, (size_t) pairs * 4) != 0)))
		return false;
	for (t = 0; t < x->n_tokens; t++)
	{
		uint32_t	xl,
					yl;
		const char *xs = sy_cooccur_token(x, t, &xl);
		const char *ys = sy_cooccur_token(y, t, &yl);

		if (xl != yl || (xl > 0 && memcmp(xs, ys, xl) != 0))
			return false;
	}
	return true;
}

/* ------------------------------------------------------------- checking */

static int	diags_left = 20;

/* Print why a check failed (the first few times); returns 0. */
static int
fail_diag(const char *what, const char *fmt, ...)
{
	va_list		ap;

	if (diags_left > 0)
	{
		diags_left--;
		printf("#   %s: ", what);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	return 0;
}

static int
same_double(double a, double b)
{
	return memcmp(&a, &b, sizeof(double)) == 0;
}

/* The instance token of g's token t, bailing out if there is none. */
static uint32_t
instance_token(const sy_cooccur *g, const instance *in, uint32_t t)
{
	uint32_t	len;
	const char *s = sy_cooccur_token(g, t, &len);
	uint32_t	k = token_of(in, s, len);

	if (k == NOT_FOUND)
		bail("a token that was never added");
	return k;
}

/* Accounts, their ids, degrees and lookups; tokens, degrees and hubs. */
static int
check_shape(const char *what, const sy_cooccur *g, const instance *in, const reference *r)
{
	uint32_t	a,
				t,
				x;
	int			good = 1;

	if (sy_cooccur_accounts(g) != r->n || sy_cooccur_tokens(g) != r->n_tokens)
		return fail_diag(what, "%u accounts, %u tokens", sy_cooccur_accounts(g),
						 sy_cooccur_tokens(g));
	for (a = 0; a < r->n; a++)
	{
		good &= sy_cooccur_account_id(g, a) == r->ids[a];
		good &= sy_cooccur_find_account(g, r->ids[a], &x) && x == a;
		good &= sy_cooccur_account_degree(g, a) == r->degree[a];
	}
	for (a = 0; a < in->n_ids; a++)
		if (r->of_id[a] == NOT_FOUND)
			good &= !sy_cooccur_find_account(g, in->ids[a], &x);
	if (!good)
		return fail_diag(what, "account ids, lookups or degrees differ (%u accounts)", r->n);
	for (t = 0; t < sy_cooccur_tokens(g); t++)
	{
		uint32_t	k = instance_token(g, in, t);

		if (sy_cooccur_token_degree(g, t) != r->token_degree[k] ||
			sy_cooccur_is_hub(g, t) != (bool) r->hub[k])
			return fail_diag(what, "token %u: degree %u", k, sy_cooccur_token_degree(g, t));
	}
	return 1;
}

static int
check_hubs(const char *what, const sy_cooccur *g, const instance *in, const reference *r)
{
	uint32_t   *want = xmalloc((size_t) r->k * sizeof(uint32_t));
	uint32_t   *got;
	uint32_t	n_want = 0,
				n_got,
				t;
	int			good;

	for (t = 0; t < r->k; t++)
		if (r->hub[t])
			want[n_want++] = t;
	sort_instance = in;
	sort_reference = r;
	qsort(want, n_want, sizeof(uint32_t), cmp_hub);
	check_status(sy_cooccur_hubs(g, &got, &n_got), "hubs");
	good = n_got == n_want && (n_got > 0) == (got != NULL);
	for (t = 0; good && t < n_got; t++)
		good = instance_token(g, in, got[t]) == want[t];
	if (!good)
		fail_diag(what, "hubs: %u, expected %u", n_got, n_want);
	free(got);
	free(want);
	return good;
}

/* Partners of every account under (min_shared, min_jaccard). */
static int
check_partners(const char *what, sy_cooccur_scan *s, const reference *r, uint32_t min_shared,
			   double min_jaccard)
{
	uint32_t	a;

	for (a = 0; a < r->n; a++)
	{
		const sy_cooccur_partner *p;
		uint32_t	n,
					b,
					k = 0;

		check_status(sy_cooccur_partners(s, a, min_shared, min_jaccard, &p, &n), "partners");
		for (b = a + 1; b < r->n; b++)
		{
			if (!ref_linked(r, a, b, min_shared, min_jaccard))
				continue;
			if (k >= n || p[k].b != b || p[k].shared != r->shared[(size_t) a * r->n + b] ||
				!same_double(p[k].jaccard, ref_jaccard(r, a, b)))
				return fail_diag(what, "partners of %u: %u differs or is missing", a, b);
			k++;
		}
		if (k != n)
			return fail_diag(what, "partners of %u: %u extra", a, n - k);
	}
	return 1;
}

/* Shared tokens of every pair sharing a token, and of some pairs that do
 * not, with and without hubs. */
static int
check_shared_tokens(const char *what, sy_cooccur_scan *s, const instance *in,
					const reference *r)
{
	uint32_t   *want = xmalloc(((size_t) r->k + 1) * sizeof(uint32_t));
	uint32_t	a,
				b;
	int			good = 1;

	for (a = 0; a < r->n && good; a++)
		for (b = 0; b < r->n && good; b++)
		{
			int			hubs = (int) ((a + b) % 2);
			const uint32_t *got;
			uint32_t	n,
						n_want,
						i;

			if (a != b && r->shared[a < b ? (size_t) a * r->n + b : (size_t) b * r->n + a] == 0 &&
				rng_below(8) != 0)
				continue;
			n_want = ref_shared_tokens(r, in, a, b, hubs, want);
			check_status(sy_cooccur_shared_tokens(s, a, b, hubs, &got, &n), "shared tokens");
			good = n == n_want;
			for (i = 0; good && i < n; i++)
				good = instance_token(s->g, in, got[i]) == want[i];
			if (!good)
				fail_diag(what, "shared tokens of %u and %u differ", a, b);
		}
	free(want);
	return good;
}

static const uint32_t min_shareds[] = {1, 2, 3, 4};
static const double min_jaccards[] = {0, 0.3, 1.0 / 3, 0.5, 1};

/* Build in under max_degree and compare everything with the reference. */
static int
check_instance(const char *what, instance *in, uint32_t max_degree)
{
	sy_cooccur	g;
	sy_cooccur_scan s;
	reference	r;
	size_t		i,
				j;
	int			good;

	ref_build(&r, in, max_degree);
	reorder_rows(in);
	/* batches of rows give what rows one at a time give */
	build_rows(&g, in, max_degree, false);
	{
		sy_cooccur	batched;

		build_rows(&batched, in, max_degree, true);
		good = graphs_identical(&g, &batched);
		sy_cooccur_free(&batched);
	}
	if (!good)
		fail_diag(what, "sy_cooccur_add_rows differs from sy_cooccur_add");
	good = good && check_shape(what, &g, in, &r) && check_hubs(what, &g, in, &r);
	check_status(sy_cooccur_scan_init(&s, &g), "scan_init");
	for (i = 0; good && i < sizeof(min_shareds) / sizeof(min_shareds[0]); i++)
		for (j = 0; good && j < sizeof(min_jaccards) / sizeof(min_jaccards[0]); j++)
			if ((i + j) % 2 == 0 || in->n_rows < 400)
				good = check_partners(what, &s, &r, min_shareds[i], min_jaccards[j]);
	if (good)
		good = check_shared_tokens(what, &s, in, &r);
	sy_cooccur_scan_free(&s);
	sy_cooccur_free(&g);
	ref_free(&r);
	return good;
}

/* -------------------------------------------------------------- tests */

static uint32_t
random_max_degree(void)
{
	static const uint32_t choices[] = {1, 2, 3, 5, 8, 40, UINT32_MAX};

	return choices[rng_below(sizeof(choices) / sizeof(choices[0]))];
}

static void
test_random_instances(void)
{
	static const uint32_t sizes[] = {2, 5, 12, 40, 110};
	int			shape,
				kind;
	size_t		si;

	for (shape = 0; shape < N_SHAPES; shape++)
	{
		int			instances = 0,
					bad = 0;

		for (kind = 0; kind < N_ID_KINDS; kind++)
			for (si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++)
			{
				int			rep;

				for (rep = 0; rep < (sizes[si] < 100 ? 6 : 2); rep++)
				{
					instance	in;
					char		what[128];
					uint32_t	max_degree = random_max_degree();

					make_instance(&in, shape, kind, sizes[si]);
					snprintf(what, sizeof(what), "%s/%s/%u accounts/max_degree %u",
							 shape_name[shape], id_kind_name[kind], sizes[si], max_degree);
					bad += !check_instance(what, &in, max_degree);
					/* a second random order and another max_degree */
					bad += !check_instance(what, &in, random_max_degree());
					instances += 2;
					instance_free(&in);
				}
			}
		ok(bad == 0, "%s: %d random instances equal the brute force", shape_name[shape],
		   instances);
	}
}

static void
test_edge_cases(void)
{
	sy_cooccur	g;
	sy_cooccur_scan s;
	const sy_cooccur_partner *p;
	const uint32_t *tokens;
	uint32_t   *hubs,
				n,
				a,
				len;
	const char *text;

	sy_cooccur_init(&g, &sy_env_malloc);
	is_status(sy_cooccur_scan_init(&s, &g), SY_EVALUE, "no scan before finish");
	is_status(sy_cooccur_finish(&g, 0), SY_EVALUE, "max_degree 0 is refused");
	is_status(sy_cooccur_finish(&g, 1), SY_OK, "finish without rows");
	ok(sy_cooccur_accounts(&g) == 0 && sy_cooccur_tokens(&g) == 0, "no account, no token");
	ok(!sy_cooccur_find_account(&g, 0, &a), "find in an empty set");
	is_status(sy_cooccur_hubs(&g, &hubs, &n), SY_OK, "hubs of nothing");
	ok(hubs == NULL && n == 0, "none");
	is_status(sy_cooccur_scan_init(&s, &g), SY_OK, "scan of nothing");
	is_status(sy_cooccur_partners(&s, 0, 1, 0, &p, &n), SY_EVALUE, "no account 0");
	sy_cooccur_scan_free(&s);
	is_status(sy_cooccur_add(&g, 1, "x", 1), SY_EVALUE, "no add after finish");
	is_status(sy_cooccur_finish(&g, 1), SY_EVALUE, "no second finish");
	sy_cooccur_free(&g);
	sy_cooccur_free(&g);
	ok(g.n_rows == 0 && !g.finished, "free twice is harmless");

	/* one account: duplicates, the empty token, a NUL refused */
	g.max_rows = 6;
	is_status(sy_cooccur_add(&g, -7, "b", 1), SY_OK, "add");
	is_status(sy_cooccur_add(&g, -7, "a\0b", 3), SY_EVALUE, "a NUL in a token");
	is_status(sy_cooccur_add(&g, -7, "ab", 2), SY_OK, "add");
	is_status(sy_cooccur_add(&g, -7, "", 0), SY_OK, "the empty token");
	is_status(sy_cooccur_add(&g, -7, "b", 1), SY_OK, "a repeated row");
	is_status(sy_cooccur_add(&g, -7, "a", 1), SY_OK, "add");
	is_status(sy_cooccur_add(&g, -7, "\xff", 1), SY_OK, "the sixth row");
	is_status(sy_cooccur_add(&g, -7, "c", 1), SY_ETOOBIG, "past max_rows");
	is_int(g.n_rows, 6, "the refused rows are not there");
	is_status(sy_cooccur_finish(&g, 1), SY_OK, "finish");
	ok(sy_cooccur_accounts(&g) == 1 && sy_cooccur_account_id(&g, 0) == -7 &&
	   sy_cooccur_tokens(&g) == 5 && sy_cooccur_account_degree(&g, 0) == 5,
	   "one account with 5 tokens");
	ok(sy_cooccur_find_account(&g, -7, &a) && a == 0 && !sy_cooccur_find_account(&g, -8, &a) &&
	   !sy_cooccur_find_account(&g, INT64_MAX, &a), "find_account");
	is_status(sy_cooccur_scan_init(&s, &g), SY_OK, "scan_init");
	is_status(sy_cooccur_partners(&s, 0, 1, 0, &p, &n), SY_OK, "partners of the only account");
	is_int(n, 0, "none");
	is_status(sy_cooccur_partners(&s, 0, 0, 0, &p, &n), SY_EVALUE, "min_shared 0");
	is_status(sy_cooccur_partners(&s, 0, 1, -0.01, &p, &n), SY_EVALUE, "min_jaccard < 0");
	is_status(sy_cooccur_partners(&s, 0, 1, 1.01, &p, &n), SY_EVALUE, "min_jaccard > 1");
	is_status(sy_cooccur_partners(&s, 0, 1, NAN, &p, &n), SY_EVALUE, "min_jaccard NaN");
	is_status(sy_cooccur_partners(&s, 1, 1, 0, &p, &n), SY_EVALUE, "account out of range");
	is_status(sy_cooccur_shared_tokens(&s, 0, 1, true, &tokens, &n), SY_EVALUE,
			  "shared tokens: account out of range");
	is_status(sy_cooccur_shared_tokens(&s, 0, 0, false, &tokens, &n), SY_OK,
			  "an account shares its tokens with itself");
	ok(n == 5, "5 of them");
	{
		static const char *const order[] = {"", "a", "ab", "b", "\xff"};
		int			sorted = n == 5;

		for (a = 0; sorted && a < n; a++)
		{
			text = sy_cooccur_token(&g, tokens[a], &len);
			sorted = len == strlen(order[a]) && memcmp(text, order[a], len) == 0;
		}
		ok(sorted, "by bytes, unsigned, a prefix first");
	}
	sy_cooccur_scan_free(&s);
	sy_cooccur_free(&g);
	is_int(g.max_rows, 6, "free keeps max_rows");
}

/* One of 5000 ids spread over 64 bits. */
static int64_t
some_id(void)
{
	return to_i64(rng_next() % 5000 * 0x9E3779B97F4A7C15ULL);
}

/*
 * sy_components_find_batch, the account lookup of sy_cooccur_add_rows,
 * against sy_components_find: ids present and absent, in batches of every
 * size, on an empty forest and on growing ones.
 */
static void
test_account_lookup_batch(void)
{
	sy_components c;
	int64_t		ids[300];
	uint32_t	index[300];
	int			round,
				bad = 0;
	uint32_t	i;

	sy_components_init(&c, &sy_env_malloc);
	for (round = 0; round < 40; round++)
	{
		uint32_t	n = rng_below(300);

		/* nodes, and ids that may or may not be nodes */
		for (i = 0; i < n; i++)
			ids[i] = c.n > 0 && rng_below(2) ? c.ids[rng_below(c.n)] : some_id();
		sy_components_find_batch(&c, ids, n, index);
		for (i = 0; i < n; i++)
		{
			uint32_t	want;

			if (sy_components_find(&c, ids[i], &want) ? index[i] != want
				: index[i] != SY_COMPONENTS_ABSENT)
				bad++;
		}
		for (i = 0; i < 200; i++)
			check_status(sy_components_add_node(&c, some_id()), "add_node");
	}
	is_int(bad, 0, "sy_components_find_batch finds what sy_components_find finds (%u nodes)", c.n);
	sy_components_free(&c);
}

/* g finished and identical to the first n of the rows added one at a time. */
static bool
equals_prefix(sy_cooccur *g, const int64_t *accounts, const char *const *tokens,
			  const uint32_t *lens, size_t n)
{
	sy_cooccur	one;
	size_t		i;
	bool		same;

	sy_cooccur_init(&one, &sy_env_malloc);
	for (i = 0; i < n; i++)
		check_status(sy_cooccur_add(&one, accounts[i], tokens[i], lens[i]), "add");
	check_status(sy_cooccur_finish(&one, 2), "finish");
	check_status(sy_cooccur_finish(g, 2), "finish");
	same = graphs_identical(g, &one);
	sy_cooccur_free(&one);
	return same;
}

/* A batch stopped by a bad token or a limit keeps the rows before it. */
static void
test_batch_edge_cases(void)
{
	sy_cooccur	g;
	int64_t		accounts[] = {9, 10, 11, 10, 12, 13, 14};
	const char *tokens[] = {"a", "b", "a", "c\0", "b", "c", "d"};
	uint32_t	lens[] = {1, 1, 1, 2, 1, 1, 1};

	sy_cooccur_init(&g, &sy_env_malloc);
	is_status(sy_cooccur_add_rows(&g, accounts, tokens, lens, 0), SY_OK, "batch: 0 rows");
	ok(g.n_rows == 0 && !g.has_dictionary && g.account_map.n == 0, "batch: add nothing");
	is_status(sy_cooccur_add_rows(&g, accounts, tokens, lens, 7), SY_EVALUE,
			  "batch: a NUL in the fourth token");
	ok(g.n_rows == 3 && g.account_map.n == 3 && g.dictionary.n == 2,
	   "batch: the first three rows are in, nothing of the fourth");
	g.max_rows = 5;
	is_status(sy_cooccur_add_rows(&g, accounts + 4, tokens + 4, lens + 4, 3), SY_ETOOBIG,
			  "batch: past max_rows");
	ok(g.n_rows == 5 && g.account_map.n == 5, "batch: the rows up to max_rows are in");
	{
		int64_t		kept_accounts[] = {9, 10, 11, 12, 13};
		const char *kept_tokens[] = {"a", "b", "a", "b", "c"};
		uint32_t	kept_lens[] = {1, 1, 1, 1, 1};

		ok(equals_prefix(&g, kept_accounts, kept_tokens, kept_lens, 5),
		   "batch: the same as those rows one at a time");
	}
	is_status(sy_cooccur_add_rows(&g, accounts, tokens, lens, 1), SY_EVALUE,
			  "batch: no add after finish");
	is_status(sy_cooccur_add_rows(&g, accounts, tokens, lens, 0), SY_EVALUE,
			  "batch: not even of 0 rows");
	sy_cooccur_free(&g);

	/* the account limit, reached mid-batch: row by row near it */
	tokens[3] = "c";
	lens[3] = 1;
	g.account_map.max_nodes = 4;
	is_status(sy_cooccur_add_rows(&g, accounts, tokens, lens, 7), SY_ETOOBIG,
			  "batch: past the account limit");
	ok(g.n_rows == 5 && g.account_map.n == 4 && g.dictionary.n == 3,
	   "batch: the rows before the fifth account are in");
	ok(equals_prefix(&g, accounts, tokens, lens, 5), "batch: the same as one at a time");
	sy_cooccur_free(&g);

	/*
	 * The dictionary limit, reached mid-batch after the accounts were
	 * looked up: the accounts of the refused rows are not added.
	 */
	sy_cooccur_init(&g, &sy_env_malloc);
	check_status(sy_cooccur_add(&g, 8, "a", 1), "add");
	/* room for one more 1-byte token */
	g.dictionary.max_payload = SY_HIST_FLAT_HEADER + 2 * sizeof(sy_hist_entry) + 2;
	is_status(sy_cooccur_add_rows(&g, accounts, tokens, lens, 7), SY_ETOOBIG,
			  "batch: past the dictionary limit");
	ok(g.n_rows == 4 && g.account_map.n == 4 && g.dictionary.n == 2,
	   "batch: three rows are in, not the fourth's account");
	{
		int64_t		kept_accounts[] = {8, 9, 10, 11};
		const char *kept_tokens[] = {"a", "a", "b", "a"};
		uint32_t	kept_lens[] = {1, 1, 1, 1};

		ok(equals_prefix(&g, kept_accounts, kept_tokens, kept_lens, 4),
		   "batch: the same as those rows one at a time");
	}
	sy_cooccur_free(&g);
}

/*
 * A corporate NAT: 3000 accounts behind one address.  Pairs of them also
 * share a device, and each has a token of its own; only the pairs link.
 */
static void
test_nat(void)
{
	sy_cooccur	g;
	sy_cooccur_scan s;
	uint32_t	n_accounts = 3000,
				a,
				n,
				len,
				*hubs;
	char		token[32];
	int			good = 1;
	const char *text;

	sy_cooccur_init(&g, &sy_env_malloc);
	for (a = 0; a < n_accounts; a++)
	{
		int64_t		id = (int64_t) a * 1000003 - 1000000000;

		check_status(sy_cooccur_add(&g, id, "10.0.0.1", 8), "add");
		snprintf(token, sizeof(token), "device-%u", a / 2);
		check_status(sy_cooccur_add(&g, id, token, (uint32_t) strlen(token)), "add");
		snprintf(token, sizeof(token), "own-%u", a);
		check_status(sy_cooccur_add(&g, id, token, (uint32_t) strlen(token)), "add");
	}
	is_status(sy_cooccur_finish(&g, 100), SY_OK, "finish, max_degree 100");
	is_status(sy_cooccur_hubs(&g, &hubs, &n), SY_OK, "hubs");
	text = n == 1 ? sy_cooccur_token(&g, hubs[0], &len) : NULL;
	ok(n == 1 && len == 8 && memcmp(text, "10.0.0.1", 8) == 0 &&
	   sy_cooccur_token_degree(&g, hubs[0]) == n_accounts, "the address is the only hub");
	free(hubs);
	check_status(sy_cooccur_scan_init(&s, &g), "scan_init");
	for (a = 0; a < n_accounts && good; a++)
	{
		const sy_cooccur_partner *p;
		const uint32_t *tokens;

		check_status(sy_cooccur_partners(&s, a, 1, 0, &p, &n), "partners");
		if (a % 2 == 0)
			good = n == 1 && p[0].b == a + 1 && p[0].shared == 1 && p[0].jaccard == 1.0 / 3;
		else
			good = n == 0;
		if (good && a % 2 == 0)
		{
			check_status(sy_cooccur_shared_tokens(&s, a, a + 1, true, &tokens, &n), "shared");
			text = n == 2 ? sy_cooccur_token(&g, tokens[0], &len) : NULL;
			good = n == 2 && len == 8 && memcmp(text, "10.0.0.1", 8) == 0;
		}
	}
	ok(good, "each account links to its device partner only, through the device only");
	sy_cooccur_scan_free(&s);
	sy_cooccur_free(&g);
}

/* 70000 accounts on one token: lists of partners past 16 bits, sorted. */
static void
test_long_partner_lists(void)
{
	sy_cooccur	g;
	sy_cooccur_scan s;
	uint32_t	n_accounts = 70000,
				a,
				n,
				k;
	int			good = 1;

	sy_cooccur_init(&g, &sy_env_malloc);
	for (a = 0; a < n_accounts; a++)
		check_status(sy_cooccur_add(&g, to_i64(((uint64_t) (a * 7919u % n_accounts)) << 40),
									"everyone", 8), "add");
	check_status(sy_cooccur_finish(&g, n_accounts), "finish");
	check_status(sy_cooccur_scan_init(&s, &g), "scan_init");
	for (a = 0; a < n_accounts; a += 17497)
	{
		const sy_cooccur_partner *p;

		check_status(sy_cooccur_partners(&s, a, 1, 1, &p, &n), "partners");
		good &= n == n_accounts - 1 - a;
		for (k = 0; good && k < n; k++)
			good = p[k].b == a + 1 + k && p[k].shared == 1 && p[k].jaccard == 1;
	}
	ok(good, "every account after a, in order, up to %u partners", n_accounts - 1);
	sy_cooccur_scan_free(&s);
	sy_cooccur_free(&g);
}

/* ------------------------------------------------------- failing memory */

/* Every operation on env; the first failure, or SY_OK with every result
 * equal to the reference. */
static sy_status
alloc_scenario(instance *in, const reference *r, sy_env *env, bool batched, int *correct)
{
	sy_cooccur	g;
	sy_cooccur_scan s;
	uint32_t   *hubs = NULL,
				n,
				a;
	size_t		i;
	sy_status	st = SY_OK;

	sy_cooccur_init(&g, env);
	memset(&s, 0, sizeof(s));
	if (batched)
	{
		row_arrays	rows;
		size_t		added;

		row_arrays_make(&rows, in);
		st = add_batches(&g, &rows, 0, rows.n, &added);
		row_arrays_free(&rows);
	}
	for (i = 0; !batched && i < in->n_rows && st == SY_OK; i++)
		st = sy_cooccur_add(&g, in->ids[in->rows[i].account], in->text[in->rows[i].token],
							in->len[in->rows[i].token]);
	if (st == SY_OK)
		st = sy_cooccur_finish(&g, r->max_degree);
	if (st == SY_OK)
		st = sy_cooccur_hubs(&g, &hubs, &n);
	if (st == SY_OK)
		st = sy_cooccur_scan_init(&s, &g);
	for (a = 0; a < r->n && st == SY_OK; a++)
	{
		const sy_cooccur_partner *p;
		const uint32_t *tokens;

		st = sy_cooccur_partners(&s, a, 1, 0, &p, &n);
		if (st == SY_OK && n > 0)
			st = sy_cooccur_shared_tokens(&s, a, p[0].b, true, &tokens, &n);
	}
	if (st == SY_OK)
		*correct &= check_shape("allocation scenario", &g, in, r) &&
			check_partners("allocation scenario", &s, r, 1, 0);
	if (s.g != NULL)
		sy_cooccur_scan_free(&s);
	if (hubs != NULL)
		env->free(env->ctx, hubs);
	sy_cooccur_free(&g);
	return st;
}

static void
test_alloc_failures(bool batched)
{
	instance	in;
	reference	r;
	long		budget,
				failures = 0,
				bad = 0,
				leaks = 0;
	int			correct = 1;
	sy_status	st = SY_ENOMEM;
	const char *how = batched ? "rows in batches" : "rows one at a time";

	make_instance(&in, SHAPE_HUB, IDS_SPREAD, 40);
	ref_build(&r, &in, 8);
	for (budget = 0; budget < 10000 && st != SY_OK; budget++)
	{
		fail_ctx	fc;
		sy_env		env = fail_env(&fc, budget);

		st = alloc_scenario(&in, &r, &env, batched, &correct);
		if (fc.failures > 0)
		{
			failures++;
			bad += st != SY_ENOMEM;
		}
		else
			bad += st != SY_OK;
		leaks += fc.live != 0;
	}
	is_status(st, SY_OK, "%s: the scenario succeeds with %ld allocations", how, budget - 1);
	ok(failures > 20 && bad == 0, "%s: each of the %ld earlier budgets fails with SY_ENOMEM",
	   how, failures);
	is_int(leaks, 0, "%s: no leak after any failure", how);
	ok(correct, "%s: the results are right", how);
	ref_free(&r);
	instance_free(&in);
}

/*
 * A failed add changes nothing: after it, adding the other rows gives the
 * result of the rows without it.  And a failed partners call leaves the
 * scan usable.
 */
static void
test_failures_change_nothing(bool batched)
{
	instance	in;
	long		budget;
	int			failed = 1,
				runs = 0,
				good = 1;

	const char *how = batched ? "sy_cooccur_add_rows" : "sy_cooccur_add";
	row_arrays	rows;

	make_instance(&in, SHAPE_REPEATS, IDS_EXTREME, 90);
	row_arrays_make(&rows, &in);
	for (budget = 0; failed && budget < 10000; budget++)
	{
		fail_ctx	fc;
		sy_env		env = fail_env(&fc, budget);
		sy_cooccur	g;
		sy_cooccur_scan s;
		reference	r;
		size_t		i,
					skipped = in.n_rows;

		sy_cooccur_init(&g, &env);
		if (batched)
		{
			size_t		added;
			sy_status	st = add_batches(&g, &rows, 0, rows.n, &added);

			if (st != SY_OK)
			{
				/* the rows before the failing one are in, and only them */
				good &= st == SY_ENOMEM && g.n_rows == added;
				skipped = added;
				fc.budget = -1;
				good &= add_batches(&g, &rows, added + 1, rows.n, &added) == SY_OK;
			}
		}
		for (i = 0; !batched && i < in.n_rows; i++)
		{
			const row  *w = &in.rows[i];
			sy_status	st = sy_cooccur_add(&g, in.ids[w->account], in.text[w->token],
											in.len[w->token]);

			if (st != SY_OK && skipped == in.n_rows)
			{
				good &= st == SY_ENOMEM;
				skipped = i;
				fc.budget = -1;
			}
			else if (st != SY_OK)
				good = 0;
		}
		failed = skipped < in.n_rows;
		fc.budget = -1;
		ref_build_without(&r, &in, 3, skipped);
		check_status(sy_cooccur_finish(&g, 3), "finish");
		check_status(sy_cooccur_scan_init(&s, &g), "scan_init");
		if (!failed)
		{
			const sy_cooccur_partner *p;
			uint32_t	n,
						a;

			/* the partners array is not allocated yet: make that fail */
			for (a = 0; a < r.n; a++)
			{
				fc.budget = 0;
				if (sy_cooccur_partners(&s, a, 1, 0, &p, &n) == SY_ENOMEM)
					break;
			}
			fc.budget = -1;
			ok(a < r.n, "%s: partners fails without memory", how);
		}
		good &= check_shape("after a failed add", &g, &in, &r) &&
			check_partners("after a failed add or partners", &s, &r, 1, 0);
		sy_cooccur_scan_free(&s);
		sy_cooccur_free(&g);
		ref_free(&r);
		good &= fc.live == 0;
		runs++;
	}
	ok(good && runs > 10, "over %d budgets, a failing %s or partners changes nothing", runs,
	   how);
	row_arrays_free(&rows);
	instance_free(&in);
}

/* ----------------------------------------------------- polls and memory */

/*
 * 400k rows over 20k accounts and 20k tokens: the memory a row takes
 * while adding and at the peak of finish, and polling everywhere.
 */
static void
test_memory_and_polls(void)
{
	track_ctx	tc;
	sy_env		env = {track_alloc, track_realloc, track_free, track_poll, &tc};
	sy_cooccur	g;
	sy_cooccur_scan s;
	uint32_t	n_rows = 400000,
				n_accounts = 20000,
				n_tokens = 20000,
				i,
				n;
	size_t		added,
				overhead;
	long		polls;
	char		token[32];
	const sy_cooccur_partner *p;

	memset(&tc, 0, sizeof(tc));
	sy_cooccur_init(&g, &env);
	for (i = 0; i < n_rows; i++)
	{
		int			len = snprintf(token, sizeof(token), "ip-%u", rng_below(n_tokens));

		check_status(sy_cooccur_add(&g, to_i64(rng_next() % n_accounts * 0x9E3779B97F4A7C15ULL),
									token, (uint32_t) len), "add");
	}
	added = tc.live;
	/* the account map and the dictionary, from their own tests */
	overhead = (size_t) n_accounts * 29 + (size_t) n_tokens * (80 + 2 * 9);
	diag("after adding: %.1f bytes a row (%u accounts, %u tokens)", (double) added / n_rows,
		 g.account_map.n, g.dictionary.n);
	ok(added <= 8.0 * n_rows + overhead, "rows take 8 bytes while adding");
	polls = tc.polls;
	tc.peak = tc.live;
	is_status(sy_cooccur_finish(&g, 1000), SY_OK, "finish");
	diag("finish: peak %.1f bytes a row, then %.1f", (double) tc.peak / n_rows,
		 (double) tc.live / n_rows);
	ok(tc.peak <= 12.0 * n_rows + overhead + 16.0 * (n_accounts + n_tokens) + 256 * 1024,
	   "finish peaks at 12 bytes a row");
	ok(tc.polls - polls > 4 * n_rows / SY_POLL_EVERY, "finish polled %ld times", tc.polls - polls);
	check_status(sy_cooccur_scan_init(&s, &g), "scan_init");
	polls = tc.polls;
	for (i = 0; i < sy_cooccur_accounts(&g); i++)
		check_status(sy_cooccur_partners(&s, i, 1, 0, &p, &n), "partners");
	ok(tc.polls > polls, "partners polled %ld times", tc.polls - polls);
	sy_cooccur_scan_free(&s);
	sy_cooccur_free(&g);
	is_int(tc.live, 0, "everything freed");
}

int
main(void)
{
	rng_seed(20240917);
	test_edge_cases();
	test_random_instances();
	test_nat();
	test_long_partner_lists();
	test_account_lookup_batch();
	test_batch_edge_cases();
	test_alloc_failures(false);
	test_alloc_failures(true);
	test_failures_change_nothing(false);
	test_failures_change_nothing(true);
	test_memory_and_polls();
	return done_testing();
}
