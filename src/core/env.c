/* env.c: the malloc-backed environment for tests, fuzzers and tools. */
#include <stdlib.h>
#include "env.h"

static void *
malloc_alloc(void *ctx, size_t size)
{
	(void) ctx;
	return malloc(size == 0 ? 1 : size);
}

static void *
malloc_realloc(void *ctx, void *ptr, size_t size)
{
	(void) ctx;
	return realloc(ptr, size == 0 ? 1 : size);
}

static void
malloc_free(void *ctx, void *ptr)
{
	(void) ctx;
	free(ptr);
}

const sy_env sy_env_malloc = {malloc_alloc, malloc_realloc, malloc_free, NULL, NULL};
