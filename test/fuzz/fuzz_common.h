/*
 * fuzz_common.h: helpers shared by the libFuzzer targets of src/core.
 */
#ifndef SYBIL_FUZZ_COMMON_H
#define SYBIL_FUZZ_COMMON_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "histogram.h"

/* A failed check is a crash, so that libFuzzer saves the input. */
#define CHECK(cond) \
	do { \
		if (!(cond)) \
		{ \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			abort(); \
		} \
	} while (0)

/*
 * A flat payload must start 4 bytes past an 8-byte boundary (a varlena's
 * data).  The block is exactly size + 4 bytes so that ASan sees any read
 * past the payload.
 */
typedef struct fuzz_flat
{
	unsigned char *raw;
	unsigned char *p;
	size_t		size;
} fuzz_flat;

static inline void
fuzz_flat_alloc(fuzz_flat *f, size_t size)
{
	f->raw = malloc(size + 4);
	CHECK(f->raw != NULL);
	CHECK(((uintptr_t) f->raw) % 8 == 0);
	f->p = f->raw + 4;
	f->size = size;
}

static inline void
fuzz_flat_free(fuzz_flat *f)
{
	free(f->raw);
	f->raw = f->p = NULL;
}

/* flatten h; the result must be a valid flat payload */
static inline void
fuzz_flatten(const sy_hist *h, fuzz_flat *f, sy_hist_view *v)
{
	sy_hist_view dummy;

	fuzz_flat_alloc(f, sy_hist_flat_size(h));
	CHECK(sy_hist_flatten(h, f->p) == SY_OK);
	CHECK(sy_hist_flat_view(f->p, f->size, v ? v : &dummy) == SY_OK);
}

/* every count valid, labels strictly sorted (a flat view) */
static inline void
fuzz_check_sorted_view(sy_hist_view v)
{
	uint32_t	i;

	for (i = 0; i < v.n; i++)
	{
		CHECK(sy_count_is_valid(v.entries[i].count));
		if (i > 0)
			CHECK(sy_label_cmp(v.labels + v.entries[i - 1].label_off, v.entries[i - 1].label_len,
							   v.labels + v.entries[i].label_off, v.entries[i].label_len) < 0);
	}
}

/* wire round trip of a view: from_wire(to_wire(v)) flattens to want */
static inline void
fuzz_check_wire_roundtrip(sy_hist_view v, const fuzz_flat *want)
{
	size_t		wsz = sy_hist_wire_size(v),
				used = 0;
	unsigned char *w = malloc(wsz ? wsz : 1);
	sy_hist		h;
	fuzz_flat	f;

	CHECK(w != NULL);
	sy_hist_to_wire(v, w);
	CHECK(sy_hist_init(&h, &sy_env_malloc, v.n) == SY_OK);
	CHECK(sy_hist_from_wire(&h, w, wsz, &used) == SY_OK);
	CHECK(used == wsz);
	fuzz_flatten(&h, &f, NULL);
	CHECK(f.size == want->size && memcmp(f.p, want->p, f.size) == 0);
	fuzz_flat_free(&f);
	sy_hist_free(&h);
	free(w);
}

#endif
