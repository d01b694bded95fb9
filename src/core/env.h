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

/* A malloc-backed environment for tests, fuzzers and tools. */
extern const sy_env sy_env_malloc;

#endif
