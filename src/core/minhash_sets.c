/* minhash_sets.c: see minhash_sets.h. */
#include "minhash_sets.h"

#include "prefetch.h"
#include "sort.h"
#include "stable_hash.h"

#define SETS_MIN_CAPACITY 1024
#define SETS_MAX (UINT32_MAX / 8)
#define WAITING_PER_SET 4
#define WAITING_MIN (UINT32_C(1) << 20)
#define AHEAD 8						/* prefetch distance, in pairs */

void
sy_minhash_sets_init(sy_minhash_sets *s, const sy_env *env, const sy_minhash_family *family)
{
	memset(s, 0, sizeof(*s));
	s->env = env;
	s->family = family;
}

/* Free the buffers that only adding pairs needs. */
static void
free_waiting(sy_minhash_sets *s)
{
	sy_free(s->env, s->starts);
	sy_free(s->env, s->waiting_id);
	sy_free(s->env, s->waiting_item);
	sy_free(s->env, s->waiting_index);
	sy_free(s->env, s->sorted_item);
	s->starts = s->waiting_index = NULL;
	s->waiting_id = NULL;
	s->waiting_item = s->sorted_item = NULL;
	s->waiting = s->waiting_capacity = 0;
}

void
sy_minhash_sets_free(sy_minhash_sets *s)
{
	free_waiting(s);
	sy_free(s->env, s->ids);
	sy_free(s->env, s->mins);
	sy_free(s->env, s->slots);
	sy_minhash_sets_init(s, s->env, s->family);
}

static uint32_t
slot_of(const sy_minhash_sets *s, int64_t id)
{
	return (uint32_t) sy_stable_mix((uint64_t) id) & s->slot_mask;
}

/* p resized to n elements of size bytes; NULL p is a first allocation. */
static void *
resize(const sy_env *env, void *p, uint64_t n, size_t size)
{
	if (p == NULL)
		return sy_alloc_array(env, n, size);
	return env->realloc(env->ctx, p, (size_t) n * size);
}

/* Room for twice the sets and their waiting pairs, and an id table twice
 * that size filled again. */
static sy_status
grow(sy_minhash_sets *s)
{
	const sy_env *env = s->env;
	uint32_t	capacity = s->capacity == 0 ? SETS_MIN_CAPACITY : s->capacity * 2;
	uint32_t	waiting = capacity * WAITING_PER_SET;
	sy_set_slot *slots;
	void	   *p;

	if (s->capacity >= SETS_MAX)
		return SY_ETOOBIG;
	if (waiting < WAITING_MIN)
		waiting = WAITING_MIN;
	if ((p = resize(env, s->ids, capacity, sizeof(int64_t))) == NULL)
		return SY_ENOMEM;
	s->ids = p;
	if ((p = resize(env, s->mins, (uint64_t) capacity * s->family->k, sizeof(uint32_t))) == NULL)
		return SY_ENOMEM;
	s->mins = p;
	if ((p = resize(env, s->starts, (uint64_t) capacity + 1, sizeof(uint32_t))) == NULL)
		return SY_ENOMEM;
	s->starts = p;
	if ((p = resize(env, s->waiting_id, waiting, sizeof(int64_t))) == NULL)
		return SY_ENOMEM;
	s->waiting_id = p;
	if ((p = resize(env, s->waiting_item, waiting, sizeof(uint64_t))) == NULL)
		return SY_ENOMEM;
	s->waiting_item = p;
	if ((p = resize(env, s->waiting_index, waiting, sizeof(uint32_t))) == NULL)
		return SY_ENOMEM;
	s->waiting_index = p;
	if ((p = resize(env, s->sorted_item, waiting, sizeof(uint64_t))) == NULL)
		return SY_ENOMEM;
	s->sorted_item = p;
	s->waiting_capacity = waiting;
	if ((slots = sy_alloc_zeroed(env, (uint64_t) capacity * 2, sizeof(sy_set_slot))) == NULL)
		return SY_ENOMEM;
	sy_free(env, s->slots);
	s->slots = slots;
	s->slot_mask = capacity * 2 - 1;
	s->capacity = capacity;
	for (uint32_t i = 0; i < s->n; i++)
	{
		uint32_t	slot = slot_of(s, s->ids[i]);

		while (s->slots[slot].index_plus_1 != 0)
			slot = (slot + 1) & s->slot_mask;
		s->slots[slot].id = s->ids[i];
		s->slots[slot].index_plus_1 = i + 1;
	}
	return SY_OK;
}

/* The slot of id, or the empty slot where it would go. */
static sy_set_slot *
slot_for(const sy_minhash_sets *s, int64_t id)
{
	uint32_t	slot = slot_of(s, id);

	while (s->slots[slot].index_plus_1 != 0 && s->slots[slot].id != id)
		slot = (slot + 1) & s->slot_mask;
	return &s->slots[slot];
}

bool
sy_minhash_sets_find(const sy_minhash_sets *s, int64_t id, uint32_t *index)
{
	const sy_set_slot *slot;

	if (s->n == 0)
		return false;
	slot = slot_for(s, id);
	*index = slot->index_plus_1 - 1;
	return slot->index_plus_1 != 0;
}

/* The index of every waiting pair's set, new sets for new ids. */
static sy_status
index_waiting(sy_minhash_sets *s)
{
	for (uint32_t i = 0; i < s->waiting; i++)
	{
		int64_t		id = s->waiting_id[i];
		sy_set_slot *slot;

		if (i + AHEAD < s->waiting)
			PREFETCH(&s->slots[slot_of(s, s->waiting_id[i + AHEAD])]);
		slot = slot_for(s, id);
		if (slot->index_plus_1 == 0)
		{
			if (s->n == s->capacity)
			{
				sy_status	st = grow(s);

				if (st != SY_OK)
					return st;
				slot = slot_for(s, id);
			}
			s->ids[s->n] = id;
			sy_minhash_clear(s->mins + (size_t) s->n * s->family->k, s->family->k);
			slot->id = id;
			slot->index_plus_1 = ++s->n;
		}
		s->waiting_index[i] = slot->index_plus_1 - 1;
		sy_poll(s->env, i);
	}
	return SY_OK;
}

/* Add a set's waiting items to its signature, each distinct item once. */
static void
add_distinct(uint32_t *mins, const sy_minhash_family *f, uint64_t *items, uint32_t n)
{
	size_t		distinct = sy_sort_distinct_u64(items, n);

	for (size_t i = 0; i < distinct; i++)
		sy_minhash_add(mins, f, items[i]);
}

/* Put the waiting items in index order and add them to their signatures. */
static sy_status
add_waiting(sy_minhash_sets *s)
{
	uint32_t	k = s->family->k;
	uint32_t   *starts;
	sy_status	st = index_waiting(s);

	if (st != SY_OK)
		return st;
	starts = s->starts;
	memset(starts, 0, ((size_t) s->n + 1) * sizeof(uint32_t));
	for (uint32_t i = 0; i < s->waiting; i++)
		starts[s->waiting_index[i] + 1]++;
	for (uint32_t i = 0; i < s->n; i++)
		starts[i + 1] += starts[i];
	for (uint32_t i = 0; i < s->waiting; i++)
		s->sorted_item[starts[s->waiting_index[i]]++] = s->waiting_item[i];
	/* each start has moved to the next set's: set i's items end at starts[i] */
	for (uint32_t i = 0, from = 0; i < s->n; from = starts[i++])
	{
		add_distinct(s->mins + (size_t) i * k, s->family, s->sorted_item + from, starts[i] - from);
		sy_poll(s->env, i);
	}
	s->waiting = 0;
	return SY_OK;
}

sy_status
sy_minhash_sets_add(sy_minhash_sets *s, int64_t id, uint64_t item)
{
	sy_status	st;

	if (s->capacity == 0 && (st = grow(s)) != SY_OK)
		return st;
	if (s->waiting == s->waiting_capacity && (st = add_waiting(s)) != SY_OK)
		return st;
	s->waiting_id[s->waiting] = id;
	s->waiting_item[s->waiting++] = item;
	return SY_OK;
}

sy_status
sy_minhash_sets_finish(sy_minhash_sets *s)
{
	sy_status	st = s->waiting > 0 ? add_waiting(s) : SY_OK;

	free_waiting(s);
	return st;
}
