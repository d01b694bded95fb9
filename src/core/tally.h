/*
 * tally.h: counts of interned labels, the per-group aggregate state.
 *
 * An aggregate over many groups (per-account topic histograms) sees the same
 * few labels again and again.  So labels are interned once in a dictionary
 * shared by every group (an sy_hist used through sy_hist_intern: label ->
 * dense id), and each group keeps only an open-addressing table of
 * (id, count).  A row then costs a lookup in the small, cache-hot
 * dictionary and one probe in its group's table, and a group holds no
 * label bytes: 16 bytes a slot, against some 90 bytes a label for a
 * builder of its own.
 *
 * Every count and the total stay finite and > 0 as in a histogram, and a
 * tally never grows past what one flat histogram can hold.  The dictionary
 * holds the distinct labels of all groups together, so its max_payload may
 * be raised up to UINT32_MAX (its label offsets are 32-bit).
 */
#ifndef SYBIL_CORE_TALLY_H
#define SYBIL_CORE_TALLY_H

#include "histogram.h"

typedef struct sy_tally_slot
{
	double		count;
	uint32_t	id_plus_one;	/* 0 marks an empty slot */
	uint32_t	unused;
} sy_tally_slot;

typedef struct sy_tally
{
	sy_tally_slot *slots;
	uint32_t	mask;
	uint32_t	n;
	double		total;
	size_t		label_bytes;	/* sum of the lengths of this tally's labels */
} sy_tally;

sy_status	sy_tally_init(sy_tally *t, const sy_env *env);
void		sy_tally_free(sy_tally *t, const sy_env *env);

/* Add weight (finite, >= 0; 0 is a no-op) to label's count. */
sy_status	sy_tally_add(sy_tally *t, const sy_env *env, sy_hist *dict,
						 const char *label, uint32_t len, double weight);

/* Add every entry of v (labels distinct, as in any histogram view). */
sy_status	sy_tally_merge(sy_tally *t, const sy_env *env, sy_hist *dict, sy_hist_view v);

/* Empty t, keeping its table. */
void		sy_tally_clear(sy_tally *t);

/* Write t's entries, in table order, into out[t->n]; view them with
 * labels = dict->labels.  Valid until the dictionary next grows. */
void		sy_tally_entries(const sy_tally *t, const sy_hist *dict, sy_hist_entry *out);

size_t		sy_tally_flat_size(const sy_tally *t);

#endif
