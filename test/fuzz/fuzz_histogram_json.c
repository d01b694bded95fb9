/*
 * fuzz_histogram_json.c: libFuzzer target for the JSON text form.
 *
 * Parse arbitrary bytes.  On failure the status and the error must make
 * sense.  On success: the histogram is valid; flatten, format as JSON,
 * re-parse, and the flat bytes must be identical; the wire form round-trips
 * too.  A parse with ascii_escapes_only is stricter: when it succeeds the
 * plain parse succeeds with the same histogram.
 */
#include <stdbool.h>
#include "histogram_text.h"
#include "fuzz_common.h"

static void
check_error(sy_status s, const sy_parse_error *err, size_t size)
{
	CHECK(s == SY_ESYNTAX || s == SY_EVALUE || s == SY_EDUPLICATE || s == SY_ETOOBIG ||
		  s == SY_EOVERFLOW);
	CHECK(err->message != NULL);
	CHECK(err->offset <= size);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *) data;
	sy_hist		h,
				r,
				a;
	sy_parse_error err;
	sy_status	s,
				sa;
	fuzz_flat	f1,
				f2;
	sy_hist_view v;
	size_t		max,
				len;
	char	   *json;

	CHECK(sy_hist_init(&h, &sy_env_malloc, 0) == SY_OK);
	memset(&err, 0, sizeof err);
	s = sy_hist_parse_json(&h, text, size, false, &err);

	CHECK(sy_hist_init(&a, &sy_env_malloc, 0) == SY_OK);
	memset(&err, 0, sizeof err);
	sa = sy_hist_parse_json(&a, text, size, true, &err);
	if (sa != SY_OK)
		check_error(sa, &err, size);
	else
		CHECK(s == SY_OK);

	if (s != SY_OK)
	{
		memset(&err, 0, sizeof err);
		sy_hist_free(&h);
		CHECK(sy_hist_init(&h, &sy_env_malloc, 0) == SY_OK);
		s = sy_hist_parse_json(&h, text, size, false, &err);
		check_error(s, &err, size);
		sy_hist_free(&h);
		sy_hist_free(&a);
		return 0;
	}

	/* a valid histogram: positive finite counts, distinct labels */
	fuzz_flatten(&h, &f1, &v);
	CHECK(v.n == h.n);
	fuzz_check_sorted_view(v);
	if (sa == SY_OK)
	{
		fuzz_flatten(&a, &f2, NULL);
		CHECK(f2.size == f1.size && memcmp(f2.p, f1.p, f1.size) == 0);
		fuzz_flat_free(&f2);
	}

	/* format -> parse -> identical flat bytes */
	max = sy_hist_json_max_len(v);
	json = malloc(max + 1);
	CHECK(json != NULL);
	len = sy_hist_format_json(v, json);
	CHECK(len <= max);
	CHECK(strlen(json) == len);
	CHECK(sy_hist_init(&r, &sy_env_malloc, 0) == SY_OK);
	s = sy_hist_parse_json(&r, json, len, false, &err);
	if (s != SY_OK)
		fprintf(stderr, "re-parse failed: %d at %zu (%s)\n", (int) s, err.offset, err.message);
	CHECK(s == SY_OK);
	fuzz_flatten(&r, &f2, NULL);
	CHECK(f2.size == f1.size && memcmp(f2.p, f1.p, f1.size) == 0);
	fuzz_flat_free(&f2);
	sy_hist_free(&r);
	free(json);

	/* and the wire form, from both kinds of view */
	fuzz_check_wire_roundtrip(v, &f1);
	fuzz_check_wire_roundtrip(sy_hist_as_view(&h), &f1);

	fuzz_flat_free(&f1);
	sy_hist_free(&h);
	sy_hist_free(&a);
	return 0;
}
