/* tally.c: per-group counts of labels interned in a shared dictionary. */
#include <math.h>
#include <string.h>
#include "tally.h"

#define INITIAL_SLOTS 8
#define ENTRY_BYTES sizeof(sy_hist_entry)

sy_status
sy_tally_init(sy_tally *t, const sy_env *env)
{
	memset(t, 0, sizeof(*t));
	t->slots = env->alloc(env->ctx, INITIAL_SLOTS * sizeof(sy_tally_slot));
	if (t->slots == NULL)
		return SY_ENOMEM;
	memset(t->slots, 0, INITIAL_SLOTS * sizeof(sy_tally_slot));
	t->mask = INITIAL_SLOTS - 1;
	return SY_OK;
}

void
sy_tally_free(sy_tally *t, const sy_env *env)
{
	if (t->slots != NULL)
		env->free(env->ctx, t->slots);
	t->slots = NULL;
	t->n = 0;
}

void
sy_tally_clear(sy_tally *t)
{
	memset(t->slots, 0, ((size_t) t->mask + 1) * sizeof(sy_tally_slot));
	t->n = 0;
	t->total = 0;
	t->label_bytes = 0;
}

/*
 * Ids come in first-seen order, so one group's ids can be evenly spaced
 * (G groups each meeting a new label in turn): a full mixer keeps such
 * sequences from piling up in one run of slots.
 */
static uint32_t
home_slot(const sy_tally *t, uint32_t id)
{
	uint64_t	x = id;

	x ^= x >> 33;
	x *= 0xFF51AFD7ED558CCDULL;
	x ^= x >> 33;
	x *= 0xC4CEB9FE1A85EC53ULL;
	x ^= x >> 33;
	return (uint32_t) x & t->mask;
}

static sy_tally_slot *
find_slot(const sy_tally *t, uint32_t id)
{
	uint32_t	pos = home_slot(t, id);

	while (t->slots[pos].id_plus_one != 0 && t->slots[pos].id_plus_one != id + 1)
		pos = (pos + 1) & t->mask;
	return &t->slots[pos];
}

/* Double the table, keeping its load at most three quarters. */
static sy_status
grow(sy_tally *t, const sy_env *env)
{
	uint32_t	old_size = t->mask + 1;
	sy_tally_slot *old = t->slots;
	sy_tally_slot *grown;
	uint32_t	i;

	if (old_size > UINT32_MAX / 2)
		return SY_ETOOBIG;
	grown = env->alloc(env->ctx, (size_t) old_size * 2 * sizeof(sy_tally_slot));
	if (grown == NULL)
		return SY_ENOMEM;
	memset(grown, 0, (size_t) old_size * 2 * sizeof(sy_tally_slot));
	t->slots = grown;
	t->mask = old_size * 2 - 1;
	for (i = 0; i < old_size; i++)
		if (old[i].id_plus_one != 0)
			*find_slot(t, old[i].id_plus_one - 1) = old[i];
	env->free(env->ctx, old);
	return SY_OK;
}

sy_status
sy_tally_add(sy_tally *t, const sy_env *env, sy_hist *dict,
			 const char *label, uint32_t len, double weight)
{
	sy_tally_slot *slot;
	uint32_t	id;
	sy_status	st;

	if (!isfinite(weight) || weight < 0 || (len > 0 && memchr(label, 0, len) != NULL))
		return SY_EVALUE;
	if (weight == 0)
		return SY_OK;
	if (isinf(t->total + weight))
		return SY_EOVERFLOW;
	if ((st = sy_hist_intern(dict, label, len, &id)) != SY_OK)
		return st;
	slot = find_slot(t, id);
	if (slot->id_plus_one == 0)
	{
		if (SY_HIST_FLAT_HEADER + ((size_t) t->n + 1) * ENTRY_BYTES + t->label_bytes + len > SY_HIST_MAX_PAYLOAD)
			return SY_ETOOBIG;
		if (4 * ((uint64_t) t->n + 1) > 3 * ((uint64_t) t->mask + 1))
		{
			if ((st = grow(t, env)) != SY_OK)
				return st;
			slot = find_slot(t, id);
		}
		slot->id_plus_one = id + 1;
		slot->count = 0;
		t->n++;
		t->label_bytes += len;
	}
	slot->count += weight;
	t->total += weight;
	return SY_OK;
}

sy_status
sy_tally_merge(sy_tally *t, const sy_env *env, sy_hist *dict, sy_hist_view v)
{
	uint32_t	i;

	for (i = 0; i < v.n; i++)
	{
		const sy_hist_entry *e = &v.entries[i];
		sy_status	st = sy_tally_add(t, env, dict, v.labels + e->label_off,
									  e->label_len, e->count);

		if (st != SY_OK)
			return st;
		sy_poll(env, i);
	}
	return SY_OK;
}

void
sy_tally_entries(const sy_tally *t, const sy_hist *dict, sy_hist_entry *out)
{
	uint32_t	i;

	for (i = 0; i <= t->mask; i++)
	{
		const sy_tally_slot *s = &t->slots[i];

		if (s->id_plus_one == 0)
			continue;
		out->count = s->count;
		out->label_off = dict->entries[s->id_plus_one - 1].label_off;
		out->label_len = dict->entries[s->id_plus_one - 1].label_len;
		out++;
	}
}

size_t
sy_tally_flat_size(const sy_tally *t)
{
	return SY_HIST_FLAT_HEADER + (size_t) t->n * ENTRY_BYTES + t->label_bytes;
}
