/*
 * test_histogram_text.c: unit tests of src/core/histogram_text.c, the JSON
 * text form (parser, writer) and sy_format_double.  Emits TAP.
 */
#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "histogram.h"
#include "histogram_text.h"
#include "helpers.h"

/* ------------------------------------------------------------- utilities */

typedef struct parsed
{
	sy_hist		h;
	sy_status	status;
	sy_parse_error err;
} parsed;

static sy_status
parse_len(parsed *r, const char *text, size_t len, bool ascii)
{
	sy_hist_init(&r->h, &sy_env_malloc, 0);
	r->err.offset = (size_t) -1;
	r->err.message = NULL;
	r->status = sy_hist_parse_json(&r->h, text, len, ascii, &r->err);
	return r->status;
}

static sy_status
parse(parsed *r, const char *text)
{
	return parse_len(r, text, strlen(text), false);
}

/* parse, expect a status; returns the builder freed unless OK is expected */
static void
expect_status(const char *text, size_t len, bool ascii, sy_status expect, const char *desc)
{
	parsed		r;

	parse_len(&r, text, len, ascii);
	is_status(r.status, expect, "parse %s: %s", desc, status_name(expect));
	if (r.status != SY_OK && r.err.message == NULL)
		diag("  no error message for %s", desc);
	if (r.status != SY_OK && r.err.offset > len)
		diag("  error offset %zu past the text (%zu bytes) for %s", r.err.offset, len, desc);
	sy_hist_free(&r.h);
}

#define EXPECT(text, st) expect_status((text), strlen(text), false, (st), #text)
#define EXPECT_ASCII(text, st) expect_status((text), strlen(text), true, (st), #text " (ascii escapes only)")

/* format a label-sorted view into an exactly sized buffer (ASan-checked) */
static char *
format_view(sy_hist_view v, size_t *len_out)
{
	size_t		max = sy_hist_json_max_len(v);
	char	   *buf = malloc(max + 1);
	size_t		len = sy_hist_format_json(v, buf);

	if (len > max || strlen(buf) != len)
	{
		diag("format_json: length %zu, strlen %zu, max_len %zu", len, strlen(buf), max);
		if (len_out)
			*len_out = (size_t) -1;
		return buf;
	}
	if (len_out)
		*len_out = len;
	return buf;
}

/* flatten a builder and format its flat view */
static char *
format_hist(const sy_hist *h, size_t *len_out)
{
	flatbuf		fb;
	sy_hist_view v;
	char	   *s;

	flat_make(h, &fb);
	sy_hist_flat_view(fb.p, fb.size, &v);
	s = format_view(v, len_out);
	flatbuf_free(&fb);
	return s;
}

/* JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int
is_json_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (isdigit((unsigned char) *s))
			s++;
	else
		return 0;
	if (*s == '.')
	{
		s++;
		if (!isdigit((unsigned char) *s))
			return 0;
		while (isdigit((unsigned char) *s))
			s++;
	}
	if (*s == 'e' || *s == 'E')
	{
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!isdigit((unsigned char) *s))
			return 0;
		while (isdigit((unsigned char) *s))
			s++;
	}
	return *s == '\0';
}

static int
same_double(double a, double b)
{
	return memcmp(&a, &b, sizeof(double)) == 0;
}

/* ------------------------------------------------------------ parse: good */

static void
test_parse_basic(void)
{
	parsed		r;
	sy_hist_view v;

	is_status(parse(&r, "{}"), SY_OK, "parse {}");
	is_int(r.h.n, 0, "{} is empty");
	sy_hist_free(&r.h);

	is_status(parse(&r, " \t\r\n{ \t\r\n} \t\r\n"), SY_OK, "parse {} with JSON whitespace everywhere");
	is_int(r.h.n, 0, "still empty");
	sy_hist_free(&r.h);

	is_status(parse(&r, "{\"coding.python\": 12, \"chitchat\": 3.5}"), SY_OK, "parse the header's example");
	v = sy_hist_as_view(&r.h);
	is_int(v.n, 2, "two labels");
	is_double(VIEW_COUNT(v, "coding.python"), 12, 0, "coding.python = 12");
	is_double(VIEW_COUNT(v, "chitchat"), 3.5, 0, "chitchat = 3.5");
	sy_hist_free(&r.h);

	is_status(parse(&r, "{\n  \"a\" :\t1 ,\r\n  \"b\":2\n}\n"), SY_OK, "whitespace around ':' and ','");
	v = sy_hist_as_view(&r.h);
	ok(v.n == 2 && VIEW_COUNT(v, "a") == 1 && VIEW_COUNT(v, "b") == 2, "a = 1, b = 2");
	sy_hist_free(&r.h);

	is_status(parse(&r, "{\"\": 4}"), SY_OK, "the empty label");
	is_double(view_count(sy_hist_as_view(&r.h), "", 0), 4, 0, "\"\" = 4");
	sy_hist_free(&r.h);

	is_status(parse(&r, "{\"caf\xc3\xa9\": 1, \"\xe2\x82\xac\": 2, \"\xf0\x9f\x98\x80\": 3}"), SY_OK,
			  "raw UTF-8 in labels");
	v = sy_hist_as_view(&r.h);
	ok(VIEW_COUNT(v, "caf\xc3\xa9") == 1 && VIEW_COUNT(v, "\xe2\x82\xac") == 2 &&
	   VIEW_COUNT(v, "\xf0\x9f\x98\x80") == 3, "raw UTF-8 labels kept byte for byte");
	sy_hist_free(&r.h);

	is_status(parse_len(&r, "{\"caf\xc3\xa9\": 1}", 12, true), SY_OK,
			  "raw UTF-8 is fine with ascii_escapes_only (the flag is about \\u escapes)");
	sy_hist_free(&r.h);
}

static void
test_parse_numbers(void)
{
	static const struct
	{
		const char *num;
		double		value;
	}			good[] = {
		{"1e3", 1000}, {"1E3", 1000}, {"1e+3", 1000}, {"1.5e-3", 1.5e-3}, {"2.5E+2", 250},
		{"0.1", 0.1}, {"12", 12}, {"3.5", 3.5}, {"10.0", 10}, {"0.5e1", 5},
		{"123456789012345678901234567890", 123456789012345678901234567890.0},
		{"1.7976931348623157e308", DBL_MAX},
		{"4.9406564584124654e-324", 5e-324},
		{"2.2250738585072014e-308", DBL_MIN},
		{"9007199254740993", 9007199254740992.0},	/* ties to even */
		{"0.30000000000000004", 0.1 + 0.2},
	};
	static const char *zeros[] = {"0", "-0", "0.0", "-0.0", "0e5", "0E-5", "-0e0", "0.000"};
	static const char *negative[] = {"-1", "-0.5", "-1e-300", "-5e-324", "-1e308"};
	static const char *huge[] = {"1e999", "1.7976931348623159e308", "-1e999", "1e400",
		"1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"};
	static const char *bad[] = {"+1", ".5", "5.", "01", "-01", "00", "1e", "1e+", "1e-", "-", "1.e3",
		"NaN", "nan", "Infinity", "-Infinity", "inf", "0x10", "1_000", "1,5", "\"1\"", "true",
		"null", "[1]", "{}", "1 2", "--1", "1ee3", "1e3.5", "", "\xef\xbc\x91"};
	size_t		i;
	char		text[512];
	parsed		r;
	int			bad_n;

	for (i = 0; i < NPAIRS(good); i++)
	{
		snprintf(text, sizeof text, "{\"k\": %s}", good[i].num);
		is_status(parse(&r, text), SY_OK, "number %s parses", good[i].num);
		is_double(VIEW_COUNT(sy_hist_as_view(&r.h), "k"), good[i].value, 0, "number %s reads exactly", good[i].num);
		sy_hist_free(&r.h);
	}
	for (i = 0; i < NPAIRS(zeros); i++)
	{
		snprintf(text, sizeof text, "{\"z\": %s, \"k\": 1}", zeros[i]);
		is_status(parse(&r, text), SY_OK, "count %s parses", zeros[i]);
		ok(r.h.n == 1 && VIEW_COUNT(sy_hist_as_view(&r.h), "z") == -1, "count %s is dropped", zeros[i]);
		sy_hist_free(&r.h);
	}
	is_status(parse(&r, "{\"z\": 1e-400}"), SY_OK, "1e-400 (reads as 0) parses");
	is_int(r.h.n, 0, "and is dropped like a zero");
	sy_hist_free(&r.h);
	is_status(parse(&r, "{\"z\": -1e-400}"), SY_OK, "-1e-400 (reads as -0) parses");
	is_int(r.h.n, 0, "and is dropped like a zero");
	sy_hist_free(&r.h);

	for (i = 0; i < NPAIRS(negative); i++)
	{
		snprintf(text, sizeof text, "{\"k\": %s}", negative[i]);
		expect_status(text, strlen(text), false, SY_EVALUE, negative[i]);
	}
	for (i = 0; i < NPAIRS(huge); i++)
	{
		snprintf(text, sizeof text, "{\"k\": %s}", huge[i]);
		expect_status(text, strlen(text), false, SY_EVALUE, i == NPAIRS(huge) - 1 ? "1 followed by 300 zeros" : huge[i]);
	}
	bad_n = 0;
	for (i = 0; i < NPAIRS(bad); i++)
	{
		snprintf(text, sizeof text, "{\"k\": %s}", bad[i]);
		if (parse(&r, text) != SY_ESYNTAX)
		{
			bad_n++;
			diag("count '%s' gave %s", bad[i], status_name(r.status));
		}
		sy_hist_free(&r.h);
	}
	is_int(bad_n, 0, "%d malformed numbers (+1, .5, 5., 01, NaN, Infinity, 0x10, \"1\", true, ...) are SY_ESYNTAX",
		   (int) NPAIRS(bad));

	/* errors stop at the right place */
	parse(&r, "{\"a\": -1}");
	ok(r.err.message != NULL, "negative count: message \"%s\"", r.err.message ? r.err.message : "(null)");
	sy_hist_free(&r.h);
}

static void
test_parse_syntax(void)
{
	parsed		r;
	static const char *bad[] = {
		"", " ", "{", "}", "[]", "1", "null", "\"a\"", "{\"a\"}", "{\"a\":}", "{\"a\" 1}", "{a:1}",
		"{'a':1}", "{\"a\":1,}", "{,\"a\":1}", "{\"a\":1 \"b\":2}", "{\"a\":1,,\"b\":2}",
		"{\"a\":1}x", "{\"a\":1}{}", "{\"a\":1}}", "{{}}", "{\"a\":1", "{\"a\":1,",
		"{\"a", "{\"a\\", "{\"a\\\"", "{\"a\\x\":1}", "{\"a\\U0041\":1}", "{\"a\\u12\":1}",
		"{\"a\\u12G4\":1}", "{\"a\\u\":1}", "{\"a\\'\":1}", "{\"a\\0\":1}",
		"{\"a\x01\":1}", "{\"a\n\":1}", "{\"a\t\":1}", "{\"a\x1f\":1}",
		"{\"\\ud83d\":1}", "{\"\\ud83dx\":1}", "{\"\\ud83d\\u0041\":1}", "{\"\\ud83d\\ud83d\":1}",
		"{\"\\ude00\":1}", "{\"\\ude00\\ud83d\":1}", "{\"\\ud83d\\n\":1}", "{\"\\ud83d\\", 
		"\xef\xbb\xbf{}", "{}\v", "\f{}", "{\xc2\xa0}", "{\"a\":1}\n\n,", "{\"a\":1} // c",
		"{\"a\":{\"b\":1}}", "{\"a\":[1]}", "{\"a\":\"1\"}",
	};
	size_t		i;
	int			nbad = 0;

	for (i = 0; i < NPAIRS(bad); i++)
	{
		sy_status	s = parse(&r, bad[i]);

		if (s != SY_ESYNTAX)
		{
			nbad++;
			diag("'%s' gave %s", bad[i], status_name(s));
		}
		else if (r.err.message == NULL || r.err.offset > strlen(bad[i]))
		{
			nbad++;
			diag("'%s': message %p, offset %zu", bad[i], (const void *) r.err.message, r.err.offset);
		}
		sy_hist_free(&r.h);
	}
	is_int(nbad, 0, "%d malformed texts are SY_ESYNTAX with a message and an offset inside the text", (int) NPAIRS(bad));

	/* raw NUL bytes (explicit lengths) */
	expect_status("{\"a\0\":1}", 8, false, SY_ESYNTAX, "a raw NUL inside a label");
	expect_status("{\"a\":1}\0", 8, false, SY_ESYNTAX, "a NUL after the object");
	expect_status("{\"a\":1}", 6, false, SY_ESYNTAX, "text cut before '}' (length excludes it)");
	expect_status("{\"a\":1}garbage", 7, false, SY_OK, "length stops before trailing bytes");

	/* offsets */
	parse(&r, "{\"a\": 1}x");
	is_int(r.err.offset, 8, "trailing garbage: offset 8 (at the 'x')");
	ok(r.err.message != NULL, "trailing garbage: message \"%s\"", r.err.message ? r.err.message : "(null)");
	sy_hist_free(&r.h);
	parse(&r, "{\"a\":}");
	is_int(r.err.offset, 5, "missing count: offset 5 (at the '}')");
	sy_hist_free(&r.h);
	parse(&r, "");
	is_int(r.err.offset, 0, "empty text: offset 0");
	sy_hist_free(&r.h);
	parse(&r, "  [");
	is_int(r.err.offset, 2, "'  [': offset 2");
	sy_hist_free(&r.h);
}

static void
test_parse_escapes(void)
{
	parsed		r;
	sy_hist_view v;

	is_status(parse(&r, "{\"q\\\"b\\\\s\\/n\\nt\\tr\\rb\\bf\\f\": 1}"), SY_OK, "all short escapes");
	v = sy_hist_as_view(&r.h);
	is_int(v.n, 1, "one label");
	if (v.n == 1)
		is_mem(entry_label(v, 0), v.entries[0].label_len, "q\"b\\s/n\nt\tr\rb\bf\f", 16,
			   "short escapes decode to \" \\ / \\n \\t \\r \\b \\f");
	else
		ok(0, "short escapes decode");
	sy_hist_free(&r.h);

	{
		static const struct
		{
			const char *json;
			const char *bytes;
			const char *desc;
		}			u[] = {
			{"\\u0041", "A", "\\u0041 -> A"},
			{"\\u0001", "\x01", "\\u0001 -> 0x01 (only \\u0000 is refused)"},
			{"\\u001f", "\x1f", "\\u001f -> 0x1f"},
			{"\\u007F", "\x7f", "\\u007F -> 0x7f"},
			{"\\u0080", "\xc2\x80", "\\u0080 -> C2 80"},
			{"\\u00e9", "\xc3\xa9", "\\u00e9 -> C3 A9"},
			{"\\u00E9", "\xc3\xa9", "\\u00E9 (upper-case hex) -> C3 A9"},
			{"\\u07FF", "\xdf\xbf", "\\u07FF -> DF BF"},
			{"\\u0800", "\xe0\xa0\x80", "\\u0800 -> E0 A0 80"},
			{"\\u20AC", "\xe2\x82\xac", "\\u20AC -> E2 82 AC"},
			{"\\uFFFF", "\xef\xbf\xbf", "\\uFFFF -> EF BF BF"},
			{"\\ud800\\udc00", "\xf0\x90\x80\x80", "\\ud800\\udc00 -> U+10000"},
			{"\\uD83D\\uDE00", "\xf0\x9f\x98\x80", "\\uD83D\\uDE00 -> U+1F600 F0 9F 98 80"},
			{"\\udbff\\udfff", "\xf4\x8f\xbf\xbf", "\\udbff\\udfff -> U+10FFFF"},
			{"x\\u0041y\\n\\u00e9z", "xAy\n\xc3\xa9z", "escapes mixed with plain bytes"},
		};
		size_t		i;
		char		text[128];

		for (i = 0; i < NPAIRS(u); i++)
		{
			snprintf(text, sizeof text, "{\"%s\": 2}", u[i].json);
			is_status(parse(&r, text), SY_OK, "parse %s", u[i].desc);
			v = sy_hist_as_view(&r.h);
			if (v.n == 1)
				is_mem(entry_label(v, 0), v.entries[0].label_len, u[i].bytes, strlen(u[i].bytes), "%s", u[i].desc);
			else
				ok(0, "%s", u[i].desc);
			sy_hist_free(&r.h);
		}
	}

	/* \u0000 is always an error */
	{
		parsed		z;
		sy_status	s = parse(&z, "{\"a\\u0000b\": 1}");

		ok(s == SY_EVALUE || s == SY_ESYNTAX, "\\u0000 rejected (%s)", status_name(s));
		sy_hist_free(&z.h);
		s = parse_len(&z, "{\"\\u0000\": 1}", 14, true);
		ok(s == SY_EVALUE || s == SY_ESYNTAX, "\\u0000 rejected with ascii_escapes_only too (%s)", status_name(s));
		sy_hist_free(&z.h);
	}

	/* ascii_escapes_only */
	EXPECT_ASCII("{\"\\u0041\": 1}", SY_OK);
	EXPECT_ASCII("{\"\\u007f\": 1}", SY_OK);
	{
		static const char *above[] = {"{\"\\u0080\": 1}", "{\"\\u00e9\": 1}", "{\"\\u20ac\": 1}",
		"{\"\\ud83d\\ude00\": 1}"};
		size_t		i;

		for (i = 0; i < NPAIRS(above); i++)
		{
			parsed		a;
			sy_status	s = parse_len(&a, above[i], strlen(above[i]), true);

			ok(s == SY_EVALUE || s == SY_ESYNTAX, "ascii_escapes_only refuses %s (%s)", above[i], status_name(s));
			sy_hist_free(&a.h);
			is_status(parse_len(&a, above[i], strlen(above[i]), false), SY_OK, "without the flag %s is fine", above[i]);
			sy_hist_free(&a.h);
		}
	}
}

static void
test_parse_duplicates(void)
{
	EXPECT("{\"a\": 1, \"a\": 2}", SY_EDUPLICATE);
	EXPECT("{\"a\": 0, \"a\": 1}", SY_EDUPLICATE);
	EXPECT("{\"a\": 1, \"a\": 0}", SY_EDUPLICATE);
	EXPECT("{\"a\": 0, \"a\": 0}", SY_EDUPLICATE);
	EXPECT("{\"a\": 1, \"\\u0061\": 1}", SY_EDUPLICATE);
	EXPECT("{\"\xc3\xa9\": 1, \"\\u00e9\": 1}", SY_EDUPLICATE);
	EXPECT("{\"\\ud83d\\ude00\": 1, \"\xf0\x9f\x98\x80\": 1}", SY_EDUPLICATE);
	EXPECT("{\"a\": 1, \"b\": 1, \"c\": 1, \"b\": 1}", SY_EDUPLICATE);
	EXPECT("{\"\": 1, \"\": 1}", SY_EDUPLICATE);
	{
		parsed		z;
		sy_status	s = parse(&z, "{\"a\": 1, \"a \": 1, \"A\": 1, \"a\\u0000\": 1}");

		ok(s == SY_EVALUE || s == SY_ESYNTAX, "a\\u0000 is not a duplicate of a: still refused (%s)", status_name(s));
		sy_hist_free(&z.h);
	}
	EXPECT("{\"a\": 1, \"a \": 1, \"A\": 1}", SY_OK);
}

/* ------------------------------------------------------- limits and ENOMEM */

static void
test_parse_limits(void)
{
	parsed		r;
	sy_hist		h;
	sy_parse_error err;
	char		text[256];
	char		label[80];
	size_t		flat;

	/* {"<70 x>": 1} has a flat size of header + 1 entry + 70 */
	memset(label, 'x', 70);
	label[70] = '\0';
	snprintf(text, sizeof text, "{\"%s\": 1, \"y\": 2}", label);
	parse(&r, text);
	flat = sy_hist_flat_size(&r.h);
	sy_hist_free(&r.h);

	sy_hist_init(&h, &sy_env_malloc, 0);
	h.max_payload = flat - 1;
	is_status(sy_hist_parse_json(&h, text, strlen(text), false, &err), SY_ETOOBIG,
			  "parse one byte over max_payload: SY_ETOOBIG");
	ok(err.message != NULL, "with a message (\"%s\")", err.message ? err.message : "(null)");
	sy_hist_free(&h);

	sy_hist_init(&h, &sy_env_malloc, 0);
	h.max_payload = flat;
	is_status(sy_hist_parse_json(&h, text, strlen(text), false, &err), SY_OK,
			  "parse a histogram whose flat size is exactly max_payload (%zu) with a 70-byte label", flat);
	sy_hist_free(&h);

	/* a big text: 20000 labels */
	{
		size_t		cap = 20000 * 40,
					len = 0;
		char	   *big = malloc(cap);
		int			i,
					badc = 0;

		len += (size_t) snprintf(big + len, cap - len, "{");
		for (i = 0; i < 20000; i++)
			len += (size_t) snprintf(big + len, cap - len, "%s\"label %d\": %d", i ? ", " : "", i, i + 1);
		len += (size_t) snprintf(big + len, cap - len, "}");
		is_status(parse_len(&r, big, len, false), SY_OK, "parse 20000 labels");
		is_int(r.h.n, 20000, "20000 labels read");
		for (i = 0; i < 20000; i += 997)
		{
			char		lab[32];

			snprintf(lab, sizeof lab, "label %d", i);
			if (VIEW_COUNT(sy_hist_as_view(&r.h), lab) != i + 1)
				badc++;
		}
		is_int(badc, 0, "sampled counts right");
		sy_hist_free(&r.h);
		free(big);
	}

	/* a long parse polls */
	{
		size_t		cap = 140000 * 24,
					len = 0;
		char	   *big = malloc(cap);
		int			i;
		fail_ctx	c;
		sy_env		env = fail_env(&c, -1);
		sy_hist		h;

		len += (size_t) snprintf(big + len, cap - len, "{");
		for (i = 0; i < 140000; i++)
			len += (size_t) snprintf(big + len, cap - len, "%s\"%d\":1", i ? "," : "", i);
		len += (size_t) snprintf(big + len, cap - len, "}");
		sy_hist_init(&h, &env, 0);
		is_status(sy_hist_parse_json(&h, big, len, false, &err), SY_OK, "parse 140000 labels");
		ok(c.polls >= 2, "a 140000-label parse polls (%ld times)", c.polls);
		sy_hist_free(&h);
		is_int(c.live, 0, "no leaks");
		free(big);
	}
}

static void
test_parse_enomem(void)
{
	const char *text = "{\"alpha\": 1, \"beta\\u00e9\": 2.5, \"gamma\": 0, \"a much longer label that needs a bigger scratch buffer than sixty-four bytes, surely\": 3,"
		" \"d\": 4, \"e\": 5, \"f\": 6, \"g\": 7, \"h\": 8, \"i\": 9, \"j\": 10, \"k\": 11}";
	long		budget;
	int			bad = 0,
				leak = 0,
				finished = 0,
				oom = 0;

	for (budget = 0; budget < 500 && !finished; budget++)
	{
		fail_ctx	c;
		sy_env		env = fail_env(&c, -1);
		sy_hist		h;
		sy_parse_error err;
		sy_status	s;

		if (sy_hist_init(&h, &env, 0) != SY_OK)
		{
			bad++;
			break;
		}
		c.budget = budget;
		s = sy_hist_parse_json(&h, text, strlen(text), false, &err);
		c.budget = -1;
		if (s == SY_ENOMEM)
			oom++;
		else if (s != SY_OK)
			bad++;
		else
		{
			if (h.n != 11 || VIEW_COUNT(sy_hist_as_view(&h), "beta\xc3\xa9") != 2.5)
				bad++;
			if (c.failures == 0)
				finished = 1;
		}
		sy_hist_free(&h);
		if (c.live != 0)
			leak++;
	}
	ok(oom > 0, "allocation failures injected into the parser (%d)", oom);
	ok(finished, "parse succeeds once the allocator stops failing");
	is_int(bad, 0, "a failing allocator makes the parser say SY_ENOMEM, nothing else");
	is_int(leak, 0, "the parser leaks nothing on SY_ENOMEM");
}

/* ----------------------------------------------------------------- format */

static void
test_format(void)
{
	sy_hist		h;
	char	   *s;
	size_t		len;

	sy_hist_init(&h, &sy_env_malloc, 0);
	s = format_hist(&h, &len);
	is_str(s, "{}", "format empty: {}");
	is_int(len, 2, "returns the length");
	free(s);

	{
		const pair	p[] = {{"b", 2.5}, {"a", 1}, {"coding.python", 12}};

		sy_hist_free(&h);
		hist_from_pairs(&h, p, NPAIRS(p));
		s = format_hist(&h, &len);
		is_str(s, "{\"a\": 1, \"b\": 2.5, \"coding.python\": 12}", "format sorts labels, writes shortest counts");
		is_int(len, strlen(s), "length matches");
		free(s);
	}
	{
		const pair	p[] = {{"q\"b\\s/", 1}, {"\n\t\r\b\f\x01\x1f", 2}, {"\x7f\xc3\xa9\xf0\x9f\x98\x80", 3}, {"", 0.5}};

		sy_hist_free(&h);
		hist_from_pairs(&h, p, NPAIRS(p));
		s = format_hist(&h, &len);
		is_str(s, "{\"\": 0.5, \"\\n\\t\\r\\b\\f\\u0001\\u001f\": 2, \"q\\\"b\\\\s/\": 1, \"\x7f\xc3\xa9\xf0\x9f\x98\x80\": 3}",
			   "format escapes \" \\ and controls; UTF-8 and DEL pass through");
		free(s);
	}
	{
		const pair	p[] = {{"x", 0.1}, {"y", 1e300}, {"z", 5e-324}, {"w", 0.1 + 0.2}, {"v", 1e21}, {"u", 123456789}};
		parsed		r;

		sy_hist_free(&h);
		hist_from_pairs(&h, p, NPAIRS(p));
		s = format_hist(&h, &len);
		diag("%s", s);
		ok(strstr(s, "\"x\": 0.1,") != NULL, "0.1 written as 0.1");
		ok(strstr(s, "\"w\": 0.30000000000000004,") != NULL, "0.1+0.2 written as 0.30000000000000004");
		ok(strstr(s, "\"u\": 123456789,") != NULL, "123456789 written as an integer");
		is_status(parse_len(&r, s, len, false), SY_OK, "and it parses back");
		ok(views_equal(sy_hist_as_view(&r.h), sy_hist_as_view(&h)), "to the same histogram");
		sy_hist_free(&r.h);
		free(s);
	}
	/* worst-case lengths stay within json_max_len */
	{
		char		lab[1000];
		const double counts[] = {2.2250738585072014e-308, 1.7976931348623157e308, 4.9406564584124654e-324,
		1.0000000000000002, 9007199254740991.0, 0.30000000000000004, 1.2345678901234567e-300};
		size_t		i;
		int			over = 0;

		sy_hist_free(&h);
		sy_hist_init(&h, &sy_env_malloc, 0);
		memset(lab, 1, sizeof lab);
		for (i = 0; i < NPAIRS(counts); i++)
		{
			lab[0] = (char) (i + 1);
			sy_hist_add(&h, lab, sizeof lab, counts[i]);
			sy_hist_add(&h, lab, (uint32_t) i, counts[i]);
		}
		s = format_hist(&h, &len);	/* exactly-sized buffer: ASan would see an overrun */
		if (len == (size_t) -1)
			over++;
		is_int(over, 0, "worst-case labels (all control bytes) and long counts fit json_max_len");
		free(s);
	}
	sy_hist_free(&h);
}

/* random histograms survive flatten -> format -> parse -> flatten */
static size_t
put_codepoint(char *d, uint32_t cp)
{
	if (cp < 0x80)
	{
		d[0] = (char) cp;
		return 1;
	}
	if (cp < 0x800)
	{
		d[0] = (char) (0xC0 | (cp >> 6));
		d[1] = (char) (0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000)
	{
		d[0] = (char) (0xE0 | (cp >> 12));
		d[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
		d[2] = (char) (0x80 | (cp & 0x3F));
		return 3;
	}
	d[0] = (char) (0xF0 | (cp >> 18));
	d[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
	d[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
	d[3] = (char) (0x80 | (cp & 0x3F));
	return 4;
}

static double
random_count(void)
{
	for (;;)
	{
		uint64_t	bits = rng_next() & 0x7FFFFFFFFFFFFFFFull;
		double		d;

		switch (rng_below(4))
		{
			case 0:
				return (double) (1 + rng_below(1000000));
			case 1:
				return (double) (1 + rng_below(100000)) / 100.0;
			default:
				memcpy(&d, &bits, sizeof d);
				if (sy_count_is_valid(d))
					return d;
		}
	}
}

static void
test_roundtrip_random(void)
{
	int			iter,
				bad_parse = 0,
				bad_bytes = 0,
				bad_len = 0,
				bad_ascii = 0;

	rng_seed(7);
	for (iter = 0; iter < 300; iter++)
	{
		sy_hist		h;
		uint32_t	n = rng_below(40),
					i;
		flatbuf		f1,
					f2;
		sy_hist_view v;
		char	   *s;
		size_t		len;
		parsed		r;
		int			ascii_only = (iter % 3) == 0;

		sy_hist_init(&h, &sy_env_malloc, 0);
		for (i = 0; i < n; i++)
		{
			char		lab[64];
			size_t		ll = 0;
			uint32_t	k,
						nk = rng_below(8);

			for (k = 0; k < nk; k++)
			{
				uint32_t	cp;

				switch (ascii_only ? rng_below(3) : rng_below(6))
				{
					case 0:
						cp = 0x20 + rng_below(0x5F);	/* printable */
						break;
					case 1:
						cp = (rng_below(2) ? '"' : '\\');
						break;
					case 2:
						cp = 1 + rng_below(0x1F);		/* controls, not NUL */
						break;
					case 3:
						cp = 0x80 + rng_below(0x780);
						break;
					case 4:
						do
							cp = 0x800 + rng_below(0xF800);
						while (cp >= 0xD800 && cp <= 0xDFFF);
						break;
					default:
						cp = 0x10000 + rng_below(0x100000);
						break;
				}
				ll += put_codepoint(lab + ll, cp);
			}
			sy_hist_add(&h, lab, (uint32_t) ll, random_count());
		}
		flat_make(&h, &f1);
		sy_hist_flat_view(f1.p, f1.size, &v);
		s = format_view(v, &len);
		if (len == (size_t) -1)
		{
			bad_len++;
			len = strlen(s);
		}
		if (parse_len(&r, s, len, false) != SY_OK)
		{
			if (bad_parse++ < 3)
				diag("re-parse failed (%s at %zu: %s) for %s", status_name(r.status), r.err.offset,
					 r.err.message ? r.err.message : "", s);
		}
		else
		{
			flat_make(&r.h, &f2);
			if (f2.size != f1.size || memcmp(f2.p, f1.p, f1.size) != 0)
				bad_bytes++;
			flatbuf_free(&f2);
		}
		sy_hist_free(&r.h);
		if (ascii_only)
		{
			if (parse_len(&r, s, len, true) != SY_OK)
				bad_ascii++;
			sy_hist_free(&r.h);
		}
		free(s);
		flatbuf_free(&f1);
		sy_hist_free(&h);
	}
	is_int(bad_len, 0, "300 random histograms: format length == strlen <= json_max_len");
	is_int(bad_parse, 0, "300 random histograms: formatted text parses back");
	is_int(bad_bytes, 0, "300 random histograms: flat bytes identical after the text round trip");
	is_int(bad_ascii, 0, "ASCII-only histograms also parse back with ascii_escapes_only");
}

/* --------------------------------------------------------- sy_format_double */

/* significant digits of a decimal text: mantissa digits without leading and
 * trailing zeros */
static int
sig_digits(const char *s)
{
	char		d[64];
	int			n = 0,
				a,
				b;

	for (; *s && *s != 'e' && *s != 'E'; s++)
		if (isdigit((unsigned char) *s) && n < 63)
			d[n++] = *s;
	a = 0;
	while (a < n && d[a] == '0')
		a++;
	b = n;
	while (b > a && d[b - 1] == '0')
		b--;
	return b - a;
}

static int
reads_back(const char *s, double d)
{
	return same_double(strtod(s, NULL), d);
}

/*
 * The true fewest significant digits of a decimal reading back as d: for each
 * precision p, the p-digit decimal nearest d and its two neighbours (the
 * rounding interval is lopsided at powers of two).
 */
static int
shortest_digits(double d)
{
	int			p;

	for (p = 1; p <= 17; p++)
	{
		char		buf[64],
					cand[64];
		char	   *e;
		long long	m = 0;
		int			exp10,
					k,
					delta;

		snprintf(buf, sizeof buf, "%.*e", p - 1, fabs(d));
		for (k = 0; buf[k] && buf[k] != 'e'; k++)
			if (isdigit((unsigned char) buf[k]))
				m = m * 10 + (buf[k] - '0');
		e = strchr(buf, 'e');
		exp10 = atoi(e + 1) - (p - 1);
		for (delta = -1; delta <= 1; delta++)
		{
			if (m + delta <= 0)
				continue;
			snprintf(cand, sizeof cand, "%s%llde%d", d < 0 ? "-" : "", m + delta, exp10);
			if (reads_back(cand, d))
				return p;
		}
	}
	return 99;
}

static int
printf_shortest(double d)
{
	int			p;
	char		buf[64];

	for (p = 1; p <= 17; p++)
	{
		snprintf(buf, sizeof buf, "%.*g", p, d);
		if (reads_back(buf, d))
			return p;
	}
	return 99;
}

static void
test_format_double_exact(void)
{
	static const struct
	{
		double		d;
		const char *text;
	}			ex[] = {
		{0, "0"}, {1, "1"}, {12, "12"}, {100, "100"}, {3.5, "3.5"}, {0.5, "0.5"}, {0.1, "0.1"},
		{0.25, "0.25"}, {0.1 + 0.2, "0.30000000000000004"}, {1.0 / 3, "0.3333333333333333"},
		{2.0 / 3, "0.6666666666666666"}, {123456789, "123456789"}, {9007199254740991.0, "9007199254740991"},
		{1.5, "1.5"}, {1234.5678, "1234.5678"}, {1.7976931348623157e308, "1.7976931348623157e+308"},
	};
	size_t		i;

	for (i = 0; i < NPAIRS(ex); i++)
	{
		char		buf[40];
		size_t		len;

		memset(buf, 0x55, sizeof buf);
		len = sy_format_double(ex[i].d, buf);
		if (i == NPAIRS(ex) - 1)
		{
			/* spelling of the exponent is free; digits are not */
			ok(reads_back(buf, ex[i].d) && sig_digits(buf) == 17 && is_json_number(buf),
			   "format_double(DBL_MAX) = %s: 17 digits, reads back", buf);
			continue;
		}
		is_str(buf, ex[i].text, "format_double(%.17g) = %s", ex[i].d, ex[i].text);
		is_int(len, strlen(ex[i].text), "  and returns its length");
	}
	{
		char		buf[40];

		sy_format_double(5e-324, buf);
		ok(reads_back(buf, 5e-324) && sig_digits(buf) == 1, "format_double(5e-324) = %s (one digit)", buf);
		sy_format_double(1e300, buf);
		ok(reads_back(buf, 1e300) && sig_digits(buf) == 1 && strlen(buf) <= 6, "format_double(1e300) = %s", buf);
		sy_format_double(1e-7, buf);
		ok(reads_back(buf, 1e-7) && sig_digits(buf) == 1 && strlen(buf) <= 5, "format_double(1e-7) = %s", buf);
		sy_format_double(1e21, buf);
		ok(reads_back(buf, 1e21) && sig_digits(buf) == 1 && is_json_number(buf), "format_double(1e21) = %s", buf);
		sy_format_double(-1.5, buf);
		is_str(buf, "-1.5", "format_double(-1.5) = -1.5");
		sy_format_double(-7, buf);
		is_str(buf, "-7", "format_double(-7) = -7");
	}
	{
		char		buf[40];

		sy_format_double(-0.0, buf);
		ok(reads_back(buf, -0.0), "format_double(-0) reads back as -0 (got \"%s\")", buf);
	}
}

static void
test_format_double_random(void)
{
	int			i,
				n = 0,
				bad_rt = 0,
				bad_json = 0,
				bad_len = 0,
				bad_printf = 0,
				bad_short = 0,
				bad_printf_sub = 0,
				bad_short_sub = 0,
				nsub = 0,
				bad_17 = 0;
	char		buf[64],
				ref[64];

	rng_seed(99);
	for (i = 0; i < 200000 + 2098; i++)
	{
		double		d;
		uint64_t	bits;
		size_t		len;
		int			sig,
					pmin,
					sh;

		if (i < 120000)
		{
			bits = rng_next();
			memcpy(&d, &bits, sizeof d);
			if (!isfinite(d) || d == 0)
				continue;
		}
		else if (i < 150000)
			d = (double) (rng_next() >> rng_below(64));	/* integers of every size */
		else if (i < 180000)
			d = (double) (rng_below(1000000) + 1) / pow(10, rng_below(30));	/* short decimals */
		else if (i < 200000)
		{
			bits = rng_next() >> 12;			/* subnormals */
			memcpy(&d, &bits, sizeof d);
			if (d == 0)
				continue;
		}
		else
			d = ldexp(1.0, (i - 200000) - 1074);	/* every power of two */
		if (!isfinite(d) || d == 0)
			continue;
		n++;
		memset(buf, 0, sizeof buf);
		len = sy_format_double(d, buf);
		if (len != strlen(buf) || len >= 32)
			bad_len++;
		if (!reads_back(buf, d))
		{
			if (bad_rt++ < 5)
				diag("%a: \"%s\" does not read back", d, buf);
			continue;
		}
		if (!is_json_number(buf))
		{
			if (bad_json++ < 5)
				diag("%a: \"%s\" is not a JSON number", d, buf);
		}
		snprintf(ref, sizeof ref, "%.17g", d);
		if (!reads_back(ref, d))
			bad_17++;
		sig = sig_digits(buf);
		pmin = printf_shortest(d);
		sh = shortest_digits(d);
		if (fabs(d) < DBL_MIN)
		{
			/* subnormals carry fewer than 53 bits: often far fewer digits */
			nsub++;
			if (sig > pmin && bad_printf_sub++ < 3)
				diag("subnormal %.17g: \"%s\" has %d digits but %%.%dg reads back", d, buf, sig, pmin);
			if (sig != sh)
				bad_short_sub++;
			continue;
		}
		/* the brief's check: no shorter %.{p}g form would do */
		if (sig > pmin)
		{
			if (bad_printf++ < 5)
				diag("%.17g: \"%s\" has %d digits but %%.%dg reads back", d, buf, sig, pmin);
		}
		/* the strict check: fewest digits of any decimal */
		if (sig != sh)
		{
			if (bad_short++ < 5)
				diag("%.17g (%a): \"%s\" has %d digits, the shortest has %d", d, d, buf, sig, sh);
		}
	}
	diag("%d doubles checked, %d of them subnormal", n, nsub);
	is_int(bad_len, 0, "format_double returns strlen, under 32 bytes");
	is_int(bad_rt, 0, "format_double text reads back bit-exactly through strtod");
	is_int(bad_json, 0, "format_double text is a JSON number");
	is_int(bad_17, 0, "(sanity) %%.17g reads back");
	is_int(bad_printf, 0, "normal doubles: never more digits than the shortest %%.{1..17}g that reads back");
	/* Known and accepted: exact, but 17 digits at a few powers of two (histogram_text.h). */
	todo_start("%.16g misses the 16-digit form of some powers of two");
	is_int(bad_short, 0, "normal doubles: the fewest significant digits of any decimal that reads back");
	todo_end();
	is_int(bad_printf_sub, 0, "subnormal doubles: never more digits than the shortest %%.{1..17}g that reads back");
	is_int(bad_short_sub, 0, "subnormal doubles: the fewest significant digits of any decimal");
}

int
main(void)
{
	test_parse_basic();
	test_parse_numbers();
	test_parse_syntax();
	test_parse_escapes();
	test_parse_duplicates();
	test_parse_limits();
	test_parse_enomem();
	test_format();
	test_roundtrip_random();
	test_format_double_exact();
	test_format_double_random();
	return done_testing();
}
