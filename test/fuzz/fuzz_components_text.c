/*
 * fuzz_components_text.c: libFuzzer target for the components' text form.
 *
 * sy_components_parse on arbitrary bytes.  On failure: a known status, a
 * message, an offset inside the text, and nothing leaked.  On success the
 * forest is consistent; its canonical text is within the announced bound
 * and parses back to the same wire bytes, which read back to the same
 * canonical text.
 */
#include "components.h"
#include "fuzz_common.h"

static unsigned char *
wire_of(sy_components *c, size_t *len)
{
	unsigned char *w;

	CHECK(sy_components_finish(c) == SY_OK);
	*len = sy_components_wire_size(c);
	w = malloc(*len);
	CHECK(w != NULL);
	sy_components_to_wire(c, w);
	return w;
}

static char *
text_of(sy_components *c, size_t *len)
{
	char	   *t;

	CHECK(sy_components_finish(c) == SY_OK);
	t = malloc(sy_components_text_max_len(c) + 1);
	CHECK(t != NULL);
	*len = sy_components_format(c, t);
	CHECK(*len <= sy_components_text_max_len(c) && strlen(t) == *len);
	return t;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *input = (const char *) data;
	sy_components c,
				d;
	sy_parse_error err;
	sy_status	s;
	size_t		wlen,
				wlen2,
				tlen,
				tlen2,
				used;
	unsigned char *w,
			   *w2;
	char	   *t,
			   *t2;
	uint32_t	i,
				index,
				roots = 0;

	memset(&err, 0, sizeof(err));
	sy_components_init(&c, &sy_env_malloc);
	s = sy_components_parse(&c, input, size, &err);
	if (s != SY_OK)
	{
		CHECK(s == SY_ESYNTAX || s == SY_EVALUE || s == SY_EDUPLICATE);
		CHECK(err.message != NULL && err.offset <= size);
		sy_components_free(&c);
		return 0;
	}
	for (i = 0; i < c.n; i++)
	{
		CHECK(sy_components_find(&c, c.ids[i], &index) && index == i);
		roots += c.link[i] < 0;
	}
	CHECK(roots == c.n_components);

	w = wire_of(&c, &wlen);
	t = text_of(&c, &tlen);

	/* the canonical text parses to the same partition */
	sy_components_init(&d, &sy_env_malloc);
	CHECK(sy_components_parse(&d, t, tlen, &err) == SY_OK);
	w2 = wire_of(&d, &wlen2);
	CHECK(wlen2 == wlen && memcmp(w2, w, wlen) == 0);
	free(w2);
	sy_components_free(&d);

	/* the wire form reads back to the same text */
	sy_components_init(&d, &sy_env_malloc);
	CHECK(sy_components_from_wire(&d, w, wlen, &used) == SY_OK && used == wlen);
	t2 = text_of(&d, &tlen2);
	CHECK(tlen2 == tlen && memcmp(t2, t, tlen) == 0);
	free(t2);
	sy_components_free(&d);

	free(t);
	free(w);
	sy_components_free(&c);
	return 0;
}
