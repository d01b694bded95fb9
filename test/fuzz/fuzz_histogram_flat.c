/*
 * fuzz_histogram_flat.c: libFuzzer target for the on-disk flat payload.
 *
 * sy_hist_flat_view on arbitrary bytes placed 4 bytes past an 8-byte
 * boundary, as PostgreSQL places a varlena's data.  On success the view lies
 * inside the payload and is sorted; the statistics run (total, entropy,
 * normalized entropy, JS and KL against itself, ranking, top share); the
 * JSON text re-parses to the very same payload bytes (unless a label holds a
 * NUL byte, which text cannot carry: then the parser must refuse it); the
 * builder and wire forms reproduce the payload too.
 */
#include <stdbool.h>
#include "distribution.h"
#include "histogram_text.h"
#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_flat	in,
				f2;
	sy_hist_view v;
	sy_status	s;
	uint32_t	i;

	fuzz_flat_alloc(&in, size);
	if (size)
		memcpy(in.p, data, size);
	s = sy_hist_flat_view(in.p, size, &v);
	if (s != SY_OK)
	{
		CHECK(s == SY_ECORRUPT);
		fuzz_flat_free(&in);
		return 0;
	}

	/* the view points inside the payload */
	CHECK((const unsigned char *) v.entries >= in.p);
	CHECK(((uintptr_t) v.entries) % 8 == 0);
	CHECK((const unsigned char *) (v.entries + v.n) <= in.p + size);
	for (i = 0; i < v.n; i++)
	{
		const unsigned char *lab = (const unsigned char *) v.labels + v.entries[i].label_off;

		CHECK(lab >= in.p && lab + v.entries[i].label_len <= in.p + size);
		CHECK(v.entries[i].label_len == 0 || memchr(lab, 0, v.entries[i].label_len) == NULL);
	}
	fuzz_check_sorted_view(v);

	/* statistics */
	{
		double		total = sy_total(v),
					e = sy_entropy(v),
					ne = sy_normalized_entropy(v),
					share;
		uint32_t   *order = malloc(sizeof(uint32_t) * (v.n ? v.n : 1));
		unsigned char *seen = calloc(v.n ? v.n : 1, 1);

		CHECK(order != NULL && seen != NULL);
		if (v.n == 0)
		{
			CHECK(isnan(e) && isnan(ne));
			CHECK(total == 0);
		}
		else
		{
			CHECK(total > 0);
			CHECK(!isnan(e) && e >= 0);
			CHECK(!isnan(ne) && ne >= 0);
			if (isfinite(total))
			{
				CHECK(e <= log2((double) v.n) + 1e-9);
				CHECK(ne <= 1 + 1e-9);
				CHECK(sy_js_divergence(v, v) == 0);
				CHECK(sy_kl_divergence(v, v, 0) == 0);
			}
		}
		sy_rank_by_count(&sy_env_malloc, v, order);
		for (i = 0; i < v.n; i++)
		{
			CHECK(order[i] < v.n && !seen[order[i]]);
			seen[order[i]] = 1;
			if (i > 0)
			{
				const sy_hist_entry *x = &v.entries[order[i - 1]],
						   *y = &v.entries[order[i]];

				/* flat index order is label order */
				CHECK(x->count > y->count || (x->count == y->count && order[i - 1] < order[i]));
			}
		}
		CHECK(sy_top_share(&sy_env_malloc, v, v.n / 2, &share) == SY_OK);
		if (v.n == 0)
			CHECK(isnan(share));
		else if (isfinite(total))
			CHECK(share >= 0 && share <= 1 + 1e-9);
		free(seen);
		free(order);
	}

	/* JSON text round trip back to the same bytes */
	{
		size_t		max = sy_hist_json_max_len(v),
					len;
		char	   *json = malloc(max + 1);
		sy_hist		h;
		sy_parse_error err;

		CHECK(json != NULL);
		len = sy_hist_format_json(v, json);
		CHECK(len <= max && strlen(json) == len);
		CHECK(sy_hist_init(&h, &sy_env_malloc, v.n) == SY_OK);
		s = sy_hist_parse_json(&h, json, len, false, &err);
		if (s != SY_OK)
			fprintf(stderr, "re-parse failed: %d at %zu (%s)\n", (int) s, err.offset, err.message);
		CHECK(s == SY_OK);
		fuzz_flatten(&h, &f2, NULL);
		CHECK(f2.size == size && memcmp(f2.p, in.p, size) == 0);
		fuzz_flat_free(&f2);
		sy_hist_free(&h);
		free(json);
	}

	/* builder and wire forms */
	{
		sy_hist		h;

		CHECK(sy_hist_init(&h, &sy_env_malloc, 0) == SY_OK);
		CHECK(sy_hist_assign(&h, v) == SY_OK);
		fuzz_flatten(&h, &f2, NULL);
		CHECK(f2.size == size && memcmp(f2.p, in.p, size) == 0);
		fuzz_flat_free(&f2);
		sy_hist_free(&h);
		fuzz_check_wire_roundtrip(v, &in);
	}

	fuzz_flat_free(&in);
	return 0;
}
