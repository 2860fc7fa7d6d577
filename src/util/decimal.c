/*
 * decimal.c: exact rational numbers for figures in returns (see decimal.h).
 *
 * Every result is computed into a temporary and only then moved into `out`, so an
 * operation that fails (overflow, division by zero) leaves `out` as it was and
 * operands may alias `out`. Text is parsed by hand rather than with strtod so that
 * no binary floating point value ever stands between the text and the rational.
 */
#include "assure/decimal.h"

#include "assure/buf.h"
#include "assure/error.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Beyond this many significant digits or this decimal exponent a parsed number
 * cannot fit ASSURE_DEC_MAX_BITS (10^k needs more than 3k bits, and a reduced
 * denominator 10^k/g needs at least k bits), so parsing stops before computing a
 * power that could take unbounded time and memory. Each has the type of what it bounds
 * (a count of digits, a long exponent).
 */
#define PARSE_MAX_DIGITS ((size_t)4 * ASSURE_DEC_MAX_BITS)
#define PARSE_MAX_EXP    (4L * ASSURE_DEC_MAX_BITS)

/* Significant digits shown for a value without a finite decimal expansion. */
#define APPROX_DIGITS 12

void assure_dec_init(assure_dec *d)
{
	mpq_init(d->q);
}

void assure_dec_clear(assure_dec *d)
{
	mpq_clear(d->q);
}

void assure_dec_set(assure_dec *out, const assure_dec *a)
{
	mpq_set(out->q, a->q);
}

void assure_dec_set_int(assure_dec *out, long v)
{
	mpq_set_si(out->q, v, 1);
}

static bool too_large(const mpq_t q)
{
	return mpz_sizeinbase(mpq_numref(q), 2) > ASSURE_DEC_MAX_BITS ||
	       mpz_sizeinbase(mpq_denref(q), 2) > ASSURE_DEC_MAX_BITS;
}

static int fail(int code)
{
	return assure_error_setc(code, "%s", assure_dec_strerror(code));
}

/* Move a computed result into out, unless it is beyond the range. */
static int commit(assure_dec *out, mpq_t r)
{
	if (too_large(r))
		return fail(ASSURE_DEC_EOVERFLOW);
	mpq_swap(out->q, r);
	return ASSURE_DEC_OK;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int assure_dec_from_text(assure_dec *out, const char *s, size_t len)
{
	size_t i = 0;
	bool neg = false;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';

	size_t int_start = i;
	while (i < len && is_digit(s[i]))
		i++;
	size_t int_end = i;
	/* JSON forbids leading zeros ("007"); a lone "0" is fine. */
	if (int_end - int_start > 1 && s[int_start] == '0')
		return fail(ASSURE_DEC_ESYNTAX);

	size_t frac_start = i, frac_end = i;
	if (i < len && s[i] == '.') {
		frac_start = ++i;
		while (i < len && is_digit(s[i]))
			i++;
		frac_end = i;
		if (frac_end == frac_start)
			return fail(ASSURE_DEC_ESYNTAX); /* "5." */
	}
	if (int_end == int_start && frac_end == frac_start)
		return fail(ASSURE_DEC_ESYNTAX); /* no digit at all */

	long exp = 0;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		bool exp_neg = false;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			exp_neg = s[i++] == '-';
		if (i >= len || !is_digit(s[i]))
			return fail(ASSURE_DEC_ESYNTAX);
		/* Saturate: any exponent past the bound is treated alike below. */
		while (i < len && is_digit(s[i])) {
			if (exp < 10L * PARSE_MAX_EXP)
				exp = exp * 10 + (s[i] - '0');
			i++;
		}
		if (exp_neg)
			exp = -exp;
	}
	if (i != len)
		return fail(ASSURE_DEC_ESYNTAX);

	/* Collect the significant digits: integer and fraction parts without leading zeros. */
	assure_buf digits = ASSURE_BUF_INIT;
	assure_buf_put(&digits, s + int_start, int_end - int_start);
	assure_buf_put(&digits, s + frac_start, frac_end - frac_start);
	long scale = exp - (long)(frac_end - frac_start); /* value = digits * 10^scale */
	const char *d = digits.ptr;
	size_t nd = digits.len;
	while (nd > 0 && *d == '0') {
		d++;
		nd--;
	}
	/* Trailing zeros go into the exponent so the size checks see the reduced value. */
	while (nd > 0 && d[nd - 1] == '0') {
		nd--;
		scale++;
	}
	if (nd == 0) {
		assure_buf_free(&digits);
		mpq_set_ui(out->q, 0, 1); /* 0, 0.000, 0e99999 */
		return ASSURE_DEC_OK;
	}
	if (nd > PARSE_MAX_DIGITS || scale > PARSE_MAX_EXP || scale < -PARSE_MAX_EXP) {
		assure_buf_free(&digits);
		return fail(ASSURE_DEC_EOVERFLOW);
	}

	char *z = assure_xstrndup(d, nd);
	assure_buf_free(&digits);
	mpq_t r;
	mpq_init(r);
	mpz_set_str(mpq_numref(r), z, 10);
	free(z);
	mpz_t p;
	mpz_init(p);
	mpz_ui_pow_ui(p, 10, (unsigned long)(scale < 0 ? -scale : scale));
	if (scale >= 0)
		mpz_mul(mpq_numref(r), mpq_numref(r), p);
	else
		mpz_set(mpq_denref(r), p);
	mpz_clear(p);
	mpq_canonicalize(r);
	if (neg)
		mpq_neg(r, r);
	int rc = commit(out, r);
	mpq_clear(r);
	return rc;
}

int assure_dec_from_string(assure_dec *out, const char *s)
{
	return assure_dec_from_text(out, s, strlen(s));
}

char *assure_dec_shortest_double(double v)
{
	if (!isfinite(v))
		return NULL;
	char text[40];
	/*
	 * 17 significant digits always round-trip an IEEE double, so the loop ends there.
	 * %g may choose exponent notation (100 gives "1e+02"): the text is for exact
	 * conversion, and assure_dec_format() is what shows a number to people.
	 */
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(text, sizeof text, "%.*g", prec, v);
		if (strtod(text, NULL) == v)
			break;
	}
	return assure_xstrdup(text);
}

/*
 * A figure written with at most FEW_PLACES decimals and 15 significant digits (20.6,
 * -1533.25): found with arithmetic instead of printing and parsing text, and the same
 * value. If m / 10^k, m below 10^15, reads back as v (m and 10^k are exact doubles and
 * IEEE division rounds correctly, as reading the text would), it is the one decimal of at
 * most 15 significant digits that does, so it is what "%.15g" prints.
 */
#define FEW_PLACES 9
static bool few_places(assure_dec *out, double v)
{
	static const double pow10[FEW_PLACES + 1] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
	for (int k = 0; k <= FEW_PLACES; k++) {
		double m = nearbyint(v * pow10[k]);
		if (fabs(m) >= 1e15)
			return false;
		if (m / pow10[k] == v) {
			mpq_set_si(out->q, (long)m, (unsigned long)pow10[k]);
			mpq_canonicalize(out->q);
			return true;
		}
	}
	return false;
}

int assure_dec_from_json(assure_dec *out, const json_t *number)
{
	if (json_is_integer(number)) {
		_Static_assert(sizeof(json_int_t) <= sizeof(long), "a JSON integer fits a long");
		_Static_assert(sizeof(long) * CHAR_BIT <= ASSURE_DEC_MAX_BITS, "a long is in range");
		mpq_set_si(out->q, (long)json_integer_value(number), 1);
		return ASSURE_DEC_OK;
	}
	if (json_is_real(number)) {
		double v = json_real_value(number);
		if (!isfinite(v))
			return fail(ASSURE_DEC_ESYNTAX);
		if (v != 0 && fabs(v) < DBL_MIN) { /* subnormal: fewer digits than DBL_DIG hold */
			char *text = assure_dec_shortest_double(v);
			int rc = assure_dec_from_string(out, text);
			free(text);
			return rc;
		}
		if (few_places(out, v))
			return ASSURE_DEC_OK;
		/*
		 * The value of the shortest text that reads back as v, as assure_dec_shortest_double
		 * gives it, without trying every precision from 1: a double's shortest text of 15
		 * digits or fewer is what %.15g prints (DBL_DIG is 15), and longer ones are tried
		 * in the same order. Every return reads numbers this way, once per evaluation.
		 */
		char text[40];
		for (int prec = 15; prec <= 17; prec++) {
			snprintf(text, sizeof text, "%.*g", prec, v);
			if (strtod(text, NULL) == v)
				break;
		}
		return assure_dec_from_string(out, text);
	}
	return fail(ASSURE_DEC_ESYNTAX);
}

typedef void (*mpq_op)(mpq_ptr, mpq_srcptr, mpq_srcptr);

static int binary(assure_dec *out, const assure_dec *a, const assure_dec *b, mpq_op op)
{
	mpq_t r;
	mpq_init(r);
	op(r, a->q, b->q);
	int rc = commit(out, r);
	mpq_clear(r);
	return rc;
}

int assure_dec_add(assure_dec *out, const assure_dec *a, const assure_dec *b)
{
	return binary(out, a, b, mpq_add);
}

int assure_dec_sub(assure_dec *out, const assure_dec *a, const assure_dec *b)
{
	return binary(out, a, b, mpq_sub);
}

int assure_dec_mul(assure_dec *out, const assure_dec *a, const assure_dec *b)
{
	return binary(out, a, b, mpq_mul);
}

int assure_dec_div(assure_dec *out, const assure_dec *a, const assure_dec *b)
{
	if (mpq_sgn(b->q) == 0)
		return fail(ASSURE_DEC_EDIVZERO);
	return binary(out, a, b, mpq_div);
}

void assure_dec_neg(assure_dec *out, const assure_dec *a)
{
	mpq_neg(out->q, a->q);
}

void assure_dec_abs(assure_dec *out, const assure_dec *a)
{
	mpq_abs(out->q, a->q);
}

/* Whether den's only prime factors are 2 and 5; *places gets the digits after the point. */
static bool terminates(const mpz_t den, unsigned long *places)
{
	mpz_t rest, five;
	mpz_init(rest);
	mpz_init_set_ui(five, 5);
	unsigned long twos = mpz_scan1(den, 0);
	mpz_tdiv_q_2exp(rest, den, twos);
	unsigned long fives = mpz_remove(rest, rest, five);
	bool done = mpz_cmp_ui(rest, 1) == 0;
	mpz_clear(rest);
	mpz_clear(five);
	*places = twos > fives ? twos : fives;
	return done;
}

/* out = |num/den| rounded half up to an integer, i.e. floor((2|num| + den) / 2den). */
static void round_abs(mpz_t out, const mpz_t num, const mpz_t den)
{
	mpz_t n2, d2;
	mpz_init(n2);
	mpz_init(d2);
	mpz_abs(n2, num);
	mpz_mul_2exp(n2, n2, 1);
	mpz_add(n2, n2, den);
	mpz_mul_2exp(d2, den, 1);
	mpz_fdiv_q(out, n2, d2);
	mpz_clear(n2);
	mpz_clear(d2);
}

int assure_dec_round(assure_dec *out, const assure_dec *a, int n)
{
	unsigned long places;
	if (n >= 0 && terminates(mpq_denref(a->q), &places) && places <= (unsigned long)n) {
		mpq_set(out->q, a->q); /* already exact at n places */
		return ASSURE_DEC_OK;
	}
	if (n > PARSE_MAX_EXP)
		return fail(ASSURE_DEC_EOVERFLOW); /* needs a denominator of 10^n */
	if (n < -PARSE_MAX_EXP) {
		mpq_set_ui(out->q, 0, 1); /* |a| < 2^MAX_BITS is far below half of 10^-n */
		return ASSURE_DEC_OK;
	}
	mpz_t p;
	mpz_init(p);
	mpz_ui_pow_ui(p, 10, (unsigned long)(n < 0 ? -(long)n : n));
	mpq_t r;
	mpq_init(r);
	mpq_set(r, a->q);
	if (n >= 0)
		mpz_mul(mpq_numref(r), mpq_numref(r), p);
	else
		mpz_mul(mpq_denref(r), mpq_denref(r), p);
	int sign = mpq_sgn(a->q);
	round_abs(mpq_numref(r), mpq_numref(r), mpq_denref(r));
	if (sign < 0)
		mpz_neg(mpq_numref(r), mpq_numref(r));
	if (n >= 0) {
		mpz_set(mpq_denref(r), p);
	} else {
		mpz_mul(mpq_numref(r), mpq_numref(r), p);
		mpz_set_ui(mpq_denref(r), 1);
	}
	mpq_canonicalize(r);
	mpz_clear(p);
	int rc = commit(out, r);
	mpq_clear(r);
	return rc;
}

int assure_dec_cmp(const assure_dec *a, const assure_dec *b)
{
	return mpq_cmp(a->q, b->q);
}

int assure_dec_sign(const assure_dec *a)
{
	return mpq_sgn(a->q);
}

bool assure_dec_is_integer(const assure_dec *a)
{
	return mpz_cmp_ui(mpq_denref(a->q), 1) == 0;
}

bool assure_dec_to_long(const assure_dec *a, long *out)
{
	if (!assure_dec_is_integer(a) || !mpz_fits_slong_p(mpq_numref(a->q)))
		return false;
	*out = mpz_get_si(mpq_numref(a->q));
	return true;
}

void assure_dec_put_key(assure_buf *b, const assure_dec *a)
{
	long n;
	if (assure_dec_to_long(a, &n)) {
		char digits[24], *p = digits + sizeof digits;
		unsigned long u = n < 0 ? 0UL - (unsigned long)n : (unsigned long)n;
		do
			*--p = (char)('0' + u % 10);
		while ((u /= 10) != 0);
		if (n < 0)
			*--p = '-';
		assure_buf_put(b, p, (size_t)(digits + sizeof digits - p));
		return;
	}
	char *s = mpq_get_str(NULL, 10, a->q);
	assure_buf_puts(b, s);
	void (*free_fn)(void *, size_t);
	mp_get_memory_functions(NULL, NULL, &free_fn);
	free_fn(s, strlen(s) + 1);
}

/* Append the non-negative integer `digits_of` with a decimal point `places` digits from the right. */
static void put_point(assure_buf *b, const mpz_t digits_of, unsigned long places)
{
	char *digits = mpz_get_str(NULL, 10, digits_of);
	size_t nd = strlen(digits);
	if (places == 0) {
		assure_buf_puts(b, digits);
	} else if (nd > places) {
		assure_buf_put(b, digits, nd - places);
		assure_buf_putc(b, '.');
		assure_buf_puts(b, digits + (nd - places));
	} else {
		assure_buf_puts(b, "0.");
		for (size_t i = nd; i < places; i++)
			assure_buf_putc(b, '0');
		assure_buf_puts(b, digits);
	}
	void (*gmp_free)(void *, size_t);
	mp_get_memory_functions(NULL, NULL, &gmp_free);
	gmp_free(digits, nd + 1);
}

/* Append |q| rounded to APPROX_DIGITS significant digits, in plain positional notation. */
static void put_approx(assure_buf *b, const mpq_t q)
{
	mpq_t x;
	mpq_init(x);
	mpq_abs(x, q);
	/* e: the decimal exponent of the leading digit, so 10^e <= x < 10^(e+1). */
	long e = (long)mpz_sizeinbase(mpq_numref(x), 10) - (long)mpz_sizeinbase(mpq_denref(x), 10);
	mpq_t bound;
	mpq_init(bound);
	for (;;) {
		/* Check 10^e <= x, then x < 10^(e+1); the first guess is off by at most 2. */
		mpz_ui_pow_ui(mpq_numref(bound), 10, (unsigned long)(e < 0 ? -e : e));
		mpz_set_ui(mpq_denref(bound), 1);
		if (e < 0)
			mpq_inv(bound, bound);
		if (mpq_cmp(x, bound) < 0) {
			e--;
			continue;
		}
		mpz_mul_ui(mpq_numref(bound), mpq_numref(bound), 10);
		mpq_canonicalize(bound);
		if (mpq_cmp(x, bound) >= 0) {
			e++;
			continue;
		}
		break;
	}
	mpq_clear(bound);

	/* R = round(x * 10^shift) has APPROX_DIGITS digits, or one more when it rounds up to 10^12. */
	long shift = APPROX_DIGITS - 1 - e;
	mpz_t p, r;
	mpz_init(p);
	mpz_init(r);
	mpz_ui_pow_ui(p, 10, (unsigned long)(shift < 0 ? -shift : shift));
	if (shift >= 0)
		mpz_mul(mpq_numref(x), mpq_numref(x), p);
	else
		mpz_mul(mpq_denref(x), mpq_denref(x), p);
	round_abs(r, mpq_numref(x), mpq_denref(x));
	if (shift <= 0) {
		mpz_mul(r, r, p);
		put_point(b, r, 0);
	} else {
		/* Trailing zeros of the fraction say nothing about an approximation. */
		unsigned long places = (unsigned long)shift;
		while (places > 0 && mpz_divisible_ui_p(r, 10)) {
			mpz_divexact_ui(r, r, 10);
			places--;
		}
		put_point(b, r, places);
	}
	mpz_clear(p);
	mpz_clear(r);
	mpq_clear(x);
}

char *assure_dec_format(const assure_dec *a)
{
	assure_buf b = ASSURE_BUF_INIT;
	unsigned long places;
	bool exact = terminates(mpq_denref(a->q), &places);
	/* The marker leads ("~-0.333333333333") so that any text starting with '~' is approximate. */
	if (!exact)
		assure_buf_putc(&b, '~');
	if (mpq_sgn(a->q) < 0)
		assure_buf_putc(&b, '-');
	if (exact) {
		/* |a| * 10^places is an integer. */
		mpz_t n;
		mpz_init(n);
		mpz_ui_pow_ui(n, 10, places);
		mpz_mul(n, n, mpq_numref(a->q));
		mpz_divexact(n, n, mpq_denref(a->q));
		mpz_abs(n, n);
		put_point(&b, n, places);
		mpz_clear(n);
	} else {
		put_approx(&b, a->q);
	}
	return assure_buf_detach(&b);
}

/* Indexed by the negated code. */
static const char *const messages[] = {
    [-ASSURE_DEC_OK] = "no error",
    [-ASSURE_DEC_ESYNTAX] = "not a decimal number",
    [-ASSURE_DEC_EDIVZERO] = "division by zero",
    [-ASSURE_DEC_EOVERFLOW] = "number too large",
};

const char *assure_dec_strerror(int code)
{
	if (code > 0 || -code >= (int)(sizeof messages / sizeof messages[0]))
		return "unknown decimal error";
	return messages[-code];
}
