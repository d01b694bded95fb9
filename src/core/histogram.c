/* histogram.c: the histogram builder, its flat form and its wire form. */
#include <math.h>
#include <string.h>
#include "histogram.h"
#include "sort.h"

#define ENTRY_BYTES sizeof(sy_hist_entry)
#define WIRE_HEADER 5			/* version byte + label count */
#define WIRE_ENTRY_HEADER 12	/* count + label length */
#define NOT_FOUND UINT32_MAX

/* A hint that *p will be read soon, as in components.c. */
#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void) (p))
#endif
/* Labels of sy_hist_intern_batch looked up together. */
#define INTERN_BATCH 32

bool
sy_count_is_valid(double c)
{
	return isfinite(c) && c > 0;
}

int
sy_label_cmp(const char *a, uint32_t alen, const char *b, uint32_t blen)
{
	int			c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return (alen > blen) - (alen < blen);
}

static uint64_t hash_key = 0x9E3779B97F4A7C15ULL;

void
sy_hist_set_hash_key(uint64_t key)
{
	hash_key = key;
}

/* A keyed 32-bit hash of a label: multiply-xorshift over 8-byte words. */
static uint32_t
label_hash(const char *s, uint32_t len)
{
	uint64_t	h = hash_key ^ len;
	uint64_t	w = 0;

	for (; len >= 8; s += 8, len -= 8)
	{
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s, len);
	h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
	h ^= h >> 29;
	h *= 0x94D049BB133111EBULL;
	h ^= h >> 32;
	return (uint32_t) h;
}

static uint32_t
slot_count_for(uint32_t labels)
{
	uint32_t	slots = 16;

	while (slots < 2 * (uint64_t) labels)
		slots *= 2;
	return slots;
}

sy_status
sy_hist_init(sy_hist *h, const sy_env *env, uint32_t expected_labels)
{
	uint32_t	cap = expected_labels < 8 ? 8 : expected_labels;
	uint32_t	slots;

	memset(h, 0, sizeof(*h));
	h->env = env;
	if (cap > SY_HIST_MAX_PAYLOAD / ENTRY_BYTES)
		return SY_ETOOBIG;
	slots = slot_count_for(cap);
	h->max_payload = SY_HIST_MAX_PAYLOAD;
	h->cap = cap;
	h->labels_cap = (size_t) cap * 16;
	h->slot_mask = slots - 1;
	h->entries = env->alloc(env->ctx, (size_t) cap * ENTRY_BYTES);
	h->hashes = env->alloc(env->ctx, (size_t) cap * sizeof(uint32_t));
	h->labels = env->alloc(env->ctx, h->labels_cap);
	h->slots = env->alloc(env->ctx, (size_t) slots * sizeof(uint32_t));
	if (!h->entries || !h->hashes || !h->labels || !h->slots)
	{
		sy_hist_free(h);
		return SY_ENOMEM;
	}
	memset(h->slots, 0, (size_t) slots * sizeof(uint32_t));
	return SY_OK;
}

void
sy_hist_free(sy_hist *h)
{
	void	   *blocks[4] = {h->entries, h->hashes, h->labels, h->slots};
	int			i;

	for (i = 0; i < 4; i++)
		if (blocks[i] != NULL)
			h->env->free(h->env->ctx, blocks[i]);
	h->entries = NULL;
	h->hashes = NULL;
	h->labels = NULL;
	h->slots = NULL;
	h->n = 0;
}

/*
 * A slot holds its entry's index + 1 in the low bits, those of slot_mask
 * (there are at most half as many entries as slots), and above them the
 * same bits of the entry's hash, which the home slot did not use: probing
 * past other labels then rarely reads their entries.
 */
static uint32_t
slot_value(const sy_hist *h, uint32_t hash, uint32_t entry)
{
	return (hash & ~h->slot_mask) | (entry + 1);
}

/* Entry index + 1 of slot pos, 0 when it is empty. */
static uint32_t
slot_entry(const sy_hist *h, uint32_t pos)
{
	return h->slots[pos] & h->slot_mask;
}

/* Slot holding label, or the empty slot where it would go. */
static uint32_t
find_slot(const sy_hist *h, const char *label, uint32_t len, uint32_t hash)
{
	uint32_t	tag = hash & ~h->slot_mask;
	uint32_t	pos = hash & h->slot_mask;

	for (;;)
	{
		uint32_t	s = h->slots[pos];

		if (s == 0)
			return pos;
		if ((s & ~h->slot_mask) == tag)
		{
			const sy_hist_entry *e = &h->entries[(s & h->slot_mask) - 1];

			if (e->label_len == len && memcmp(h->labels + e->label_off, label, len) == 0)
				return pos;
		}
		pos = (pos + 1) & h->slot_mask;
	}
}

static void
rebuild_slots(sy_hist *h)
{
	uint32_t	i;

	memset(h->slots, 0, ((size_t) h->slot_mask + 1) * sizeof(uint32_t));
	for (i = 0; i < h->n; i++)
	{
		uint32_t	pos = h->hashes[i] & h->slot_mask;

		while (h->slots[pos] != 0)
			pos = (pos + 1) & h->slot_mask;
		h->slots[pos] = slot_value(h, h->hashes[i], i);
	}
}

static sy_status
grow_block(const sy_env *env, void **block, size_t bytes)
{
	void	   *p = env->realloc(env->ctx, *block, bytes);

	if (p == NULL)
		return SY_ENOMEM;
	*block = p;
	return SY_OK;
}

/* Make room for one more entry whose label has len bytes. */
static sy_status
reserve_one(sy_hist *h, uint32_t len)
{
	const sy_env *env = h->env;
	sy_status	st;

	if (SY_HIST_FLAT_HEADER + ((size_t) h->n + 1) * ENTRY_BYTES + h->labels_len + len > h->max_payload)
		return SY_ETOOBIG;
	if (h->n == h->cap)
	{
		uint32_t	cap = h->cap * 2;

		if ((st = grow_block(env, (void **) &h->entries, (size_t) cap * ENTRY_BYTES)) != SY_OK ||
			(st = grow_block(env, (void **) &h->hashes, (size_t) cap * sizeof(uint32_t))) != SY_OK)
			return st;
		h->cap = cap;
	}
	if (h->labels_len + len > h->labels_cap)
	{
		size_t		cap = h->labels_cap * 2;

		while (cap < h->labels_len + len)
			cap *= 2;
		if ((st = grow_block(env, (void **) &h->labels, cap)) != SY_OK)
			return st;
		h->labels_cap = cap;
	}
	if (2 * ((uint64_t) h->n + 1) > (uint64_t) h->slot_mask + 1)
	{
		uint32_t	slots = 2 * (h->slot_mask + 1);

		if ((st = grow_block(env, (void **) &h->slots, (size_t) slots * sizeof(uint32_t))) != SY_OK)
			return st;
		h->slot_mask = slots - 1;
		rebuild_slots(h);
	}
	return SY_OK;
}

/* Append a new entry; the label must be absent. */
static sy_status
append_entry(sy_hist *h, const char *label, uint32_t len, uint32_t hash, double count)
{
	sy_status	st = reserve_one(h, len);
	sy_hist_entry *e;

	if (st != SY_OK)
		return st;
	e = &h->entries[h->n];
	e->count = count;
	e->label_off = (uint32_t) h->labels_len;
	e->label_len = len;
	if (len > 0)
		memcpy(h->labels + h->labels_len, label, len);
	h->labels_len += len;
	h->hashes[h->n] = hash;
	h->n++;
	h->slots[find_slot(h, label, len, hash)] = slot_value(h, hash, h->n - 1);
	h->total += count;
	return SY_OK;
}

static bool
entry_is_valid(const char *label, uint32_t len, double weight)
{
	return isfinite(weight) && weight >= 0 && (len == 0 || memchr(label, 0, len) == NULL);
}

sy_status
sy_hist_add(sy_hist *h, const char *label, uint32_t len, double weight)
{
	uint32_t	hash;
	uint32_t	e;

	if (!entry_is_valid(label, len, weight))
		return SY_EVALUE;
	if (weight == 0)
		return SY_OK;
	/* Every count is at most the total, so this also bounds each count. */
	if (isinf(h->total + weight))
		return SY_EOVERFLOW;
	hash = label_hash(label, len);
	e = slot_entry(h, find_slot(h, label, len, hash));
	if (e == 0)
		return append_entry(h, label, len, hash, weight);
	h->entries[e - 1].count += weight;
	h->total += weight;
	return SY_OK;
}

/* sy_hist_intern once the label is checked and hashed. */
static inline sy_status
intern_hashed(sy_hist *h, const char *label, uint32_t len, uint32_t hash, uint32_t *id)
{
	uint32_t	e = slot_entry(h, find_slot(h, label, len, hash));
	sy_status	st;

	if (e == 0)
	{
		if ((st = append_entry(h, label, len, hash, 0)) != SY_OK)
			return st;
		e = h->n;
	}
	*id = e - 1;
	return SY_OK;
}

sy_status
sy_hist_intern(sy_hist *h, const char *label, uint32_t len, uint32_t *id)
{
	if (!entry_is_valid(label, len, 0))
		return SY_EVALUE;
	return intern_hashed(h, label, len, label_hash(label, len), id);
}

/*
 * The entry that label's probe will compare first: the first slot of its
 * run whose tag matches, almost always its own when label is present.
 */
static uint32_t
candidate_entry(const sy_hist *h, uint32_t hash)
{
	uint32_t	tag = hash & ~h->slot_mask;
	uint32_t	pos = hash & h->slot_mask;
	uint32_t	s;

	while ((s = h->slots[pos]) != 0)
	{
		if ((s & ~h->slot_mask) == tag)
			return s & h->slot_mask;
		pos = (pos + 1) & h->slot_mask;
	}
	return 0;
}

/*
 * A dictionary of a million labels is mostly cache misses, one after the
 * other: the index slot, then the entry it points at, then the label
 * bytes.  Labels are taken INTERN_BATCH at a time: every home slot is
 * prefetched, then the entry each probe will compare, then its label, and
 * only then are the labels interned in order, which reads the same memory
 * again, now in cache.  An insertion that grows the index mid-batch only
 * makes the later prefetches useless, never a result different.
 */
sy_status
sy_hist_intern_batch(sy_hist *h, const char *const *labels, const uint32_t *lens, size_t n,
					 uint32_t *ids, size_t *interned)
{
	uint32_t	hashes[INTERN_BATCH],
				entries[INTERN_BATCH];	/* index + 1 of the first candidate */
	size_t		start;

	*interned = 0;
	for (start = 0; start < n; start += INTERN_BATCH)
	{
		const char *const *label = labels + start;
		const uint32_t *len = lens + start;
		size_t		k = n - start < INTERN_BATCH ? n - start : INTERN_BATCH;
		size_t		j;

		for (j = 0; j < k; j++)
		{
			hashes[j] = label_hash(label[j], len[j]);
			PREFETCH(&h->slots[hashes[j] & h->slot_mask]);
		}
		for (j = 0; j < k; j++)
		{
			entries[j] = candidate_entry(h, hashes[j]);
			if (entries[j] != 0)
				PREFETCH(&h->entries[entries[j] - 1]);
		}
		for (j = 0; j < k; j++)
			if (entries[j] != 0)
				PREFETCH(h->labels + h->entries[entries[j] - 1].label_off);
		for (j = 0; j < k; j++)
		{
			size_t		i = start + j;
			sy_status	st;

			/* labels often come grouped: the previous one is in cache */
			if (i > 0 && lens[i] == lens[i - 1] &&
				(lens[i] == 0 || memcmp(labels[i], labels[i - 1], lens[i]) == 0))
				ids[i] = ids[i - 1];
			else if (!entry_is_valid(labels[i], lens[i], 0))
				return SY_EVALUE;
			else if ((st = intern_hashed(h, labels[i], lens[i], hashes[j], &ids[i])) != SY_OK)
				return st;
			*interned = i + 1;
		}
	}
	return SY_OK;
}

sy_status
sy_hist_insert_new(sy_hist *h, const char *label, uint32_t len, double weight)
{
	uint32_t	hash;

	if (!entry_is_valid(label, len, weight))
		return SY_EVALUE;
	if (isinf(h->total + weight))
		return SY_EOVERFLOW;
	hash = label_hash(label, len);
	if (h->slots[find_slot(h, label, len, hash)] != 0)
		return SY_EDUPLICATE;
	return append_entry(h, label, len, hash, weight);
}

void
sy_hist_drop_zeros(sy_hist *h)
{
	uint32_t	i;
	uint32_t	kept = 0;
	size_t		label_end = 0;

	/* Labels sit in the arena in entry order, so compacting both in one
	 * forward pass never overwrites a label still to be moved. */
	for (i = 0; i < h->n; i++)
	{
		sy_hist_entry e = h->entries[i];

		if (e.count == 0)
			continue;
		memmove(h->labels + label_end, h->labels + e.label_off, e.label_len);
		e.label_off = (uint32_t) label_end;
		label_end += e.label_len;
		h->hashes[kept] = h->hashes[i];
		h->entries[kept++] = e;
	}
	if (kept == h->n)
		return;
	h->n = kept;
	h->labels_len = label_end;
	rebuild_slots(h);
}

sy_status
sy_hist_merge(sy_hist *h, sy_hist_view v)
{
	uint32_t	i;

	for (i = 0; i < v.n; i++)
	{
		const sy_hist_entry *e = &v.entries[i];
		sy_status	st = sy_hist_add(h, v.labels + e->label_off, e->label_len, e->count);

		if (st != SY_OK)
			return st;
		sy_poll(h->env, i);
	}
	return SY_OK;
}

sy_status
sy_hist_assign(sy_hist *h, sy_hist_view v)
{
	h->n = 0;
	h->labels_len = 0;
	h->total = 0;
	memset(h->slots, 0, ((size_t) h->slot_mask + 1) * sizeof(uint32_t));
	return sy_hist_merge(h, v);
}

sy_hist_view
sy_hist_as_view(const sy_hist *h)
{
	sy_hist_view v;

	v.entries = h->entries;
	v.n = h->n;
	v.labels = h->labels;
	return v;
}

static int
cmp_by_label(uint32_t a, uint32_t b, const void *ctx)
{
	const sy_hist_view *v = ctx;
	const sy_hist_entry *ea = &v->entries[a];
	const sy_hist_entry *eb = &v->entries[b];

	return sy_label_cmp(v->labels + ea->label_off, ea->label_len,
						v->labels + eb->label_off, eb->label_len);
}

/* Allocate the identity permutation of n indices sorted by label. */
static uint32_t *
label_order(const sy_env *env, const sy_hist_view *v)
{
	uint32_t   *order = env->alloc(env->ctx, ((size_t) v->n + 1) * sizeof(uint32_t));
	uint32_t	i;

	if (order == NULL)
		return NULL;
	for (i = 0; i < v->n; i++)
		order[i] = i;
	sy_sort_indices(order, v->n, cmp_by_label, v, env);
	return order;
}

sy_status
sy_hist_sorted_entries(const sy_env *env, sy_hist_view v, sy_hist_entry *out)
{
	uint32_t   *order = label_order(env, &v);
	uint32_t	i;

	if (order == NULL)
		return SY_ENOMEM;
	for (i = 0; i < v.n; i++)
		out[i] = v.entries[order[i]];
	env->free(env->ctx, order);
	return SY_OK;
}

size_t
sy_hist_flat_size(const sy_hist *h)
{
	return SY_HIST_FLAT_HEADER + (size_t) h->n * ENTRY_BYTES + h->labels_len;
}

sy_status
sy_hist_flatten(const sy_hist *h, void *dst)
{
	return sy_view_flatten(h->env, sy_hist_as_view(h), dst);
}

/* Total length of the labels of v. */
static size_t
label_bytes(sy_hist_view v)
{
	size_t		bytes = 0;
	uint32_t	i;

	for (i = 0; i < v.n; i++)
		bytes += v.entries[i].label_len;
	return bytes;
}

size_t
sy_view_flat_size(sy_hist_view v)
{
	return SY_HIST_FLAT_HEADER + (size_t) v.n * ENTRY_BYTES + label_bytes(v);
}

sy_status
sy_view_flatten(const sy_env *env, sy_hist_view v, void *dst)
{
	unsigned char *p = dst;
	unsigned char *entries = p + SY_HIST_FLAT_HEADER;
	char	   *labels = (char *) entries + (size_t) v.n * ENTRY_BYTES;
	uint32_t   *order = label_order(env, &v);
	uint32_t	off = 0;
	uint32_t	i;

	if (order == NULL)
		return SY_ENOMEM;
	memset(p, 0, SY_HIST_FLAT_HEADER);
	p[0] = SY_HIST_FLAT_VERSION;
	memcpy(p + 4, &v.n, sizeof(uint32_t));
	for (i = 0; i < v.n; i++)
	{
		sy_hist_entry e = v.entries[order[i]];

		memcpy(labels + off, v.labels + e.label_off, e.label_len);
		e.label_off = off;
		off += e.label_len;
		memcpy(entries + (size_t) i * ENTRY_BYTES, &e, ENTRY_BYTES);
	}
	env->free(env->ctx, order);
	return SY_OK;
}

sy_status
sy_hist_flat_view(const void *payload, size_t size, sy_hist_view *out)
{
	const unsigned char *p = payload;
	uint32_t	n;
	uint32_t	i;
	size_t		blob;
	uint64_t	next_off = 0;
	double		total = 0;

	if (size < SY_HIST_FLAT_HEADER || p[0] != SY_HIST_FLAT_VERSION || p[1] != 0 ||
		p[2] != 0 || p[3] != 0 || p[8] != 0 || p[9] != 0 || p[10] != 0 || p[11] != 0)
		return SY_ECORRUPT;
	if (((uintptr_t) (p + SY_HIST_FLAT_HEADER)) % 8 != 0)
		return SY_ECORRUPT;
	memcpy(&n, p + 4, sizeof(n));
	if (n > (size - SY_HIST_FLAT_HEADER) / ENTRY_BYTES)
		return SY_ECORRUPT;
	blob = size - SY_HIST_FLAT_HEADER - (size_t) n * ENTRY_BYTES;
	out->n = n;
	out->entries = (const sy_hist_entry *) (p + SY_HIST_FLAT_HEADER);
	out->labels = (const char *) (p + SY_HIST_FLAT_HEADER + (size_t) n * ENTRY_BYTES);
	/* The canonical layout: labels packed in entry order, strictly sorted. */
	for (i = 0; i < n; i++)
	{
		const sy_hist_entry *e = &out->entries[i];

		total += e->count;
		if (e->label_off != next_off || !sy_count_is_valid(e->count) || isinf(total))
			return SY_ECORRUPT;
		next_off += e->label_len;
		if (next_off > blob)
			return SY_ECORRUPT;
		if (i > 0 && cmp_by_label(i - 1, i, out) >= 0)
			return SY_ECORRUPT;
		if (memchr(out->labels + e->label_off, 0, e->label_len) != NULL)
			return SY_ECORRUPT;
	}
	return next_off == blob ? SY_OK : SY_ECORRUPT;
}

static void
put_u32(unsigned char *p, uint32_t x)
{
	p[0] = (unsigned char) (x >> 24);
	p[1] = (unsigned char) (x >> 16);
	p[2] = (unsigned char) (x >> 8);
	p[3] = (unsigned char) x;
}

static uint32_t
get_u32(const unsigned char *p)
{
	return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) | ((uint32_t) p[2] << 8) | p[3];
}

size_t
sy_hist_wire_size(sy_hist_view v)
{
	return WIRE_HEADER + (size_t) v.n * WIRE_ENTRY_HEADER + label_bytes(v);
}

void
sy_hist_to_wire(sy_hist_view v, unsigned char *dst)
{
	uint32_t	i;

	dst[0] = SY_HIST_WIRE_VERSION;
	put_u32(dst + 1, v.n);
	dst += WIRE_HEADER;
	for (i = 0; i < v.n; i++)
	{
		const sy_hist_entry *e = &v.entries[i];
		uint64_t	bits;

		memcpy(&bits, &e->count, sizeof(bits));
		put_u32(dst, (uint32_t) (bits >> 32));
		put_u32(dst + 4, (uint32_t) bits);
		put_u32(dst + 8, e->label_len);
		memcpy(dst + WIRE_ENTRY_HEADER, v.labels + e->label_off, e->label_len);
		dst += WIRE_ENTRY_HEADER + e->label_len;
	}
}

sy_status
sy_hist_from_wire(sy_hist *h, const unsigned char *src, size_t len, size_t *consumed)
{
	size_t		pos = WIRE_HEADER;
	uint32_t	n;
	uint32_t	i;

	if (len < WIRE_HEADER || src[0] != SY_HIST_WIRE_VERSION)
		return SY_ECORRUPT;
	n = get_u32(src + 1);
	if (n > (len - WIRE_HEADER) / WIRE_ENTRY_HEADER)
		return SY_ECORRUPT;
	for (i = 0; i < n; i++)
	{
		uint64_t	bits;
		double		count;
		uint32_t	label_len;
		sy_status	st;

		if (len - pos < WIRE_ENTRY_HEADER)
			return SY_ECORRUPT;
		bits = ((uint64_t) get_u32(src + pos) << 32) | get_u32(src + pos + 4);
		memcpy(&count, &bits, sizeof(count));
		label_len = get_u32(src + pos + 8);
		pos += WIRE_ENTRY_HEADER;
		if (label_len > len - pos || memchr(src + pos, 0, label_len) != NULL)
			return SY_ECORRUPT;
		if (!sy_count_is_valid(count))
			return SY_EVALUE;
		st = sy_hist_insert_new(h, (const char *) src + pos, label_len, count);
		if (st != SY_OK)
			return st;
		pos += label_len;
		sy_poll(h->env, i);
	}
	*consumed = pos;
	return SY_OK;
}
