/*
 * cadence.h: statistics of the gaps between an account's events.
 *
 * A person acts in bursts and pauses; a script acts on a timer.  The gaps
 * between consecutive events (of the times sorted, so the order in which
 * they were collected does not matter) tell them apart:
 *
 *   mean, sd          of the gaps (sd with ddof 0: the gaps are the whole
 *                     population, not a sample)
 *   cv = sd / mean    0 for a metronome, about 1 for a Poisson process
 *   burstiness        Goh & Barabasi's B = (sd - mean) / (sd + mean):
 *                     -1 for a metronome, 0 for Poisson, towards 1 for bursts
 *   memory            Goh & Barabasi's M: the correlation of each gap with
 *                     the next (Pearson's r of gaps 1..m-1 against 2..m)
 *   median, min, max  of the gaps
 *
 * Times are int64 microseconds; statistics are in seconds.  The mean is
 * computed exactly as (last - first) / (n - 1), never by summing, and the
 * spreads in two passes around exact means, so equal gaps give an sd of
 * exactly 0.  A statistic that is undefined is NAN: every gap statistic
 * below 2 events, cv and burstiness when the mean gap is 0, memory below
 * 3 events or when either run of gaps is constant.
 */
#ifndef SYBIL_CORE_CADENCE_H
#define SYBIL_CORE_CADENCE_H

#include <stddef.h>
#include <stdint.h>

#include "env.h"

typedef struct sy_cadence_stats
{
	uint64_t	events;
	double		mean_gap;
	double		sd_gap;
	double		cv;
	double		burstiness;
	double		memory;
	double		median_gap;
	double		min_gap;
	double		max_gap;
} sy_cadence_stats;

/*
 * The statistics of the times times_us[0..n), in any order and any int64
 * values (gaps up to 2^64 - 1 microseconds are exact).  times_us is working
 * space: its content is unspecified afterwards.  Needs 8n bytes from env
 * (SY_ENOMEM, SY_ETOOBIG past SIZE_MAX); polls env every 65,536 steps.
 */
sy_status	sy_cadence_compute(int64_t *times_us, size_t n, const sy_env *env,
							   sy_cadence_stats *out);

#endif
