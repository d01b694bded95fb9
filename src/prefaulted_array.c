/* prefaulted_array.c: see prefaulted_array.h. */
#include "postgres.h"

#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>

#include "utils/memutils.h"

#include "prefaulted_array.h"

#define CHARGE_STEP ((Size) 4 << 20)	/* counted against the budget at a time */
#define POPULATE_AHEAD ((Size) 8 << 20) /* resident ahead of the last element */
#define POPULATE_STEP ((Size) 2 << 20)	/* one madvise call */
#define PAGE_SIZE_GUESS 65536	/* a multiple of any page size of ours */

#if defined(MADV_POPULATE_WRITE) && defined(MAP_NORESERVE)
#define CAN_PREFAULT 1
#endif

struct PrefaultedArray
{
	SybilBudget *budget;
	Size		elem_size;
	Size		used;			/* bytes of elements */
	Size		charged;		/* bytes counted against the budget */
	char	   *data;
	bool		reserved;		/* data is our mapping of `reserve` bytes */
	Size		reserve;
	MemoryContextCallback unmap;
	/* the populating thread, when reserved */
	bool		thread_started;
	pthread_t	thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	Size		target;			/* under lock: populate up to here */
	bool		stop;			/* under lock */
	Size		target_sent;	/* the backend's copy of target */
};

#ifdef CAN_PREFAULT
static void *
populate_ahead(void *arg)
{
	PrefaultedArray *a = arg;
	Size		populated = 0;

	for (;;)
	{
		Size		target;

		pthread_mutex_lock(&a->lock);
		while (!a->stop && populated >= a->target)
			pthread_cond_wait(&a->changed, &a->lock);
		target = a->target;
		if (a->stop)
			target = 0;
		pthread_mutex_unlock(&a->lock);
		if (target == 0)
			return NULL;
		while (populated < target)
		{
			Size		step = Min(POPULATE_STEP, target - populated);

			/* an old kernel without it: the backend faults the pages itself */
			if (madvise(a->data + populated, step, MADV_POPULATE_WRITE) != 0)
				return NULL;
			populated += step;
		}
	}
}

static void
start_thread(PrefaultedArray *a)
{
	sigset_t	all,
				old;

	if (pthread_mutex_init(&a->lock, NULL) != 0)
		return;
	if (pthread_cond_init(&a->changed, NULL) != 0)
	{
		pthread_mutex_destroy(&a->lock);
		return;
	}
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	a->thread_started = pthread_create(&a->thread, NULL, populate_ahead, a) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!a->thread_started)
	{
		pthread_cond_destroy(&a->changed);
		pthread_mutex_destroy(&a->lock);
	}
}
#endif

static void
stop_thread(PrefaultedArray *a)
{
	if (!a->thread_started)
		return;
	pthread_mutex_lock(&a->lock);
	a->stop = true;
	pthread_cond_signal(&a->changed);
	pthread_mutex_unlock(&a->lock);
	pthread_join(a->thread, NULL);
	pthread_cond_destroy(&a->changed);
	pthread_mutex_destroy(&a->lock);
	a->thread_started = false;
}

static void
release(void *arg)
{
	PrefaultedArray *a = arg;

	stop_thread(a);
	if (a->reserved)
		munmap(a->data, a->reserve);
	a->reserved = false;
}

/* Reserve what the budget leaves (address space only): the array never moves. */
static void
try_reserve(PrefaultedArray *a)
{
#ifdef CAN_PREFAULT
	Size		reserve = TYPEALIGN(POPULATE_STEP, sybil_budget_left(a->budget));
	void	   *p;

	if (reserve == 0)
		return;
	p = mmap(NULL, reserve, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			 -1, 0);
	if (p == MAP_FAILED)
		return;
	a->data = p;
	a->reserve = reserve;
	a->reserved = true;
	a->unmap.func = release;
	a->unmap.arg = a;
	MemoryContextRegisterResetCallback(a->budget->cxt, &a->unmap);
	start_thread(a);
#else
	(void) a;
#endif
}

PrefaultedArray *
prefaulted_array_create(SybilBudget *budget, Size elem_size)
{
	PrefaultedArray *a = MemoryContextAllocZero(budget->cxt, sizeof(PrefaultedArray));

	a->budget = budget;
	a->elem_size = elem_size;
	try_reserve(a);
	return a;
}

/* Room for `need` bytes in a reserved range; the budget counted a step ahead. */
static void
grow_reserved(PrefaultedArray *a, Size need)
{
	if (need > a->charged)
	{
		if (need > a->reserve)
			sybil_budget_exceeded(a->budget, need - a->charged);
		sybil_budget_charge(a->budget, need - a->charged);
		a->charged = need;
	}
	if (a->charged < need + POPULATE_AHEAD && a->charged < a->reserve)
	{
		Size		step = Min(CHARGE_STEP, a->reserve - a->charged);

		if (sybil_budget_try_charge(a->budget, step))
			a->charged += step;
	}
}

/* Room for `need` bytes in palloc'd memory, doubled when full. */
static void
grow_allocated(PrefaultedArray *a, Size need)
{
	Size		bigger;

	if (need <= a->charged)
		return;
	bigger = Max(need, Max(a->charged * 2, 64 * a->elem_size));
	sybil_budget_charge(a->budget, bigger - a->charged);
	a->data = a->data == NULL ? MemoryContextAllocHuge(a->budget->cxt, bigger)
		: repalloc_huge(a->data, bigger);
	a->charged = bigger;
}

/* Ask the thread for the counted pages up to POPULATE_AHEAD past the used ones. */
static void
populate_more(PrefaultedArray *a)
{
	/* whole pages: madvise wants an aligned start; a step at a time */
	Size		target = TYPEALIGN_DOWN(PAGE_SIZE_GUESS, Min(a->charged, a->used + POPULATE_AHEAD));

	if (target < a->target_sent + POPULATE_STEP)
		return;
	a->target_sent = target;
	pthread_mutex_lock(&a->lock);
	a->target = target;
	pthread_cond_signal(&a->changed);
	pthread_mutex_unlock(&a->lock);
}

void *
prefaulted_array_push(PrefaultedArray *a)
{
	char	   *slot;

	if (a->reserved)
		grow_reserved(a, a->used + a->elem_size);
	else
		grow_allocated(a, a->used + a->elem_size);
	slot = a->data + a->used;
	a->used += a->elem_size;
	if (a->thread_started)
		populate_more(a);
	return slot;
}

/*
 * The budget counted, and the thread made resident, a few megabytes past
 * the last element: give them back.
 */
void *
prefaulted_array_finish(PrefaultedArray *a)
{
	stop_thread(a);
	if (a->reserved)
	{
		Size		end = TYPEALIGN(PAGE_SIZE_GUESS, a->used);

		if (end < a->charged)
			madvise(a->data + end, a->charged - end, MADV_DONTNEED);
		sybil_budget_refund(a->budget, a->charged - a->used);
		a->charged = a->used;
	}
	return a->data;
}
