/*
 * test_tally.c: unit tests of src/core/tally.c (per-group counts of labels
 * interned in a shared dictionary) and of sy_hist_intern, the dictionary
 * side.  Every check is against a naive reference computed here: label
 * strings are generated from an integer key k, and reference counts are
 * sums, in the same order, of the same weights.  Emits TAP.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "histogram.h"
#include "tally.h"
#include "helpers.h"

#define L(s) (s), (uint32_t) (sizeof(s) - 1)	/* label from a literal */

/* ------------------------------------------------------------------ labels */

/*
 * Label k: k = 0 is the empty label; the others have distinct prefixes per
 * shape, so all are distinct and NUL-free.  Lengths run from 1 to 49 bytes,
 * across the hash's 8-byte words, and some hold bytes >= 0x80.
 */
#define MAX_LABELS 200000
#define LABEL_MAX 64

static char *lab_buf;
static uint32_t lab_off[MAX_LABELS];
static uint32_t lab_len[MAX_LABELS];

static uint32_t
make_label(uint32_t k, char *buf)
{
	int			n;

	if (k == 0)
		return 0;
	switch (k % 6)
	{
		case 1:
			n = snprintf(buf, LABEL_MAX, "topic/%u/%.*s", k, (int) (k % 37),
						 "abcdefghijklmnopqrstuvwxyz0123456789-");
			break;
		case 2:
			n = snprintf(buf, LABEL_MAX, "\xc3\xa9t\xc3\xa9-%u", k);
			break;
		case 3:
			n = snprintf(buf, LABEL_MAX, "%u", k);
			break;
		case 4:
			n = snprintf(buf, LABEL_MAX, "\xff\x80#%u", k);
			break;
		default:
			n = snprintf(buf, LABEL_MAX, "t%u", k);
			break;
	}
	return (uint32_t) n;
}

static void
labels_init(void)
{
	uint32_t	k;
	size_t		off = 0;

	lab_buf = malloc((size_t) MAX_LABELS * LABEL_MAX);
	if (lab_buf == NULL)
	{
		printf("Bail out! out of memory\n");
		exit(255);
	}
	for (k = 0; k < MAX_LABELS; k++)
	{
		lab_off[k] = (uint32_t) off;
		lab_len[k] = make_label(k, lab_buf + off);
		off += lab_len[k];
	}
}

/* label k as (pointer, length): k is evaluated twice */
#define LAB(k) (lab_buf + lab_off[k]), lab_len[k]

/* Zipf-ish (P(k) ~ 1/(k+1)) key below n */
static uint32_t
zipf_below(uint32_t n)
{
	double		u = (double) (rng_next() >> 11) * 0x1p-53;
	uint32_t	k = (uint32_t) floor(exp(u * log((double) n))) - 1;

	return k < n ? k : n - 1;
}

/* A weight: mostly small integers, some fractions, tiny and huge ones, and
 * about one in ten zero. */
static double
random_weight(void)
{
	uint32_t	r = rng_below(20);

	if (r < 2)
		return 0;
	if (r < 12)
		return 1 + rng_below(5);
	if (r < 17)
		return (double) (rng_next() >> 11) * 0x1p-53 * 100 + 0x1p-20;
	if (r < 18)
		return 1e-300 * (1 + rng_below(1000));
	if (r < 19)
		return 1e200 * (1 + rng_below(3));
	return 0.1;
}

/* ------------------------------------------------------ reference compare */

/* reference entry: label key and expected count */
typedef struct refent
{
	uint32_t	k;
	double		count;
} refent;

/* byte-wise, shorter first on a common prefix (an independent sy_label_cmp) */
static int
ref_cmp(const char *a, uint32_t alen, const char *b, uint32_t blen)
{
	uint32_t	m = alen < blen ? alen : blen;
	int			c = m ? memcmp(a, b, m) : 0;

	if (c)
		return c;
	return (alen > blen) - (alen < blen);
}

static int
cmp_refent(const void *pa, const void *pb)
{
	const refent *a = pa,
			   *b = pb;

	return ref_cmp(LAB(a->k), LAB(b->k));
}

static const char *sort_labels;	/* qsort has no context argument */

static int
cmp_entry(const void *pa, const void *pb)
{
	const sy_hist_entry *a = pa,
			   *b = pb;

	return ref_cmp(sort_labels + a->label_off, a->label_len,
				   sort_labels + b->label_off, b->label_len);
}

static sy_hist_entry *
tally_entries(const sy_tally *t, const sy_hist *dict)
{
	sy_hist_entry *out = malloc(sizeof(sy_hist_entry) * ((size_t) t->n + 1));

	sy_tally_entries(t, dict, out);
	return out;
}

static sy_hist_view
entries_view(const sy_hist_entry *e, uint32_t n, const sy_hist *dict)
{
	sy_hist_view v;

	v.entries = e;
	v.n = n;
	v.labels = dict->labels;
	return v;
}

static int
is_pow2(uint64_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

/*
 * t equals the reference: the same (label, count) pairs, bit for bit, in any
 * order; n, total, label_bytes and the flat size agree; the table is a power
 * of two >= 8 at most three quarters full, and every entry's label lies in
 * the dictionary.  ref is sorted in place.  Prints the first difference.
 */
static int
tally_matches(const sy_tally *t, const sy_hist *dict, refent *ref, uint32_t nref,
			  double total, const char *what)
{
	sy_hist_entry *e;
	size_t		label_bytes = 0;
	uint32_t	i,
				live = 0;
	int			bad = 0;

	for (i = 0; i < nref; i++)
		label_bytes += lab_len[ref[i].k];
	if (t->n != nref || memcmp(&t->total, &total, sizeof(double)) != 0 ||
		t->label_bytes != label_bytes)
	{
		diag("%s: n %u (expected %u), total %.17g (expected %.17g), label_bytes %zu (expected %zu)",
			 what, t->n, nref, t->total, total, t->label_bytes, label_bytes);
		return 0;
	}
	if (!is_pow2((uint64_t) t->mask + 1) || t->mask + 1 < 8 ||
		4 * (uint64_t) t->n > 3 * ((uint64_t) t->mask + 1))
	{
		diag("%s: table of %u slots holds %u entries", what, t->mask + 1, t->n);
		return 0;
	}
	for (i = 0; i <= t->mask; i++)
		if (t->slots[i].id_plus_one != 0)
		{
			live++;
			if (t->slots[i].id_plus_one > dict->n)
				bad = 1;
		}
	if (live != t->n || bad)
	{
		diag("%s: %u live slots for n = %u, or an id outside the dictionary", what, live, t->n);
		return 0;
	}

	e = tally_entries(t, dict);
	for (i = 0; i < t->n; i++)
		if ((size_t) e[i].label_off + e[i].label_len > dict->labels_len)
			bad = 1;
	if (bad)
	{
		diag("%s: an entry's label lies outside the dictionary's labels", what);
		free(e);
		return 0;
	}
	if (sy_tally_flat_size(t) != sy_view_flat_size(entries_view(e, t->n, dict)) ||
		sy_tally_flat_size(t) != SY_HIST_FLAT_HEADER + (size_t) nref * sizeof(sy_hist_entry) + label_bytes)
	{
		diag("%s: sy_tally_flat_size %zu, sy_view_flat_size %zu", what,
			 sy_tally_flat_size(t), sy_view_flat_size(entries_view(e, t->n, dict)));
		free(e);
		return 0;
	}
	sort_labels = dict->labels;
	qsort(e, t->n, sizeof(sy_hist_entry), cmp_entry);
	qsort(ref, nref, sizeof(refent), cmp_refent);
	for (i = 0; i < nref; i++)
	{
		if (ref_cmp(dict->labels + e[i].label_off, e[i].label_len, LAB(ref[i].k)) != 0 ||
			memcmp(&e[i].count, &ref[i].count, sizeof(double)) != 0)
		{
			diag("%s: sorted entry %u is (\"%.*s\", %.17g), expected (\"%.*s\", %.17g)",
				 what, i, (int) e[i].label_len, dict->labels + e[i].label_off, e[i].count,
				 (int) lab_len[ref[i].k], lab_buf + lab_off[ref[i].k], ref[i].count);
			free(e);
			return 0;
		}
	}
	free(e);
	return 1;
}

/*
 * sy_view_flatten of t's view gives the same bytes as sy_hist_flatten of a
 * builder filled with the same counts; and the result reads back.
 */
static int
tally_flat_matches(const sy_tally *t, const sy_hist *dict, const char *what)
{
	sy_hist_entry *e = tally_entries(t, dict);
	sy_hist_view v = entries_view(e, t->n, dict);
	sy_hist		h;
	flatbuf		a,
				b;
	sy_hist_view fv;
	uint32_t	i;
	int			good = 1;

	flatbuf_alloc(&a, sy_tally_flat_size(t));
	if (sy_view_flatten(&sy_env_malloc, v, a.p) != SY_OK)
		good = 0;
	sy_hist_init(&h, &sy_env_malloc, 0);
	/* fill the builder in reverse table order: order must not matter */
	for (i = t->n; good && i-- > 0;)
		if (sy_hist_add(&h, v.labels + e[i].label_off, e[i].label_len, e[i].count) != SY_OK)
			good = 0;
	if (good && flat_make(&h, &b) == SY_OK)
	{
		if (a.size != b.size || memcmp(a.p, b.p, a.size) != 0)
			good = 0;
		else if (sy_hist_flat_view(a.p, a.size, &fv) != SY_OK || fv.n != t->n)
			good = 0;
		else
		{
			/* it reads back as the tally's entries, sorted by label */
			sort_labels = dict->labels;
			qsort(e, t->n, sizeof(sy_hist_entry), cmp_entry);
			for (i = 0; i < t->n; i++)
				if (ref_cmp(fv.labels + fv.entries[i].label_off, fv.entries[i].label_len,
							dict->labels + e[i].label_off, e[i].label_len) != 0 ||
					memcmp(&fv.entries[i].count, &e[i].count, sizeof(double)) != 0)
					good = 0;
		}
		flatbuf_free(&b);
	}
	else
		good = 0;
	if (!good)
		diag("%s: flat form of the tally's view differs from the builder's", what);
	flatbuf_free(&a);
	sy_hist_free(&h);
	free(e);
	return good;
}

/* dense reference over keys 0..nkeys-1 */
typedef struct dense_ref
{
	double	   *count;
	uint32_t	nkeys;
	double		total;
	refent	   *scratch;
} dense_ref;

static void
dense_init(dense_ref *r, uint32_t nkeys)
{
	r->count = calloc(nkeys, sizeof(double));
	r->scratch = malloc(sizeof(refent) * nkeys);
	r->nkeys = nkeys;
	r->total = 0;
}

static void
dense_free(dense_ref *r)
{
	free(r->count);
	free(r->scratch);
}

static void
dense_add(dense_ref *r, uint32_t k, double w)
{
	r->count[k] += w;
	r->total += w;
}

static int
dense_matches(const sy_tally *t, const sy_hist *dict, dense_ref *r, const char *what)
{
	uint32_t	k,
				n = 0;

	for (k = 0; k < r->nkeys; k++)
		if (r->count[k] != 0)
		{
			r->scratch[n].k = k;
			r->scratch[n].count = r->count[k];
			n++;
		}
	return tally_matches(t, dict, r->scratch, n, r->total, what);
}

static sy_hist
new_dict(const sy_env *env)
{
	sy_hist		d;
	sy_status	s = sy_hist_init(&d, env, 0);

	if (s != SY_OK)
	{
		printf("Bail out! sy_hist_init: %s\n", status_name(s));
		exit(255);
	}
	return d;
}

static void
new_tally(sy_tally *t, const sy_env *env)
{
	sy_status	s = sy_tally_init(t, env);

	if (s != SY_OK)
	{
		printf("Bail out! sy_tally_init: %s\n", status_name(s));
		exit(255);
	}
}

/* ------------------------------------------------------------- intern */

static void
test_intern(void)
{
	sy_hist		d = new_dict(&sy_env_malloc);
	uint32_t	id,
				id2,
				k,
				n0;
	uint32_t   *ids;
	int			bad_dense = 0,
				bad_again = 0,
				bad_label = 0,
				bad_count = 0;
	const uint32_t NK = 100000;

	is_status(sy_hist_intern(&d, L("alpha"), &id), SY_OK, "intern alpha");
	is_int(id, 0, "first label gets id 0");
	is_status(sy_hist_intern(&d, L("beta"), &id), SY_OK, "intern beta");
	is_int(id, 1, "second label gets id 1");
	is_status(sy_hist_intern(&d, L("alpha"), &id), SY_OK, "intern alpha again");
	is_int(id, 0, "same label, same id");
	is_status(sy_hist_intern(&d, L(""), &id), SY_OK, "intern the empty label");
	is_int(id, 2, "the empty label is a label like any other (id 2)");
	is_int(d.n, 3, "three labels in the dictionary");
	ok(d.entries[0].count == 0 && d.entries[1].count == 0 && d.entries[2].count == 0,
	   "interned labels have count 0");
	is_double(d.total, 0, 0, "interning leaves the total at 0");

	n0 = d.n;
	id = 12345;
	is_status(sy_hist_intern(&d, L("a\0b"), &id), SY_EVALUE, "intern a label with a NUL: SY_EVALUE");
	is_status(sy_hist_intern(&d, L("\0"), &id), SY_EVALUE, "intern a lone NUL: SY_EVALUE");
	is_status(sy_hist_intern(&d, L("alpha\0"), &id), SY_EVALUE,
			  "intern a present label followed by a NUL: SY_EVALUE");
	is_int(d.n, n0, "refused labels are not added");
	is_int(id, 12345, "and *id is left alone");

	/* a histogram's entries, used as a dictionary, keep their counts */
	{
		sy_hist		h = new_dict(&sy_env_malloc);

		sy_hist_add(&h, L("x"), 2.5);
		sy_hist_add(&h, L("y"), 1);
		is_status(sy_hist_intern(&h, L("y"), &id), SY_OK, "intern a label added with sy_hist_add");
		is_int(id, 1, "it gets its entry's index");
		is_double(h.entries[1].count, 1, 0, "its count is unchanged");
		is_status(sy_hist_intern(&h, L("z"), &id), SY_OK, "intern a new label into a histogram");
		ok(id == 2 && h.n == 3 && h.entries[2].count == 0 && h.total == 3.5,
		   "appended with count 0, total unchanged");
		sy_hist_free(&h);
	}

	/* a dictionary at its max_payload refuses a new label, keeps old ones */
	{
		sy_hist		h = new_dict(&sy_env_malloc);

		sy_hist_intern(&h, L("one"), &id);
		h.max_payload = sy_hist_flat_size(&h) + sizeof(sy_hist_entry) + 2;
		is_status(sy_hist_intern(&h, L("two"), &id), SY_ETOOBIG,
				  "intern one byte over max_payload: SY_ETOOBIG");
		is_int(h.n, 1, "nothing appended");
		is_status(sy_hist_intern(&h, L("one"), &id2), SY_OK, "a present label is still found");
		is_int(id2, 0, "with its id");
		is_status(sy_hist_intern(&h, L("tw"), &id), SY_OK, "a label exactly at max_payload fits");
		is_int(id, 1, "and gets the next id");
		sy_hist_free(&h);
	}

	/* 100k labels: dense ids in first-seen order, through many growths */
	ids = malloc(sizeof(uint32_t) * (NK + 1));
	for (k = 0; k <= NK; k++)
		ids[k] = UINT32_MAX;
	rng_seed(101);
	for (k = 0; k < 3 * NK; k++)
	{
		/* keys 1..NK (0, the empty label, is in already): a permutation,
		 * then repeats */
		uint32_t	key = 1 + (k < NK ? (k * 7919u) % NK : rng_below(NK));
		uint32_t	expect = ids[key] != UINT32_MAX ? ids[key] : d.n - n0;
		sy_status	s = sy_hist_intern(&d, LAB(key), &id);

		if (s != SY_OK || id != expect + n0)
		{
			if (s != SY_OK || ids[key] == UINT32_MAX)
				bad_dense++;
			else
				bad_again++;
			continue;
		}
		ids[key] = id - n0;
	}
	is_int(d.n, NK + n0, "100000 distinct labels interned");
	is_int(bad_dense, 0, "new labels get the next dense id (3, 4, 5, ...)");
	is_int(bad_again, 0, "labels seen before get their first id back, across growths");
	for (k = 1; k <= NK; k++)
	{
		uint32_t	i = ids[k] + n0;

		if (i >= d.n || ref_cmp(d.labels + d.entries[i].label_off, d.entries[i].label_len, LAB(k)) != 0)
			bad_label++;
		if (i < d.n && d.entries[i].count != 0)
			bad_count++;
	}
	is_int(bad_label, 0, "entries[id] holds the label's bytes");
	is_int(bad_count, 0, "every interned entry has count 0");
	is_status(sy_hist_intern(&d, L("alpha"), &id), SY_OK, "the first labels are still there");
	ok(id == 0 && sy_hist_intern(&d, L("beta"), &id2) == SY_OK && id2 == 1,
	   "alpha and beta keep ids 0 and 1 after 100000 more labels");
	free(ids);
	sy_hist_free(&d);
}

/* ----------------------------------------------------- basic and errors */

static void
test_basic(void)
{
	sy_hist		d = new_dict(&sy_env_malloc);
	sy_tally	t,
				u;
	uint32_t	id;
	sy_hist_entry e[4];

	is_status(sy_tally_init(&t, &sy_env_malloc), SY_OK, "init");
	ok(t.n == 0 && t.total == 0 && t.label_bytes == 0 && t.mask + 1 == 8,
	   "a new tally is empty, with 8 slots");
	is_int(sy_tally_flat_size(&t), SY_HIST_FLAT_HEADER, "empty flat size is the header");

	is_status(sy_tally_add(&t, &sy_env_malloc, &d, L("b"), 2), SY_OK, "add b 2");
	is_status(sy_tally_add(&t, &sy_env_malloc, &d, L("aa"), 0.5), SY_OK, "add aa 0.5");
	is_status(sy_tally_add(&t, &sy_env_malloc, &d, L("b"), 1), SY_OK, "add b 1");
	is_status(sy_tally_add(&t, &sy_env_malloc, &d, L(""), 4), SY_OK, "add the empty label 4");
	ok(t.n == 3 && t.total == 7.5 && t.label_bytes == 3, "n 3, total 7.5, label_bytes 3");
	is_int(d.n, 3, "three labels in the dictionary");
	sy_tally_entries(&t, &d, e);
	{
		sy_hist_view v = entries_view(e, t.n, &d);

		ok(VIEW_COUNT(v, "b") == 3 && VIEW_COUNT(v, "aa") == 0.5 && VIEW_COUNT(v, "") == 4,
		   "entries: b 3, aa 0.5, '' 4");
		is_int(sy_tally_flat_size(&t), sy_view_flat_size(v), "flat size = the view's");
	}

	/* a second tally shares the dictionary */
	new_tally(&u, &sy_env_malloc);
	is_status(sy_tally_add(&u, &sy_env_malloc, &d, L("aa"), 1), SY_OK, "second tally: add aa");
	is_status(sy_tally_add(&u, &sy_env_malloc, &d, L("c"), 1), SY_OK, "second tally: add c");
	is_int(d.n, 4, "only c is new to the dictionary");
	sy_hist_intern(&d, L("aa"), &id);
	sy_tally_entries(&u, &d, e);
	ok(u.n == 2 && (e[0].label_off == d.entries[id].label_off || e[1].label_off == d.entries[id].label_off),
	   "the second tally's aa points at the dictionary's aa");
	{
		sy_hist_entry e1[4];

		sy_tally_entries(&t, &d, e1);
		ok(VIEW_COUNT(entries_view(e1, t.n, &d), "aa") == 0.5, "the first tally's aa is untouched");
	}
	sy_tally_free(&u, &sy_env_malloc);
	ok(u.slots == NULL && u.n == 0, "free empties the tally");
	sy_tally_free(&u, &sy_env_malloc);
	ok(u.slots == NULL, "free twice is harmless");

	sy_tally_free(&t, &sy_env_malloc);
	sy_hist_free(&d);
}

/* a tally and its dictionary, as bytes, to check that a refused call changed
 * nothing */
typedef struct snapshot
{
	sy_tally	t;
	sy_tally_slot *slots;
	uint32_t	dict_n;
	size_t		dict_labels_len;
} snapshot;

static void
snap_take(snapshot *s, const sy_tally *t, const sy_hist *d)
{
	size_t		bytes = ((size_t) t->mask + 1) * sizeof(sy_tally_slot);

	s->t = *t;
	s->slots = malloc(bytes);
	memcpy(s->slots, t->slots, bytes);
	s->dict_n = d->n;
	s->dict_labels_len = d->labels_len;
}

/* 1 when t (and the dictionary) are as in the snapshot; frees it */
static int
snap_same(snapshot *s, const sy_tally *t, const sy_hist *d, int check_dict)
{
	int			same = t->n == s->t.n && t->mask == s->t.mask &&
		memcmp(&t->total, &s->t.total, sizeof(double)) == 0 &&
		t->label_bytes == s->t.label_bytes &&
		memcmp(t->slots, s->slots, ((size_t) t->mask + 1) * sizeof(sy_tally_slot)) == 0;

	if (check_dict && (d->n != s->dict_n || d->labels_len != s->dict_labels_len))
		same = 0;
	free(s->slots);
	return same;
}

static void
test_errors(void)
{
	sy_hist		d = new_dict(&sy_env_malloc);
	sy_tally	t;
	snapshot	s;
	static const double bad_weights[] = {-1, -DBL_MIN, -DBL_MAX, -INFINITY, INFINITY, NAN, -NAN};
	unsigned	i;

	new_tally(&t, &sy_env_malloc);
	sy_tally_add(&t, &sy_env_malloc, &d, L("a"), 1);
	sy_tally_add(&t, &sy_env_malloc, &d, L("b"), 2);

	snap_take(&s, &t, &d);
	is_status(sy_tally_add(&t, &sy_env_malloc, &d, L("a"), 0), SY_OK, "weight 0 on a present label: SY_OK");
	is_status(sy_tally_add(&t, &sy_env_malloc, &d, L("new"), 0), SY_OK, "weight 0 on a new label: SY_OK");
	is_status(sy_tally_add(&t, &sy_env_malloc, &d, L("new2"), -0.0), SY_OK, "weight -0: SY_OK");
	ok(snap_same(&s, &t, &d, 1), "weight 0 is a no-op: tally and dictionary unchanged");

	for (i = 0; i < sizeof(bad_weights) / sizeof(bad_weights[0]); i++)
	{
		snap_take(&s, &t, &d);
		is_status(sy_tally_add(&t, &sy_env_malloc, &d, L("a"), bad_weights[i]), SY_EVALUE,
				  "weight %g on a present label: SY_EVALUE", bad_weights[i]);
		is_status(sy_tally_add(&t, &sy_env_malloc, &d, L("c"), bad_weights[i]), SY_EVALUE,
				  "weight %g on a new label: SY_EVALUE", bad_weights[i]);
		ok(snap_same(&s, &t, &d, 1), "weight %g: nothing changed", bad_weights[i]);
	}

	snap_take(&s, &t, &d);
	is_status(sy_tally_add(&t, &sy_env_malloc, &d, L("x\0y"), 1), SY_EVALUE, "a label with a NUL: SY_EVALUE");
	is_status(sy_tally_add(&t, &sy_env_malloc, &d, L("a\0"), 1), SY_EVALUE,
			  "a present label followed by a NUL: SY_EVALUE");
	ok(snap_same(&s, &t, &d, 1), "the NUL labels changed nothing");

	/* overflow: the total would become infinite */
	{
		sy_tally	o;
		double		big = DBL_MAX / 4 * 3,
					half = DBL_MAX / 2,
					total;

		new_tally(&o, &sy_env_malloc);
		is_status(sy_tally_add(&o, &sy_env_malloc, &d, L("a"), big), SY_OK, "add 0.75 DBL_MAX");
		snap_take(&s, &o, &d);
		is_status(sy_tally_add(&o, &sy_env_malloc, &d, L("a"), half), SY_EOVERFLOW,
				  "0.75 + 0.5 DBL_MAX on the same label: SY_EOVERFLOW");
		is_status(sy_tally_add(&o, &sy_env_malloc, &d, L("overflow-new"), half), SY_EOVERFLOW,
				  "0.75 + 0.5 DBL_MAX on a new label: SY_EOVERFLOW");
		is_status(sy_tally_add(&o, &sy_env_malloc, &d, L("b"), DBL_MAX), SY_EOVERFLOW,
				  "+ DBL_MAX on another label: SY_EOVERFLOW");
		ok(snap_same(&s, &o, &d, 1), "after SY_EOVERFLOW the tally (and dictionary) are unchanged");
		total = big + DBL_MAX / 8;
		is_status(sy_tally_add(&o, &sy_env_malloc, &d, L("b"), DBL_MAX / 8), SY_OK,
				  "a weight that still fits is accepted");
		ok(o.n == 2 && o.total == total && isfinite(o.total), "n 2, total finite");
		sy_tally_free(&o, &sy_env_malloc);
	}

	/* same verdicts as sy_hist_add on a builder with the same content */
	{
		static const struct
		{
			const char *label;
			uint32_t	len;
			double		w;
		}			cases[] = {
			{"a", 1, 1}, {"q", 1, 0}, {"q\0", 2, 0}, {"a\0", 2, 0}, {"\0", 1, 0},
			{"q\0", 2, 1}, {"q", 1, -1}, {"q\0", 2, -1}, {"q\0", 2, NAN},
			{"q\0", 2, DBL_MAX}, {"q", 1, DBL_MAX}, {"", 0, 1}, {"", 0, 0},
		};
		sy_hist		h = new_dict(&sy_env_malloc);
		sy_tally	p;
		int			differ = 0;

		new_tally(&p, &sy_env_malloc);
		sy_hist_add(&h, L("a"), DBL_MAX / 2 + DBL_MAX / 4);
		sy_tally_add(&p, &sy_env_malloc, &d, L("a"), DBL_MAX / 2 + DBL_MAX / 4);
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		{
			sy_status	sh = sy_hist_add(&h, cases[i].label, cases[i].len, cases[i].w);
			sy_status	st = sy_tally_add(&p, &sy_env_malloc, &d, cases[i].label, cases[i].len, cases[i].w);

			if (sh != st)
			{
				char		shown[16];
				uint32_t	b,
							o = 0;

				for (b = 0; b < cases[i].len && o + 3 < sizeof shown; b++)
				{
					if (cases[i].label[b] == 0)
						shown[o++] = '\\';
					shown[o++] = cases[i].label[b] ? cases[i].label[b] : '0';
				}
				shown[o] = 0;
				diag("label \"%s\", weight %g: sy_hist_add %s, sy_tally_add %s",
					 shown, cases[i].w, status_name(sh), status_name(st));
				differ++;
			}
		}
		is_int(differ, 0, "sy_tally_add gives the same status as sy_hist_add (NUL label with weight 0 or an overflowing weight)");
		sy_tally_free(&p, &sy_env_malloc);
		sy_hist_free(&h);
	}

	sy_tally_free(&t, &sy_env_malloc);
	sy_hist_free(&d);
}

/* ------------------------------------------ many tallies, one dictionary */

#define NTALLY 2000
#define NADD 200000
#define NKEYS 20000

typedef struct event
{
	uint32_t	tally;
	uint32_t	k;
	uint32_t	seq;
	double		w;
} event;

static int
cmp_event(const void *pa, const void *pb)
{
	const event *a = pa,
			   *b = pb;

	if (a->tally != b->tally)
		return a->tally < b->tally ? -1 : 1;
	if (a->k != b->k)
		return a->k < b->k ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/*
 * Check every tally against the reference of events[0..nev): sort a copy by
 * (tally, label, seq) so that each label's weights are summed in add order.
 * Counts the tallies that differ in their entries, and (with check_flat)
 * those whose flat bytes differ; stops after a few.
 */
static void
check_all(sy_tally *tallies, const sy_hist *d, const event *events, uint32_t nev,
		  int *bad_entries, int *bad_flat, int check_flat)
{
	event	   *sorted = malloc(sizeof(event) * (nev ? nev : 1));
	double	   *totals = calloc(NTALLY, sizeof(double));
	refent	   *ref = malloc(sizeof(refent) * NKEYS);
	uint32_t	i,
				j,
				tl;

	*bad_entries = *bad_flat = 0;
	for (i = 0; i < nev; i++)
		totals[events[i].tally] += events[i].w;
	memcpy(sorted, events, sizeof(event) * nev);
	qsort(sorted, nev, sizeof(event), cmp_event);
	i = 0;
	for (tl = 0; tl < NTALLY; tl++)
	{
		uint32_t	nref = 0;
		char		what[64];

		while (i < nev && sorted[i].tally == tl)
		{
			double		c = 0;
			uint32_t	k = sorted[i].k;
			int			any = 0;

			for (j = i; j < nev && sorted[j].tally == tl && sorted[j].k == k; j++)
				if (sorted[j].w != 0)
				{
					c += sorted[j].w;
					any = 1;
				}
			if (any)
			{
				ref[nref].k = k;
				ref[nref].count = c;
				nref++;
			}
			i = j;
		}
		snprintf(what, sizeof what, "tally %u after %u adds", tl, nev);
		if (!tally_matches(&tallies[tl], d, ref, nref, totals[tl], what))
			(*bad_entries)++;
		else if (check_flat && !tally_flat_matches(&tallies[tl], d, what))
			(*bad_flat)++;
		if (*bad_entries + *bad_flat > 5)
		{
			diag("(stopping after 5 differences)");
			break;
		}
	}
	free(ref);
	free(totals);
	free(sorted);
}

static void
test_many_tallies(void)
{
	sy_hist		d = new_dict(&sy_env_malloc);
	sy_tally   *tallies = malloc(sizeof(sy_tally) * NTALLY);
	event	   *events = malloc(sizeof(event) * NADD);
	uint32_t   *first_id = malloc(sizeof(uint32_t) * NKEYS);
	uint32_t	i,
				ndistinct = 0,
				maxn = 0,
				maxslots = 0;
	int			bad_status = 0,
				bad_entries,
				bad_flat,
				bad_dict = 0;

	for (i = 0; i < NKEYS; i++)
		first_id[i] = UINT32_MAX;
	for (i = 0; i < NTALLY; i++)
		new_tally(&tallies[i], &sy_env_malloc);
	rng_seed(202);
	for (i = 0; i < NADD; i++)
	{
		event	   *ev = &events[i];

		/* a fifth of the adds go to ten hot tallies, so some grow large */
		ev->tally = rng_below(5) == 0 ? rng_below(10) : rng_below(NTALLY);
		ev->k = zipf_below(NKEYS);
		ev->seq = i;
		ev->w = random_weight();
		if (sy_tally_add(&tallies[ev->tally], &sy_env_malloc, &d, LAB(ev->k), ev->w) != SY_OK)
			bad_status++;
		if (ev->w != 0 && first_id[ev->k] == UINT32_MAX)
			first_id[ev->k] = ndistinct++;
		if (i == NADD / 2 - 1)
		{
			check_all(tallies, &d, events, NADD / 2, &bad_entries, &bad_flat, 0);
			is_int(bad_entries, 0, "half-way (%d adds): every tally equals the reference", NADD / 2);
		}
	}
	is_int(bad_status, 0, "%d adds into %d tallies sharing a dictionary: all SY_OK", NADD, NTALLY);
	check_all(tallies, &d, events, NADD, &bad_entries, &bad_flat, 1);
	is_int(bad_entries, 0, "every tally's entries, n, total, label_bytes and flat size equal the reference");
	is_int(bad_flat, 0, "every tally's view flattens to the bytes of a builder with the same counts");

	/* the dictionary holds each label used with a nonzero weight, ids in
	 * first-use order, nothing else */
	is_int(d.n, ndistinct, "the dictionary holds the %u labels added with a nonzero weight", ndistinct);
	for (i = 0; i < NKEYS; i++)
	{
		uint32_t	id;

		if (first_id[i] == UINT32_MAX)
			continue;
		if (first_id[i] >= d.n ||
			ref_cmp(d.labels + d.entries[first_id[i]].label_off,
					d.entries[first_id[i]].label_len, LAB(i)) != 0 ||
			sy_hist_intern(&d, LAB(i), &id) != SY_OK || id != first_id[i])
			bad_dict++;
	}
	is_int(bad_dict, 0, "dictionary ids are dense, in first-use order");

	for (i = 0; i < NTALLY; i++)
	{
		if (tallies[i].n > maxn)
			maxn = tallies[i].n;
		if (tallies[i].mask + 1 > maxslots)
			maxslots = tallies[i].mask + 1;
	}
	diag("dictionary: %u labels; largest tally: %u labels, %u slots", d.n, maxn, maxslots);
	ok(maxslots >= 1024, "some tallies grew well past 8 slots (%u)", maxslots);

	for (i = 0; i < NTALLY; i++)
		sy_tally_free(&tallies[i], &sy_env_malloc);
	sy_hist_free(&d);
	free(first_id);
	free(events);
	free(tallies);
}

/* ------------------------------------------------------------ growth */

#define NGROW 30000

static void
test_growth(void)
{
	sy_hist		d = new_dict(&sy_env_malloc);
	sy_tally	t;
	dense_ref	r;
	uint32_t	i,
				slots = 8,
				growths = 0,
				*perm = malloc(sizeof(uint32_t) * NGROW);
	int			bad_size = 0,
				bad_check = 0,
				bad_status = 0;
	char		what[64];

	/* a shuffled set of keys, and some labels interned before (by another
	 * tally, say), so that ids are not simply 0..n-1 */
	for (i = 0; i < NGROW; i++)
		perm[i] = i;
	rng_seed(303);
	for (i = NGROW; i > 1; i--)
	{
		uint32_t	j = rng_below(i),
					tmp = perm[i - 1];

		perm[i - 1] = perm[j];
		perm[j] = tmp;
	}
	for (i = 0; i < 5000; i++)
	{
		uint32_t	id;

		sy_hist_intern(&d, LAB(NGROW + i), &id);
	}
	dense_init(&r, NGROW);
	new_tally(&t, &sy_env_malloc);
	for (i = 0; i < NGROW; i++)
	{
		double		w = 1 + rng_below(4);
		uint32_t	k = perm[i];

		if (sy_tally_add(&t, &sy_env_malloc, &d, LAB(k), w) != SY_OK)
			bad_status++;
		dense_add(&r, k, w);
		/* and an existing label now and then */
		if (i % 3 == 0)
		{
			k = perm[rng_below(i + 1)];
			if (sy_tally_add(&t, &sy_env_malloc, &d, LAB(k), 0.25) != SY_OK)
				bad_status++;
			dense_add(&r, k, 0.25);
		}
		if (t.mask + 1 != slots)
		{
			/* grown: by doubling, only when needed, and everything kept */
			if (t.mask + 1 != 2 * slots || 4 * (uint64_t) t.n <= 3 * (uint64_t) slots)
				bad_size++;
			slots = t.mask + 1;
			growths++;
			snprintf(what, sizeof what, "after growing to %u slots", slots);
			if (!dense_matches(&t, &d, &r, what))
				bad_check++;
		}
		else if (4 * (uint64_t) t.n > 3 * (uint64_t) slots)
			bad_size++;
	}
	is_int(bad_status, 0, "%d labels added to one tally", NGROW);
	is_int(slots, 1 << 16, "the table grew from 8 to 65536 slots");
	is_int(growths, 13, "in 13 doublings");
	is_int(bad_size, 0, "each growth doubles the table, when (and only when) it would pass 3/4 full");
	is_int(bad_check, 0, "after each growth the entries equal the reference");
	ok(dense_matches(&t, &d, &r, "after 30000 labels"), "at the end the entries equal the reference");
	ok(tally_flat_matches(&t, &d, "after 30000 labels"), "and flatten like a builder");

	/* add to every label again: no growth, no new entry */
	for (i = 0; i < NGROW; i++)
	{
		if (sy_tally_add(&t, &sy_env_malloc, &d, LAB(i), 0.5) != SY_OK)
			bad_status++;
		dense_add(&r, i, 0.5);
	}
	ok(bad_status == 0 && t.n == NGROW && t.mask + 1 == 1 << 16, "adding to present labels keeps n and the table");
	ok(dense_matches(&t, &d, &r, "after adding to all again"), "and the counts follow");

	/* clear keeps the table, then the tally is reused */
	sy_tally_clear(&t);
	ok(t.n == 0 && t.total == 0 && t.label_bytes == 0 && t.mask + 1 == 1 << 16,
	   "clear: n 0, total 0, label_bytes 0, table kept");
	is_int(sy_tally_flat_size(&t), SY_HIST_FLAT_HEADER, "clear: flat size is the header");
	{
		uint32_t	live = 0;

		for (i = 0; i <= t.mask; i++)
			live += t.slots[i].id_plus_one != 0;
		is_int(live, 0, "clear: every slot empty");
	}
	is_int(d.n, NGROW + 5000, "clear leaves the dictionary alone");
	dense_free(&r);
	dense_init(&r, NGROW);
	for (i = 0; i < 1000; i++)
	{
		uint32_t	k = zipf_below(NGROW);

		sy_tally_add(&t, &sy_env_malloc, &d, LAB(k), 2);
		dense_add(&r, k, 2);
	}
	ok(dense_matches(&t, &d, &r, "refilled after clear"), "refilled after clear: equals the reference");
	ok(tally_flat_matches(&t, &d, "refilled after clear"), "and flattens like a builder");

	/* clear a small tally */
	{
		sy_tally	s;

		new_tally(&s, &sy_env_malloc);
		sy_tally_clear(&s);
		ok(s.n == 0 && s.mask + 1 == 8, "clear a new tally");
		is_status(sy_tally_add(&s, &sy_env_malloc, &d, LAB(1), 1), SY_OK, "and add to it");
		ok(s.n == 1 && s.total == 1, "n 1, total 1");
		sy_tally_free(&s, &sy_env_malloc);
	}

	dense_free(&r);
	sy_tally_free(&t, &sy_env_malloc);
	sy_hist_free(&d);
	free(perm);
}

/* -------------------------------------------------------------- merge */

/* a builder of nlabels adds of random keys in [key_base, key_base +
 * key_range), with random nonzero weights */
static void
random_hist(sy_hist *h, uint32_t nlabels, uint32_t key_base, uint32_t key_range)
{
	uint32_t	i;

	sy_hist_init(h, &sy_env_malloc, 0);
	for (i = 0; i < nlabels; i++)
	{
		double		w = random_weight();
		uint32_t	k = key_base + rng_below(key_range);

		sy_hist_add(h, LAB(k), w == 0 ? 3 : w);
	}
}

/* the reference's key of a view entry's label (labels are from the table) */
static uint32_t
key_of(sy_hist_view v, uint32_t i, uint32_t key_base, uint32_t key_range)
{
	uint32_t	k;

	for (k = key_base; k < key_base + key_range; k++)
		if (ref_cmp(v.labels + v.entries[i].label_off, v.entries[i].label_len, LAB(k)) == 0)
			return k;
	printf("Bail out! label not in the table: \"%.*s\" (%u bytes)\n", (int) v.entries[i].label_len, v.labels + v.entries[i].label_off, v.entries[i].label_len);
	exit(255);
}

#define MKEYS 3000

static void
test_merge(void)
{
	sy_hist		d = new_dict(&sy_env_malloc);
	sy_hist		src;
	flatbuf		fb;
	sy_hist_view fv;
	sy_tally	a,
				b;
	dense_ref	ra,
				rb;
	uint32_t	i,
				n0;
	sy_hist_entry *e;

	rng_seed(404);
	dense_init(&ra, MKEYS);
	dense_init(&rb, MKEYS);
	new_tally(&a, &sy_env_malloc);
	new_tally(&b, &sy_env_malloc);
	for (i = 0; i < 2000; i++)
	{
		uint32_t	k = zipf_below(MKEYS);
		double		w = random_weight();

		sy_tally_add(&a, &sy_env_malloc, &d, LAB(k), w);
		dense_add(&ra, k, w);
		k = zipf_below(MKEYS);
		sy_tally_add(&b, &sy_env_malloc, &d, LAB(k), w);
		dense_add(&rb, k, w);
	}

	/* a flat view, overlapping a's labels, and adding new ones */
	random_hist(&src, 1500, 0, MKEYS);
	if (flat_make(&src, &fb) != SY_OK || sy_hist_flat_view(fb.p, fb.size, &fv) != SY_OK)
	{
		printf("Bail out! flatten\n");
		exit(255);
	}
	for (i = 0; i < fv.n; i++)
		dense_add(&ra, key_of(fv, i, 0, MKEYS), fv.entries[i].count);
	n0 = d.n;
	is_status(sy_tally_merge(&a, &sy_env_malloc, &d, fv), SY_OK, "merge a flat view of %u labels", fv.n);
	ok(dense_matches(&a, &d, &ra, "after merging a flat view"), "the tally equals the reference (counts summed in view order)");
	ok(tally_flat_matches(&a, &d, "after merging a flat view"), "and flattens like a builder");
	ok(d.n >= n0, "new labels of the view were interned (%u -> %u)", n0, d.n);

	/* another tally's view: labels point into the dictionary itself */
	e = tally_entries(&b, &d);
	for (i = 0; i < b.n; i++)
		dense_add(&ra, key_of(entries_view(e, b.n, &d), i, 0, MKEYS), e[i].count);
	n0 = d.n;
	is_status(sy_tally_merge(&a, &sy_env_malloc, &d, entries_view(e, b.n, &d)), SY_OK,
			  "merge another tally's view (%u labels)", b.n);
	is_int(d.n, n0, "no new dictionary entries: its labels were all interned");
	ok(dense_matches(&a, &d, &ra, "after merging another tally"), "the tally equals the reference");
	ok(dense_matches(&b, &d, &rb, "merged-from tally"), "the merged-from tally is unchanged");
	free(e);

	/* merge into an empty tally reproduces the view, flat bytes included */
	{
		sy_tally	c;
		flatbuf		cb;
		sy_hist_entry *ce;

		new_tally(&c, &sy_env_malloc);
		is_status(sy_tally_merge(&c, &sy_env_malloc, &d, fv), SY_OK, "merge the flat view into an empty tally");
		ce = tally_entries(&c, &d);
		flatbuf_alloc(&cb, sy_tally_flat_size(&c));
		is_status(sy_view_flatten(&sy_env_malloc, entries_view(ce, c.n, &d), cb.p), SY_OK, "flatten it");
		is_mem(cb.p, cb.size, fb.p, fb.size, "its flat form is the merged payload, byte for byte");
		{
			double		total = 0;

			for (i = 0; i < fv.n; i++)
				total += fv.entries[i].count;
			is_double(c.total, total, 0, "its total is the view's counts summed in order");
		}
		free(ce);
		flatbuf_free(&cb);

		/* an empty view */
		{
			sy_hist_view ev = {NULL, 0, NULL};

			is_status(sy_tally_merge(&c, &sy_env_malloc, &d, ev), SY_OK, "merge an empty view");
			is_int(c.n, fv.n, "changes nothing");
		}
		sy_tally_free(&c, &sy_env_malloc);
	}

	/* a view holding a bad count or a NUL label stops with SY_EVALUE */
	{
		sy_tally	c;
		sy_hist_entry be[2] = {{1, 0, 1}, {NAN, 1, 1}};
		sy_hist_view bv = {be, 2, "xy"};

		new_tally(&c, &sy_env_malloc);
		is_status(sy_tally_merge(&c, &sy_env_malloc, &d, bv), SY_EVALUE, "merge a view with a NaN count: SY_EVALUE");
		be[1].count = 1;
		bv.labels = "x\0";
		sy_tally_clear(&c);
		is_status(sy_tally_merge(&c, &sy_env_malloc, &d, bv), SY_EVALUE, "merge a view with a NUL label: SY_EVALUE");
		sy_tally_clear(&c);
		be[0].count = DBL_MAX;
		be[1].count = DBL_MAX;
		bv.labels = "xy";
		is_status(sy_tally_merge(&c, &sy_env_malloc, &d, bv), SY_EOVERFLOW, "merge a view whose sum overflows: SY_EOVERFLOW");
		ok(isfinite(c.total), "the total stays finite");
		sy_tally_free(&c, &sy_env_malloc);
	}

	flatbuf_free(&fb);
	sy_hist_free(&src);
	dense_free(&ra);
	dense_free(&rb);
	sy_tally_free(&a, &sy_env_malloc);
	sy_tally_free(&b, &sy_env_malloc);
	sy_hist_free(&d);
}

/* ------------------------------------------------- allocation failures */

#define OOM_TALLIES 3
#define OOM_KEYS 400
#define OOM_ADDS 900

static void
test_enomem_add(void)
{
	long		budget;
	int			runs = 0,
				saw_oom = 0,
				bad_status = 0,
				bad_state = 0,
				bad_final = 0,
				bad_dict = 0,
				bad_leak = 0,
				finished = 0;

	for (budget = 0; budget < 1000 && !finished; budget++)
	{
		fail_ctx	c;
		sy_env		env = fail_env(&c, budget);
		sy_hist		d;
		sy_tally	t[OOM_TALLIES];
		dense_ref	r[OOM_TALLIES];
		sy_status	s;
		uint32_t	i;
		int			j;

		runs++;
		s = sy_hist_init(&d, &env, 0);
		if (s != SY_OK)
		{
			saw_oom = 1;
			if (s != SY_ENOMEM)
				bad_status++;
			if (c.live != 0)
				bad_leak++;
			continue;
		}
		for (j = 0; j < OOM_TALLIES; j++)
		{
			s = sy_tally_init(&t[j], &env);
			if (s != SY_OK)
			{
				saw_oom = 1;
				if (s != SY_ENOMEM)
					bad_status++;
				sy_tally_free(&t[j], &env);		/* harmless after a failed init */
				c.budget = -1;
				s = sy_tally_init(&t[j], &env);
				if (s != SY_OK)
					bad_status++;
			}
			dense_init(&r[j], OOM_KEYS);
		}
		rng_seed(505);
		for (i = 0; i < OOM_ADDS; i++)
		{
			uint32_t	tl = rng_below(OOM_TALLIES),
						k = i < OOM_KEYS ? i : zipf_below(OOM_KEYS);
			double		w = 1 + rng_below(7);
			snapshot	sn;

			snap_take(&sn, &t[tl], &d);
			s = sy_tally_add(&t[tl], &env, &d, LAB(k), w);
			if (s != SY_OK)
			{
				saw_oom = 1;
				if (s != SY_ENOMEM)
					bad_status++;
				/* the tally is as it was (the dictionary may hold the
				 * label already: that is fine) */
				if (!snap_same(&sn, &t[tl], &d, 0))
					bad_state++;
				c.budget = -1;	/* heal, and go on */
				s = sy_tally_add(&t[tl], &env, &d, LAB(k), w);
				if (s != SY_OK)
					bad_status++;
			}
			else
				free(sn.slots);
			dense_add(&r[tl], k, w);
		}
		for (j = 0; j < OOM_TALLIES; j++)
			if (!dense_matches(&t[j], &d, &r[j], "after allocation failures"))
				bad_final++;
		/* the dictionary: OOM_KEYS distinct labels, each at its own id */
		if (d.n != OOM_KEYS)
			bad_dict++;
		for (i = 0; i < d.n; i++)
		{
			uint32_t	id;

			if (sy_hist_intern(&d, d.labels + d.entries[i].label_off, d.entries[i].label_len, &id) != SY_OK ||
				id != i)
				bad_dict++;
		}
		if (c.failures == 0)
			finished = 1;
		for (j = 0; j < OOM_TALLIES; j++)
		{
			sy_tally_free(&t[j], &env);
			dense_free(&r[j]);
		}
		sy_hist_free(&d);
		if (c.live != 0)
			bad_leak++;
	}
	diag("%d allocation-failure runs of init + add", runs);
	ok(saw_oom, "allocation failures were injected");
	ok(finished, "a large enough budget runs without failure");
	is_int(bad_status, 0, "a failing allocator gives SY_ENOMEM, and a retry succeeds");
	is_int(bad_state, 0, "a failed add leaves the tally as it was");
	is_int(bad_final, 0, "the tallies stay usable and end equal to the reference");
	is_int(bad_dict, 0, "the dictionary stays consistent (distinct labels, stable ids)");
	is_int(bad_leak, 0, "no leaked blocks after sy_tally_free and sy_hist_free");
}

static void
test_enomem_merge(void)
{
	sy_hist		src;
	flatbuf		fb;
	sy_hist_view fv;
	long		budget;
	int			runs = 0,
				saw_oom = 0,
				bad_status = 0,
				bad_prefix = 0,
				bad_final = 0,
				bad_leak = 0,
				bad_flatten = 0,
				finished = 0;

	/* view: keys 0..1199 at random; the tally starts with keys 0..299 */
	rng_seed(606);
	random_hist(&src, 800, 0, 1200);
	flat_make(&src, &fb);
	sy_hist_flat_view(fb.p, fb.size, &fv);

	for (budget = 0; budget < 1000 && !finished; budget++)
	{
		fail_ctx	c;
		sy_env		env = fail_env(&c, -1);
		sy_hist		d = new_dict(&env);
		sy_tally	t;
		dense_ref	base,
					full;
		sy_status	s;
		uint32_t	i,
					j;

		runs++;
		new_tally(&t, &env);
		dense_init(&base, 1200);
		for (i = 0; i < 300; i++)
		{
			sy_tally_add(&t, &env, &d, LAB(i), 1 + i % 3);
			dense_add(&base, i, 1 + i % 3);
		}
		dense_init(&full, 1200);
		memcpy(full.count, base.count, sizeof(double) * 1200);
		full.total = base.total;
		for (i = 0; i < fv.n; i++)
			dense_add(&full, key_of(fv, i, 0, 1200), fv.entries[i].count);

		c.budget = budget;
		s = sy_tally_merge(&t, &env, &d, fv);
		c.budget = -1;
		if (s != SY_OK)
		{
			sy_hist_entry *e = tally_entries(&t, &d);
			sy_hist_view tv = entries_view(e, t.n, &d);
			double		total = base.total;
			uint32_t	jj;

			saw_oom = 1;
			if (s != SY_ENOMEM)
				bad_status++;
			/* the first j view entries were added, none of the others */
			for (j = 0; j < fv.n; j++)
			{
				uint32_t	k = key_of(fv, j, 0, 1200);
				double		got = view_count(tv, LAB(k));

				if (!(got == base.count[k] + fv.entries[j].count))
					break;
				total += fv.entries[j].count;
			}
			for (jj = j; jj < fv.n; jj++)
			{
				uint32_t	k = key_of(fv, jj, 0, 1200);
				double		got = view_count(tv, LAB(k));

				if (!(base.count[k] == 0 ? got == -1 : got == base.count[k]))
					bad_prefix++;
			}
			if (j == fv.n || t.total != total)
				bad_prefix++;
			free(e);
			/* usable: merging the rest completes it */
			{
				sy_hist_view rest = {fv.entries + j, fv.n - j, fv.labels};

				if (sy_tally_merge(&t, &env, &d, rest) != SY_OK)
					bad_status++;
			}
			/* the total was summed in another order: compare counts, and
			 * take the total from the tally */
			full.total = t.total;
		}
		if (!dense_matches(&t, &d, &full, "merge after allocation failures"))
			bad_final++;

		/* flatten under the same budget */
		{
			sy_hist_entry *e = tally_entries(&t, &d);
			flatbuf		b;

			flatbuf_alloc(&b, sy_tally_flat_size(&t));
			c.budget = budget;
			s = sy_view_flatten(&env, entries_view(e, t.n, &d), b.p);
			c.budget = -1;
			if (s != SY_OK && s != SY_ENOMEM)
				bad_flatten++;
			if (s == SY_ENOMEM)
				saw_oom = 1;
			flatbuf_free(&b);
			free(e);
		}

		if (c.failures == 0)
			finished = 1;
		sy_tally_free(&t, &env);
		sy_hist_free(&d);
		dense_free(&base);
		dense_free(&full);
		if (c.live != 0)
			bad_leak++;
	}
	diag("%d allocation-failure runs of merge", runs);
	ok(saw_oom, "allocation failures were injected into merge");
	ok(finished, "a large enough budget merges without failure");
	is_int(bad_status, 0, "a failing merge gives SY_ENOMEM; merging the rest then succeeds");
	is_int(bad_prefix, 0, "a failed merge has added exactly a prefix of the view");
	is_int(bad_final, 0, "the tally stays usable and ends equal to the reference");
	is_int(bad_flatten, 0, "sy_view_flatten of a tally's view gives only SY_ENOMEM");
	is_int(bad_leak, 0, "no leaks");
	flatbuf_free(&fb);
	sy_hist_free(&src);
}

/* ---------------------------------------------------------------- poll */

#define NPOLL 200000

static void
test_poll(void)
{
	fail_ctx	c;
	sy_env		env = fail_env(&c, -1);
	sy_hist		src,
				d = new_dict(&sy_env_malloc);
	sy_tally	t;
	flatbuf		fb,
				tb;
	sy_hist_view fv;
	sy_hist_entry *e;
	uint32_t	i;

	sy_hist_init(&src, &sy_env_malloc, 0);
	for (i = 0; i < NPOLL; i++)
		sy_hist_add(&src, LAB(i), 1 + i % 5);
	flat_make(&src, &fb);
	sy_hist_flat_view(fb.p, fb.size, &fv);

	new_tally(&t, &env);
	c.polls = 0;
	is_status(sy_tally_merge(&t, &env, &d, fv), SY_OK, "merge a flat view of %d labels", NPOLL);
	ok(c.polls >= NPOLL / SY_POLL_EVERY, "merge of %d entries polls (%ld times)", NPOLL, c.polls);
	ok(t.n == NPOLL && d.n == NPOLL && t.total == src.total, "n, dictionary size and total");

	e = tally_entries(&t, &d);
	flatbuf_alloc(&tb, sy_tally_flat_size(&t));
	c.polls = 0;
	is_status(sy_view_flatten(&env, entries_view(e, t.n, &d), tb.p), SY_OK, "flatten the tally's view");
	ok(c.polls >= 2, "flattening %d entries polls (%ld times)", NPOLL, c.polls);
	is_mem(tb.p, tb.size, fb.p, fb.size, "the tally flattens to the merged payload, byte for byte");
	free(e);
	flatbuf_free(&tb);

	sy_tally_free(&t, &env);
	is_int(c.live, 0, "no leaks");
	flatbuf_free(&fb);
	sy_hist_free(&src);
	sy_hist_free(&d);
}

int
main(void)
{
	labels_init();
	test_intern();
	test_basic();
	test_errors();
	test_many_tallies();
	test_growth();
	test_merge();
	test_enomem_add();
	test_enomem_merge();
	test_poll();
	free(lab_buf);
	return done_testing();
}
