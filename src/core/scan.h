/*
 * scan.h: a cursor over text, shared by the core's parsers, and where a
 * parse stopped and why.
 */
#ifndef SYBIL_CORE_SCAN_H
#define SYBIL_CORE_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include "env.h"

typedef struct sy_parse_error
{
	size_t		offset;			/* byte offset where parsing stopped */
	const char *message;		/* static text */
} sy_parse_error;

typedef struct sy_scan
{
	const char *s;
	size_t		len;
	size_t		pos;
	sy_parse_error *err;
} sy_scan;

/* Record where and why parsing stopped, and pass the status on. */
static inline sy_status
sy_scan_fail(sy_scan *sc, sy_status st, const char *message)
{
	sc->err->offset = sc->pos;
	sc->err->message = message;
	return st;
}

/* Skip JSON whitespace. */
static inline void
sy_scan_skip_space(sy_scan *sc)
{
	while (sc->pos < sc->len &&
		   (sc->s[sc->pos] == ' ' || sc->s[sc->pos] == '\t' ||
			sc->s[sc->pos] == '\n' || sc->s[sc->pos] == '\r'))
		sc->pos++;
}

/* Whether the next byte is c. */
static inline bool
sy_scan_at(const sy_scan *sc, char c)
{
	return sc->pos < sc->len && sc->s[sc->pos] == c;
}

/* Parse one element of a list at the cursor (whitespace already skipped). */
typedef sy_status (*sy_scan_item) (void *ctx);

/*
 * Parse "{ item, item, ... }", calling item for each element; "{}" only when
 * allow_empty.  Polls env between elements.
 */
sy_status	sy_scan_list(sy_scan *sc, sy_scan_item item, void *ctx, bool allow_empty,
						 const sy_env *env);

/* Fail unless only whitespace is left. */
sy_status	sy_scan_end(sy_scan *sc);

#endif
