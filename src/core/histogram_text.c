/* histogram_text.c: the histogram's JSON text form, parsing and writing. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "histogram_text.h"

typedef struct parser
{
	sy_scan		sc;
	bool		ascii_escapes_only;
	sy_hist    *h;
	char	   *buf;			/* scratch for a decoded label or a number */
	size_t		buf_len;
	size_t		buf_cap;
} parser;

static sy_status
buf_push(parser *p, const char *bytes, size_t n)
{
	if (p->buf_len + n > p->buf_cap)
	{
		size_t		needed = p->buf_len + n;
		size_t		cap = p->buf_cap * 2;
		char	   *grown;

		if (needed > p->h->max_payload)
			return sy_scan_fail(&p->sc, SY_ETOOBIG, "Label too long");
		while (cap < needed)
			cap *= 2;
		if (cap > p->h->max_payload)
			cap = needed;
		grown = p->h->env->realloc(p->h->env->ctx, p->buf, cap);
		if (grown == NULL)
			return sy_scan_fail(&p->sc, SY_ENOMEM, "Out of memory");
		p->buf = grown;
		p->buf_cap = cap;
	}
	memcpy(p->buf + p->buf_len, bytes, n);
	p->buf_len += n;
	return SY_OK;
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Read the four hex digits after "\u"; -1 if malformed. */
static long
read_hex4(parser *p)
{
	long		v = 0;
	int			i;

	if (p->sc.len - p->sc.pos < 4)
		return -1;
	for (i = 0; i < 4; i++)
	{
		int			d = hex_digit(p->sc.s[p->sc.pos + i]);

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	p->sc.pos += 4;
	return v;
}

static sy_status
push_utf8(parser *p, unsigned long cp)
{
	char		out[4];
	size_t		n;

	if (cp < 0x80)
	{
		out[0] = (char) cp;
		n = 1;
	}
	else if (cp < 0x800)
	{
		out[0] = (char) (0xC0 | (cp >> 6));
		out[1] = (char) (0x80 | (cp & 0x3F));
		n = 2;
	}
	else if (cp < 0x10000)
	{
		out[0] = (char) (0xE0 | (cp >> 12));
		out[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char) (0x80 | (cp & 0x3F));
		n = 3;
	}
	else
	{
		out[0] = (char) (0xF0 | (cp >> 18));
		out[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
		out[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
		out[3] = (char) (0x80 | (cp & 0x3F));
		n = 4;
	}
	return buf_push(p, out, n);
}

/* Decode a \uXXXX escape (p->sc.pos just past the 'u'), pairing surrogates. */
static sy_status
parse_unicode_escape(parser *p)
{
	long		cp = read_hex4(p);

	if (cp < 0)
		return sy_scan_fail(&p->sc, SY_ESYNTAX, "Invalid \\u escape: four hex digits expected");
	if (cp >= 0xDC00 && cp <= 0xDFFF)
		return sy_scan_fail(&p->sc, SY_ESYNTAX, "Unpaired Unicode low surrogate");
	if (cp >= 0xD800 && cp <= 0xDBFF)
	{
		long		low;

		if (p->sc.len - p->sc.pos < 2 || p->sc.s[p->sc.pos] != '\\' || p->sc.s[p->sc.pos + 1] != 'u')
			return sy_scan_fail(&p->sc, SY_ESYNTAX, "Unicode high surrogate must be followed by a low surrogate");
		p->sc.pos += 2;
		low = read_hex4(p);
		if (low < 0xDC00 || low > 0xDFFF)
			return sy_scan_fail(&p->sc, SY_ESYNTAX, "Unicode high surrogate must be followed by a low surrogate");
		cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
	}
	if (cp == 0)
		return sy_scan_fail(&p->sc, SY_ESYNTAX, "\\u0000 cannot be stored in a label");
	if (cp > 0x7F && p->ascii_escapes_only)
		return sy_scan_fail(&p->sc, SY_ESYNTAX, "Unicode escapes above \\u007F need a UTF8 database");
	return push_utf8(p, (unsigned long) cp);
}

/* Parse a JSON string (p->sc.pos at the opening quote) into p->buf. */
static sy_status
parse_string(parser *p)
{
	static const char simple_from[] = "\"\\/bfnrt";
	static const char simple_to[] = "\"\\/\b\f\n\r\t";
	sy_status	st = SY_OK;

	if (!sy_scan_at(&p->sc, '"'))
		return sy_scan_fail(&p->sc, SY_ESYNTAX, "Expected a double-quoted label");
	p->sc.pos++;
	p->buf_len = 0;
	while (st == SY_OK)
	{
		size_t		start = p->sc.pos;
		const char *hit;

		while (p->sc.pos < p->sc.len && p->sc.s[p->sc.pos] != '"' && p->sc.s[p->sc.pos] != '\\' &&
			   (unsigned char) p->sc.s[p->sc.pos] >= 0x20)
			p->sc.pos++;
		if ((st = buf_push(p, p->sc.s + start, p->sc.pos - start)) != SY_OK)
			return st;
		if (p->sc.pos >= p->sc.len)
			return sy_scan_fail(&p->sc, SY_ESYNTAX, "Unterminated label");
		if (p->sc.s[p->sc.pos] == '"')
		{
			p->sc.pos++;
			return SY_OK;
		}
		if (p->sc.s[p->sc.pos] != '\\')
			return sy_scan_fail(&p->sc, SY_ESYNTAX, "Control character in a label must be escaped");
		if (++p->sc.pos >= p->sc.len)
			return sy_scan_fail(&p->sc, SY_ESYNTAX, "Unterminated label");
		if (p->sc.s[p->sc.pos] == 'u')
		{
			p->sc.pos++;
			st = parse_unicode_escape(p);
		}
		else if ((hit = strchr(simple_from, p->sc.s[p->sc.pos])) != NULL && *hit != '\0')
		{
			st = buf_push(p, &simple_to[hit - simple_from], 1);
			p->sc.pos++;
		}
		else
			return sy_scan_fail(&p->sc, SY_ESYNTAX, "Invalid escape in a label");
	}
	return st;
}

static size_t
skip_digits(parser *p)
{
	size_t		start = p->sc.pos;

	while (p->sc.pos < p->sc.len && p->sc.s[p->sc.pos] >= '0' && p->sc.s[p->sc.pos] <= '9')
		p->sc.pos++;
	return p->sc.pos - start;
}

/* Check the JSON number grammar at p->sc.pos and advance past it. */
static bool
scan_number(parser *p)
{
	if (sy_scan_at(&p->sc, '-'))
		p->sc.pos++;
	if (sy_scan_at(&p->sc, '0'))
		p->sc.pos++;
	else if (skip_digits(p) == 0)
		return false;
	if (sy_scan_at(&p->sc, '.'))
	{
		p->sc.pos++;
		if (skip_digits(p) == 0)
			return false;
	}
	if (sy_scan_at(&p->sc, 'e') || sy_scan_at(&p->sc, 'E'))
	{
		p->sc.pos++;
		if (sy_scan_at(&p->sc, '+') || sy_scan_at(&p->sc, '-'))
			p->sc.pos++;
		if (skip_digits(p) == 0)
			return false;
	}
	return true;
}

static sy_status
parse_count(parser *p, double *count)
{
	size_t		start = p->sc.pos;
	sy_status	st;

	if (!scan_number(p))
		return sy_scan_fail(&p->sc, SY_ESYNTAX, "Expected a number");
	p->buf_len = 0;
	if ((st = buf_push(p, p->sc.s + start, p->sc.pos - start)) != SY_OK ||
		(st = buf_push(p, "", 1)) != SY_OK)
		return st;
	*count = strtod(p->buf, NULL);
	if (isinf(*count))
		return sy_scan_fail(&p->sc, SY_EVALUE, "Count out of range");
	if (*count < 0)
		return sy_scan_fail(&p->sc, SY_EVALUE, "Count must not be negative");
	if (*count == 0)
		*count = 0;				/* -0 */
	return SY_OK;
}

static sy_status
parse_member(void *ctx)
{
	parser	   *p = ctx;
	sy_status	st;
	double		count;
	char	   *label;
	uint32_t	label_len;

	if ((st = parse_string(p)) != SY_OK)
		return st;
	if (p->buf_len > UINT32_MAX)
		return sy_scan_fail(&p->sc, SY_ETOOBIG, "Label too long");
	label_len = (uint32_t) p->buf_len;
	/* The count is parsed into the same scratch: keep the label aside. */
	label = p->h->env->alloc(p->h->env->ctx, label_len);
	if (label == NULL)
		return sy_scan_fail(&p->sc, SY_ENOMEM, "Out of memory");
	memcpy(label, p->buf, label_len);
	sy_scan_skip_space(&p->sc);
	if (!sy_scan_at(&p->sc, ':'))
		st = sy_scan_fail(&p->sc, SY_ESYNTAX, "Expected ':' after a label");
	else
	{
		p->sc.pos++;
		sy_scan_skip_space(&p->sc);
		st = parse_count(p, &count);
	}
	if (st == SY_OK)
	{
		st = sy_hist_insert_new(p->h, label, label_len, count);
		if (st == SY_EDUPLICATE)
			sy_scan_fail(&p->sc, st, "Duplicate label");
		else if (st == SY_EOVERFLOW)
			sy_scan_fail(&p->sc, st, "Total of the counts out of range");
		else if (st != SY_OK)
			sy_scan_fail(&p->sc, st, st == SY_ETOOBIG ? "Histogram too large" : "Out of memory");
	}
	p->h->env->free(p->h->env->ctx, label);
	return st;
}

static sy_status
parse_object(parser *p)
{
	sy_status	st = sy_scan_list(&p->sc, parse_member, p, true, p->h->env);

	return st != SY_OK ? st : sy_scan_end(&p->sc);
}

sy_status
sy_hist_parse_json(sy_hist *h, const char *text, size_t len,
				   bool ascii_escapes_only, sy_parse_error *err)
{
	parser		p;
	sy_status	st;

	memset(&p, 0, sizeof(p));
	p.sc.s = text;
	p.sc.len = len;
	p.ascii_escapes_only = ascii_escapes_only;
	p.h = h;
	p.sc.err = err;
	p.buf_cap = 64;
	p.buf = h->env->alloc(h->env->ctx, p.buf_cap);
	if (p.buf == NULL)
		return sy_scan_fail(&p.sc, SY_ENOMEM, "Out of memory");
	st = parse_object(&p);
	h->env->free(h->env->ctx, p.buf);
	if (st == SY_OK)
		sy_hist_drop_zeros(h);
	return st;
}

/* Longest text of one double from sy_format_double, with room to spare. */
#define DOUBLE_TEXT_MAX 32
/* Per entry: two quotes, ": ", ", " and a count. */
#define ENTRY_TEXT_OVERHEAD (6 + DOUBLE_TEXT_MAX)

size_t
sy_hist_json_max_len(sy_hist_view v)
{
	size_t		len = 2;
	uint32_t	i;

	for (i = 0; i < v.n; i++)
		len += (size_t) v.entries[i].label_len * 6 + ENTRY_TEXT_OVERHEAD;
	return len;
}

static size_t
write_label(const char *s, uint32_t len, char *dst)
{
	static const char hex[] = "0123456789abcdef";
	char	   *d = dst;
	uint32_t	i;

	*d++ = '"';
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];
		const char *short_escape = NULL;

		switch (c)
		{
			case '"': short_escape = "\\\""; break;
			case '\\': short_escape = "\\\\"; break;
			case '\b': short_escape = "\\b"; break;
			case '\f': short_escape = "\\f"; break;
			case '\n': short_escape = "\\n"; break;
			case '\r': short_escape = "\\r"; break;
			case '\t': short_escape = "\\t"; break;
			default: break;
		}
		if (short_escape != NULL)
		{
			memcpy(d, short_escape, 2);
			d += 2;
		}
		else if (c < 0x20)
		{
			memcpy(d, "\\u00", 4);
			d[4] = hex[c >> 4];
			d[5] = hex[c & 15];
			d += 6;
		}
		else
			*d++ = (char) c;
	}
	*d++ = '"';
	return (size_t) (d - dst);
}

size_t
sy_hist_format_json(sy_hist_view v, char *dst)
{
	char	   *d = dst;
	uint32_t	i;

	*d++ = '{';
	for (i = 0; i < v.n; i++)
	{
		const sy_hist_entry *e = &v.entries[i];

		if (i > 0)
		{
			*d++ = ',';
			*d++ = ' ';
		}
		d += write_label(v.labels + e->label_off, e->label_len, d);
		*d++ = ':';
		*d++ = ' ';
		d += sy_format_double(e->count, d);
	}
	*d++ = '}';
	*d = '\0';
	return (size_t) (d - dst);
}

/* Write a non-negative integer below 2^53 in decimal. */
static size_t
format_integer(uint64_t x, char *dst)
{
	char		digits[24];
	size_t		n = 0;
	size_t		i;

	do
	{
		digits[n++] = (char) ('0' + x % 10);
		x /= 10;
	} while (x > 0);
	for (i = 0; i < n; i++)
		dst[i] = digits[n - 1 - i];
	dst[n] = '\0';
	return n;
}

size_t
sy_format_double(double d, char *dst)
{
	int			precision;
	int			len = 0;

	if (d >= 0 && !signbit(d) && d < 9007199254740992.0 && d == floor(d))
		return format_integer((uint64_t) d, dst);

	/*
	 * A normal double has 53 significant bits, so if a text of 15 or fewer
	 * digits reads back as d, %.15g finds it (%g drops trailing zeros).
	 * Subnormals have fewer bits and may need as few as one digit.  At a
	 * few powers of two the 16-digit neighbour above d reads back where
	 * %.16g's nearest does not, and 17 digits are written: exact, if not
	 * the shortest.
	 */
	for (precision = fabs(d) < DBL_MIN ? 1 : 15; precision <= 17; precision++)
	{
		len = snprintf(dst, DOUBLE_TEXT_MAX, "%.*g", precision, d);
		if (strtod(dst, NULL) == d)
			break;
	}
	return (size_t) len;
}
