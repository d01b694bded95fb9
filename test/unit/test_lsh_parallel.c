/*
 * test_lsh_parallel.c: unit tests of src/core/lsh_pairs.c, the banding
 * shared with threads.  With any number of threads the pairs are those of
 * the serial run, each once, with the same agreements, emitted on the
 * caller's thread only; a thread's allocation failure stops the run with
 * SY_ENOMEM; a caller that leaves by longjmp (as PostgreSQL's ERROR does
 * from a poll) can end the run, the threads joined, nothing leaked.  Built
 * with ThreadSanitizer too (see Makefile).  Emits TAP.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lsh.h"
#include "lsh_band.h"
#include "minhash.h"
#include "helpers.h"

/* A thread-safe allocator counting live bytes, refusing past a limit. */
typedef struct shared_ctx
{
	pthread_mutex_t lock;
	size_t		live;
	size_t		limit;
	long		refused;
} shared_ctx;

static void *
shared_alloc(void *ctx, size_t size)
{
	shared_ctx *c = ctx;
	size_t	   *p = NULL;

	pthread_mutex_lock(&c->lock);
	if (c->live + size <= c->limit)
	{
		p = malloc(size + 16);
		if (p != NULL)
		{
			p[0] = size;
			c->live += size;
		}
	}
	else
		c->refused++;
	pthread_mutex_unlock(&c->lock);
	return p == NULL ? NULL : (char *) p + 16;
}

static void
shared_free(void *ctx, void *ptr)
{
	shared_ctx *c = ctx;
	size_t	   *p = (size_t *) ((char *) ptr - 16);

	pthread_mutex_lock(&c->lock);
	c->live -= p[0];
	pthread_mutex_unlock(&c->lock);
	free(p);
}

static void *
shared_realloc(void *ctx, void *ptr, size_t size)
{
	void	   *bigger = shared_alloc(ctx, size);

	if (bigger != NULL && ptr != NULL)
	{
		size_t		old = ((size_t *) ((char *) ptr - 16))[0];

		memcpy(bigger, ptr, old < size ? old : size);
		shared_free(ctx, ptr);
	}
	return bigger;
}

static void
shared_init(shared_ctx *c, size_t limit)
{
	pthread_mutex_init(&c->lock, NULL);
	c->live = 0;
	c->limit = limit;
	c->refused = 0;
}

/* What the emitted pairs were: counts and agreements per pair, and whether
 * any came on another thread than the caller's. */
typedef struct pairs_seen
{
	uint32_t	n;
	uint8_t    *times;
	uint32_t   *agreements;
	long		emitted;
	pthread_t	caller;
	int			other_thread;
} pairs_seen;

static void
see_pair(void *arg, uint32_t a, uint32_t b, uint32_t agreements)
{
	pairs_seen *s = arg;

	if (!pthread_equal(pthread_self(), s->caller))
		s->other_thread = 1;
	if (a < b && b < s->n)
	{
		s->times[(size_t) a * s->n + b]++;
		s->agreements[(size_t) a * s->n + b] = agreements;
	}
	s->emitted++;
}

static void
seen_init(pairs_seen *s, uint32_t n)
{
	s->n = n;
	s->times = calloc((size_t) n * n, 1);
	s->agreements = calloc((size_t) n * n, sizeof(uint32_t));
	s->emitted = 0;
	s->caller = pthread_self();
	s->other_thread = 0;
}

static void
seen_free(pairs_seen *s)
{
	free(s->times);
	free(s->agreements);
}

/* Pairs of got that differ from want (count or agreements). */
static long
differences(const pairs_seen *got, const pairs_seen *want)
{
	long		diff = 0;

	for (size_t i = 0; i < (size_t) want->n * want->n; i++)
		diff += got->times[i] != want->times[i] ||
			(want->times[i] && got->agreements[i] != want->agreements[i]);
	return diff;
}

static sy_status
run_parallel(const sy_env *env, const sy_env *worker_env, uint32_t workers, const uint32_t *mins,
			 uint32_t n, const sy_lsh_params *p, pairs_seen *seen, uint32_t *started)
{
	sy_lsh_parallel *run = NULL;
	sy_status	status = sy_lsh_parallel_start(env, worker_env, workers, mins, n, p, &run);

	*started = 0;
	if (status != SY_OK)
		return status;
	*started = sy_lsh_parallel_workers(run);
	status = sy_lsh_parallel_run(run, see_pair, seen);
	sy_lsh_parallel_end(run);
	return status;
}

static void
test_same_pairs_as_serial(uint32_t n, uint32_t k, uint32_t bands, uint32_t rows,
						  uint32_t min_agreements)
{
	const sy_minhash_family *f = family_of(k, 5);
	uint32_t   *mins = clustered_signatures(n, f);
	sy_lsh_params p = {k, 5, bands, rows, min_agreements};
	track_ctx	t = {0};
	sy_env		env = {track_alloc, track_realloc, track_free, track_poll, &t};
	shared_ctx	w;
	sy_env		worker_env = {shared_alloc, shared_realloc, shared_free, NULL, &w};
	pairs_seen	serial;
	uint32_t	groups = (bands + SY_LSH_BANDS_PER_TASK - 1) / SY_LSH_BANDS_PER_TASK;

	seen_init(&serial, n);
	shared_init(&w, SIZE_MAX);
	is_status(sy_lsh_pairs(&env, mins, n, &p, see_pair, &serial), SY_OK,
			  "serial: %u signatures, %u bands of %u rows", n, bands, rows);
	ok(serial.emitted >= 100, "the data has pairs to find (%ld)", serial.emitted);
	for (uint32_t workers = 0; workers <= 4; workers++)
	{
		pairs_seen	par;
		uint32_t	started;

		seen_init(&par, n);
		is_status(run_parallel(&env, &worker_env, workers, mins, n, &p, &par, &started), SY_OK,
				  "%u workers asked", workers);
		ok(started == (workers < groups ? workers : groups - 1),
		   "%u threads started: one per band group besides the caller's at most", started);
		ok(differences(&par, &serial) == 0 && par.emitted == serial.emitted,
		   "with %u threads: the serial run's %ld pairs, once each, same agreements", started,
		   serial.emitted);
		ok(!par.other_thread, "every pair emitted on the caller's thread");
		ok(t.live == 0 && w.live == 0, "nothing left allocated");
		seen_free(&par);
	}
	seen_free(&serial);
	free(mins);
	pthread_mutex_destroy(&w.lock);
}

static void
test_worker_out_of_memory(void)
{
	enum {N = 4000, K = 64};
	uint32_t   *mins = clustered_signatures(N, family_of(K, 6));
	sy_lsh_params p = {K, 6, 16, 4, 0};
	track_ctx	t = {0};
	sy_env		env = {track_alloc, track_realloc, track_free, track_poll, &t};
	shared_ctx	w;
	sy_env		worker_env = {shared_alloc, shared_realloc, shared_free, NULL, &w};
	size_t		limits[] = {0, N * 8, N * 40, N * 48};

	for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++)
	{
		pairs_seen	seen;
		uint32_t	started;
		sy_status	status;

		seen_init(&seen, N);
		shared_init(&w, limits[i]);
		status = run_parallel(&env, &worker_env, 3, mins, N, &p, &seen, &started);
		diag("threads limited to %zu bytes: %ld allocations refused", limits[i], w.refused);
		is_status(status, w.refused > 0 ? SY_ENOMEM : SY_OK,
				  "threads limited to %zu bytes: SY_ENOMEM if and only if one was refused", limits[i]);
		ok(t.live == 0 && w.live == 0, "nothing left allocated");
		seen_free(&seen);
		pthread_mutex_destroy(&w.lock);
	}
	free(mins);
}

/* A poll that leaves by longjmp, as CHECK_FOR_INTERRUPTS does with an ERROR. */
typedef struct leaving_poll
{
	track_ctx	track;
	long		polls_left;
	jmp_buf		out;
} leaving_poll;

static void
leave_poll(void *ctx)
{
	leaving_poll *l = ctx;

	if (l->polls_left-- == 0)
		longjmp(l->out, 1);
}

/*
 * Polls 0 and 1 come for sure (after the caller's first task, then after
 * its next task or while it waits for the keys); later ones may not, when
 * the threads finish first.
 */
static void
test_caller_leaves_by_longjmp(void)
{
	enum {N = 20000, K = 64};
	uint32_t   *mins = clustered_signatures(N, family_of(K, 7));
	sy_lsh_params p = {K, 7, 16, 4, 0};

	for (long at = 0; at < 6; at++)
	{
		static leaving_poll l;
		static sy_lsh_parallel *run;
		static pairs_seen seen;
		static int	left;
		sy_env		env = {track_alloc, track_realloc, track_free, leave_poll, &l};
		shared_ctx	w;
		sy_env		worker_env = {shared_alloc, shared_realloc, shared_free, NULL, &w};

		memset(&l, 0, sizeof(l));
		l.polls_left = at;
		shared_init(&w, SIZE_MAX);
		seen_init(&seen, 1);
		run = NULL;
		left = 1;
		if (setjmp(l.out) == 0)
		{
			is_status(sy_lsh_parallel_start(&env, &worker_env, 2, mins, N, &p, &run), SY_OK,
					  "started (to leave at poll %ld)", at);
			is_status(sy_lsh_parallel_run(run, see_pair, &seen), SY_OK, "finished before poll %ld", at);
			left = 0;
		}
		if (at < 2)
			ok(left, "the caller left at poll %ld", at);
		sy_lsh_parallel_end(run);
		ok(l.track.live == 0 && w.live == 0, "nothing left allocated (%s at poll %ld)",
		   left ? "left" : "finished", at);
		seen_free(&seen);
		pthread_mutex_destroy(&w.lock);
	}
	free(mins);
}

static void
test_fewer_than_two_signatures(void)
{
	uint32_t	mins[16] = {0};
	sy_lsh_params p = {16, 0, 16, 1, 0};
	track_ctx	t = {0};
	sy_env		env = {track_alloc, track_realloc, track_free, track_poll, &t};

	for (uint32_t n = 0; n < 2; n++)
	{
		pairs_seen	seen;
		uint32_t	started;

		seen_init(&seen, 1);
		is_status(run_parallel(&env, &env, 3, mins, n, &p, &seen, &started), SY_OK,
				  "%u signatures", n);
		ok(seen.emitted == 0 && started == 0, "%u signatures: no pair, no thread", n);
		is_int((long long) t.live, 0, "nothing left allocated");
		seen_free(&seen);
	}
}

int
main(void)
{
	rng_seed(20261128);
	test_same_pairs_as_serial(2000, 64, 16, 4, 0);
	test_same_pairs_as_serial(1500, 64, 8, 8, 40);
	test_same_pairs_as_serial(1000, 20, 3, 6, 0);
	test_fewer_than_two_signatures();
	test_worker_out_of_memory();
	test_caller_leaves_by_longjmp();
	family_of(0, 0);
	return done_testing();
}
