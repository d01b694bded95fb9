/*
 * test_histogram.c: unit tests of src/core/histogram.c (builder, hash index,
 * flat form, wire form, label order).  Emits TAP.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "histogram.h"
#include "helpers.h"

#define L(s) (s), (uint32_t) (sizeof(s) - 1)	/* label from a literal */

static int
sign(int x)
{
	return (x > 0) - (x < 0);
}

/* reference order: byte-wise (unsigned), shorter first on a common prefix */
static int
ref_cmp(const char *a, uint32_t alen, const char *b, uint32_t blen)
{
	uint32_t	m = alen < blen ? alen : blen;
	int			c = m ? memcmp(a, b, m) : 0;

	if (c)
		return sign(c);
	return (alen > blen) - (alen < blen);
}

static const unsigned char *
find_bytes(const unsigned char *hay, size_t hlen, const void *needle, size_t nlen)
{
	size_t		i;

	for (i = 0; i + nlen <= hlen; i++)
		if (memcmp(hay + i, needle, nlen) == 0)
			return hay + i;
	return NULL;
}

/* ------------------------------------------------------------ label order */

static void
test_label_cmp(void)
{
	int			i,
				bad = 0;

	ok(sy_label_cmp(L("a"), L("b")) < 0, "label_cmp: a < b");
	ok(sy_label_cmp(L("b"), L("a")) > 0, "label_cmp: b > a");
	is_int(sy_label_cmp(L("abc"), L("abc")), 0, "label_cmp: abc == abc");
	ok(sy_label_cmp(L("a"), L("ab")) < 0, "label_cmp: shorter first on common prefix (a < ab)");
	ok(sy_label_cmp(L("ab"), L("a")) > 0, "label_cmp: ab > a");
	ok(sy_label_cmp(L(""), L("a")) < 0, "label_cmp: empty label first");
	is_int(sy_label_cmp(L(""), L("")), 0, "label_cmp: empty == empty");
	ok(sy_label_cmp(L("b"), L("ab")) > 0, "label_cmp: bytes decide before length (b > ab)");
	ok(sy_label_cmp(L("\x80"), L("a")) > 0, "label_cmp: bytes compare unsigned (0x80 > 'a')");
	ok(sy_label_cmp(L("\xff"), L("\x7f\xff")) > 0, "label_cmp: 0xff > 0x7f 0xff");
	ok(sy_label_cmp(L("a\0b"), L("a\0c")) < 0, "label_cmp: embedded NUL compared as a byte");
	ok(sy_label_cmp(L("a"), L("a\0")) < 0, "label_cmp: a < a\\0 (length, not NUL termination)");
	ok(sy_label_cmp(L("B"), L("a")) < 0, "label_cmp: byte order, not collation (B < a)");

	rng_seed(11);
	for (i = 0; i < 20000; i++)
	{
		char		a[6],
					b[6];
		uint32_t	al = rng_below(6),
					bl = rng_below(6),
					k;

		for (k = 0; k < 6; k++)
		{
			a[k] = (char) (rng_below(3) == 0 ? 0x80 + rng_below(3) : 'a' + rng_below(2));
			b[k] = (char) (rng_below(3) == 0 ? 0x80 + rng_below(3) : 'a' + rng_below(2));
		}
		if (sign(sy_label_cmp(a, al, b, bl)) != ref_cmp(a, al, b, bl))
			bad++;
	}
	is_int(bad, 0, "label_cmp agrees in sign with a reference on 20000 random pairs");
}

static void
test_count_is_valid(void)
{
	ok(sy_count_is_valid(1.0), "count_is_valid(1)");
	ok(sy_count_is_valid(DBL_MAX), "count_is_valid(DBL_MAX)");
	ok(sy_count_is_valid(5e-324), "count_is_valid(smallest subnormal)");
	ok(!sy_count_is_valid(0.0), "count_is_valid(0) is false: counts are > 0");
	ok(!sy_count_is_valid(-0.0), "count_is_valid(-0) is false");
	ok(!sy_count_is_valid(-1.0), "count_is_valid(-1) is false");
	ok(!sy_count_is_valid(NAN), "count_is_valid(NaN) is false");
	ok(!sy_count_is_valid(INFINITY), "count_is_valid(+inf) is false");
	ok(!sy_count_is_valid(-INFINITY), "count_is_valid(-inf) is false");
}

/* --------------------------------------------------------------- builder */

static void
test_init_free(void)
{
	sy_hist		h;
	sy_hist_view v;

	is_status(sy_hist_init(&h, &sy_env_malloc, 0), SY_OK, "init with 0 expected labels");
	is_int(h.n, 0, "new builder is empty");
	ok(h.env == &sy_env_malloc, "builder keeps its env");
	ok(h.max_payload == SY_HIST_MAX_PAYLOAD, "max_payload defaults to SY_HIST_MAX_PAYLOAD");
	v = sy_hist_as_view(&h);
	is_int(v.n, 0, "view of an empty builder has n = 0");
	sy_hist_free(&h);

	is_status(sy_hist_init(&h, &sy_env_malloc, 100000), SY_OK, "init with 100000 expected labels");
	is_status(sy_hist_add(&h, L("x"), 1), SY_OK, "add after a large init");
	sy_hist_free(&h);
}

static void
test_add_basic(void)
{
	sy_hist		h;
	sy_hist_view v;

	sy_hist_init(&h, &sy_env_malloc, 4);
	is_status(sy_hist_add(&h, L("a"), 1), SY_OK, "add a 1");
	is_status(sy_hist_add(&h, L("b"), 2), SY_OK, "add b 2");
	is_status(sy_hist_add(&h, L("a"), 3), SY_OK, "add a 3");
	v = sy_hist_as_view(&h);
	is_int(v.n, 2, "two labels");
	ok(v.entries == h.entries && v.labels == h.labels && v.n == h.n,
	   "as_view points at the builder's arrays");
	is_double(VIEW_COUNT(v, "a"), 4, 0, "a accumulated to 4");
	is_double(VIEW_COUNT(v, "b"), 2, 0, "b is 2");
	is_mem(entry_label(v, 0), v.entries[0].label_len, "a", 1, "entries are in insertion order (0: a)");
	is_mem(entry_label(v, 1), v.entries[1].label_len, "b", 1, "entries are in insertion order (1: b)");

	is_status(sy_hist_add(&h, L("zero"), 0), SY_OK, "add a new label with weight 0 is OK");
	is_status(sy_hist_add(&h, L("negzero"), -0.0), SY_OK, "add a new label with weight -0 is OK");
	v = sy_hist_as_view(&h);
	is_int(v.n, 2, "adding weight 0 does not create an entry");
	is_status(sy_hist_add(&h, L("a"), 0), SY_OK, "add 0 to an existing label");
	is_double(VIEW_COUNT(sy_hist_as_view(&h), "a"), 4, 0, "adding 0 leaves the count");

	is_status(sy_hist_add(&h, "", 0, 2.5), SY_OK, "the empty label is a label");
	is_status(sy_hist_add(&h, L("a\0b"), 1), SY_EVALUE, "a label with an embedded NUL: SY_EVALUE");
	is_status(sy_hist_insert_new(&h, L("a\0"), 7), SY_EVALUE, "insert_new of a label ending in NUL: SY_EVALUE");
	is_status(sy_hist_add(&h, L("\xff\xfe"), 0.25), SY_OK, "a label of non-UTF-8 bytes");
	v = sy_hist_as_view(&h);
	is_int(v.n, 4, "four labels: NUL labels were refused");
	is_double(view_count(v, "", 0), 2.5, 0, "empty label count");
	is_double(VIEW_COUNT(v, "a"), 4, 0, "a unchanged");
	is_double(view_count(v, L("\xff\xfe")), 0.25, 0, "non-UTF-8 label count");

	is_status(sy_hist_add(&h, L("tiny"), 5e-324), SY_OK, "a subnormal weight is valid");
	is_status(sy_hist_add(&h, L("tiny"), 5e-324), SY_OK, "twice");
	is_double(VIEW_COUNT(sy_hist_as_view(&h), "tiny"), 1e-323, 0, "subnormal weights add exactly");
	is_status(sy_hist_add(&h, L("fraction"), 0.1), SY_OK, "add 0.1");
	is_status(sy_hist_add(&h, L("fraction"), 0.2), SY_OK, "add 0.2");
	is_double(VIEW_COUNT(sy_hist_as_view(&h), "fraction"), 0.1 + 0.2, 0,
			  "counts add in double precision (0.1 + 0.2)");
	sy_hist_free(&h);
}

static void
test_add_errors(void)
{
	sy_hist		h;
	sy_hist_view v;
	const double bad[] = {-1.0, -5e-324, -INFINITY, INFINITY, NAN, -NAN};
	const char *names[] = {"-1", "-subnormal", "-inf", "+inf", "NaN", "-NaN"};
	size_t		i;

	sy_hist_init(&h, &sy_env_malloc, 0);
	sy_hist_add(&h, L("a"), 2);
	for (i = 0; i < NPAIRS(bad); i++)
	{
		is_status(sy_hist_add(&h, L("a"), bad[i]), SY_EVALUE, "add %s to an existing label: SY_EVALUE", names[i]);
		is_status(sy_hist_add(&h, L("new"), bad[i]), SY_EVALUE, "add %s to a new label: SY_EVALUE", names[i]);
		is_status(sy_hist_insert_new(&h, L("new2"), bad[i]), SY_EVALUE, "insert_new %s: SY_EVALUE", names[i]);
	}
	v = sy_hist_as_view(&h);
	is_int(v.n, 1, "rejected weights created no entry");
	is_double(VIEW_COUNT(v, "a"), 2, 0, "rejected weights left the count alone");

	/* overflow */
	is_status(sy_hist_add(&h, L("big"), DBL_MAX), SY_OK, "add DBL_MAX");
	is_status(sy_hist_add(&h, L("big"), DBL_MAX), SY_EOVERFLOW, "DBL_MAX + DBL_MAX: SY_EOVERFLOW");
	v = sy_hist_as_view(&h);
	is_double(VIEW_COUNT(v, "big"), DBL_MAX, 0, "the overflowing add left the count at DBL_MAX");
	is_int(v.n, 2, "still two labels");
	is_status(sy_hist_add(&h, L("big"), DBL_MAX / 1e17), SY_OK,
			  "DBL_MAX + a weight that rounds away is still finite");
	is_double(VIEW_COUNT(sy_hist_as_view(&h), "big"), DBL_MAX, 0, "count still DBL_MAX");
	is_status(sy_hist_add(&h, L("big"), DBL_MAX / 2), SY_EOVERFLOW, "DBL_MAX + DBL_MAX/2: SY_EOVERFLOW");
	/* the total, not only each count, stays finite */
	is_status(sy_hist_add(&h, L("half"), DBL_MAX / 2), SY_EOVERFLOW,
			  "a new label pushing the total past DBL_MAX: SY_EOVERFLOW");
	is_status(sy_hist_insert_new(&h, L("half"), DBL_MAX / 2), SY_EOVERFLOW,
			  "insert_new pushing the total past DBL_MAX: SY_EOVERFLOW");
	sy_hist_free(&h);
	sy_hist_init(&h, &sy_env_malloc, 0);
	is_status(sy_hist_add(&h, L("half"), DBL_MAX / 2), SY_OK, "add DBL_MAX/2");
	is_status(sy_hist_add(&h, L("half"), DBL_MAX / 2), SY_OK, "DBL_MAX/2 twice is DBL_MAX, finite");
	is_double(VIEW_COUNT(sy_hist_as_view(&h), "half"), DBL_MAX, 0, "count is DBL_MAX");
	sy_hist_free(&h);
}

static void
test_insert_new_and_drop_zeros(void)
{
	sy_hist		h;
	sy_hist_view v;

	sy_hist_init(&h, &sy_env_malloc, 0);
	is_status(sy_hist_insert_new(&h, L("a"), 0), SY_OK, "insert_new a 0");
	is_status(sy_hist_insert_new(&h, L("b"), 1), SY_OK, "insert_new b 1");
	is_status(sy_hist_insert_new(&h, L("c"), 0), SY_OK, "insert_new c 0");
	is_status(sy_hist_insert_new(&h, L("d"), 2), SY_OK, "insert_new d 2");
	is_status(sy_hist_insert_new(&h, L("b"), 5), SY_EDUPLICATE, "insert_new b again: SY_EDUPLICATE");
	is_status(sy_hist_insert_new(&h, L("a"), 5), SY_EDUPLICATE, "insert_new of a zero-count label again: SY_EDUPLICATE");
	is_status(sy_hist_insert_new(&h, L("a"), 0), SY_EDUPLICATE, "insert_new a 0 again: SY_EDUPLICATE");
	v = sy_hist_as_view(&h);
	is_int(v.n, 4, "zero counts are kept until drop_zeros");
	is_double(VIEW_COUNT(v, "a"), 0, 0, "a kept with count 0");
	is_double(VIEW_COUNT(v, "b"), 1, 0, "duplicate insert left b at 1");

	sy_hist_drop_zeros(&h);
	v = sy_hist_as_view(&h);
	is_int(v.n, 2, "drop_zeros removed the two zero entries");
	is_double(VIEW_COUNT(v, "a"), -1, 0, "a is gone");
	is_double(VIEW_COUNT(v, "c"), -1, 0, "c is gone");
	is_double(VIEW_COUNT(v, "b"), 1, 0, "b survived");
	is_double(VIEW_COUNT(v, "d"), 2, 0, "d survived");

	/* the index must have been rebuilt */
	is_status(sy_hist_add(&h, L("d"), 1), SY_OK, "add d after drop_zeros");
	is_status(sy_hist_add(&h, L("b"), 1), SY_OK, "add b after drop_zeros");
	v = sy_hist_as_view(&h);
	is_int(v.n, 2, "adding existing labels after drop_zeros creates no duplicate");
	is_double(VIEW_COUNT(v, "d"), 3, 0, "d is 3");
	is_double(VIEW_COUNT(v, "b"), 2, 0, "b is 2");
	is_status(sy_hist_insert_new(&h, L("b"), 1), SY_EDUPLICATE, "insert_new b after drop_zeros: SY_EDUPLICATE");
	is_status(sy_hist_insert_new(&h, L("a"), 4), SY_OK, "insert_new a after drop_zeros (it was dropped)");
	is_status(sy_hist_add(&h, L("c"), 6), SY_OK, "add c after drop_zeros");
	v = sy_hist_as_view(&h);
	is_int(v.n, 4, "four labels");
	is_double(VIEW_COUNT(v, "a"), 4, 0, "a is 4");
	is_double(VIEW_COUNT(v, "c"), 6, 0, "c is 6");
	sy_hist_free(&h);

	/* all zeros; nothing to drop; empty */
	sy_hist_init(&h, &sy_env_malloc, 0);
	sy_hist_drop_zeros(&h);
	is_int(h.n, 0, "drop_zeros on an empty builder");
	sy_hist_insert_new(&h, L("x"), 0);
	sy_hist_insert_new(&h, L("y"), 0);
	sy_hist_drop_zeros(&h);
	is_int(h.n, 0, "drop_zeros of all-zero entries empties the builder");
	is_status(sy_hist_add(&h, L("x"), 1), SY_OK, "add x after dropping everything");
	is_status(sy_hist_add(&h, L("x"), 1), SY_OK, "add x again");
	is_int(h.n, 1, "one entry x");
	is_double(VIEW_COUNT(sy_hist_as_view(&h), "x"), 2, 0, "x is 2");
	sy_hist_drop_zeros(&h);
	is_int(h.n, 1, "drop_zeros without zeros keeps everything");
	sy_hist_free(&h);

	/* many zeros interleaved: the index must stay consistent */
	{
		int			i,
					bad = 0;
		char		buf[16];

		sy_hist_init(&h, &sy_env_malloc, 0);
		for (i = 0; i < 5000; i++)
		{
			int			len = snprintf(buf, sizeof buf, "k%d", i);

			sy_hist_insert_new(&h, buf, (uint32_t) len, (i % 3 == 0) ? 0 : i);
		}
		sy_hist_drop_zeros(&h);
		is_int(h.n, 5000 - 1667, "drop_zeros of 1667 zeros among 5000");
		for (i = 0; i < 5000; i++)
		{
			int			len = snprintf(buf, sizeof buf, "k%d", i);
			sy_status	s = sy_hist_insert_new(&h, buf, (uint32_t) len, 1);

			if (s != ((i % 3 == 0) ? SY_OK : SY_EDUPLICATE))
				bad++;
		}
		is_int(bad, 0, "after drop_zeros, insert_new finds exactly the survivors");
		is_int(h.n, 5000, "5000 labels again");
		sy_hist_free(&h);
	}
}

/* -------------------------------------------- hash map vs a naive reference */

typedef struct rec
{
	const char *label;
	uint32_t	len;
	double		w;
} rec;

static int
rec_cmp(const void *a, const void *b)
{
	const rec  *x = a,
			   *y = b;

	return ref_cmp(x->label, x->len, y->label, y->len);
}

static const char *entries_labels_;

static int
entry_cmp(const void *a, const void *b)
{
	const sy_hist_entry *x = a,
			   *y = b;

	return ref_cmp(entries_labels_ + x->label_off, x->label_len,
				   entries_labels_ + y->label_off, y->label_len);
}

#define NPOOL 40000
#define NRECS 100000

static void
test_random_vs_reference(void)
{
	static char pool_bytes[NPOOL * 24];
	static const char *pool[NPOOL];
	static uint32_t pool_len[NPOOL];
	rec		   *recs = malloc(sizeof(rec) * NRECS);
	rec		   *ref = malloc(sizeof(rec) * NRECS);
	size_t		nref = 0,
				i,
				off = 0;
	sy_hist		h;
	sy_hist_view v;
	sy_hist_entry *mine,
			   *lib;
	int			bad;

	rng_seed(20240601);
	for (i = 0; i < NPOOL; i++)
	{
		uint32_t	len = rng_below(3) == 0 ? rng_below(4) : rng_below(24),
					k,
					kind = rng_below(3);

		pool[i] = pool_bytes + off;
		pool_len[i] = len;
		for (k = 0; k < len; k++)
			pool_bytes[off + k] = (char) (kind == 0 ? 1 + rng_below(255)
										  : kind == 1 ? 'a' + rng_below(3)
										  : 'a' + rng_below(26));
		off += len;
	}
	for (i = 0; i < NRECS; i++)
	{
		uint32_t	j = (i % 2) ? rng_below(1000) : rng_below(NPOOL);

		recs[i].label = pool[j];
		recs[i].len = pool_len[j];
		recs[i].w = (double) (1 + rng_below(1000));
	}

	/* build with the library */
	sy_hist_init(&h, &sy_env_malloc, 0);
	bad = 0;
	for (i = 0; i < NRECS; i++)
		if (sy_hist_add(&h, recs[i].label, recs[i].len, recs[i].w) != SY_OK)
			bad++;
	is_int(bad, 0, "100000 random adds succeed");

	/* naive reference: sort, sum runs (integer weights: sums are exact) */
	memcpy(ref, recs, sizeof(rec) * NRECS);
	qsort(ref, NRECS, sizeof(rec), rec_cmp);
	for (i = 0; i < NRECS; i++)
	{
		if (nref > 0 && rec_cmp(&ref[nref - 1], &ref[i]) == 0)
			ref[nref - 1].w += ref[i].w;
		else
			ref[nref++] = ref[i];
	}
	diag("%zu distinct labels among %d adds", nref, NRECS);

	v = sy_hist_as_view(&h);
	is_int(v.n, nref, "distinct label count matches the reference");

	/* our own sort of the builder's entries, independent of the library's */
	mine = malloc(sizeof(sy_hist_entry) * (v.n ? v.n : 1));
	memcpy(mine, v.entries, sizeof(sy_hist_entry) * v.n);
	entries_labels_ = v.labels;
	qsort(mine, v.n, sizeof(sy_hist_entry), entry_cmp);
	bad = 0;
	for (i = 0; i < nref && i < v.n; i++)
	{
		if (mine[i].label_len != ref[i].len ||
			(ref[i].len && memcmp(v.labels + mine[i].label_off, ref[i].label, ref[i].len)) ||
			mine[i].count != ref[i].w)
		{
			if (bad++ < 5)
				diag("mismatch at %zu: count %.17g vs %.17g", i, mine[i].count, ref[i].w);
		}
	}
	is_int(bad, 0, "every label and count identical to the reference");

	/* the library's sort agrees */
	lib = malloc(sizeof(sy_hist_entry) * (v.n ? v.n : 1));
	is_status(sy_hist_sorted_entries(&sy_env_malloc, v, lib), SY_OK, "sorted_entries of 40k-ish labels");
	bad = 0;
	for (i = 0; i < v.n; i++)
		if (lib[i].label_off != mine[i].label_off || lib[i].label_len != mine[i].label_len ||
			memcmp(&lib[i].count, &mine[i].count, sizeof(double)) != 0)
			bad++;
	is_int(bad, 0, "sorted_entries equals a reference sort (labels point into v.labels)");

	/* re-adding every distinct label creates nothing new */
	bad = 0;
	for (i = 0; i < nref; i++)
		if (sy_hist_insert_new(&h, ref[i].label, ref[i].len, 1) != SY_EDUPLICATE)
			bad++;
	is_int(bad, 0, "insert_new of every present label says SY_EDUPLICATE");
	is_int(h.n, nref, "and the count of labels is unchanged");

	/* the flat form agrees with the reference in order and value */
	{
		flatbuf		fb;
		sy_hist_view fv;

		is_status(flat_make(&h, &fb), SY_OK, "flatten the random histogram");
		is_status(sy_hist_flat_view(fb.p, fb.size, &fv), SY_OK, "flat_view of it");
		is_int(fv.n, nref, "flat view has every label");
		bad = 0;
		for (i = 0; i < nref && i < fv.n; i++)
			if (fv.entries[i].label_len != ref[i].len ||
				(ref[i].len && memcmp(entry_label(fv, (uint32_t) i), ref[i].label, ref[i].len)) ||
				fv.entries[i].count != ref[i].w)
				bad++;
		is_int(bad, 0, "flat entries are the reference, in reference order");
		flatbuf_free(&fb);
	}

	free(lib);
	free(mine);
	free(ref);
	free(recs);
	sy_hist_free(&h);
}

/* ------------------------------------------------------------ intern_batch */

/* Builders equal entry by entry, in the same order: the same ids. */
static int
same_entries(const sy_hist *a, const sy_hist *b)
{
	uint32_t	i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
	{
		const sy_hist_entry *x = &a->entries[i];
		const sy_hist_entry *y = &b->entries[i];

		if (x->label_len != y->label_len || memcmp(&x->count, &y->count, sizeof(double)) != 0 ||
			(x->label_len > 0 &&
			 memcmp(a->labels + x->label_off, b->labels + y->label_off, x->label_len) != 0))
			return 0;
	}
	return 1;
}

typedef struct label_list
{
	const char **p;
	uint32_t   *len;
	size_t		n;
	char	   *bytes;
} label_list;

/*
 * n labels drawn from a pool of about `distinct`: short strings over a
 * few letters (many prefixes of others, the empty one), some with bytes
 * up to 255, and runs of the same label.
 */
static void
make_labels(label_list *l, size_t n, uint32_t distinct)
{
	char	   *pool = malloc((size_t) distinct * 24);
	uint32_t   *pool_len = malloc(sizeof(uint32_t) * distinct);
	uint32_t	i,
				k;

	for (i = 0; i < distinct; i++)
	{
		uint32_t	kind = rng_below(3);

		pool_len[i] = kind == 0 ? rng_below(4) : rng_below(24);
		for (k = 0; k < pool_len[i]; k++)
			pool[(size_t) i * 24 + k] = (char) (kind == 2 ? 1 + rng_below(255) : 'a' + rng_below(3));
	}
	l->n = n;
	l->p = malloc(sizeof(char *) * (n + 1));
	l->len = malloc(sizeof(uint32_t) * (n + 1));
	l->bytes = pool;
	for (i = 0; i < n; i++)
	{
		uint32_t	j = i > 0 && rng_below(4) == 0 ? (uint32_t) ((l->p[i - 1] - pool) / 24)
			: rng_below(distinct);

		l->p[i] = pool + (size_t) j * 24;
		l->len[i] = pool_len[j];
	}
	free(pool_len);
}

static void
free_labels(label_list *l)
{
	free(l->p);
	free(l->len);
	free(l->bytes);
}

/* The same builder and ids as sy_hist_intern one label at a time, in
 * batches of every size from 0 to a few batches, over growing indexes. */
static void
test_intern_batch(void)
{
	static const uint32_t pools[] = {1, 40, 3000, 50000};
	size_t		pi;

	rng_seed(20240917);
	for (pi = 0; pi < sizeof(pools) / sizeof(pools[0]); pi++)
	{
		label_list	l;
		sy_hist		one,
					batch;
		uint32_t   *ids_one,
				   *ids_batch;
		size_t		i,
					bad = 0,
					batches = 0;

		make_labels(&l, 120000, pools[pi]);
		ids_one = malloc(sizeof(uint32_t) * l.n);
		ids_batch = malloc(sizeof(uint32_t) * l.n);
		sy_hist_init(&one, &sy_env_malloc, 0);
		sy_hist_init(&batch, &sy_env_malloc, 0);
		/* counts already there stay */
		sy_hist_add(&one, l.p[0], l.len[0], 3);
		sy_hist_add(&batch, l.p[0], l.len[0], 3);
		for (i = 0; i < l.n; i++)
			bad += sy_hist_intern(&one, l.p[i], l.len[i], &ids_one[i]) != SY_OK;
		for (i = 0; i < l.n;)
		{
			size_t		k = rng_below(8) == 0 ? 0 : rng_below(100),
						done = 12345;

			if (k > l.n - i)
				k = l.n - i;
			if (sy_hist_intern_batch(&batch, l.p + i, l.len + i, k, ids_batch + i, &done) != SY_OK ||
				done != k)
				bad++;
			i += k;
			batches++;
		}
		ok(bad == 0, "pool of %u: %zu batches of 0 to 99 labels succeed", pools[pi], batches);
		ok(memcmp(ids_one, ids_batch, sizeof(uint32_t) * l.n) == 0,
		   "pool of %u: the ids of one at a time (%u labels)", pools[pi], one.n);
		ok(same_entries(&one, &batch), "pool of %u: the same entries in the same order", pools[pi]);
		free(ids_one);
		free(ids_batch);
		sy_hist_free(&one);
		sy_hist_free(&batch);
		free_labels(&l);
	}

	/* a failure leaves the prefix before it, and nothing of the rest */
	{
		const char *labels[] = {"a", "b", "a", "c\0d", "e"};
		uint32_t	lens[] = {1, 1, 1, 3, 1};
		uint32_t	ids[5] = {9, 9, 9, 9, 9};
		size_t		done = 99;
		sy_hist		h;

		sy_hist_init(&h, &sy_env_malloc, 0);
		is_status(sy_hist_intern_batch(&h, labels, lens, 0, ids, &done), SY_OK, "an empty batch");
		ok(done == 0 && h.n == 0, "interns nothing");
		is_status(sy_hist_intern_batch(&h, labels, lens, 5, ids, &done), SY_EVALUE,
				  "a NUL in the fourth label: SY_EVALUE");
		ok(done == 3 && h.n == 2 && ids[0] == 0 && ids[1] == 1 && ids[2] == 0 && ids[3] == 9,
		   "the first three are interned, nothing after");
		h.max_payload = sy_hist_flat_size(&h) + sizeof(sy_hist_entry) + 1;
		labels[3] = "d";
		lens[3] = 1;
		is_status(sy_hist_intern_batch(&h, labels, lens, 5, ids, &done), SY_ETOOBIG,
				  "room for one more label only: SY_ETOOBIG");
		ok(done == 4 && h.n == 3 && ids[3] == 2 && ids[4] == 9,
		   "the labels before the second new one are interned");
		sy_hist_free(&h);
	}

	/* failing memory: SY_ENOMEM at some label, the prefix interned, and
	 * going on from there ends where one at a time does */
	{
		label_list	l;
		sy_hist		ref;
		uint32_t   *ids_ref,
				   *ids;
		long		budget;
		int			runs = 0,
					failed_runs = 0,
					bad = 0,
					leaks = 0;
		size_t		i;

		make_labels(&l, 3000, 1500);
		ids_ref = malloc(sizeof(uint32_t) * l.n);
		ids = malloc(sizeof(uint32_t) * l.n);
		sy_hist_init(&ref, &sy_env_malloc, 0);
		for (i = 0; i < l.n; i++)
			sy_hist_intern(&ref, l.p[i], l.len[i], &ids_ref[i]);
		for (budget = 0; budget < 100; budget++)
		{
			fail_ctx	c;
			sy_env		env = fail_env(&c, -1);
			sy_hist		h;
			int			failed = 0;

			sy_hist_init(&h, &env, 0);
			c.budget = budget;
			for (i = 0; i < l.n;)
			{
				size_t		k = 1 + rng_below(200),
							done;
				sy_status	st;
				uint32_t	max_id = 0,
							j;

				if (k > l.n - i)
					k = l.n - i;
				st = sy_hist_intern_batch(&h, l.p + i, l.len + i, k, ids + i, &done);
				for (j = 0; j < i + done; j++)
					max_id = ids_ref[j] > max_id ? ids_ref[j] : max_id;
				/* the prefix: the entries of the labels up to there */
				bad += h.n != max_id + 1;
				if (st != SY_OK)
				{
					bad += st != SY_ENOMEM || done >= k;
					failed = 1;
					c.budget = -1;
				}
				i += done;
			}
			bad += !same_entries(&h, &ref) ||
				memcmp(ids, ids_ref, sizeof(uint32_t) * l.n) != 0;
			sy_hist_free(&h);
			leaks += c.live != 0;
			runs++;
			failed_runs += failed;
			if (!failed)
				break;
		}
		ok(failed_runs > 5 && failed_runs == runs - 1,
		   "%d of %d budgets failed mid-way", failed_runs, runs);
		is_int(bad, 0, "SY_ENOMEM with the prefix interned; then the same as one at a time");
		is_int(leaks, 0, "no leaks");
		free(ids_ref);
		free(ids);
		sy_hist_free(&ref);
		free_labels(&l);
	}
}

/* ------------------------------------------------------------ merge/assign */

static void
test_merge(void)
{
	const pair	pa[] = {{"a", 1}, {"b", 2}};
	const pair	pb[] = {{"b", 3}, {"c", 4}};
	sy_hist		a,
				b,
				e;
	flathist	fb;
	sy_hist_view v;

	hist_from_pairs(&a, pa, NPAIRS(pa));
	hist_from_pairs(&b, pb, NPAIRS(pb));
	is_status(sy_hist_merge(&a, sy_hist_as_view(&b)), SY_OK, "merge builder view");
	v = sy_hist_as_view(&a);
	is_int(v.n, 3, "merge: 3 labels");
	is_double(VIEW_COUNT(v, "a"), 1, 0, "merge: a 1");
	is_double(VIEW_COUNT(v, "b"), 5, 0, "merge: b 2+3");
	is_double(VIEW_COUNT(v, "c"), 4, 0, "merge: c 4");
	is_int(b.n, 2, "merge leaves its source alone");

	flathist_make(&fb, pb, NPAIRS(pb));
	is_status(sy_hist_merge(&a, fb.v), SY_OK, "merge flat view");
	v = sy_hist_as_view(&a);
	is_double(VIEW_COUNT(v, "b"), 8, 0, "merge flat: b 8");
	is_double(VIEW_COUNT(v, "c"), 8, 0, "merge flat: c 8");

	sy_hist_init(&e, &sy_env_malloc, 0);
	is_status(sy_hist_merge(&a, sy_hist_as_view(&e)), SY_OK, "merge an empty view");
	is_int(a.n, 3, "merging empty changes nothing");
	is_status(sy_hist_merge(&e, fb.v), SY_OK, "merge into empty");
	ok(views_equal(sy_hist_as_view(&e), fb.v), "merge into empty copies the view");
	sy_hist_free(&e);

	/* merging a builder into itself doubles it */
	is_status(sy_hist_merge(&a, sy_hist_as_view(&a)), SY_OK, "merge a builder with its own view");
	v = sy_hist_as_view(&a);
	is_int(v.n, 3, "self merge: 3 labels");
	is_double(VIEW_COUNT(v, "a"), 2, 0, "self merge: a doubled");
	is_double(VIEW_COUNT(v, "b"), 16, 0, "self merge: b doubled");

	/* overflow */
	{
		const pair	big[] = {{"a", DBL_MAX}};

		sy_hist_free(&b);
		hist_from_pairs(&b, big, 1);
		is_status(sy_hist_merge(&b, sy_hist_as_view(&b)), SY_EOVERFLOW, "merge overflowing a count: SY_EOVERFLOW");
		is_double(VIEW_COUNT(sy_hist_as_view(&b), "a"), DBL_MAX, 0, "overflowing merge left the count finite");
	}
	flathist_free(&fb);
	sy_hist_free(&a);
	sy_hist_free(&b);
}

static void
test_assign(void)
{
	const pair	px[] = {{"x", 9}, {"y", 1}};
	const pair	pa[] = {{"a", 1}, {"b", 2}};
	sy_hist		h,
				src,
				e;
	flathist	f;
	sy_hist_view v;

	hist_from_pairs(&h, px, NPAIRS(px));
	hist_from_pairs(&src, pa, NPAIRS(pa));
	is_status(sy_hist_assign(&h, sy_hist_as_view(&src)), SY_OK, "assign a builder view");
	v = sy_hist_as_view(&h);
	ok(views_equal(v, sy_hist_as_view(&src)), "assign: content equals the source");
	is_double(VIEW_COUNT(v, "x"), -1, 0, "assign: old label x gone");
	is_status(sy_hist_add(&h, L("x"), 1), SY_OK, "add x after assign");
	is_status(sy_hist_add(&h, L("a"), 1), SY_OK, "add a after assign");
	v = sy_hist_as_view(&h);
	is_int(v.n, 3, "index after assign: x new, a existing");
	is_double(VIEW_COUNT(v, "a"), 2, 0, "a accumulated after assign");
	is_double(VIEW_COUNT(v, "x"), 1, 0, "x restarted at 1");
	is_status(sy_hist_insert_new(&h, L("b"), 1), SY_EDUPLICATE, "insert_new b after assign: SY_EDUPLICATE");

	flathist_make(&f, px, NPAIRS(px));
	is_status(sy_hist_assign(&h, f.v), SY_OK, "assign a flat view");
	ok(views_equal(sy_hist_as_view(&h), f.v), "assign from flat: content equals");

	sy_hist_init(&e, &sy_env_malloc, 0);
	is_status(sy_hist_assign(&h, sy_hist_as_view(&e)), SY_OK, "assign an empty view");
	is_int(h.n, 0, "assign empty empties");
	is_status(sy_hist_add(&h, L("x"), 1), SY_OK, "add after assigning empty");
	is_int(h.n, 1, "one label");

	/* assign a builder's own view to itself: must be a no-op */
	sy_hist_free(&h);
	hist_from_pairs(&h, pa, NPAIRS(pa));
	is_status(sy_hist_assign(&h, sy_hist_as_view(&h)), SY_OK, "assign a builder's own view");
	ok(views_equal(sy_hist_as_view(&h), sy_hist_as_view(&src)), "self assign keeps the content");

	sy_hist_free(&e);
	flathist_free(&f);
	sy_hist_free(&src);
	sy_hist_free(&h);
}

/* -------------------------------------------------------------- max_payload */

static void
test_max_payload(void)
{
	const pair	p2[] = {{"alpha", 1}, {"beta", 2}};
	sy_hist		h,
				h2;
	size_t		s0,
				s1;

	hist_from_pairs(&h, p2, NPAIRS(p2));
	hist_from_pairs(&h2, p2, NPAIRS(p2));
	s0 = sy_hist_flat_size(&h);
	sy_hist_add(&h2, L("gamma"), 1);
	s1 = sy_hist_flat_size(&h2);
	ok(s1 > s0, "a new label grows the flat size (%zu -> %zu)", s0, s1);

	h.max_payload = s1 - 1;
	is_status(sy_hist_add(&h, L("gamma"), 1), SY_ETOOBIG, "add a label one byte over max_payload: SY_ETOOBIG");
	is_status(sy_hist_insert_new(&h, L("gamma"), 1), SY_ETOOBIG, "insert_new one byte over: SY_ETOOBIG");
	is_int(h.n, 2, "the rejected label was not added");
	is_int(sy_hist_flat_size(&h), s0, "flat size unchanged");
	is_status(sy_hist_add(&h, L("alpha"), 5), SY_OK, "adding to an existing label under the limit is fine");
	is_status(sy_hist_add(&h, L("gamma"), 0), SY_OK, "adding weight 0 to a new label needs no room");
	h.max_payload = s1;
	is_status(sy_hist_add(&h, L("gamma"), 1), SY_OK, "add when the payload is exactly max_payload");
	is_int(sy_hist_flat_size(&h), s1, "flat size is exactly the limit");
	is_status(sy_hist_add(&h, L("d"), 1), SY_ETOOBIG, "any further label: SY_ETOOBIG");
	is_status(sy_hist_add(&h, "", 0, 1), SY_ETOOBIG, "even an empty label: SY_ETOOBIG");

	/* merge and assign honour the limit */
	{
		sy_hist		small;
		const pair	pe[] = {{"e", 1}};

		hist_from_pairs(&small, pe, 1);
		small.max_payload = s0 - 1;
		is_status(sy_hist_merge(&small, sy_hist_as_view(&h2)), SY_ETOOBIG, "merge over max_payload: SY_ETOOBIG");
		sy_hist_free(&small);
		hist_from_pairs(&small, pe, 1);
		small.max_payload = s1 - 1;
		is_status(sy_hist_assign(&small, sy_hist_as_view(&h2)), SY_ETOOBIG, "assign over max_payload: SY_ETOOBIG");
		small.max_payload = s1;
		is_status(sy_hist_assign(&small, sy_hist_as_view(&h2)), SY_OK, "assign at exactly max_payload");
		ok(views_equal(sy_hist_as_view(&small), sy_hist_as_view(&h2)), "and it copied");
		sy_hist_free(&small);
	}

	/* from_wire honours the limit */
	{
		sy_hist		w;
		sy_hist_view v = sy_hist_as_view(&h2);
		size_t		wsz = sy_hist_wire_size(v),
					used = 0;
		unsigned char *buf = malloc(wsz);

		sy_hist_to_wire(v, buf);
		sy_hist_init(&w, &sy_env_malloc, 0);
		w.max_payload = s1 - 1;
		is_status(sy_hist_from_wire(&w, buf, wsz, &used), SY_ETOOBIG, "from_wire over max_payload: SY_ETOOBIG");
		sy_hist_free(&w);
		sy_hist_init(&w, &sy_env_malloc, 0);
		w.max_payload = s1;
		is_status(sy_hist_from_wire(&w, buf, wsz, &used), SY_OK, "from_wire at exactly max_payload");
		sy_hist_free(&w);
		free(buf);
	}

	/* a label alone bigger than the limit */
	{
		sy_hist		t;

		sy_hist_init(&t, &sy_env_malloc, 0);
		t.max_payload = 64;
		{
			char		big[100];

			memset(big, 'z', sizeof big);
			is_status(sy_hist_add(&t, big, sizeof big, 1), SY_ETOOBIG, "a 100-byte label with max_payload 64: SY_ETOOBIG");
		}
		is_int(t.n, 0, "nothing added");
		sy_hist_free(&t);
	}
	sy_hist_free(&h);
	sy_hist_free(&h2);
}

/* ------------------------------------------------------------------- flat */

static void
test_flat(void)
{
	const pair	p[] = {{"b", 2}, {"ab", 1}, {"a", 3.5}, {"", 0.25}, {"\xc3\xa9", 1e300}, {"B", 7}};
	const pair	q[] = {{"\xc3\xa9", 1e300}, {"B", 7}, {"", 0.25}, {"a", 3.5}, {"ab", 1}, {"b", 2}};
	const char *order[] = {"", "B", "a", "ab", "b", "\xc3\xa9"};
	sy_hist		h,
				g;
	flatbuf		fb,
				gb;
	sy_hist_view v;
	size_t		i;
	int			bad;

	hist_from_pairs(&h, p, NPAIRS(p));
	hist_from_pairs(&g, q, NPAIRS(q));
	is_status(flat_make(&h, &fb), SY_OK, "flatten");
	ok(((uintptr_t) fb.p) % 8 == 4, "test payload sits 4 bytes past an 8-byte boundary");
	ok(fb.size >= SY_HIST_FLAT_HEADER + 6 * sizeof(sy_hist_entry) + 6,
	   "flat size (%zu) covers header, entries and label bytes", fb.size);
	is_status(sy_hist_flat_view(fb.p, fb.size, &v), SY_OK, "flat_view of a fresh payload");
	is_int(v.n, 6, "flat view: 6 entries");
	ok(((uintptr_t) v.entries) % 8 == 0, "flat entries are 8-byte aligned");
	ok((const unsigned char *) v.entries >= fb.p &&
	   (const unsigned char *) (v.entries + v.n) <= fb.p + fb.size,
	   "flat entries lie inside the payload (no copy)");
	ok((const unsigned char *) v.labels >= fb.p && (const unsigned char *) v.labels <= fb.p + fb.size,
	   "flat labels lie inside the payload");
	bad = 0;
	for (i = 0; i < 6; i++)
	{
		uint32_t	len = (uint32_t) strlen(order[i]);

		if (v.entries[i].label_len != len || memcmp(entry_label(v, (uint32_t) i), order[i], len) != 0)
			bad++;
	}
	is_int(bad, 0, "flat entries sorted: \"\", B, a, ab, b, \\xc3\\xa9");
	ok(view_is_sorted(v), "flat view sorted under sy_label_cmp");
	ok(views_equal(v, sy_hist_as_view(&h)), "flat view holds the builder's counts");
	bad = 0;
	for (i = 0; i < v.n; i++)
		if ((const unsigned char *) entry_label(v, (uint32_t) i) + v.entries[i].label_len > fb.p + fb.size)
			bad++;
	is_int(bad, 0, "each label lies inside the payload");

	is_status(flat_make(&g, &gb), SY_OK, "flatten the same histogram built in another order");
	is_mem(gb.p, gb.size, fb.p, fb.size, "equal histograms have equal flat bytes");
	flatbuf_free(&gb);

	/* flatten again: idempotent, and builder unchanged by flatten */
	is_status(flat_make(&h, &gb), SY_OK, "flatten twice");
	is_mem(gb.p, gb.size, fb.p, fb.size, "flatten is deterministic");
	flatbuf_free(&gb);
	is_mem(entry_label(sy_hist_as_view(&h), 0), 1, "b", 1, "flatten leaves the builder's insertion order");

	/* a flat view re-imported: assign, flatten, same bytes */
	{
		sy_hist		r;

		sy_hist_init(&r, &sy_env_malloc, 0);
		is_status(sy_hist_assign(&r, v), SY_OK, "assign from the flat view");
		is_status(flat_make(&r, &gb), SY_OK, "re-flatten");
		is_mem(gb.p, gb.size, fb.p, fb.size, "flat -> builder -> flat is byte-identical");
		flatbuf_free(&gb);
		sy_hist_free(&r);
	}

	/* empty histogram */
	{
		sy_hist		e;
		sy_hist_view ev;

		sy_hist_init(&e, &sy_env_malloc, 0);
		is_status(flat_make(&e, &gb), SY_OK, "flatten an empty histogram");
		ok(gb.size >= SY_HIST_FLAT_HEADER, "empty flat size %zu >= header", gb.size);
		is_status(sy_hist_flat_view(gb.p, gb.size, &ev), SY_OK, "flat_view of an empty payload");
		is_int(ev.n, 0, "empty flat view: n = 0");
		flatbuf_free(&gb);
		sy_hist_free(&e);
	}

	sy_hist_free(&h);
	sy_hist_free(&g);
	flatbuf_free(&fb);
}

/* corrupt copies of a valid payload; flat_view must say SY_ECORRUPT */
static void
test_flat_corrupt(void)
{
	const pair	p[] = {{"a", 1}, {"bb", 2}, {"ccc", 3}};
	sy_hist		h;
	flatbuf		fb,
				c;
	sy_hist_view v,
				cv;
	size_t		eoff,
				sz,
				i;
	int			bad;
	double		d;
	uint32_t	u;

	hist_from_pairs(&h, p, NPAIRS(p));
	flat_make(&h, &fb);
	sy_hist_flat_view(fb.p, fb.size, &v);
	sz = fb.size;
	eoff = (size_t) ((const unsigned char *) v.entries - fb.p);
	ok(eoff >= SY_HIST_FLAT_HEADER && eoff % 8 == 4, "entries start at payload offset %zu (4 mod 8)", eoff);

#define ENTRY_AT(buf, i) ((buf).p + eoff + (i) * sizeof(sy_hist_entry))

	/* truncations and extensions */
	bad = 0;
	for (i = 0; i < sz; i++)
	{
		flat_copy(&c, fb.p, i);
		if (sy_hist_flat_view(c.p, i, &cv) != SY_ECORRUPT)
		{
			if (bad++ < 3)
				diag("a %zu-byte prefix of a %zu-byte payload was accepted", i, sz);
		}
		flatbuf_free(&c);
	}
	is_int(bad, 0, "every proper prefix of a payload is SY_ECORRUPT");
	{
		unsigned char *big = calloc(1, sz + 8);

		memcpy(big, fb.p, sz);
		flat_copy(&c, big, sz + 1);
		is_status(sy_hist_flat_view(c.p, sz + 1, &cv), SY_ECORRUPT, "a payload with a trailing byte: SY_ECORRUPT");
		flatbuf_free(&c);
		flat_copy(&c, big, sz + 8);
		is_status(sy_hist_flat_view(c.p, sz + 8, &cv), SY_ECORRUPT, "a payload with 8 trailing bytes: SY_ECORRUPT");
		flatbuf_free(&c);
		free(big);
	}

	/* version byte */
	flat_copy(&c, fb.p, sz);
	c.p[0] ^= 0xFF;
	is_status(sy_hist_flat_view(c.p, sz, &cv), SY_ECORRUPT, "a wrong version: SY_ECORRUPT");
	flatbuf_free(&c);

	/* every header byte flipped is either rejected or harmless */
	bad = 0;
	for (i = 0; i < SY_HIST_FLAT_HEADER; i++)
	{
		sy_status	s;

		flat_copy(&c, fb.p, sz);
		c.p[i] ^= 0x5A;
		s = sy_hist_flat_view(c.p, sz, &cv);
		if (s != SY_ECORRUPT && !(s == SY_OK && cv.n == 3 && views_equal(cv, v)))
			bad++;
		flatbuf_free(&c);
	}
	is_int(bad, 0, "a flipped header byte is rejected (or, for reserved bytes, harmless)");

	/* counts */
	{
		const double badc[] = {0.0, -0.0, -1.0, NAN, INFINITY, -INFINITY};
		const char *names[] = {"0", "-0", "-1", "NaN", "+inf", "-inf"};
		size_t		k;

		for (k = 0; k < NPAIRS(badc); k++)
		{
			flat_copy(&c, fb.p, sz);
			d = badc[k];
			memcpy(ENTRY_AT(c, 1) + offsetof(sy_hist_entry, count), &d, sizeof d);
			is_status(sy_hist_flat_view(c.p, sz, &cv), SY_ECORRUPT, "flat count %s: SY_ECORRUPT", names[k]);
			flatbuf_free(&c);
		}
	}

	/* label offsets and lengths */
	{
		const struct
		{
			uint32_t	off,
						len;
			const char *what;
		}			badl[] = {
			{0xFFFFFFFFu, 2, "label_off 0xFFFFFFFF"},
			{1000, 2, "label_off past the end"},
			{1, 0xFFFFFFFFu, "label_len 0xFFFFFFFF"},
			{0xFFFFFFF0u, 0x20, "label_off + label_len wrapping 32 bits"},
			{5, 2, "label running one byte past the end"},
		};
		size_t		k;

		for (k = 0; k < NPAIRS(badl); k++)
		{
			flat_copy(&c, fb.p, sz);
			u = badl[k].off;
			memcpy(ENTRY_AT(c, 1) + offsetof(sy_hist_entry, label_off), &u, 4);
			u = badl[k].len;
			memcpy(ENTRY_AT(c, 1) + offsetof(sy_hist_entry, label_len), &u, 4);
			is_status(sy_hist_flat_view(c.p, sz, &cv), SY_ECORRUPT, "flat %s: SY_ECORRUPT", badl[k].what);
			flatbuf_free(&c);
		}
	}

	/* order: swap entries 0 and 2 (labels then unsorted) */
	flat_copy(&c, fb.p, sz);
	{
		unsigned char tmp[sizeof(sy_hist_entry)];

		memcpy(tmp, ENTRY_AT(c, 0), sizeof tmp);
		memcpy(ENTRY_AT(c, 0), ENTRY_AT(c, 2), sizeof tmp);
		memcpy(ENTRY_AT(c, 2), tmp, sizeof tmp);
	}
	is_status(sy_hist_flat_view(c.p, sz, &cv), SY_ECORRUPT, "unsorted flat entries: SY_ECORRUPT");
	flatbuf_free(&c);

	/* duplicate: entry 1 points at entry 0's label */
	flat_copy(&c, fb.p, sz);
	memcpy(ENTRY_AT(c, 1) + offsetof(sy_hist_entry, label_off),
		   ENTRY_AT(c, 0) + offsetof(sy_hist_entry, label_off), 8);
	is_status(sy_hist_flat_view(c.p, sz, &cv), SY_ECORRUPT, "duplicate flat labels: SY_ECORRUPT");
	flatbuf_free(&c);

	/* labels out of order in the label bytes: "a","bb","ccc" -> "ccc" < "a"? */
	flat_copy(&c, fb.p, sz);
	{
		unsigned char *lab = c.p + ((const unsigned char *) v.labels - fb.p);

		lab[v.entries[0].label_off] = 'z';
	}
	is_status(sy_hist_flat_view(c.p, sz, &cv), SY_ECORRUPT, "label bytes out of order (z, bb, ccc): SY_ECORRUPT");
	flatbuf_free(&c);

	/* a valid change: label bytes still sorted */
	flat_copy(&c, fb.p, sz);
	{
		unsigned char *lab = c.p + ((const unsigned char *) v.labels - fb.p);

		lab[v.entries[2].label_off + 2] = 'd';
	}
	is_status(sy_hist_flat_view(c.p, sz, &cv), SY_OK, "changed but still sorted label bytes (a, bb, ccd) are valid");
	ok(cv.n == 3 && VIEW_COUNT(cv, "ccd") == 3, "and read as such");
	flatbuf_free(&c);

	flatbuf_free(&fb);
	sy_hist_free(&h);
#undef ENTRY_AT
}

static void
test_sorted_entries(void)
{
	const pair	p[] = {{"zz", 1}, {"a", 2}, {"", 3}, {"za", 4}, {"z", 5}};
	const char *order[] = {"", "a", "z", "za", "zz"};
	sy_hist		h;
	sy_hist_view v;
	sy_hist_entry out[5];
	int			i,
				bad = 0;

	hist_from_pairs(&h, p, NPAIRS(p));
	v = sy_hist_as_view(&h);
	is_status(sy_hist_sorted_entries(&sy_env_malloc, v, out), SY_OK, "sorted_entries");
	for (i = 0; i < 5; i++)
		if (out[i].label_len != strlen(order[i]) ||
			memcmp(v.labels + out[i].label_off, order[i], out[i].label_len) != 0)
			bad++;
	is_int(bad, 0, "sorted_entries: \"\", a, z, za, zz");
	is_double(out[4].count, 1, 0, "counts travel with their labels (zz = 1)");
	is_double(out[0].count, 3, 0, "counts travel with their labels (\"\" = 3)");
	is_mem(entry_label(v, 0), 2, "zz", 2, "sorted_entries leaves the builder's order");
	is_status(sy_hist_sorted_entries(&sy_env_malloc, (sy_hist_view) {NULL, 0, NULL}, out), SY_OK,
			  "sorted_entries of an empty view");
	sy_hist_free(&h);
}

/* ------------------------------------------------------------------- wire */

static sy_status
wire_roundtrip(sy_hist_view v, sy_hist *out, size_t *consumed, size_t *wsz)
{
	unsigned char *buf;
	sy_status	s;

	*wsz = sy_hist_wire_size(v);
	buf = malloc(*wsz ? *wsz : 1);
	sy_hist_to_wire(v, buf);
	sy_hist_init(out, &sy_env_malloc, 0);
	s = sy_hist_from_wire(out, buf, *wsz, consumed);
	free(buf);
	return s;
}

static void
test_wire(void)
{
	const pair	p[] = {{"b", 2}, {"", 0.25}, {"a\xff", 1e-300}, {"longer label", DBL_MAX}, {"x", 5e-324}};
	sy_hist		h,
				r;
	flatbuf		f1,
				f2;
	size_t		used,
				wsz;
	unsigned char *buf;

	hist_from_pairs(&h, p, NPAIRS(p));
	is_status(wire_roundtrip(sy_hist_as_view(&h), &r, &used, &wsz), SY_OK, "wire round trip of a builder view");
	is_int(used, wsz, "from_wire consumed wire_size bytes");
	ok(views_equal(sy_hist_as_view(&r), sy_hist_as_view(&h)), "wire round trip: same labels and bit-identical counts");
	flat_make(&h, &f1);
	flat_make(&r, &f2);
	is_mem(f2.p, f2.size, f1.p, f1.size, "wire round trip: identical flat bytes");
	flatbuf_free(&f2);
	sy_hist_free(&r);

	/* from the flat view */
	{
		sy_hist_view fv;

		sy_hist_flat_view(f1.p, f1.size, &fv);
		is_status(wire_roundtrip(fv, &r, &used, &wsz), SY_OK, "wire round trip of a flat view");
		ok(views_equal(sy_hist_as_view(&r), fv), "same content");
		sy_hist_free(&r);
	}

	/* trailing bytes are not consumed */
	wsz = sy_hist_wire_size(sy_hist_as_view(&h));
	buf = malloc(wsz + 5);
	sy_hist_to_wire(sy_hist_as_view(&h), buf);
	memcpy(buf + wsz, "extra", 5);
	sy_hist_init(&r, &sy_env_malloc, 0);
	used = 0;
	is_status(sy_hist_from_wire(&r, buf, wsz + 5, &used), SY_OK, "from_wire with 5 trailing bytes");
	is_int(used, wsz, "consumed stops at the histogram's end");
	sy_hist_free(&r);

	/* every truncation fails */
	{
		size_t		i;
		int			bad = 0;

		for (i = 0; i < wsz; i++)
		{
			unsigned char *t = malloc(i ? i : 1);
			sy_status	s;

			memcpy(t, buf, i);
			sy_hist_init(&r, &sy_env_malloc, 0);
			s = sy_hist_from_wire(&r, t, i, &used);
			if (s != SY_ECORRUPT && bad++ < 3)
				diag("a %zu-byte prefix of %zu gave %s", i, wsz, status_name(s));
			sy_hist_free(&r);
			free(t);
		}
		is_int(bad, 0, "every proper prefix of a wire message is SY_ECORRUPT");
	}
	free(buf);

	/* big-endian on the wire */
	{
		const pair	one[] = {{"a", 1.0}};
		const unsigned char be1[8] = {0x3F, 0xF0, 0, 0, 0, 0, 0, 0};
		const unsigned char le1[8] = {0, 0, 0, 0, 0, 0, 0xF0, 0x3F};
		sy_hist		o;
		sy_hist_view ov;

		hist_from_pairs(&o, one, 1);
		ov = sy_hist_as_view(&o);
		wsz = sy_hist_wire_size(ov);
		buf = malloc(wsz);
		sy_hist_to_wire(ov, buf);
		ok(find_bytes(buf, wsz, be1, 8) != NULL, "the count 1.0 is on the wire big-endian");
		ok(find_bytes(buf, wsz, le1, 8) == NULL, "and not little-endian");
		ok(find_bytes(buf, wsz, "a", 1) != NULL, "the label bytes are on the wire");
		ok(wsz < 64, "a one-label wire message is small (%zu bytes)", wsz);

		/* invalid counts */
		{
			const double badc[] = {0.0, -1.0, NAN, INFINITY};
			const char *names[] = {"0", "-1", "NaN", "+inf"};
			size_t		k;

			for (k = 0; k < NPAIRS(badc); k++)
			{
				unsigned char *m = malloc(wsz);
				unsigned char *at;
				uint64_t	bits;
				int			j;
				sy_status	s;

				memcpy(m, buf, wsz);
				at = (unsigned char *) find_bytes(m, wsz, be1, 8);
				memcpy(&bits, &badc[k], 8);
				for (j = 0; j < 8; j++)
					at[j] = (unsigned char) (bits >> (56 - 8 * j));
				sy_hist_init(&r, &sy_env_malloc, 0);
				s = sy_hist_from_wire(&r, m, wsz, &used);
				ok(s == SY_ECORRUPT || s == SY_EVALUE, "wire count %s rejected (%s)", names[k], status_name(s));
				sy_hist_free(&r);
				free(m);
			}
		}

		/* version */
		{
			unsigned char *m = malloc(wsz);
			sy_status	s;

			memcpy(m, buf, wsz);
			m[0] ^= 0xFF;
			sy_hist_init(&r, &sy_env_malloc, 0);
			s = sy_hist_from_wire(&r, m, wsz, &used);
			is_status(s, SY_ECORRUPT, "wire with a flipped first byte (version): SY_ECORRUPT");
			sy_hist_free(&r);
			free(m);
		}
		free(buf);
		sy_hist_free(&o);
	}

	/* duplicate labels on the wire */
	{
		const pair	two[] = {{"a", 1.0}, {"b", 2.0}};
		sy_hist		o;
		sy_hist_view ov;
		unsigned char *at;
		sy_status	s;

		hist_from_pairs(&o, two, 2);
		ov = sy_hist_as_view(&o);
		wsz = sy_hist_wire_size(ov);
		buf = malloc(wsz);
		sy_hist_to_wire(ov, buf);
		at = (unsigned char *) find_bytes(buf, wsz, "b", 1);
		ok(at != NULL, "label b found on the wire");
		if (at)
			*at = 'a';
		sy_hist_init(&r, &sy_env_malloc, 0);
		s = sy_hist_from_wire(&r, buf, wsz, &used);
		ok(s == SY_ECORRUPT || s == SY_EDUPLICATE, "wire with a duplicate label rejected (%s)", status_name(s));
		sy_hist_free(&r);
		free(buf);
		sy_hist_free(&o);
	}

	/* the empty histogram */
	{
		sy_hist		e;

		sy_hist_init(&e, &sy_env_malloc, 0);
		is_status(wire_roundtrip(sy_hist_as_view(&e), &r, &used, &wsz), SY_OK, "wire round trip of an empty histogram");
		is_int(r.n, 0, "still empty");
		is_int(used, wsz, "consumed all %zu bytes", wsz);
		sy_hist_free(&r);
		sy_hist_free(&e);
	}

	flatbuf_free(&f1);
	sy_hist_free(&h);
}

/* ------------------------------------------------------------------ ENOMEM */

#define NOOM_LABELS 300

static void
oom_label(int i, char *buf, uint32_t *len)
{
	*len = (uint32_t) snprintf(buf, 64, "label-%d-%s", i, (i % 7) ? "x" : "a-longer-suffix-for-the-arena");
}

static void
test_enomem(void)
{
	sy_hist		ref;
	long		budget;
	int			i,
				bad_status = 0,
				bad_state = 0,
				bad_leak = 0,
				bad_final = 0,
				runs = 0,
				saw_oom = 0;
	char		buf[64];
	uint32_t	len;

	sy_hist_init(&ref, &sy_env_malloc, 0);
	for (i = 0; i < NOOM_LABELS; i++)
	{
		oom_label(i, buf, &len);
		sy_hist_add(&ref, buf, len, i + 1);
	}

	for (budget = 0; budget < 200; budget++)
	{
		fail_ctx	c;
		sy_env		env = fail_env(&c, budget);
		sy_hist		h;
		sy_status	s;
		int			done = 0;

		runs++;
		s = sy_hist_init(&h, &env, 0);
		if (s != SY_OK)
		{
			if (s != SY_ENOMEM)
				bad_status++;
			if (c.live != 0)
				bad_leak++;
			saw_oom = 1;
			continue;
		}
		for (i = 0; i < NOOM_LABELS; i++)
		{
			oom_label(i, buf, &len);
			s = sy_hist_add(&h, buf, len, i + 1);
			if (s != SY_OK)
			{
				if (s != SY_ENOMEM)
					bad_status++;
				saw_oom = 1;
				/* intact: exactly the labels added so far */
				if (h.n != (uint32_t) i)
					bad_state++;
				c.budget = -1;	/* heal, and go on */
				s = sy_hist_add(&h, buf, len, i + 1);
				if (s != SY_OK)
					bad_status++;
			}
		}
		if (!views_equal(sy_hist_as_view(&h), sy_hist_as_view(&ref)))
			bad_final++;
		if (c.failures == 0)
			done = 1;
		sy_hist_free(&h);
		if (c.live != 0)
			bad_leak++;
		if (done)
			break;
	}
	diag("%d allocation-failure runs", runs);
	ok(saw_oom, "allocation failures were injected");
	is_int(bad_status, 0, "a failing allocator gives SY_ENOMEM");
	is_int(bad_state, 0, "a failed add leaves the builder as it was");
	is_int(bad_final, 0, "the builder stays usable after SY_ENOMEM and ends equal to the reference");
	is_int(bad_leak, 0, "no leaked blocks after sy_hist_free (or after a failed init)");

	/* other allocating operations */
	{
		int			bad = 0,
					leak = 0,
					finished = 0;
		sy_hist_view rv = sy_hist_as_view(&ref);
		size_t		wsz = sy_hist_wire_size(rv);
		unsigned char *w = malloc(wsz);

		sy_hist_to_wire(rv, w);
		for (budget = 0; budget < 200 && !finished; budget++)
		{
			fail_ctx	c;
			sy_env		env = fail_env(&c, -1);
			sy_hist		h;
			sy_status	s1,
						s2,
						s3,
						s4,
						s5;
			sy_hist_entry *out = malloc(sizeof(sy_hist_entry) * rv.n);
			flatbuf		fb;
			size_t		used;

			sy_hist_init(&h, &env, 0);
			c.budget = budget;
			s1 = sy_hist_merge(&h, rv);
			c.budget = -1;
			if (s1 != SY_OK && s1 != SY_ENOMEM)
				bad++;
			if (s1 == SY_OK && !views_equal(sy_hist_as_view(&h), rv))
				bad++;
			c.budget = budget;
			s2 = sy_hist_assign(&h, rv);
			c.budget = -1;
			if (s2 != SY_OK && s2 != SY_ENOMEM)
				bad++;
			if (s2 == SY_OK && !views_equal(sy_hist_as_view(&h), rv))
				bad++;
			if (s2 != SY_OK)
				sy_hist_assign(&h, rv);
			c.budget = budget;
			s3 = sy_hist_sorted_entries(&env, rv, out);
			flatbuf_alloc(&fb, sy_hist_flat_size(&h));
			s5 = sy_hist_flatten(&h, fb.p);
			c.budget = -1;
			if ((s3 != SY_OK && s3 != SY_ENOMEM) || (s5 != SY_OK && s5 != SY_ENOMEM))
				bad++;
			flatbuf_free(&fb);
			sy_hist_free(&h);
			if (c.live != 0)
				leak++;

			sy_hist_init(&h, &env, 0);
			c.budget = budget;
			s4 = sy_hist_from_wire(&h, w, wsz, &used);
			c.budget = -1;
			if (s4 != SY_OK && s4 != SY_ENOMEM)
				bad++;
			if (s4 == SY_OK && !views_equal(sy_hist_as_view(&h), rv))
				bad++;
			sy_hist_free(&h);
			if (c.live != 0)
				leak++;
			free(out);
			if (s1 == SY_OK && s2 == SY_OK && s3 == SY_OK && s4 == SY_OK && s5 == SY_OK && c.failures == 0)
				finished = 1;
		}
		ok(finished, "merge/assign/sorted_entries/flatten/from_wire eventually succeed as the budget grows");
		is_int(bad, 0, "merge/assign/sorted_entries/flatten/from_wire report only SY_ENOMEM, and succeed correctly");
		is_int(leak, 0, "no leaks after those failures");
		free(w);
	}
	sy_hist_free(&ref);
}

/* long loops call env->poll (CHECK_FOR_INTERRUPTS in PostgreSQL) */
static void
test_poll(void)
{
	fail_ctx	c;
	sy_env		env = fail_env(&c, -1);
	sy_hist		src,
				h;
	int			i;
	char		buf[32];
	size_t		wsz,
				used;
	unsigned char *w;

	sy_hist_init(&src, &sy_env_malloc, 0);
	for (i = 0; i < 200000; i++)
	{
		int			len = snprintf(buf, sizeof buf, "p%d", i);

		sy_hist_add(&src, buf, (uint32_t) len, 1);
	}
	sy_hist_init(&h, &env, 0);
	c.polls = 0;
	is_status(sy_hist_merge(&h, sy_hist_as_view(&src)), SY_OK, "merge 200000 labels");
	ok(c.polls >= 2, "merge of 200000 entries polls (%ld times)", c.polls);
	sy_hist_free(&h);

	wsz = sy_hist_wire_size(sy_hist_as_view(&src));
	w = malloc(wsz);
	sy_hist_to_wire(sy_hist_as_view(&src), w);
	sy_hist_init(&h, &env, 0);
	c.polls = 0;
	is_status(sy_hist_from_wire(&h, w, wsz, &used), SY_OK, "from_wire of 200000 labels");
	ok(c.polls >= 2, "from_wire of 200000 entries polls (%ld times)", c.polls);
	sy_hist_free(&h);
	free(w);
	sy_hist_free(&src);
	is_int(c.live, 0, "no leaks");
}

int
main(void)
{
	test_label_cmp();
	test_count_is_valid();
	test_init_free();
	test_add_basic();
	test_add_errors();
	test_insert_new_and_drop_zeros();
	test_random_vs_reference();
	test_intern_batch();
	test_merge();
	test_assign();
	test_max_payload();
	test_flat();
	test_flat_corrupt();
	test_sorted_entries();
	test_wire();
	test_enomem();
	test_poll();
	return done_testing();
}
