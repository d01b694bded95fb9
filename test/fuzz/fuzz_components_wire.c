/*
 * fuzz_components_wire.c: libFuzzer target for the components' wire form.
 *
 * sy_components_from_wire on arbitrary bytes.  On failure the status is
 * SY_ECORRUPT and nothing leaks.  On success: consumed is within the
 * input, the forest is consistent, and its canonical rows are in order
 * (components by smallest id, nodes ascending, the smallest first, sizes
 * and count right); the wire form has exactly one encoding per partition,
 * so writing it back reproduces the consumed bytes.  The same partition
 * comes back through the text form, through a merge into an empty forest,
 * and from its rows given as edges to sy_components_add_edges in an order
 * taken from the input.  A max_nodes below the node count is SY_ETOOBIG.
 * The row reader (sy_components_reader) reads any bytes without fault and,
 * where from_wire accepts them, gives the forest's rows and consumed bytes.
 */
#include "components.h"
#include "fuzz_common.h"

/* from_wire must produce c's wire bytes back */
static void
check_same(sy_components *c, const unsigned char *want, size_t len)
{
	size_t		wsz;
	unsigned char *w;

	CHECK(sy_components_finish(c) == SY_OK);
	wsz = sy_components_wire_size(c);
	CHECK(wsz == len);
	w = malloc(wsz);
	CHECK(w != NULL);
	sy_components_to_wire(c, w);
	CHECK(memcmp(w, want, len) == 0);
	free(w);
}

/* links in range, sizes adding up, the component count, the map */
static void
check_consistent(const sy_components *c)
{
	uint64_t	total = 0;
	uint32_t	roots = 0,
				i,
				index;

	for (i = 0; i < c->n; i++)
	{
		uint32_t	x = i,
					steps = 0;

		while (c->link[x] >= 0)
		{
			CHECK((uint32_t) c->link[x] < c->n && ++steps <= 32);
			x = (uint32_t) c->link[x];
		}
		if (x == i)
		{
			roots++;
			total += (uint64_t) -c->link[i];
		}
		CHECK(sy_components_find(c, c->ids[i], &index) && index == i);
	}
	CHECK(roots == c->n_components && total == c->n);
}

/* Read every row; on success return how many and the bytes consumed. */
static sy_status
read_all(const uint8_t *data, size_t size, sy_component_row **rows, uint32_t *n, size_t *used)
{
	sy_components_reader r;
	sy_status	s = sy_components_reader_init(&r, data, size);
	bool		done = false;

	*rows = NULL;
	*n = 0;
	if (s != SY_OK)
		return s;
	*rows = malloc(((size_t) r.n + 1) * sizeof(sy_component_row));
	CHECK(*rows != NULL);
	while ((s = sy_components_reader_next(&r, &(*rows)[*n], &done)) == SY_OK && !done)
	{
		CHECK(*n < r.n);
		(*n)++;
	}
	*used = r.pos;
	CHECK(r.pos <= size);
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sy_components c,
				d;
	sy_component_row row,
				prev;
	sy_status	s;
	size_t		used = (size_t) -1,
				len;
	uint32_t	k,
				comps = 0,
				start = 0;
	char	   *text;
	sy_parse_error err;
	int64_t    *ea,
			   *eb;

	sy_component_row *read;
	uint32_t	n_read;
	size_t		read_used = 0;
	sy_status	rs = read_all(data, size, &read, &n_read, &read_used);

	sy_components_init(&c, &sy_env_malloc);
	s = sy_components_from_wire(&c, data, size, &used);
	if (s != SY_OK)
	{
		CHECK(s == SY_ECORRUPT);
		free(read);
		sy_components_free(&c);
		return 0;
	}
	CHECK(rs == SY_OK && n_read == c.n && read_used == used);
	CHECK(used <= size);
	check_consistent(&c);
	CHECK(sy_components_finish(&c) == SY_OK);
	check_consistent(&c);

	/* rows in canonical order */
	memset(&prev, 0, sizeof(prev));
	for (k = 0; k < c.n; k++)
	{
		sy_components_row(&c, k, &row);
		if (row.node == row.component)
		{
			CHECK(k == 0 || (k - start == prev.size && row.component > prev.component));
			start = k;
			comps++;
		}
		else
			CHECK(row.component == prev.component && row.node > prev.node &&
				  row.size == prev.size && row.node > row.component);
		CHECK(row.size >= 1 && row.size <= c.n - start);
		CHECK(read[k].node == row.node && read[k].component == row.component &&
			  read[k].size == row.size);
		prev = row;
	}
	CHECK(comps == c.n_components && (c.n == 0 || c.n - start == prev.size));
	check_same(&c, data, used);
	free(read);

	/* text round trip */
	text = malloc(sy_components_text_max_len(&c) + 1);
	CHECK(text != NULL);
	len = sy_components_format(&c, text);
	CHECK(len <= sy_components_text_max_len(&c) && strlen(text) == len);
	sy_components_init(&d, &sy_env_malloc);
	CHECK(sy_components_parse(&d, text, len, &err) == SY_OK);
	check_same(&d, data, used);
	sy_components_free(&d);
	free(text);

	/* merge into an empty forest, then into itself */
	sy_components_init(&d, &sy_env_malloc);
	CHECK(sy_components_merge(&d, &c) == SY_OK);
	CHECK(sy_components_merge(&d, &c) == SY_OK);
	check_consistent(&d);
	check_same(&d, data, used);
	sy_components_free(&d);

	/* the rows as edges node-component, in an order taken from the input */
	ea = malloc(((size_t) c.n + 1) * sizeof(int64_t));
	eb = malloc(((size_t) c.n + 1) * sizeof(int64_t));
	CHECK(ea != NULL && eb != NULL);
	for (k = 0; k < c.n; k++)
	{
		uint32_t	j = (uint32_t) ((k * 2654435761u + (size ? data[k % size] : 0)) % c.n);

		sy_components_row(&c, k, &row);
		ea[k] = row.node;
		eb[k] = row.component;
		if (j < k)
		{
			int64_t		t = ea[k];

			ea[k] = ea[j];
			ea[j] = t;
			t = eb[k];
			eb[k] = eb[j];
			eb[j] = t;
		}
	}
	sy_components_init(&d, &sy_env_malloc);
	CHECK(sy_components_add_edges(&d, ea, eb, c.n) == SY_OK);
	check_consistent(&d);
	check_same(&d, data, used);
	sy_components_free(&d);
	free(ea);
	free(eb);

	/* a lower limit refuses the same bytes before allocating */
	if (c.n > 0)
	{
		sy_components_init(&d, &sy_env_malloc);
		d.max_nodes = c.n - 1;
		CHECK(sy_components_from_wire(&d, data, size, &used) == SY_ETOOBIG);
		CHECK(d.n == 0 && d.ids == NULL && d.slots == NULL);
		sy_components_free(&d);
	}
	sy_components_free(&c);
	return 0;
}
