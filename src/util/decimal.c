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

/* Up to this many digits, and a power of ten to this one, a number's digits fit a long as they are. */
#define SMALL_DIGITS 18

/* Significant digits shown for a value without a finite decimal expansion. */
#define APPROX_DIGITS 12

/*
 * The small form: num/den with 0 < den, |num| and den at most LONG_MAX, in lowest terms.
 * LONG_MIN is left to GMP so that negation never overflows.
 */
static bool is_small(const assure_dec *d)
{
	return d->den > 0;
}

static unsigned long gcd(unsigned long a, unsigned long b)
{
	while (b) {
		unsigned long t = a % b;
		a = b;
		b = t;
	}
	return a;
}

static unsigned long magnitude(long v)
{
	return v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
}

/* out = n/d (d > 0) in the small form, reduced; false when it does not fit it. */
static bool put_small(assure_dec *out, long n, long d)
{
	if (n == LONG_MIN || d <= 0)
		return false;
	unsigned long g = gcd(magnitude(n), (unsigned long)d);
	if (g > 1) {
		n /= (long)g;
		d /= (long)g;
	}
	if (!is_small(out))
		mpq_clear(out->q);
	out->num = n;
	out->den = d;
	return true;
}

/* A value as GMP's, for reading: its own, or a copy of the small form made for the call. */
typedef struct big_view {
	mpq_t copy;
	mpq_srcptr q;
} big_view;

static void view_open(big_view *v, const assure_dec *a)
{
	if (is_small(a)) {
		mpq_init(v->copy);
		mpq_set_si(v->copy, a->num, (unsigned long)a->den);
		v->q = v->copy;
	} else {
		v->q = a->q;
	}
}

static void view_close(big_view *v)
{
	if (v->q == v->copy)
		mpq_clear(v->copy);
}

/* Back to the small form when the value fits it, so that what follows allocates nothing. */
static void settle(assure_dec *d)
{
	if (is_small(d) || !mpz_fits_slong_p(mpq_numref(d->q)) || !mpz_fits_slong_p(mpq_denref(d->q)))
		return;
	long n = mpz_get_si(mpq_numref(d->q)), den = mpz_get_si(mpq_denref(d->q));
	if (n == LONG_MIN)
		return;
	mpq_clear(d->q);
	d->num = n;
	d->den = den;
}

/* out becomes GMP's form, with its value left unset. */
static void make_big(assure_dec *out)
{
	if (is_small(out)) {
		mpq_init(out->q);
		out->den = 0;
	}
}

void assure_dec_init(assure_dec *d)
{
	d->num = 0;
	d->den = 1;
}

void assure_dec_clear(assure_dec *d)
{
	if (!is_small(d))
		mpq_clear(d->q);
	d->num = 0;
	d->den = 1;
}

void assure_dec_set(assure_dec *out, const assure_dec *a)
{
	if (out == a)
		return;
	if (is_small(a)) {
		put_small(out, a->num, a->den);
		return;
	}
	make_big(out);
	mpq_set(out->q, a->q);
}

void assure_dec_set_int(assure_dec *out, long v)
{
	if (put_small(out, v, 1))
		return;
	make_big(out);
	mpq_set_si(out->q, v, 1);
}

void assure_dec_set_q(assure_dec *out, const mpq_t q)
{
	make_big(out);
	mpq_set(out->q, q);
	settle(out);
}

void assure_dec_get_q(mpq_t out, const assure_dec *a)
{
	if (is_small(a))
		mpq_set_si(out, a->num, (unsigned long)a->den);
	else
		mpq_set(out, a->q);
}

double assure_dec_to_double(const assure_dec *a)
{
	big_view va;
	view_open(&va, a);
	double v = mpq_get_d(va.q);
	view_close(&va);
	return v;
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
	make_big(out);
	mpq_swap(out->q, r);
	settle(out);
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
		put_small(out, 0, 1); /* 0, 0.000, 0e99999 */
		return ASSURE_DEC_OK;
	}
	if (nd <= SMALL_DIGITS && scale >= -SMALL_DIGITS && scale <= SMALL_DIGITS) {
		long n = 0, p = 1;
		for (size_t k = 0; k < nd; k++)
			n = n * 10 + (d[k] - '0');
		for (long k = scale < 0 ? -scale : scale; k > 0; k--)
			p *= 10;
		bool fits = scale < 0 || !__builtin_mul_overflow(n, p, &n);
		if (fits && put_small(out, neg ? -n : n, scale < 0 ? p : 1)) {
			assure_buf_free(&digits);
			return ASSURE_DEC_OK;
		}
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
		if (m / pow10[k] == v)
			return put_small(out, (long)m, (long)pow10[k]);
	}
	return false;
}

int assure_dec_from_json(assure_dec *out, const json_t *number)
{
	if (json_is_integer(number)) {
		_Static_assert(sizeof(json_int_t) <= sizeof(long), "a JSON integer fits a long");
		_Static_assert(sizeof(long) * CHAR_BIT <= ASSURE_DEC_MAX_BITS, "a long is in range");
		assure_dec_set_int(out, (long)json_integer_value(number));
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

/* GMP's way, for what the small form cannot hold. */
static int binary(assure_dec *out, const assure_dec *a, const assure_dec *b, mpq_op op)
{
	big_view va, vb;
	view_open(&va, a);
	view_open(&vb, b);
	mpq_t r;
	mpq_init(r);
	op(r, va.q, vb.q);
	view_close(&va);
	view_close(&vb);
	int rc = commit(out, r);
	mpq_clear(r);
	return rc;
}

/* a/b + c/d in the small form, sign -1 for a/b - c/d; false when it overflows. */
static bool small_add(assure_dec *out, const assure_dec *x, const assure_dec *y, int sign)
{
	long g = (long)gcd((unsigned long)x->den, (unsigned long)y->den);
	long l, r, n, d, c = sign < 0 ? -y->num : y->num;
	if (__builtin_mul_overflow(x->num, y->den / g, &l) || __builtin_mul_overflow(c, x->den / g, &r) ||
	    __builtin_add_overflow(l, r, &n) || __builtin_mul_overflow(x->den / g, y->den, &d))
		return false;
	return put_small(out, n, d);
}

/* a/b * c/d in the small form, crossing out common factors first; false when it overflows. */
static bool small_mul(assure_dec *out, long a, long b, long c, long d)
{
	long g1 = (long)gcd(magnitude(a), (unsigned long)d), g2 = (long)gcd(magnitude(c), (unsigned long)b);
	long n, m;
	if (g1 > 1)
		a /= g1, d /= g1;
	if (g2 > 1)
		c /= g2, b /= g2;
	if (__builtin_mul_overflow(a, c, &n) || __builtin_mul_overflow(b, d, &m))
		return false;
	return put_small(out, n, m);
}

int assure_dec_add(assure_dec *out, const assure_dec *a, const assure_dec *b)
{
	if (is_small(a) && is_small(b) && small_add(out, a, b, 1))
		return ASSURE_DEC_OK;
	return binary(out, a, b, mpq_add);
}

int assure_dec_sub(assure_dec *out, const assure_dec *a, const assure_dec *b)
{
	if (is_small(a) && is_small(b) && small_add(out, a, b, -1))
		return ASSURE_DEC_OK;
	return binary(out, a, b, mpq_sub);
}

int assure_dec_mul(assure_dec *out, const assure_dec *a, const assure_dec *b)
{
	if (is_small(a) && is_small(b) && small_mul(out, a->num, a->den, b->num, b->den))
		return ASSURE_DEC_OK;
	return binary(out, a, b, mpq_mul);
}

int assure_dec_div(assure_dec *out, const assure_dec *a, const assure_dec *b)
{
	if (assure_dec_sign(b) == 0)
		return fail(ASSURE_DEC_EDIVZERO);
	/* a / (n/d) = a * (d/n), the sign moved to the numerator */
	if (is_small(a) && is_small(b) &&
	    small_mul(out, a->num, a->den, b->num < 0 ? -b->den : b->den, b->num < 0 ? -b->num : b->num))
		return ASSURE_DEC_OK;
	return binary(out, a, b, mpq_div);
}

void assure_dec_neg(assure_dec *out, const assure_dec *a)
{
	if (is_small(a)) {
		put_small(out, -a->num, a->den);
		return;
	}
	make_big(out);
	mpq_neg(out->q, a->q);
}

void assure_dec_abs(assure_dec *out, const assure_dec *a)
{
	if (is_small(a)) {
		put_small(out, a->num < 0 ? -a->num : a->num, a->den);
		return;
	}
	make_big(out);
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

static int round_big(assure_dec *out, mpq_srcptr q, int n);

int assure_dec_round(assure_dec *out, const assure_dec *a, int n)
{
	if (is_small(a) && a->den == 1 && n >= 0) {
		assure_dec_set(out, a); /* a whole number is exact at any places */
		return ASSURE_DEC_OK;
	}
	big_view va;
	view_open(&va, a);
	int rc = round_big(out, va.q, n);
	view_close(&va);
	return rc;
}

static int round_big(assure_dec *out, mpq_srcptr q, int n)
{
	unsigned long places;
	if (n >= 0 && terminates(mpq_denref(q), &places) && places <= (unsigned long)n) {
		make_big(out); /* already exact at n places */
		mpq_set(out->q, q);
		settle(out);
		return ASSURE_DEC_OK;
	}
	if (n > PARSE_MAX_EXP)
		return fail(ASSURE_DEC_EOVERFLOW); /* needs a denominator of 10^n */
	if (n < -PARSE_MAX_EXP) {
		put_small(out, 0, 1); /* |a| < 2^MAX_BITS is far below half of 10^-n */
		return ASSURE_DEC_OK;
	}
	mpz_t p;
	mpz_init(p);
	mpz_ui_pow_ui(p, 10, (unsigned long)(n < 0 ? -(long)n : n));
	mpq_t r;
	mpq_init(r);
	mpq_set(r, q);
	if (n >= 0)
		mpz_mul(mpq_numref(r), mpq_numref(r), p);
	else
		mpz_mul(mpq_denref(r), mpq_denref(r), p);
	int sign = mpq_sgn(q);
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
	long l, r;
	if (is_small(a) && is_small(b)) {
		if (a->den == b->den)
			return (a->num > b->num) - (a->num < b->num);
		if (!__builtin_mul_overflow(a->num, b->den, &l) &&
		    !__builtin_mul_overflow(b->num, a->den, &r))
			return (l > r) - (l < r);
	}
	big_view va, vb;
	view_open(&va, a);
	view_open(&vb, b);
	int c = mpq_cmp(va.q, vb.q);
	view_close(&va);
	view_close(&vb);
	return c;
}

int assure_dec_sign(const assure_dec *a)
{
	return is_small(a) ? (a->num > 0) - (a->num < 0) : mpq_sgn(a->q);
}

bool assure_dec_is_integer(const assure_dec *a)
{
	return is_small(a) ? a->den == 1 : mpz_cmp_ui(mpq_denref(a->q), 1) == 0;
}

bool assure_dec_to_long(const assure_dec *a, long *out)
{
	if (is_small(a)) {
		if (a->den != 1)
			return false;
		*out = a->num;
		return true;
	}
	if (!assure_dec_is_integer(a) || !mpz_fits_slong_p(mpq_numref(a->q)))
		return false;
	*out = mpz_get_si(mpq_numref(a->q));
	return true;
}

void assure_dec_put_key(assure_buf *b, const assure_dec *a)
{
	long n;
	if (is_small(a)) { /* as GMP writes a rational: "-7", "103/10" */
		assure_buf_put_long(b, a->num);
		if (a->den != 1) {
			assure_buf_putc(b, '/');
			assure_buf_put_long(b, a->den);
		}
		return;
	}
	if (assure_dec_to_long(a, &n)) {
		assure_buf_put_long(b, n);
		return;
	}
	char *s = mpq_get_str(NULL, 10, a->q);
	assure_buf_puts(b, s);
	void (*free_fn)(void *, size_t);
	mp_get_memory_functions(NULL, NULL, &free_fn);
	free_fn(s, strlen(s) + 1);
}

/* Append the nd decimal digits of a non-negative integer with a point `places` digits from the right. */
static void put_digits_point(assure_buf *b, const char *digits, size_t nd, unsigned long places)
{
	if (places == 0) {
		assure_buf_put(b, digits, nd);
	} else if (nd > places) {
		assure_buf_put(b, digits, nd - places);
		assure_buf_putc(b, '.');
		assure_buf_put(b, digits + (nd - places), places);
	} else {
		assure_buf_puts(b, "0.");
		for (size_t i = nd; i < places; i++)
			assure_buf_putc(b, '0');
		assure_buf_put(b, digits, nd);
	}
}

/* put_digits_point of the integer `digits_of`. */
static void put_point(assure_buf *b, const mpz_t digits_of, unsigned long places)
{
	char *digits = mpz_get_str(NULL, 10, digits_of);
	size_t nd = strlen(digits);
	put_digits_point(b, digits, nd, places);
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

static char *format_big(mpq_srcptr q)
{
	assure_buf b = ASSURE_BUF_INIT;
	unsigned long places;
	bool exact = terminates(mpq_denref(q), &places);
	/* The marker leads ("~-0.333333333333") so that any text starting with '~' is approximate. */
	if (!exact)
		assure_buf_putc(&b, '~');
	if (mpq_sgn(q) < 0)
		assure_buf_putc(&b, '-');
	if (exact) {
		/* |a| * 10^places is an integer. */
		mpz_t n;
		mpz_init(n);
		mpz_ui_pow_ui(n, 10, places);
		mpz_mul(n, n, mpq_numref(q));
		mpz_divexact(n, n, mpq_denref(q));
		mpz_abs(n, n);
		put_point(&b, n, places);
		mpz_clear(n);
	} else {
		put_approx(&b, q);
	}
	return assure_buf_detach(&b);
}

/*
 * A small value's exact text, when it has one that a long can hold scaled (|num| * 10^places
 * / den): true and appended to b; false to leave it to GMP.
 */
static bool format_small(assure_buf *b, const assure_dec *a)
{
	unsigned long den = (unsigned long)a->den, twos = 0, fives = 0;
	while (den % 2 == 0)
		den /= 2, twos++;
	while (den % 5 == 0)
		den /= 5, fives++;
	unsigned long places = twos > fives ? twos : fives;
	if (den != 1 || places > SMALL_DIGITS)
		return false;
	long scale = 1, scaled;
	for (unsigned long k = 0; k < places; k++)
		scale *= 10;
	if (__builtin_mul_overflow(a->num < 0 ? -a->num : a->num, scale / a->den, &scaled))
		return false;
	assure_buf digits = ASSURE_BUF_INIT;
	assure_buf_put_size(&digits, (size_t)scaled);
	if (a->num < 0)
		assure_buf_putc(b, '-');
	put_digits_point(b, digits.ptr, digits.len, places);
	assure_buf_free(&digits);
	return true;
}

char *assure_dec_format(const assure_dec *a)
{
	assure_buf b = ASSURE_BUF_INIT;
	if (is_small(a) && format_small(&b, a))
		return assure_buf_detach(&b);
	assure_buf_free(&b);
	big_view va;
	view_open(&va, a);
	char *text = format_big(va.q);
	view_close(&va);
	return text;
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
