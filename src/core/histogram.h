/*
 * histogram.h: a sparse map from label (bytes) to a positive count.
 *
 * Three forms, one entry layout:
 *   - sy_hist, the mutable builder: a dense entry array in insertion order, a
 *     label arena, and an open-addressing index (the aggregate state);
 *   - the flat form, the type's on-disk payload: entries sorted by label
 *     bytes, then the label bytes, so equal histograms have equal bytes;
 *   - the wire form of send/recv: big-endian and independent of the host.
 * A sy_hist_view reads either the builder or the flat form.
 *
 * Counts are finite and > 0 in every form, and so is their total: a sum
 * that would overflow is refused (SY_EOVERFLOW), so probabilities never
 * come from an infinite total.  Adding a zero weight is a no-op, so "absent"
 * and "count 0" are the same histogram.  A label is any byte string
 * without NUL (PostgreSQL text cannot hold one); a NUL is SY_EVALUE.
 */
#ifndef SYBIL_CORE_HISTOGRAM_H
#define SYBIL_CORE_HISTOGRAM_H

#include <stdbool.h>
#include "env.h"

typedef struct sy_hist_entry
{
	double		count;
	uint32_t	label_off;		/* offset into the label bytes */
	uint32_t	label_len;
} sy_hist_entry;

typedef struct sy_hist_view
{
	const sy_hist_entry *entries;
	uint32_t	n;
	const char *labels;
} sy_hist_view;

typedef struct sy_hist
{
	const sy_env *env;
	sy_hist_entry *entries;
	uint32_t   *hashes;			/* hash of entries[i]'s label */
	uint32_t	n;
	uint32_t	cap;
	char	   *labels;
	size_t		labels_len;
	size_t		labels_cap;
	uint32_t   *slots;			/* entry index + 1, under slot_mask, and the
								 * hash's bits above it; 0 marks an empty slot */
	uint32_t	slot_mask;
	size_t		max_payload;	/* flat payload limit, SY_HIST_MAX_PAYLOAD */
	double		total;			/* running sum of counts, kept finite */
} sy_hist;

/* Flat payload header: version, flags, reserved, n, reserved. */
#define SY_HIST_FLAT_HEADER 12
#define SY_HIST_FLAT_VERSION 1
#define SY_HIST_WIRE_VERSION 1
/* Leaves room for a varlena header below PostgreSQL's 1 GB datum limit. */
#define SY_HIST_MAX_PAYLOAD ((size_t) 0x3FFFFF00)

/*
 * Key the label hash, so that nobody can choose labels that all collide
 * and turn the index quadratic.  Hosts call it once with a random value;
 * without it the key is a fixed constant.
 */
void		sy_hist_set_hash_key(uint64_t key);

sy_status	sy_hist_init(sy_hist *h, const sy_env *env, uint32_t expected_labels);
void		sy_hist_free(sy_hist *h);

/* Add weight (finite, >= 0) to label's count. */
sy_status	sy_hist_add(sy_hist *h, const char *label, uint32_t len, double weight);

/*
 * Used as a label dictionary: the index of label's entry, added with count
 * 0 if absent.  Indices are stable: entries are only ever appended.
 */
sy_status	sy_hist_intern(sy_hist *h, const char *label, uint32_t len, uint32_t *id);

/*
 * The same as n calls of sy_hist_intern(h, labels[i], lens[i], &ids[i]),
 * stopping at the first failure, but faster on big dictionaries: the
 * memory reads of a batch of labels (index slot, entry, label bytes) are
 * issued together, so that their cache misses overlap instead of following
 * one another.  *interned is set to the number of labels interned, n on
 * success; on failure, the labels before that position were interned (their
 * ids written), the one at it failed and changed nothing, and the ones after
 * it were not looked at.
 */
sy_status	sy_hist_intern_batch(sy_hist *h, const char *const *labels, const uint32_t *lens,
								 size_t n, uint32_t *ids, size_t *interned);

/* Insert a label that must not be present yet; weight >= 0 (0 is kept until
 * sy_hist_drop_zeros, so that parsers can still see duplicates). */
sy_status	sy_hist_insert_new(sy_hist *h, const char *label, uint32_t len, double weight);
void		sy_hist_drop_zeros(sy_hist *h);

/* Add every entry of v to h. */
sy_status	sy_hist_merge(sy_hist *h, sy_hist_view v);

/* Replace h's content by a copy of v. */
sy_status	sy_hist_assign(sy_hist *h, sy_hist_view v);

sy_hist_view sy_hist_as_view(const sy_hist *h);

/* Flat form.  dst must start 4 bytes past an 8-byte boundary (as a varlena's
 * data does), so that entries are 8-byte aligned. */
size_t		sy_hist_flat_size(const sy_hist *h);
sy_status	sy_hist_flatten(const sy_hist *h, void *dst);
/* The same for any view, in any entry order; labels must be distinct. */
size_t		sy_view_flat_size(sy_hist_view v);
sy_status	sy_view_flatten(const sy_env *env, sy_hist_view v, void *dst);
/* Check a flat payload's structure and point a view at it (no copy). */
sy_status	sy_hist_flat_view(const void *payload, size_t size, sy_hist_view *out);

/* Wire form.  sy_hist_wire_size tells how many bytes sy_hist_to_wire writes;
 * sy_hist_from_wire fills an empty builder and reports bytes consumed. */
size_t		sy_hist_wire_size(sy_hist_view v);
void		sy_hist_to_wire(sy_hist_view v, unsigned char *dst);
sy_status	sy_hist_from_wire(sy_hist *h, const unsigned char *src, size_t len,
							  size_t *consumed);

/* Entries of v sorted by label bytes, written into out[v.n]. */
sy_status	sy_hist_sorted_entries(const sy_env *env, sy_hist_view v, sy_hist_entry *out);

/* Byte-wise label order, shorter first on a common prefix. */
int			sy_label_cmp(const char *a, uint32_t alen, const char *b, uint32_t blen);

bool		sy_count_is_valid(double c);

#endif
