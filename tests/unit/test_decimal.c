/* test_decimal.c: exact decimal arithmetic, parsing, rounding and formatting. */
#include "assure/decimal.h"

#include "assure/buf.h"
#include "assure/error.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Parse s (asserting success) into d, which must be initialised. */
static void parse(assure_dec *d, const char *s)
{
	int rc = assure_dec_from_string(d, s);
	if (rc != 0)
		fail_msg("'%s' did not parse: %s", s, assure_dec_strerror(rc));
}

static void assert_format(const assure_dec *d, const char *want)
{
	char *got = assure_dec_format(d);
	assert_string_equal(got, want);
	free(got);
}

/* Parse then format: the text that comes back. */
static void assert_reformat(const char *in, const char *want)
{
	assure_dec d;
	assure_dec_init(&d);
	parse(&d, in);
	assert_format(&d, want);
	assure_dec_clear(&d);
}

/* a op b formatted, where op is one of the four arithmetic functions. */
static void assert_op(int (*op)(assure_dec *, const assure_dec *, const assure_dec *), const char *a,
                      const char *b, const char *want)
{
	assure_dec x, y, r;
	assure_dec_init(&x);
	assure_dec_init(&y);
	assure_dec_init(&r);
	parse(&x, a);
	parse(&y, b);
	assert_int_equal(op(&r, &x, &y), ASSURE_DEC_OK);
	assert_format(&r, want);
	assure_dec_clear(&x);
	assure_dec_clear(&y);
	assure_dec_clear(&r);
}

static void assert_round(const char *in, int n, const char *want)
{
	assure_dec d;
	assure_dec_init(&d);
	parse(&d, in);
	assert_int_equal(assure_dec_round(&d, &d, n), ASSURE_DEC_OK);
	assert_format(&d, want);
	assure_dec_clear(&d);
}

/* The sum from the seed paper is exact: the six figures add to 90.8, not 90.80000000000001. */
static void test_decimal__sum_of_figures_is_exact(void **state)
{
	(void)state;
	const char *figures[] = {"20.6", "17.7", "19.4", "4.1", "4.0", "25.0"};
	assure_dec total, x, want;
	assure_dec_init(&total);
	assure_dec_init(&x);
	assure_dec_init(&want);
	for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++) {
		parse(&x, figures[i]);
		assert_int_equal(assure_dec_add(&total, &total, &x), ASSURE_DEC_OK);
	}
	parse(&want, "90.8");
	assert_int_equal(assure_dec_cmp(&total, &want), 0);
	assert_format(&total, "90.8");
	assure_dec_neg(&total, &total);
	assert_format(&total, "-90.8");
	assure_dec_clear(&total);
	assure_dec_clear(&x);
	assure_dec_clear(&want);
}

/* 0.1 + 0.2 is 0.3 exactly, and 1/3 * 3 is 1. */
static void test_decimal__classic_binary_pitfalls(void **state)
{
	(void)state;
	assure_dec a, b, c, want;
	assure_dec_init(&a);
	assure_dec_init(&b);
	assure_dec_init(&c);
	assure_dec_init(&want);
	parse(&a, "0.1");
	parse(&b, "0.2");
	parse(&want, "0.3");
	assert_int_equal(assure_dec_add(&c, &a, &b), ASSURE_DEC_OK);
	assert_int_equal(assure_dec_cmp(&c, &want), 0);
	assure_dec_set_int(&a, 1);
	assure_dec_set_int(&b, 3);
	assert_int_equal(assure_dec_div(&c, &a, &b), ASSURE_DEC_OK);
	assert_int_equal(assure_dec_mul(&c, &c, &b), ASSURE_DEC_OK);
	assert_int_equal(assure_dec_cmp(&c, &a), 0);
	assure_dec_clear(&a);
	assure_dec_clear(&b);
	assure_dec_clear(&c);
	assure_dec_clear(&want);
}

/* Values with a finite decimal expansion print exactly, without exponents or "-0". */
static void test_decimal__format_exact(void **state)
{
	(void)state;
	assert_reformat("-90.8", "-90.8");
	assert_reformat("0.05", "0.05");
	assert_reformat("175", "175");
	assert_reformat("175.000", "175");
	assert_reformat("-0", "0");
	assert_reformat("-0.0e5", "0");
	assert_reformat("1e3", "1000");
	assert_reformat("1.5E-3", "0.0015");
	assert_reformat("+.5", "0.5");
	assert_reformat("-.25", "-0.25");
	assert_reformat("12345678901234567890.0625", "12345678901234567890.0625");
	assert_reformat("1e-20", "0.00000000000000000001");
	assert_op(assure_dec_div, "1", "8", "0.125");
	assert_op(assure_dec_div, "-7", "2", "-3.5");
}

/* Values without one print as "~" and 12 significant digits, rounded, trailing zeros dropped. */
static void test_decimal__format_approximate(void **state)
{
	(void)state;
	assert_op(assure_dec_div, "1", "3", "~0.333333333333");
	assert_op(assure_dec_div, "2", "3", "~0.666666666667");
	assert_op(assure_dec_div, "-1", "3", "~-0.333333333333");
	assert_op(assure_dec_div, "1000", "3", "~333.333333333");
	assert_op(assure_dec_div, "1", "7", "~0.142857142857");
	assert_op(assure_dec_div, "1", "300", "~0.00333333333333");
	assert_op(assure_dec_div, "1e20", "3", "~33333333333300000000");
	/* 0.9999999999996... rounds up to a 13th digit: the leading digit moves. */
	assert_op(assure_dec_div, "2999999999999", "3000000000001", "~0.999999999999");
	assert_op(assure_dec_div, "29999999999999", "30000000000001", "~1");
	assert_op(assure_dec_div, "1", "30000000000001", "~0.0000000000000333333333333");
}

/* Arithmetic on mixed signs and scales. */
static void test_decimal__arithmetic(void **state)
{
	(void)state;
	assert_op(assure_dec_add, "-20.6", "17.7", "-2.9");
	assert_op(assure_dec_sub, "100", "0.01", "99.99");
	assert_op(assure_dec_sub, "0.3", "0.3", "0");
	assert_op(assure_dec_mul, "-1.5", "-1.5", "2.25");
	assert_op(assure_dec_mul, "1e-3", "1e3", "1");
	assert_op(assure_dec_div, "90.8", "-4", "-22.7");
}

/* Division by zero is a code, and the result keeps its old value. */
static void test_decimal__division_by_zero(void **state)
{
	(void)state;
	assure_dec a, z, r;
	assure_dec_init(&a);
	assure_dec_init(&z);
	assure_dec_init(&r);
	parse(&a, "5");
	parse(&z, "0.00");
	assure_dec_set_int(&r, 42);
	assert_int_equal(assure_dec_div(&r, &a, &z), ASSURE_DEC_EDIVZERO);
	assert_string_equal(assure_dec_strerror(ASSURE_DEC_EDIVZERO), "division by zero");
	assert_string_equal(assure_error_last(), "division by zero");
	assert_format(&r, "42");
	assure_dec_clear(&a);
	assure_dec_clear(&z);
	assure_dec_clear(&r);
}

/* Huge exponents are exact while they fit the bit limit and an overflow code past it, quickly. */
static void test_decimal__overflow(void **state)
{
	(void)state;
	assure_dec d, big, r;
	assure_dec_init(&d);
	assure_dec_init(&big);
	assure_dec_init(&r);
	parse(&d, "1e400");
	assert_true(assure_dec_is_integer(&d));
	char *text = assure_dec_format(&d);
	assert_int_equal(strlen(text), 401);
	assert_int_equal(text[0], '1');
	assert_int_equal(strspn(text + 1, "0"), 400);
	free(text);

	assure_dec_set_int(&r, 7);
	assert_int_equal(assure_dec_from_string(&r, "1e400000"), ASSURE_DEC_EOVERFLOW);
	assert_int_equal(assure_dec_from_string(&r, "1e99999999999999999999999"), ASSURE_DEC_EOVERFLOW);
	assert_int_equal(assure_dec_from_string(&r, "-1e-99999999999999999999999"), ASSURE_DEC_EOVERFLOW);
	assert_int_equal(assure_dec_from_string(&r, "1e2000"), ASSURE_DEC_EOVERFLOW);
	assert_string_equal(assure_dec_strerror(ASSURE_DEC_EOVERFLOW), "number too large");
	assert_format(&r, "7"); /* untouched by the failures */

	/* Zero stays zero whatever its exponent. */
	parse(&d, "0e99999999999");
	assert_int_equal(assure_dec_sign(&d), 0);

	/* 10^1200 fits (about 3987 bits); its square does not. */
	parse(&big, "1e1200");
	assert_int_equal(assure_dec_mul(&r, &big, &big), ASSURE_DEC_EOVERFLOW);
	assert_int_equal(assure_dec_add(&r, &big, &big), ASSURE_DEC_OK);
	parse(&d, "1e-1200");
	assert_int_equal(assure_dec_mul(&r, &d, &d), ASSURE_DEC_EOVERFLOW);
	assert_int_equal(assure_dec_div(&r, &d, &big), ASSURE_DEC_EOVERFLOW);
	assert_int_equal(assure_dec_div(&r, &big, &big), ASSURE_DEC_OK);
	assert_format(&r, "1");
	assure_dec_clear(&d);
	assure_dec_clear(&big);
	assure_dec_clear(&r);
}

/* Anything that is not JSON-number syntax (bar '+' and a missing leading digit) is rejected. */
static void test_decimal__syntax_errors(void **state)
{
	(void)state;
	const char *bad[] = {"",   "-",     "+",    ".",     "5.",       "1e",    "1e+",
	                     "01", "-01.5", "0x10", "1,000", " 1",       "1 ",    "1.2.3",
	                     "e5", "--1",   "+-1",  "NaN",   "Infinity", "1e5.5", "£5"};
	assure_dec d;
	assure_dec_init(&d);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (assure_dec_from_string(&d, bad[i]) != ASSURE_DEC_ESYNTAX)
			fail_msg("'%s' was accepted", bad[i]);
	}
	assert_string_equal(assure_dec_strerror(ASSURE_DEC_ESYNTAX), "not a decimal number");
	/* from_text reads exactly len bytes and no further. */
	assert_int_equal(assure_dec_from_text(&d, "12.5xyz", 4), ASSURE_DEC_OK);
	assert_format(&d, "12.5");
	assert_int_equal(assure_dec_from_text(&d, "12.5xyz", 5), ASSURE_DEC_ESYNTAX);
	assure_dec_clear(&d);
}

/* Round half away from zero at any number of places, negative meaning tens, hundreds. */
static void test_decimal__round_half_away_from_zero(void **state)
{
	(void)state;
	assert_round("2.345", 2, "2.35");
	assert_round("-2.345", 2, "-2.35");
	assert_round("2.344", 2, "2.34");
	assert_round("-2.5", 0, "-3");
	assert_round("2.5", 0, "3");
	assert_round("0.4", 0, "0");
	assert_round("-0.4", 0, "0");
	assert_round("1250", -2, "1300");
	assert_round("-1249", -2, "-1200");
	assert_round("7", 3, "7");
	assert_round("1.05", 5, "1.05");
	assert_round("123", -100000, "0");
	assure_dec a, b, r;
	assure_dec_init(&a);
	assure_dec_init(&b);
	assure_dec_init(&r);
	assure_dec_set_int(&a, 2);
	assure_dec_set_int(&b, 3);
	assert_int_equal(assure_dec_div(&a, &a, &b), ASSURE_DEC_OK);
	assert_int_equal(assure_dec_round(&r, &a, 4), ASSURE_DEC_OK);
	assert_format(&r, "0.6667");
	assert_int_equal(assure_dec_round(&r, &a, 1000000), ASSURE_DEC_EOVERFLOW);
	assure_dec_clear(&a);
	assure_dec_clear(&b);
	assure_dec_clear(&r);
}

/* JSON reals enter through their shortest text, so 0.1 is exactly 1/10, not the double's value. */
static void test_decimal__from_json_real_is_shortest_text(void **state)
{
	(void)state;
	assure_dec d, tenth, one, ten;
	assure_dec_init(&d);
	assure_dec_init(&tenth);
	assure_dec_init(&one);
	assure_dec_init(&ten);
	json_t *j = json_real(0.1);
	assert_int_equal(assure_dec_from_json(&d, j), ASSURE_DEC_OK);
	json_decref(j);
	assure_dec_set_int(&one, 1);
	assure_dec_set_int(&ten, 10);
	assert_int_equal(assure_dec_div(&tenth, &one, &ten), ASSURE_DEC_OK);
	assert_int_equal(assure_dec_cmp(&d, &tenth), 0);

	j = json_real(-20.6);
	assert_int_equal(assure_dec_from_json(&d, j), ASSURE_DEC_OK);
	json_decref(j);
	assert_format(&d, "-20.6");
	j = json_real(1e300);
	assert_int_equal(assure_dec_from_json(&d, j), ASSURE_DEC_OK);
	json_decref(j);
	assert_true(assure_dec_is_integer(&d));
	j = json_string("1");
	assert_int_equal(assure_dec_from_json(&d, j), ASSURE_DEC_ESYNTAX);
	json_decref(j);
	assure_dec_clear(&d);
	assure_dec_clear(&tenth);
	assure_dec_clear(&one);
	assure_dec_clear(&ten);
}

/* The shortest text is the fewest significant digits that read back to the same double. */
static void test_decimal__shortest_double(void **state)
{
	(void)state;
	const struct {
		double v;
		const char *text;
	} cases[] = {{0.1, "0.1"},
	             {20.6, "20.6"},
	             {0.1 + 0.2, "0.30000000000000004"},
	             {100, "1e+02"},
	             {-2.5, "-2.5"},
	             {1e21, "1e+21"},
	             {5e-324, "5e-324"},
	             {1.0 / 3, "0.3333333333333333"}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *t = assure_dec_shortest_double(cases[i].v);
		assert_string_equal(t, cases[i].text);
		free(t);
	}
}

/*
 * A JSON number reads as the value of its shortest text, however that is worked out: money-like
 * figures, every power of ten's neighbours, subnormals and doubles of random bits all agree.
 */
static void test_decimal__json_reals_read_as_their_shortest_text(void **state)
{
	(void)state;
	double cases[7000];
	size_t n = 0;
	for (int i = -200000; i <= 200000 && n < 1000; i += 401)
		cases[n++] = i / 100.0;
	for (int e = -320; e <= 308 && n < 2200; e += 1) {
		cases[n++] = pow(10, e);
		cases[n++] = nextafter(pow(10, e), 0);
	}
	uint64_t bits = 0x9E3779B97F4A7C15u;
	/* up to 15 digits with up to 11 places, and each one's neighbours: where few_places stops */
	while (n < 5000) {
		bits ^= bits << 13, bits ^= bits >> 7, bits ^= bits << 17;
		double m = (double)(bits % 1000000000000000u) / pow(10, (double)((bits >> 60) % 12));
		m = (bits & 1) ? -m : m;
		cases[n++] = m;
		cases[n++] = nextafter(m, INFINITY);
		cases[n++] = nextafter(m, -INFINITY);
	}
	while (n < sizeof cases / sizeof cases[0]) {
		bits ^= bits << 13, bits ^= bits >> 7, bits ^= bits << 17;
		double v;
		memcpy(&v, &bits, sizeof v);
		if (isfinite(v))
			cases[n++] = v;
	}
	cases[0] = 5e-324;
	cases[1] = 0.1 + 0.2;
	cases[2] = -0.0;
	for (size_t i = 0; i < n; i++) {
		assure_dec a, b;
		assure_dec_init(&a);
		assure_dec_init(&b);
		json_t *j = json_real(cases[i]);
		char *text = assure_dec_shortest_double(cases[i]);
		int ra = assure_dec_from_json(&a, j), rb = assure_dec_from_string(&b, text);
		assert_int_equal(ra, rb);
		if (ra == ASSURE_DEC_OK && assure_dec_cmp(&a, &b) != 0)
			fail_msg("%s read from JSON differs from its shortest text", text);
		free(text);
		json_decref(j);
		assure_dec_clear(&a);
		assure_dec_clear(&b);
	}
}

/* Integers beyond 2^53 are exact, both from JSON and through long. */
static void test_decimal__large_integers_exact(void **state)
{
	(void)state;
	assure_dec d, one, r;
	assure_dec_init(&d);
	assure_dec_init(&one);
	assure_dec_init(&r);
	json_t *j = json_integer(9007199254740993LL); /* 2^53 + 1: no double holds it */
	assert_int_equal(assure_dec_from_json(&d, j), ASSURE_DEC_OK);
	json_decref(j);
	assert_format(&d, "9007199254740993");
	long n = 0;
	assert_true(assure_dec_to_long(&d, &n));
	assert_int_equal(n, 9007199254740993L);
	assure_dec_set_int(&one, 1);
	assert_int_equal(assure_dec_sub(&r, &d, &one), ASSURE_DEC_OK);
	assert_format(&r, "9007199254740992");

	j = json_integer(INT64_MIN);
	assert_int_equal(assure_dec_from_json(&d, j), ASSURE_DEC_OK);
	json_decref(j);
	assert_format(&d, "-9223372036854775808");
	assert_int_equal(assure_dec_sub(&r, &d, &one), ASSURE_DEC_OK);
	assert_false(assure_dec_to_long(&r, &n)); /* beyond long */
	parse(&d, "2.5");
	assert_false(assure_dec_to_long(&d, &n)); /* not an integer */
	assert_false(assure_dec_is_integer(&d));
	assure_dec_clear(&d);
	assure_dec_clear(&one);
	assure_dec_clear(&r);
}

/* Comparison, sign, abs and set see the exact value, whatever the written scale. */
static void test_decimal__compare_sign_abs(void **state)
{
	(void)state;
	assure_dec a, b;
	assure_dec_init(&a);
	assure_dec_init(&b);
	parse(&a, "4.0");
	parse(&b, "4");
	assert_int_equal(assure_dec_cmp(&a, &b), 0);
	parse(&b, "4.0000000000000000001");
	assert_true(assure_dec_cmp(&a, &b) < 0);
	assert_true(assure_dec_cmp(&b, &a) > 0);
	parse(&a, "-19");
	assert_int_equal(assure_dec_sign(&a), -1);
	assure_dec_abs(&b, &a);
	assert_int_equal(assure_dec_sign(&b), 1);
	assert_format(&b, "19");
	assure_dec_set(&b, &a);
	assert_format(&b, "-19");
	assure_dec_clear(&a);
	assure_dec_clear(&b);
}

/* A value from a numerator and a denominator through GMP (so that it takes whichever form fits). */
static void set_ratio(assure_dec *d, mpq_t q, const char *num, const char *den)
{
	mpz_set_str(mpq_numref(q), num, 10);
	mpz_set_str(mpq_denref(q), den, 10);
	mpq_canonicalize(q);
	assure_dec_set_q(d, q);
}

static void assert_same_value(const assure_dec *d, const mpq_t want, const char *what)
{
	mpq_t got;
	mpq_init(got);
	assure_dec_get_q(got, d);
	if (!mpq_equal(got, want)) {
		char *g = mpq_get_str(NULL, 10, got), *w = mpq_get_str(NULL, 10, want);
		fail_msg("%s: %s, not %s", what, g, w);
	}
	mpq_clear(got);
}

/*
 * Figures are held as two longs while they fit and by GMP beyond: every operation on values
 * at and across that edge (LONG_MAX, LONG_MIN, products and sums that overflow a long, shared
 * factors) gives GMP's exact result, its key and text, and either operand may be the result.
 */
static void test_decimal__small_and_large_forms_agree_with_gmp(void **state)
{
	(void)state;
	static const char *const nums[] = {"0",
	                                   "1",
	                                   "-1",
	                                   "7",
	                                   "-206",
	                                   "3037000499",
	                                   "3037000500",
	                                   "4294967296",
	                                   "9223372036854775807",
	                                   "-9223372036854775807",
	                                   "-9223372036854775808",
	                                   "9223372036854775808",
	                                   "123456789012345678901234567890",
	                                   "1000000000000000000"};
	static const char *const dens[] = {
	    "1",          "2",    "3",  "10", "1000000000", "9223372036854775807", "9223372036854775808",
	    "4294967297", "1024", "625"};
	enum { NN = sizeof(nums) / sizeof(nums[0]), ND = sizeof(dens) / sizeof(dens[0]) };
	mpq_t qa, qb, want;
	mpq_inits(qa, qb, want, NULL);
	assure_dec a, b, r;
	assure_dec_init(&a);
	assure_dec_init(&b);
	assure_dec_init(&r);
	int (*const ops[])(assure_dec *, const assure_dec *, const assure_dec *) = {
	    assure_dec_add, assure_dec_sub, assure_dec_mul, assure_dec_div};
	void (*const mpq_ops[])(mpq_ptr, mpq_srcptr, mpq_srcptr) = {mpq_add, mpq_sub, mpq_mul, mpq_div};
	size_t checked = 0;
	for (size_t i = 0; i < NN * ND; i++) {
		set_ratio(&a, qa, nums[i / ND], dens[i % ND]);
		assert_same_value(&a, qa, "set_q");
		assert_int_equal(assure_dec_sign(&a), mpq_sgn(qa));
		assert_int_equal(assure_dec_is_integer(&a), mpz_cmp_ui(mpq_denref(qa), 1) == 0);
		long l;
		bool fits = mpz_cmp_ui(mpq_denref(qa), 1) == 0 && mpz_fits_slong_p(mpq_numref(qa));
		assert_int_equal(assure_dec_to_long(&a, &l), fits);
		if (fits)
			assert_int_equal(l, mpz_get_si(mpq_numref(qa)));
		assure_buf key = ASSURE_BUF_INIT;
		assure_dec_put_key(&key, &a);
		char *gk = mpq_get_str(NULL, 10, qa);
		assert_string_equal(key.ptr, gk);
		free(gk);
		assure_buf_free(&key);
		/* the text names the value: exact ones parse back to it */
		char *text = assure_dec_format(&a);
		if (text[0] != '~') {
			assure_dec back;
			assure_dec_init(&back);
			parse(&back, text);
			assert_int_equal(assure_dec_cmp(&back, &a), 0);
			assure_dec_clear(&back);
		}
		free(text);
		assure_dec_neg(&r, &a);
		mpq_neg(want, qa);
		assert_same_value(&r, want, "neg");
		assure_dec_abs(&r, &a);
		mpq_abs(want, qa);
		assert_same_value(&r, want, "abs");
		for (int n = -2; n <= 3; n++) {
			assert_int_equal(assure_dec_round(&r, &a, n), ASSURE_DEC_OK);
			assure_dec_set(&b, &r);
			assert_int_equal(assure_dec_round(&r, &b, n), ASSURE_DEC_OK);
			assert_int_equal(assure_dec_cmp(&r, &b), 0); /* rounding twice changes nothing */
		}
		for (size_t j = 0; j < NN * ND; j++) {
			set_ratio(&b, qb, nums[j / ND], dens[j % ND]);
			int c = assure_dec_cmp(&a, &b), g = mpq_cmp(qa, qb);
			assert_int_equal((c > 0) - (c < 0), (g > 0) - (g < 0)); /* cmp: <0, 0, >0 */
			for (size_t k = 0; k < 4; k++) {
				if (k == 3 && mpq_sgn(qb) == 0) {
					assert_int_equal(ops[k](&r, &a, &b), ASSURE_DEC_EDIVZERO);
					continue;
				}
				mpq_ops[k](want, qa, qb);
				assert_int_equal(ops[k](&r, &a, &b), ASSURE_DEC_OK);
				assert_same_value(&r, want, "a op b");
				assure_dec_set(&r, &a);
				assert_int_equal(ops[k](&r, &r, &b), ASSURE_DEC_OK); /* out is a */
				assert_same_value(&r, want, "a op= b");
				checked++;
			}
		}
	}
	/* every pair and operation, but division by the ND zeros ("0" over each denominator) */
	assert_int_equal(checked, (size_t)NN * ND * (4 * NN * ND - ND));
	mpq_clears(qa, qb, want, NULL);
	assure_dec_clear(&a);
	assure_dec_clear(&b);
	assure_dec_clear(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decimal__sum_of_figures_is_exact),
	    cmocka_unit_test(test_decimal__classic_binary_pitfalls),
	    cmocka_unit_test(test_decimal__format_exact),
	    cmocka_unit_test(test_decimal__format_approximate),
	    cmocka_unit_test(test_decimal__arithmetic),
	    cmocka_unit_test(test_decimal__division_by_zero),
	    cmocka_unit_test(test_decimal__overflow),
	    cmocka_unit_test(test_decimal__syntax_errors),
	    cmocka_unit_test(test_decimal__round_half_away_from_zero),
	    cmocka_unit_test(test_decimal__from_json_real_is_shortest_text),
	    cmocka_unit_test(test_decimal__shortest_double),
	    cmocka_unit_test(test_decimal__json_reals_read_as_their_shortest_text),
	    cmocka_unit_test(test_decimal__large_integers_exact),
	    cmocka_unit_test(test_decimal__compare_sign_abs),
	    cmocka_unit_test(test_decimal__small_and_large_forms_agree_with_gmp),
	};
	return cmocka_run_group_tests_name("decimal", tests, NULL, NULL);
}
