/*
 * distribution.h: statistics of a histogram read as a probability
 * distribution.  Logarithms are base 2 (bits).
 *
 * Every function takes label-sorted views (the flat form, or
 * sy_hist_sorted_entries), so results do not depend on how a histogram was
 * built: a sum runs in the same order whichever way the counts were added.
 * An empty histogram has no distribution: those functions return NAN and the
 * glue turns that into SQL NULL.
 */
#ifndef SYBIL_CORE_DISTRIBUTION_H
#define SYBIL_CORE_DISTRIBUTION_H

#include "histogram.h"

double		sy_total(sy_hist_view v);

/* Shannon entropy in bits: -sum p log2 p. */
double		sy_entropy(sy_hist_view v);

/* Entropy divided by log2(label count); 0 for a single label. */
double		sy_normalized_entropy(sy_hist_view v);

/* Jensen-Shannon divergence in bits, in [0, 1]. */
double		sy_js_divergence(sy_hist_view p, sy_hist_view q);

/*
 * Kullback-Leibler divergence D(p || q) in bits, with q smoothed additively
 * over the union U of both supports: q_i = (Q_i + alpha) / (T_q + alpha |U|).
 * alpha = 0 gives +INFINITY where q lacks a label p has.
 */
double		sy_kl_divergence(sy_hist_view p, sy_hist_view q, double alpha);

/* Indices of v's entries by count descending, label ascending on ties. */
void		sy_rank_by_count(const sy_env *env, sy_hist_view v, uint32_t *order);

/* Share of the total held by the k largest counts. */
sy_status	sy_top_share(const sy_env *env, sy_hist_view v, uint32_t k, double *share);

#endif
