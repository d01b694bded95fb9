/*
 * gen_corpus.c: writes the seed corpora of fuzz_histogram_wire and
 * fuzz_histogram_flat (test/fuzz/corpus/<target>/) from a dozen small
 * histograms built with the core API, so the seeds follow the current wire
 * and flat layouts.  Re-run after a format change with
 *
 *   test/fuzz/run.sh --regen-corpus
 *
 * which builds this file with the core sources and runs it as
 * gen_corpus test/fuzz/corpus.  (The hand-made broken wire seeds, and the
 * JSON seeds, are plain files and are left alone.)
 */
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "histogram.h"

typedef struct seed_entry
{
	const char *label;
	uint32_t	len;			/* 0: strlen(label) unless label is "" */
	double		count;
} seed_entry;

typedef struct seed
{
	const char *name;
	int			n;
	seed_entry	e[8];
} seed;

static const seed seeds[] = {
	{"empty", 0, {{NULL, 0, 0}}},
	{"one", 1, {{"a", 0, 1}}},
	{"example", 2, {{"coding.python", 0, 12}, {"chitchat", 0, 3.5}}},
	{"empty_label", 2, {{"", 0, 4}, {"x", 0, 0.25}}},
	{"prefixes", 4, {{"a", 0, 1}, {"ab", 0, 2}, {"abc", 0, 3}, {"b", 0, 4}}},
	{"utf8", 3, {{"caf\xc3\xa9", 0, 1}, {"\xe2\x82\xac", 0, 2}, {"\xf0\x9f\x98\x80", 0, 3}}},
	{"bytes", 2, {{"\xff\xfe", 0, 1}, {"\x80", 0, 2}}},
	{"nul_label", 2, {{"a\0b", 3, 1}, {"a", 0, 2}}},
	{"controls", 2, {{"q\"b\\s\n\t\x01", 0, 1}, {"\x7f", 0, 9}}},
	{"extremes", 4, {{"max", 0, DBL_MAX}, {"min", 0, 5e-324}, {"dmin", 0, DBL_MIN}, {"third", 0, 1.0 / 3}}},
	{"ties", 5, {{"e", 0, 2}, {"d", 0, 2}, {"c", 0, 1}, {"b", 0, 3}, {"a", 0, 3}}},
	{"uniform8", 8, {{"l0", 0, 1}, {"l1", 0, 1}, {"l2", 0, 1}, {"l3", 0, 1}, {"l4", 0, 1}, {"l5", 0, 1}, {"l6", 0, 1}, {"l7", 0, 1}}},
	{"big_total", 3, {{"a", 0, DBL_MAX}, {"b", 0, DBL_MAX}, {"c", 0, 1}}},
};

static void
write_file(const char *dir, const char *target, const char *name, const void *p, size_t n)
{
	char		path[1024];
	FILE	   *f;

	snprintf(path, sizeof path, "%s/%s/%s.bin", dir, target, name);
	f = fopen(path, "wb");
	if (f == NULL || (n && fwrite(p, 1, n, f) != n) || fclose(f) != 0)
	{
		perror(path);
		exit(1);
	}
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "test/fuzz/corpus";
	size_t		k;

	for (k = 0; k < sizeof seeds / sizeof seeds[0]; k++)
	{
		const seed *s = &seeds[k];
		sy_hist		h;
		int			i;
		size_t		fsz,
					wsz;
		unsigned char *raw,
				   *w;

		if (sy_hist_init(&h, &sy_env_malloc, 0) != SY_OK)
			return 1;
		for (i = 0; i < s->n; i++)
		{
			uint32_t	len = s->e[i].len ? s->e[i].len : (uint32_t) strlen(s->e[i].label);

			if (sy_hist_add(&h, s->e[i].label, len, s->e[i].count) != SY_OK)
				return 1;
		}
		/* flat: 4 bytes past an 8-byte boundary */
		fsz = sy_hist_flat_size(&h);
		raw = malloc(fsz + 8);
		if (raw == NULL || sy_hist_flatten(&h, raw + 4) != SY_OK)
			return 1;
		write_file(dir, "fuzz_histogram_flat", s->name, raw + 4, fsz);
		free(raw);
		/* wire, in insertion order (the builder's view) */
		wsz = sy_hist_wire_size(sy_hist_as_view(&h));
		w = malloc(wsz);
		if (w == NULL)
			return 1;
		sy_hist_to_wire(sy_hist_as_view(&h), w);
		write_file(dir, "fuzz_histogram_wire", s->name, w, wsz);
		free(w);
		sy_hist_free(&h);
	}
	return 0;
}
