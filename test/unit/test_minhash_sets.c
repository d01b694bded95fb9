/*
 * test_minhash_sets.c: unit tests of src/core/minhash_sets.c.  Signatures
 * built from shuffled (id, item) rows, with repeats, across several
 * batches of waiting pairs and several growths of the id table, must equal
 * the signatures built one set at a time with sy_minhash_add.  Emits TAP.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "minhash_sets.h"
#include "stable_hash.h"
#include "helpers.h"

typedef struct row
{
	int64_t		id;
	uint64_t	item;
} row;

/* An id from a set number: spread over all of int64, negatives included. */
static int64_t
id_of(uint32_t set)
{
	return (int64_t) sy_stable_mix(set + UINT64_C(12345));
}

/*
 * n_rows rows over n_sets sets in random order, each set drawing its items
 * from a pool of its own size (so items repeat), every set present.
 */
static row *
random_rows(uint32_t n_sets, uint32_t n_rows)
{
	row		   *rows = malloc(sizeof(row) * n_rows);

	for (uint32_t i = 0; i < n_rows; i++)
	{
		uint32_t	set = i < n_sets ? i : rng_below(n_sets);
		uint32_t	pool = 1 + set % 40;

		rows[i].id = id_of(set);
		rows[i].item = sy_stable_hash_int(rng_below(pool) + (set % 7) * 3, 0);
	}
	for (uint32_t i = n_rows - 1; i > 0; i--)
	{
		uint32_t	j = rng_below(i + 1);
		row			t = rows[i];

		rows[i] = rows[j];
		rows[j] = t;
	}
	return rows;
}

static int
compare_rows(const void *a, const void *b)
{
	const row  *x = a;
	const row  *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static void
test_signatures_as_one_set_at_a_time(uint32_t n_sets, uint32_t n_rows, uint32_t k)
{
	const sy_minhash_family *f = family_of(k, 99);
	row		   *rows = random_rows(n_sets, n_rows);
	track_ctx	t = {0};
	sy_env		env = {track_alloc, track_realloc, track_free, track_poll, &t};
	sy_minhash_sets s;
	uint32_t   *expected = malloc(sizeof(uint32_t) * k);
	long		wrong = 0,
				misfound = 0,
				out_of_order = 0;
	int			added = 1;

	sy_minhash_sets_init(&s, &env, f);
	for (uint32_t i = 0; i < n_rows && added; i++)
		added = sy_minhash_sets_add(&s, rows[i].id, rows[i].item) == SY_OK;
	ok(added, "%u rows added", n_rows);
	is_status(sy_minhash_sets_finish(&s), SY_OK, "finished");
	is_int(s.n, n_sets, "one set per distinct id");
	/* indices in order of first appearance */
	for (uint32_t i = 0, next = 0; i < n_rows; i++)
	{
		uint32_t	index;

		if (!sy_minhash_sets_find(&s, rows[i].id, &index) || s.ids[index] != rows[i].id)
			misfound++;
		else if (index > next)
			out_of_order++;
		else if (index == next)
			next++;
	}
	ok(misfound == 0 && out_of_order == 0,
	   "every id found at its index, indices in order of first appearance "
	   "(misfound %ld, out of order %ld)", misfound, out_of_order);
	qsort(rows, n_rows, sizeof(row), compare_rows);
	for (uint32_t i = 0; i < n_rows;)
	{
		uint32_t	end = i;
		uint32_t	index = 0;

		sy_minhash_clear(expected, k);
		for (; end < n_rows && rows[end].id == rows[i].id; end++)
			sy_minhash_add(expected, f, rows[end].item);
		sy_minhash_sets_find(&s, rows[i].id, &index);
		wrong += memcmp(expected, s.mins + (size_t) index * k, sizeof(uint32_t) * k) != 0;
		i = end;
	}
	is_int(wrong, 0, "%u sets of %u rows, k %u: each signature as built alone", n_sets, n_rows, k);
	ok(!sy_minhash_sets_find(&s, id_of(n_sets + 1), &(uint32_t) {0}), "an unknown id is not found");
	if (n_rows >= SY_POLL_EVERY)
		ok(t.polls > 0, "long loops poll");
	sy_minhash_sets_free(&s);
	is_int((long long) t.live, 0, "no memory left allocated");
	free(rows);
	free(expected);
}

static void
test_empty_and_failing(void)
{
	const sy_minhash_family *f = family_of(16, 0);
	fail_ctx	c;
	sy_env		env = fail_env(&c, -1);
	sy_minhash_sets s;
	uint32_t	index;
	long		budget;

	sy_minhash_sets_init(&s, &env, f);
	is_status(sy_minhash_sets_finish(&s), SY_OK, "finishing no rows");
	is_int(s.n, 0, "no rows, no sets");
	ok(!sy_minhash_sets_find(&s, 1, &index), "nothing found in no sets");
	sy_minhash_sets_free(&s);
	for (budget = 0; budget < 40; budget++)
	{
		sy_status	st = SY_OK;

		env = fail_env(&c, budget);
		sy_minhash_sets_init(&s, &env, f);
		for (uint32_t i = 0; i < 5000 && st == SY_OK; i++)
			st = sy_minhash_sets_add(&s, i % 3000, i);
		if (st == SY_OK)
			st = sy_minhash_sets_finish(&s);
		sy_minhash_sets_free(&s);
		if (st == SY_OK)
			break;
		if (st != SY_ENOMEM || c.live != 0)
			break;
	}
	ok(budget > 0 && budget < 40 && c.live == 0,
	   "every allocation that fails gives SY_ENOMEM and leaks nothing (%ld allocations needed)",
	   budget);
}

int
main(void)
{
	rng_seed(20261128);
	test_signatures_as_one_set_at_a_time(300, 5000, 128);
	test_signatures_as_one_set_at_a_time(5000, 3u << 20, 32);	/* three batches */
	test_signatures_as_one_set_at_a_time(300000, 1u << 20, 8);	/* grows while indexing */
	test_empty_and_failing();
	family_of(0, 0);
	return done_testing();
}
