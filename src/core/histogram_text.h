/*
 * histogram_text.h: the histogram's text form, a JSON object of numbers,
 * {"coding.python": 12, "chitchat": 3.5}.
 *
 * Output lists labels in byte order and writes each count with the fewest
 * digits that read back to the same double, so text round-trips exactly.
 */
#ifndef SYBIL_CORE_HISTOGRAM_TEXT_H
#define SYBIL_CORE_HISTOGRAM_TEXT_H

#include "histogram.h"
#include "scan.h"


/*
 * Parse text[0..len) into an empty builder.  Labels are decoded from JSON
 * escapes into UTF-8; when ascii_escapes_only is set, a \u escape above
 * U+007F is an error (for databases whose encoding is not UTF-8).  \u0000
 * is always an error.  Counts must be finite and >= 0; zero counts are
 * dropped.  Returns SY_ESYNTAX, SY_EVALUE, SY_EDUPLICATE, SY_ETOOBIG or
 * SY_ENOMEM with err filled.
 */
sy_status	sy_hist_parse_json(sy_hist *h, const char *text, size_t len,
							   bool ascii_escapes_only, sy_parse_error *err);

/* Upper bound of the text length of v, without the terminating NUL. */
size_t		sy_hist_json_max_len(sy_hist_view v);

/* Write v (must be label-sorted) as NUL-terminated JSON; returns length. */
size_t		sy_hist_format_json(sy_hist_view v, char *dst);

/* Decimal text that reads back as exactly d (finite), the shortest such
 * but at a few powers of two; dst must hold 32 bytes.  Uses snprintf and
 * strtod, so LC_NUMERIC must be "C" (as in a PostgreSQL backend). */
size_t		sy_format_double(double d, char *dst);

#endif
