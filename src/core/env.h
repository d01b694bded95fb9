/*
 * env.h: how core code gets memory and lets its host interrupt long loops.
 *
 * The core never calls malloc or PostgreSQL directly: the host passes an
 * sy_env.  Inside PostgreSQL the allocator is palloc in a chosen memory
 * context and poll() is CHECK_FOR_INTERRUPTS(); in unit tests and fuzzers it
 * is malloc and a no-op.  An allocator that cannot allocate returns NULL and
 * the core reports SY_ENOMEM (palloc throws instead, which is also fine: all
 * core state lives in the host's memory context).
 */
#ifndef SYBIL_CORE_ENV_H
#define SYBIL_CORE_ENV_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct sy_env
{
	void	   *(*alloc) (void *ctx, size_t size);
	void	   *(*realloc) (void *ctx, void *ptr, size_t size);
	void		(*free) (void *ctx, void *ptr);
	void		(*poll) (void *ctx);	/* may be NULL */
	void	   *ctx;
} sy_env;

/* Status codes shared by every core module; SY_OK is zero. */
typedef enum sy_status
{
	SY_OK = 0,
	SY_ENOMEM,					/* the allocator returned NULL */
	SY_ETOOBIG,					/* a size limit would be exceeded */
	SY_ESYNTAX,					/* malformed text */
	SY_EVALUE,					/* a value out of its domain (negative, NaN...) */
	SY_EOVERFLOW,				/* a sum became infinite */
	SY_EDUPLICATE,				/* a key appears twice */
	SY_ECORRUPT					/* malformed binary data */
} sy_status;

/* Iterations between two calls of env->poll in long loops. */
#define SY_POLL_EVERY 65536

static inline void
sy_poll(const sy_env *env, size_t i)
{
	if (env->poll != NULL && (i % SY_POLL_EVERY) == SY_POLL_EVERY - 1)
		env->poll(env->ctx);
}

/* n elements of size bytes (room for one when n is 0), or NULL when the
 * allocator fails or n * size overflows. */
static inline void *
sy_alloc_array(const sy_env *env, uint64_t n, size_t size)
{
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / size)
		return NULL;
	return env->alloc(env->ctx, (size_t) n * size);
}

/* sy_alloc_array, zero-filled. */
static inline void *
sy_alloc_zeroed(const sy_env *env, uint64_t n, size_t size)
{
	void	   *p = sy_alloc_array(env, n, size);

	if (p != NULL)
		memset(p, 0, (size_t) (n == 0 ? 1 : n) * size);
	return p;
}

/* Free p, which may be NULL. */
static inline void
sy_free(const sy_env *env, void *p)
{
	if (p != NULL)
		env->free(env->ctx, p);
}

/* A malloc-backed environment for tests, fuzzers and tools. */
extern const sy_env sy_env_malloc;

#endif
