/*
 * lsh_band.h: the pieces of banding (lsh.c) that lsh_pairs.c schedules on
 * one or more threads.  Internal to the core.
 *
 * Every band key of every signature is computed first, a row of `bands`
 * 32-bit keys per signature; then each band is an independent task: its
 * entries are sorted by key and every run of equal keys is scanned for the
 * pairs that meet there first (their keys differ on every earlier band),
 * so bands can run in any order, on any thread, and each pair is still
 * found once.
 */
#ifndef SYBIL_CORE_LSH_BAND_H
#define SYBIL_CORE_LSH_BAND_H

#include "lsh.h"

/* Bands per task: a pass over the rows of keys serves them all. */
#define SY_LSH_BANDS_PER_TASK 2

/* Asked now and then during a scan; 0 stops it. */
typedef int (*sy_lsh_keep_going) (void *arg);

typedef struct sy_lsh_band_scan
{
	const uint32_t *mins;
	const uint32_t *keys;		/* n rows of p->bands keys */
	uint32_t	n;
	const sy_lsh_params *p;
	sy_lsh_emit emit;
	void	   *emit_arg;
	sy_lsh_keep_going keep_going;	/* every SY_POLL_EVERY pairs */
	void	   *keep_going_arg;
	uint64_t	checked;
	int			stopped;		/* keep_going said stop */
} sy_lsh_band_scan;

/* What each band's key starts from (p->bands of them). */
void		sy_lsh_band_starts(const sy_lsh_params *p, uint64_t *starts);

/* The rows of keys of signatures first .. first + count - 1. */
void		sy_lsh_keys_of(const uint32_t *mins, uint32_t first, uint32_t count,
						   const sy_lsh_params *p, const uint64_t *starts, uint32_t *keys);

/*
 * A thread's memory for scanning bands: the entries of `bands` bands, the
 * sort's second buffer, and two bitmaps of keys seen (8 + 8 * bands bytes
 * a signature, and about 2 bytes).
 */
typedef struct sy_lsh_workspace
{
	uint64_t   *entries;
	uint64_t   *tmp;
	uint64_t   *seen_once;
	uint64_t   *seen_twice;
	uint32_t	seen_bits;		/* log2 of the bitmaps' size in bits */
} sy_lsh_workspace;

/* Allocate w for n signatures and groups of `bands` bands; SY_ENOMEM
 * leaves nothing allocated. */
sy_status	sy_lsh_workspace_alloc(const sy_env *env, uint32_t n, uint32_t bands,
								   sy_lsh_workspace *w);
void		sy_lsh_workspace_free(const sy_env *env, sy_lsh_workspace *w);

/* The pairs first found in bands first .. first + count - 1, to s->emit. */
void		sy_lsh_scan_bands(sy_lsh_band_scan *s, uint32_t first, uint32_t count,
							  sy_lsh_workspace *w);

#endif
