/*
 * tap.h: a tiny, header-only TAP producer for the C unit tests.
 *
 *   ok(cond, fmt, ...)                      one test point
 *   is_int(got, expected, fmt, ...)         integers (long long)
 *   is_double(got, expected, tol, fmt, ...) |got - expected| <= tol; tol 0
 *                                           means bit-exact (NaN == NaN, and
 *                                           -0 != +0), infinities compare equal
 *                                           only to themselves
 *   is_str(got, expected, fmt, ...)         NUL-terminated strings
 *   is_mem(got, glen, exp, elen, fmt, ...)  byte strings
 *   diag(fmt, ...)                          "# ..." comment on stdout
 *   todo_start(reason) ... todo_end()       mark the test points in between
 *                                           as TODO (known bugs): prove does
 *                                           not count their failure, and
 *                                           reports "TODO passed" once fixed
 *   plan(n)                                 print "1..n" up front (optional)
 *   done_testing()                          print "1..N" if no plan was
 *                                           given; returns the exit status
 *
 * Everything is static inline so unused helpers do not trip -Wunused.
 */
#ifndef SYBIL_TEST_TAP_H
#define SYBIL_TEST_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	tap_count_;
static int	tap_failed_;
static int	tap_planned_ = -1;
static const char *tap_todo_;
static int	tap_todo_failed_;
static int	tap_todo_passed_;

static inline void
tap_vline_(int pass, const char *file, int line, const char *fmt, va_list ap)
{
	tap_count_++;
	if (!pass && tap_todo_ == NULL)
		tap_failed_++;
	if (tap_todo_ != NULL)
	{
		if (pass)
			tap_todo_passed_++;
		else
			tap_todo_failed_++;
	}
	printf("%sok %d - ", pass ? "" : "not ", tap_count_);
	vprintf(fmt, ap);
	if (tap_todo_ != NULL)
		printf(" # TODO %s", tap_todo_);
	printf("\n");
	if (!pass)
		printf("#   Failed %stest at %s line %d.\n", tap_todo_ ? "(TODO) " : "", file, line);
	fflush(stdout);
}

static inline void
diag(const char *fmt, ...)
{
	va_list		ap;

	va_start(ap, fmt);
	printf("# ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
}

static inline void
todo_start(const char *reason)
{
	tap_todo_ = reason;
}

static inline void
todo_end(void)
{
	tap_todo_ = NULL;
}

static inline void
plan(int n)
{
	tap_planned_ = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

static inline int
tap_ok_(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list		ap;

	va_start(ap, fmt);
	tap_vline_(pass, file, line, fmt, ap);
	va_end(ap);
	return pass;
}

static inline int
tap_is_int_(long long got, long long exp, const char *file, int line,
			const char *fmt, ...)
{
	va_list		ap;
	int			pass = got == exp;

	va_start(ap, fmt);
	tap_vline_(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#          got: %lld\n#     expected: %lld\n", got, exp);
	return pass;
}

static inline int
tap_double_eq_(double got, double exp, double tol)
{
	if (isnan(exp))
		return isnan(got);
	if (isnan(got))
		return 0;
	if (isinf(exp) || isinf(got))
		return got == exp;
	if (tol == 0)
		return memcmp(&got, &exp, sizeof(double)) == 0;
	return fabs(got - exp) <= tol;
}

static inline int
tap_is_double_(double got, double exp, double tol, const char *file, int line,
			   const char *fmt, ...)
{
	va_list		ap;
	int			pass = tap_double_eq_(got, exp, tol);

	va_start(ap, fmt);
	tap_vline_(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#          got: %.17g\n#     expected: %.17g (tolerance %g)\n",
			   got, exp, tol);
	return pass;
}

static inline void
tap_print_bytes_(const char *what, const void *p, size_t len)
{
	const unsigned char *s = p;
	size_t		i;

	printf("#     %s (%zu bytes): \"", what, len);
	for (i = 0; i < len && i < 200; i++)
	{
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' && s[i] != '\\')
			putchar(s[i]);
		else
			printf("\\x%02x", s[i]);
	}
	printf("\"%s\n", i < len ? "..." : "");
}

static inline int
tap_is_mem_(const void *got, size_t glen, const void *exp, size_t elen,
			const char *file, int line, const char *fmt, ...)
{
	va_list		ap;
	int			pass;

	if (got == NULL || exp == NULL)
		pass = got == exp && glen == elen;
	else
		pass = glen == elen && (glen == 0 || memcmp(got, exp, glen) == 0);
	va_start(ap, fmt);
	tap_vline_(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass)
	{
		if (got)
			tap_print_bytes_("     got", got, glen);
		else
			printf("#          got: NULL\n");
		if (exp)
			tap_print_bytes_("expected", exp, elen);
		else
			printf("#     expected: NULL\n");
	}
	return pass;
}

static inline int
tap_is_str_(const char *got, const char *exp, const char *file, int line,
			const char *fmt, ...)
{
	va_list		ap;
	int			pass;

	if (got == NULL || exp == NULL)
		pass = got == exp;
	else
		pass = strcmp(got, exp) == 0;
	va_start(ap, fmt);
	tap_vline_(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass)
	{
		if (got)
			tap_print_bytes_("     got", got, strlen(got));
		else
			printf("#          got: NULL\n");
		if (exp)
			tap_print_bytes_("expected", exp, strlen(exp));
		else
			printf("#     expected: NULL\n");
	}
	return pass;
}

static inline int
done_testing(void)
{
	if (tap_planned_ < 0)
		printf("1..%d\n", tap_count_);
	else if (tap_planned_ != tap_count_)
	{
		printf("# planned %d tests but ran %d\n", tap_planned_, tap_count_);
		return 255;
	}
	if (tap_failed_)
		printf("# failed %d of %d tests\n", tap_failed_, tap_count_);
	if (tap_todo_failed_)
		printf("# %d TODO test(s) still failing (known bugs)\n", tap_todo_failed_);
	if (tap_todo_passed_)
		printf("# %d TODO test(s) now pass: remove their todo_start()\n", tap_todo_passed_);
	fflush(stdout);
	return tap_failed_ ? (tap_failed_ < 255 ? tap_failed_ : 254) : 0;
}

#define ok(cond, ...) tap_ok_(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, exp, ...) \
	tap_is_int_((long long) (got), (long long) (exp), __FILE__, __LINE__, __VA_ARGS__)
#define is_double(got, exp, tol, ...) \
	tap_is_double_((got), (exp), (tol), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, exp, ...) tap_is_str_((got), (exp), __FILE__, __LINE__, __VA_ARGS__)
#define is_mem(got, glen, exp, elen, ...) \
	tap_is_mem_((got), (glen), (exp), (elen), __FILE__, __LINE__, __VA_ARGS__)

#endif
