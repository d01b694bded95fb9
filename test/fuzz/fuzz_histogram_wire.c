/*
 * fuzz_histogram_wire.c: libFuzzer target for the binary send/recv form.
 *
 * sy_hist_from_wire on arbitrary bytes.  On success: consumed is within the
 * input, the builder is a valid histogram, and writing it back with
 * sy_hist_to_wire reproduces the consumed bytes exactly (the wire form has
 * no free bits: version, count, then count bits, length and label bytes per
 * entry in order).  Its flat form is valid and round-trips through the wire
 * form from the sorted view too.
 */
#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sy_hist		h;
	sy_status	s;
	size_t		used = (size_t) -1,
				wsz;
	unsigned char *w;
	fuzz_flat	f;
	sy_hist_view v;
	uint32_t	i;

	CHECK(sy_hist_init(&h, &sy_env_malloc, 0) == SY_OK);
	s = sy_hist_from_wire(&h, data, size, &used);
	if (s != SY_OK)
	{
		CHECK(s == SY_ECORRUPT || s == SY_EVALUE || s == SY_EDUPLICATE || s == SY_ETOOBIG ||
			  s == SY_EOVERFLOW);
		sy_hist_free(&h);
		return 0;
	}
	CHECK(used <= size);
	v = sy_hist_as_view(&h);
	for (i = 0; i < v.n; i++)
		CHECK(sy_count_is_valid(v.entries[i].count));

	wsz = sy_hist_wire_size(v);
	CHECK(wsz == used);
	w = malloc(wsz ? wsz : 1);
	CHECK(w != NULL);
	sy_hist_to_wire(v, w);
	CHECK(memcmp(w, data, wsz) == 0);
	free(w);

	fuzz_flatten(&h, &f, &v);
	CHECK(v.n == h.n);
	fuzz_check_sorted_view(v);
	fuzz_check_wire_roundtrip(v, &f);
	fuzz_flat_free(&f);
	sy_hist_free(&h);
	return 0;
}
