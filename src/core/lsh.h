/*
 * lsh.h: candidate pairs of similar MinHash signatures by banding
 * (locality-sensitive hashing), without comparing all pairs.
 *
 * A signature of k slots is cut into `bands` bands of `rows` slots (slots
 * past bands * rows take no part).  Two signatures become candidates when
 * they agree on every slot of at least one band, which sets of Jaccard
 * similarity J do with probability 1 - (1 - J^rows)^bands: the S-curve that
 * bands and rows place.  Each band is a sort of n 8-byte keys, so a run
 * costs O(n * bands) plus the pairs found; memory is the 32-bit keys of
 * every band and, per thread, two bands' sort entries (4 * bands + 26 *
 * threads bytes a signature).  A pair is considered once, at the first
 * band whose key it shares, however many bands it agrees on.
 */
#ifndef SYBIL_CORE_LSH_H
#define SYBIL_CORE_LSH_H

#include <stdint.h>

#include "env.h"

/* The key of band `band` of a signature: its rows minima from mins. */
uint64_t	sy_lsh_band_key(const uint32_t *band_mins, uint32_t rows, uint32_t band,
							uint64_t seed);

/* Probability that a pair of similarity j becomes a candidate. */
double		sy_lsh_candidate_probability(double j, uint32_t bands, uint32_t rows);

/*
 * The most rows per band (fewest false candidates) for which a pair of
 * similarity `threshold` still becomes a candidate with probability at least
 * 0.95 with bands = k / rows.
 */
uint32_t	sy_lsh_rows_for(double threshold, uint32_t k);

/*
 * Where the default bands must reach that probability: two standard
 * errors of a k-slot estimate above the threshold, t + 2 sqrt(t (1 - t) / k)
 * (at most 1).  Closer to the threshold the estimate itself misses pairs
 * often (half of those right at it), so bands spent there buy little.
 */
double		sy_lsh_recall_point(double threshold, uint32_t k);

/*
 * The fewest bands of `rows` rows that reach that probability at the
 * recall point of `threshold` (k / rows when none do): every band more
 * costs a sort and the pairs it finds again, most of them found by an
 * earlier band.
 */
uint32_t	sy_lsh_bands_for(double threshold, uint32_t rows, uint32_t k);

typedef struct sy_lsh_params
{
	uint32_t	k;
	uint64_t	seed;
	uint32_t	bands;
	uint32_t	rows;
	uint32_t	min_agreements; /* candidates agreeing on fewer slots are dropped */
} sy_lsh_params;

/* Called once per pair a < b (indices into the signatures), with the
 * number of the k slots they agree on. */
typedef void (*sy_lsh_emit) (void *arg, uint32_t a, uint32_t b, uint32_t agreements);

/* The candidate pairs among n signatures stored one after another in mins. */
sy_status	sy_lsh_pairs(const sy_env *env, const uint32_t *mins, uint32_t n,
						 const sy_lsh_params *p, sy_lsh_emit emit, void *arg);

/*
 * The same pairs with the work shared by the caller's thread and up to
 * `workers` threads more (lsh_pairs.c): the band keys in blocks of
 * signatures, each taken by whichever thread is free, then the bands in
 * groups, taken by the other threads when there are some.  emit is called
 * on the caller's thread only: the other threads hand their pairs over in
 * chunks, which the caller emits as they come.
 *
 * env serves the caller's thread (its poll may leave by longjmp: call
 * sy_lsh_parallel_end then, as after run); worker_env serves the other
 * threads and must be thread-safe (its poll is not used).  The other
 * threads block every signal.
 */
typedef struct sy_lsh_parallel sy_lsh_parallel;

/* Start the threads (fewer when the system refuses some); *run is set when SY_OK. */
sy_status	sy_lsh_parallel_start(const sy_env *env, const sy_env *worker_env, uint32_t workers,
								  const uint32_t *mins, uint32_t n, const sy_lsh_params *p,
								  sy_lsh_parallel **run);

/* The threads started (besides the caller's). */
uint32_t	sy_lsh_parallel_workers(const sy_lsh_parallel *run);

/* The caller's share of the work, and every pair to emit; the first failure. */
sy_status	sy_lsh_parallel_run(sy_lsh_parallel *run, sy_lsh_emit emit, void *arg);

/* Stop and join the threads, free everything (run may be NULL). */
void		sy_lsh_parallel_end(sy_lsh_parallel *run);

#endif
