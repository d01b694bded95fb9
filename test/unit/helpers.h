/*
 * helpers.h: shared helpers of the src/core unit tests (header-only).
 */
#ifndef SYBIL_TEST_HELPERS_H
#define SYBIL_TEST_HELPERS_H

#include <float.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "env.h"
#include "histogram.h"
#include "minhash.h"
#include "stable_hash.h"

/* ---------------------------------------------------------------- status */

static inline const char *
status_name(sy_status s)
{
	switch (s)
	{
		case SY_OK:
			return "SY_OK";
		case SY_ENOMEM:
			return "SY_ENOMEM";
		case SY_ETOOBIG:
			return "SY_ETOOBIG";
		case SY_ESYNTAX:
			return "SY_ESYNTAX";
		case SY_EVALUE:
			return "SY_EVALUE";
		case SY_EOVERFLOW:
			return "SY_EOVERFLOW";
		case SY_EDUPLICATE:
			return "SY_EDUPLICATE";
		case SY_ECORRUPT:
			return "SY_ECORRUPT";
	}
	return "(unknown status)";
}

static inline int
tap_is_status_(sy_status got, sy_status exp, const char *file, int line,
			   const char *fmt, ...)
{
	va_list		ap;
	int			pass = got == exp;

	va_start(ap, fmt);
	tap_vline_(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#          got: %s (%d)\n#     expected: %s (%d)\n",
			   status_name(got), (int) got, status_name(exp), (int) exp);
	return pass;
}

#define is_status(got, exp, ...) \
	tap_is_status_((got), (exp), __FILE__, __LINE__, __VA_ARGS__)

/* ---------------------------------------------------------------- random */

/* xorshift64*: deterministic, so a failure reproduces. */
static uint64_t rng_state_ = 0x9E3779B97F4A7C15ull;

static inline void
rng_seed(uint64_t s)
{
	rng_state_ = s ? s : 0x9E3779B97F4A7C15ull;
}

static inline uint64_t
rng_next(void)
{
	uint64_t	x = rng_state_;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state_ = x;
	return x * 0x2545F4914F6CDD1Dull;
}

/* uniform in [0, n) (n > 0); the tiny modulo bias does not matter here */
static inline uint32_t
rng_below(uint32_t n)
{
	return (uint32_t) (rng_next() % n);
}

/* ------------------------------------ an allocator tracking live bytes */

/* Live bytes, their peak, and polls; use as {track_alloc, track_realloc,
 * track_free, track_poll, &ctx}. */
typedef struct track_ctx
{
	size_t		live;
	size_t		peak;
	long		polls;
} track_ctx;

static inline void *
track_alloc(void *ctx, size_t size)
{
	track_ctx  *t = ctx;
	size_t	   *p = malloc(size + 16);

	if (p == NULL)
		return NULL;
	p[0] = size;
	t->live += size;
	if (t->live > t->peak)
		t->peak = t->live;
	return (char *) p + 16;
}

static inline void
track_free(void *ctx, void *ptr)
{
	track_ctx  *t = ctx;

	if (ptr != NULL)
	{
		size_t	   *p = (size_t *) ((char *) ptr - 16);

		t->live -= p[0];
		free(p);
	}
}

static inline void *
track_realloc(void *ctx, void *ptr, size_t size)
{
	track_ctx  *t = ctx;
	size_t	   *p,
				old;
	size_t	   *q;

	if (ptr == NULL)
		return track_alloc(ctx, size);
	p = (size_t *) ((char *) ptr - 16);
	old = p[0];
	q = realloc(p, size + 16);
	if (q == NULL)
		return NULL;
	q[0] = size;
	t->live = t->live - old + size;
	if (t->live > t->peak)
		t->peak = t->live;
	return (char *) q + 16;
}

static inline void
track_poll(void *ctx)
{
	((track_ctx *) ctx)->polls++;
}


/* ---------------------------------------------------- a failing allocator */

typedef struct fail_ctx
{
	long		budget;			/* allocations left; < 0 means unlimited */
	long		calls;			/* alloc + realloc calls */
	long		failures;
	long		live;			/* blocks allocated and not freed */
	long		polls;
} fail_ctx;

static inline void *
fail_alloc(void *ctx, size_t size)
{
	fail_ctx   *c = ctx;
	void	   *p;

	c->calls++;
	if (c->budget == 0)
	{
		c->failures++;
		return NULL;
	}
	if (c->budget > 0)
		c->budget--;
	p = malloc(size ? size : 1);
	if (p)
		c->live++;
	return p;
}

static inline void *
fail_realloc(void *ctx, void *ptr, size_t size)
{
	fail_ctx   *c = ctx;
	void	   *p;

	c->calls++;
	if (c->budget == 0)
	{
		c->failures++;
		return NULL;
	}
	if (c->budget > 0)
		c->budget--;
	p = realloc(ptr, size ? size : 1);
	if (p && ptr == NULL)
		c->live++;
	return p;
}

static inline void
fail_free(void *ctx, void *ptr)
{
	fail_ctx   *c = ctx;

	if (ptr)
	{
		c->live--;
		free(ptr);
	}
}

static inline void
fail_poll(void *ctx)
{
	((fail_ctx *) ctx)->polls++;
}

static inline sy_env
fail_env(fail_ctx *c, long budget)
{
	sy_env		e;

	memset(c, 0, sizeof(*c));
	c->budget = budget;
	e.alloc = fail_alloc;
	e.realloc = fail_realloc;
	e.free = fail_free;
	e.poll = fail_poll;
	e.ctx = c;
	return e;
}

/* ------------------------------------------------------- aligned payloads */

/*
 * A flat payload must start 4 bytes past an 8-byte boundary.  malloc returns
 * 16-byte aligned blocks on the platforms we test on; the block is exactly
 * size + 4 bytes so that ASan catches any read past the payload.
 */
typedef struct flatbuf
{
	unsigned char *raw;
	unsigned char *p;
	size_t		size;
} flatbuf;

static inline void
flatbuf_alloc(flatbuf *fb, size_t size)
{
	fb->raw = malloc(size + 4);
	if (fb->raw == NULL)
	{
		printf("Bail out! out of memory\n");
		exit(255);
	}
	if (((uintptr_t) fb->raw) % 8 != 0)
	{
		printf("Bail out! malloc is not 8-byte aligned\n");
		exit(255);
	}
	fb->p = fb->raw + 4;
	fb->size = size;
}

static inline void
flatbuf_free(flatbuf *fb)
{
	free(fb->raw);
	fb->raw = fb->p = NULL;
	fb->size = 0;
}

/* flatten h into a fresh aligned buffer */
static inline sy_status
flat_make(const sy_hist *h, flatbuf *fb)
{
	flatbuf_alloc(fb, sy_hist_flat_size(h));
	return sy_hist_flatten(h, fb->p);
}

/* copy bytes into a fresh aligned buffer */
static inline void
flat_copy(flatbuf *fb, const void *src, size_t size)
{
	flatbuf_alloc(fb, size);
	if (size)
		memcpy(fb->p, src, size);
}

/* ------------------------------------------------------------ view lookup */

/* count of label in v (linear scan), or -1 when absent; -2 when twice */
static inline double
view_count(sy_hist_view v, const char *label, uint32_t len)
{
	double		found = -1;
	uint32_t	i;

	for (i = 0; i < v.n; i++)
	{
		const sy_hist_entry *e = &v.entries[i];

		if (e->label_len == len &&
			(len == 0 || memcmp(v.labels + e->label_off, label, len) == 0))
		{
			if (found != -1)
				return -2;
			found = e->count;
		}
	}
	return found;
}

#define VIEW_COUNT(v, s) view_count((v), (s), (uint32_t) strlen(s))

static inline const char *
entry_label(sy_hist_view v, uint32_t i)
{
	return v.labels + v.entries[i].label_off;
}

/* v's labels strictly ascending under sy_label_cmp */
static inline int
view_is_sorted(sy_hist_view v)
{
	uint32_t	i;

	for (i = 1; i < v.n; i++)
		if (sy_label_cmp(entry_label(v, i - 1), v.entries[i - 1].label_len,
						 entry_label(v, i), v.entries[i].label_len) >= 0)
			return 0;
	return 1;
}

/* a and b hold the same labels with bit-identical counts (any order) */
static inline int
views_equal(sy_hist_view a, sy_hist_view b)
{
	uint32_t	i;

	if (a.n != b.n)
		return 0;
	for (i = 0; i < a.n; i++)
	{
		double		c = view_count(b, entry_label(a, i), a.entries[i].label_len);

		if (c < 0 || memcmp(&c, &a.entries[i].count, sizeof(double)) != 0)
			return 0;
	}
	return 1;
}

/* ------------------------------------------------------ building helpers */

typedef struct pair
{
	const char *label;
	double		count;
} pair;

/* builder from NUL-terminated labels; aborts the test program on error */
static inline void
hist_from_pairs(sy_hist *h, const pair *p, size_t n)
{
	size_t		i;
	sy_status	s = sy_hist_init(h, &sy_env_malloc, (uint32_t) n);

	if (s != SY_OK)
	{
		printf("Bail out! sy_hist_init: %s\n", status_name(s));
		exit(255);
	}
	for (i = 0; i < n; i++)
	{
		s = sy_hist_add(h, p[i].label, (uint32_t) strlen(p[i].label), p[i].count);
		if (s != SY_OK)
		{
			printf("Bail out! sy_hist_add(\"%s\", %g): %s\n",
				   p[i].label, p[i].count, status_name(s));
			exit(255);
		}
	}
}

#define NPAIRS(a) (sizeof(a) / sizeof((a)[0]))

/* a histogram's flat form: builder + aligned flat bytes + view */
typedef struct flathist
{
	sy_hist		h;
	flatbuf		fb;
	sy_hist_view v;
} flathist;

static inline void
flathist_make(flathist *f, const pair *p, size_t n)
{
	sy_status	s;

	hist_from_pairs(&f->h, p, n);
	s = flat_make(&f->h, &f->fb);
	if (s == SY_OK)
		s = sy_hist_flat_view(f->fb.p, f->fb.size, &f->v);
	if (s != SY_OK)
	{
		printf("Bail out! flatten/flat_view: %s\n", status_name(s));
		exit(255);
	}
}

static inline void
flathist_free(flathist *f)
{
	flatbuf_free(&f->fb);
	sy_hist_free(&f->h);
}

/* ------------------------------------------------- a MinHash hash family */

/* The family of (k, seed), valid until the next call; k = 0 frees it. */
static inline const sy_minhash_family *
family_of(uint32_t k, uint64_t seed)
{
	static sy_minhash_family family;
	static void *storage;

	free(storage);
	storage = k == 0 ? NULL : malloc(sy_minhash_family_size(k));
	if (storage == NULL)
		return NULL;
	sy_minhash_family_init(&family, k, seed, storage);
	return &family;
}

/* The signature of items (hashed as integers) under family f. */
static inline void
signature_of(uint32_t *mins, const sy_minhash_family *f, const uint64_t *items, size_t n)
{
	sy_minhash_clear(mins, f->k);
	for (size_t i = 0; i < n; i++)
		sy_minhash_add(mins, f, sy_stable_hash_int((int64_t) items[i], 0));
}

/* Signatures of n sets, in groups of near-duplicates of a random base set. */
static inline uint32_t *
clustered_signatures(uint32_t n, const sy_minhash_family *f)
{
	uint32_t   *mins = malloc((size_t) n * f->k * sizeof(uint32_t));
	uint64_t	base[60], items[60];

	for (uint32_t i = 0; i < n; i++)
	{
		uint32_t	size = 20 + rng_below(40);

		if (i % 7 == 0)
			for (int j = 0; j < 60; j++)
				base[j] = rng_next();
		for (uint32_t j = 0; j < size; j++)
			items[j] = rng_below(10) == 0 ? rng_next() : base[j];
		signature_of(mins + (size_t) i * f->k, f, items, size);
	}
	return mins;
}

#endif
