/*
 * prefetch.h: a hint that *p will be read soon.  Big tables are mostly
 * cache misses, and long loops ask for what they need a few steps ahead,
 * so that the misses overlap instead of following one another.  Without
 * the builtin it is nothing.
 */
#ifndef SYBIL_CORE_PREFETCH_H
#define SYBIL_CORE_PREFETCH_H

#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void) (p))
#endif

#endif
