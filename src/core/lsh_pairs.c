/*
 * lsh_pairs.c: the banding of lsh.c run as tasks on the caller's thread
 * and, optionally, on threads of its own (see lsh.h).
 *
 * Tasks are numbered: first the key blocks, then the band groups; a thread
 * takes the next number under the lock.  A band group needs every key, so
 * whoever takes one before the last key block is done waits for it.  The
 * other threads put their pairs in chunks on a list that the caller empties
 * between its tasks and, once they are done, while it waits for the threads.
 * With threads the caller takes only key blocks: returning the pairs is
 * its part (only its thread may call the host), and the longest one.
 */
#define _POSIX_C_SOURCE 200809L

#include "lsh.h"

#include <pthread.h>
#include <signal.h>
#include <time.h>

#include "lsh_band.h"

#define KEY_BLOCK 16384			/* signatures per key task */
#define CHUNK_PAIRS 4096
#define MAX_READY_CHUNKS 64		/* 3 MB of pairs waiting for the caller */
#define CALLER_WAIT_NS 10000000 /* between two polls of a waiting caller */

typedef struct pair_chunk
{
	struct pair_chunk *next;
	uint32_t	count;
	uint32_t	a[CHUNK_PAIRS];
	uint32_t	b[CHUNK_PAIRS];
	uint32_t	agreements[CHUNK_PAIRS];
} pair_chunk;

typedef struct lsh_thread
{
	sy_lsh_parallel *run;
	const sy_env *env;			/* its allocator */
	pthread_t	id;
	sy_lsh_workspace work;		/* allocated at its first band task */
	pair_chunk *chunk;			/* being filled (not the caller's) */
} lsh_thread;

struct sy_lsh_parallel
{
	const sy_env *env;
	const sy_env *worker_env;
	const uint32_t *mins;
	uint32_t	n;
	sy_lsh_params p;
	uint64_t   *starts;
	uint32_t   *keys;
	uint32_t	key_tasks;
	uint32_t	tasks;			/* key tasks, then band tasks */
	uint32_t	workers;		/* threads started */
	lsh_thread *threads;		/* [0]: the caller's */
	pthread_mutex_t lock;
	pthread_cond_t changed;
	/* under lock */
	uint32_t	next_task;
	uint32_t	keys_done;
	uint32_t	running;		/* workers not finished */
	int			stop;
	sy_status	status;			/* the first failure */
	pair_chunk *ready;			/* chunks for the caller to emit */
	uint32_t	ready_count;
	/* the caller's: chunks taken from ready, emitted one by one */
	pair_chunk *draining;
};

static int
is_caller(const lsh_thread *t)
{
	return t == &t->run->threads[0];
}

/* Record a failure and stop every thread (lock held). */
static void
fail_locked(sy_lsh_parallel *r, sy_status status)
{
	if (r->status == SY_OK)
		r->status = status;
	r->stop = 1;
	pthread_cond_broadcast(&r->changed);
}

static void
fail(sy_lsh_parallel *r, sy_status status)
{
	pthread_mutex_lock(&r->lock);
	fail_locked(r, status);
	pthread_mutex_unlock(&r->lock);
}

/*
 * Wait until something changes (lock held).  The caller wakes now and then
 * to poll its host, which may leave by longjmp: not with the lock held.
 */
static void
wait_changed(lsh_thread *t)
{
	sy_lsh_parallel *r = t->run;
	struct timespec until;

	if (!is_caller(t))
	{
		pthread_cond_wait(&r->changed, &r->lock);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_nsec += CALLER_WAIT_NS;
	if (until.tv_nsec >= 1000000000L)
	{
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&r->changed, &r->lock, &until);
	if (r->env->poll != NULL)
	{
		pthread_mutex_unlock(&r->lock);
		r->env->poll(r->env->ctx);
		pthread_mutex_lock(&r->lock);
	}
}

/*
 * Whether t takes no more tasks: with workers, the caller leaves them the
 * bands, whose pairs it alone can emit (emitting is its share).
 */
static int
done_claiming(const lsh_thread *t)
{
	const sy_lsh_parallel *r = t->run;

	return r->stop || r->next_task == r->tasks ||
		(is_caller(t) && r->workers > 0 && r->next_task >= r->key_tasks);
}

/* The next task for t, or -1 when none is left for it or the run stops. */
static int64_t
claim_task(lsh_thread *t)
{
	sy_lsh_parallel *r = t->run;
	int64_t		task = -1;

	pthread_mutex_lock(&r->lock);
	while (!done_claiming(t))
	{
		if (r->next_task < r->key_tasks || r->keys_done == r->key_tasks)
		{
			task = r->next_task++;
			break;
		}
		wait_changed(t);
	}
	pthread_mutex_unlock(&r->lock);
	return task;
}

static int
keep_going(void *arg)
{
	lsh_thread *t = arg;
	sy_lsh_parallel *r = t->run;
	int			stop;

	if (is_caller(t) && r->env->poll != NULL)
		r->env->poll(r->env->ctx);
	pthread_mutex_lock(&r->lock);
	stop = r->stop;
	pthread_mutex_unlock(&r->lock);
	return !stop;
}

/*
 * Put t's chunk on the ready list, first waiting while the list is full:
 * threads that find pairs faster than the caller emits them (a group of
 * thousands of equal signatures) wait for it instead of filling memory.
 */
static void
hand_over(lsh_thread *t)
{
	sy_lsh_parallel *r = t->run;

	pthread_mutex_lock(&r->lock);
	while (r->ready_count >= MAX_READY_CHUNKS && !r->stop)
		pthread_cond_wait(&r->changed, &r->lock);
	t->chunk->next = r->ready;
	r->ready = t->chunk;
	r->ready_count++;
	pthread_cond_broadcast(&r->changed);
	pthread_mutex_unlock(&r->lock);
	t->chunk = NULL;
}

/* A worker's pair: into its chunk, handed over when full. */
static void
keep_pair(void *arg, uint32_t a, uint32_t b, uint32_t agreements)
{
	lsh_thread *t = arg;

	if (t->chunk == NULL)
	{
		t->chunk = t->env->alloc(t->env->ctx, sizeof(pair_chunk));
		if (t->chunk == NULL)
		{
			fail(t->run, SY_ENOMEM);
			return;
		}
		t->chunk->count = 0;
	}
	t->chunk->a[t->chunk->count] = a;
	t->chunk->b[t->chunk->count] = b;
	t->chunk->agreements[t->chunk->count++] = agreements;
	if (t->chunk->count == CHUNK_PAIRS)
		hand_over(t);
}

static void
run_key_task(lsh_thread *t, uint32_t task)
{
	sy_lsh_parallel *r = t->run;
	uint32_t	first = task * KEY_BLOCK;
	uint32_t	count = r->n - first < KEY_BLOCK ? r->n - first : KEY_BLOCK;

	sy_lsh_keys_of(r->mins, first, count, &r->p, r->starts, r->keys);
	pthread_mutex_lock(&r->lock);
	if (++r->keys_done == r->key_tasks)
		pthread_cond_broadcast(&r->changed);
	pthread_mutex_unlock(&r->lock);
}

static void
run_band_task(lsh_thread *t, uint32_t task, sy_lsh_emit emit, void *arg)
{
	sy_lsh_parallel *r = t->run;
	uint32_t	first = (task - r->key_tasks) * SY_LSH_BANDS_PER_TASK;
	uint32_t	count = r->p.bands - first;
	sy_lsh_band_scan s = {r->mins, r->keys, r->n, &r->p, emit, arg, keep_going, t, 0, 0};

	if (count > SY_LSH_BANDS_PER_TASK)
		count = SY_LSH_BANDS_PER_TASK;
	if (t->work.entries == NULL &&
		sy_lsh_workspace_alloc(t->env, r->n, SY_LSH_BANDS_PER_TASK, &t->work) != SY_OK)
	{
		fail(r, SY_ENOMEM);
		return;
	}
	sy_lsh_scan_bands(&s, first, count, &t->work);
}

static void
run_task(lsh_thread *t, uint32_t task, sy_lsh_emit emit, void *arg)
{
	if (task < t->run->key_tasks)
		run_key_task(t, task);
	else
		run_band_task(t, task, emit, arg);
}

static void
free_thread_memory(lsh_thread *t)
{
	sy_lsh_workspace_free(t->env, &t->work);
}

static void *
worker_main(void *arg)
{
	lsh_thread *t = arg;
	sy_lsh_parallel *r = t->run;
	int64_t		task;

	while ((task = claim_task(t)) >= 0)
		run_task(t, (uint32_t) task, keep_pair, t);
	if (t->chunk != NULL)
		hand_over(t);
	free_thread_memory(t);
	pthread_mutex_lock(&r->lock);
	r->running--;
	pthread_cond_broadcast(&r->changed);
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

/* Emit the pairs the workers handed over so far (the caller's thread). */
static void
drain(sy_lsh_parallel *r, sy_lsh_emit emit, void *arg)
{
	pthread_mutex_lock(&r->lock);
	r->draining = r->ready;
	r->ready = NULL;
	r->ready_count = 0;
	pthread_cond_broadcast(&r->changed);
	pthread_mutex_unlock(&r->lock);
	while (r->draining != NULL)
	{
		pair_chunk *c = r->draining;

		for (uint32_t i = 0; i < c->count; i++)
			emit(arg, c->a[i], c->b[i], c->agreements[i]);
		r->draining = c->next;
		r->worker_env->free(r->worker_env->ctx, c);
		if (r->env->poll != NULL)
			r->env->poll(r->env->ctx);
	}
}

/* Start the workers with every signal blocked: the host's handlers are not theirs to run. */
static void
start_workers(sy_lsh_parallel *r, uint32_t workers)
{
	sigset_t	all,
				old;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (uint32_t w = 1; w <= workers; w++)
	{
		lsh_thread *t = &r->threads[w];

		int			failed;

		t->run = r;
		t->env = r->worker_env;
		pthread_mutex_lock(&r->lock);
		r->running++;			/* before the thread can finish */
		pthread_mutex_unlock(&r->lock);
		failed = pthread_create(&t->id, NULL, worker_main, t) != 0;
		if (failed)
		{
			pthread_mutex_lock(&r->lock);
			r->running--;
			pthread_mutex_unlock(&r->lock);
			break;
		}
		r->workers++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static sy_status
init_sync(sy_lsh_parallel *r)
{
	pthread_condattr_t attr;
	int			failed;

	if (pthread_mutex_init(&r->lock, NULL) != 0)
		return SY_ENOMEM;
	failed = pthread_condattr_init(&attr) != 0;
	if (!failed)
	{
		failed = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 ||
			pthread_cond_init(&r->changed, &attr) != 0;
		pthread_condattr_destroy(&attr);
	}
	if (failed)
	{
		pthread_mutex_destroy(&r->lock);
		return SY_ENOMEM;
	}
	return SY_OK;
}

static uint32_t
ceil_div(uint32_t a, uint32_t b)
{
	return a / b + (a % b != 0);
}

/* The run's memory, nothing started yet. */
static sy_status
alloc_run(const sy_env *env, uint32_t workers, uint32_t n, const sy_lsh_params *p,
		  sy_lsh_parallel *r)
{
	r->threads = sy_alloc_zeroed(env, (uint64_t) workers + 1, sizeof(lsh_thread));
	r->starts = sy_alloc_array(env, p->bands, sizeof(uint64_t));
	r->keys = sy_alloc_array(env, (uint64_t) n * p->bands, sizeof(uint32_t));
	return r->threads == NULL || r->starts == NULL || r->keys == NULL ? SY_ENOMEM : SY_OK;
}

static void
free_run(sy_lsh_parallel *r)
{
	const sy_env *env = r->env;

	if (r->threads != NULL)
		free_thread_memory(&r->threads[0]);
	sy_free(env, r->threads);
	sy_free(env, r->starts);
	sy_free(env, r->keys);
	sy_free(env, r);
}

sy_status
sy_lsh_parallel_start(const sy_env *env, const sy_env *worker_env, uint32_t workers,
					  const uint32_t *mins, uint32_t n, const sy_lsh_params *p,
					  sy_lsh_parallel **run)
{
	sy_lsh_parallel *r;
	uint32_t	band_tasks;
	sy_status	status;

	if (p->rows == 0 || p->bands == 0 || (uint64_t) p->rows * p->bands > p->k)
		return SY_EVALUE;
	r = sy_alloc_zeroed(env, 1, sizeof(sy_lsh_parallel));
	if (r == NULL)
		return SY_ENOMEM;
	r->env = env;
	r->worker_env = worker_env;
	r->mins = mins;
	r->n = n;
	r->p = *p;
	r->key_tasks = n < 2 ? 0 : ceil_div(n, KEY_BLOCK);
	band_tasks = n < 2 ? 0 : ceil_div(p->bands, SY_LSH_BANDS_PER_TASK);
	r->tasks = r->key_tasks + band_tasks;
	if (workers >= band_tasks)
		workers = band_tasks == 0 ? 0 : band_tasks - 1;
	status = alloc_run(env, workers, n, p, r);
	if (status == SY_OK)
		status = init_sync(r);
	if (status != SY_OK)
	{
		free_run(r);
		return status;
	}
	sy_lsh_band_starts(p, r->starts);
	r->threads[0].run = r;
	r->threads[0].env = env;
	start_workers(r, workers);
	*run = r;
	return SY_OK;
}

uint32_t
sy_lsh_parallel_workers(const sy_lsh_parallel *run)
{
	return run->workers;
}

sy_status
sy_lsh_parallel_run(sy_lsh_parallel *r, sy_lsh_emit emit, void *arg)
{
	lsh_thread *caller = &r->threads[0];
	int64_t		task;
	sy_status	status;

	while ((task = claim_task(caller)) >= 0)
	{
		run_task(caller, (uint32_t) task, emit, arg);
		if (r->env->poll != NULL)
			r->env->poll(r->env->ctx);
		drain(r, emit, arg);
	}
	pthread_mutex_lock(&r->lock);
	while (r->running > 0 || r->ready != NULL)
	{
		if (r->ready != NULL)
		{
			pthread_mutex_unlock(&r->lock);
			drain(r, emit, arg);
			pthread_mutex_lock(&r->lock);
		}
		else
			wait_changed(caller);
	}
	status = r->status;
	pthread_mutex_unlock(&r->lock);
	return status;
}

void
sy_lsh_parallel_end(sy_lsh_parallel *r)
{
	pair_chunk *lists[2];

	if (r == NULL)
		return;
	pthread_mutex_lock(&r->lock);
	r->stop = 1;
	pthread_cond_broadcast(&r->changed);
	pthread_mutex_unlock(&r->lock);
	for (uint32_t w = 1; w <= r->workers; w++)
		pthread_join(r->threads[w].id, NULL);
	lists[0] = r->ready;
	lists[1] = r->draining;
	for (int l = 0; l < 2; l++)
		while (lists[l] != NULL)
		{
			pair_chunk *next = lists[l]->next;

			r->worker_env->free(r->worker_env->ctx, lists[l]);
			lists[l] = next;
		}
	pthread_cond_destroy(&r->changed);
	pthread_mutex_destroy(&r->lock);
	free_run(r);
}

sy_status
sy_lsh_pairs(const sy_env *env, const uint32_t *mins, uint32_t n, const sy_lsh_params *p,
			 sy_lsh_emit emit, void *arg)
{
	sy_lsh_parallel *run = NULL;
	sy_status	status = sy_lsh_parallel_start(env, env, 0, mins, n, p, &run);

	if (status != SY_OK)
		return status;
	status = sy_lsh_parallel_run(run, emit, arg);
	sy_lsh_parallel_end(run);
	return status;
}
