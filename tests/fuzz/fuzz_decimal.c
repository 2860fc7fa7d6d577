/*
 * fuzz_decimal.c: exact decimals (util/decimal.c) parse what JSON calls a number and nothing
 * else, hold the value the text says, format back to the same value, and do exact arithmetic.
 *
 * Input: A NUL B NUL REST. A and B are parsed as decimal text; REST's first byte (signed)
 * is the number of places to round to, and its next 8 bytes, when there, a double for the
 * shortest round-trip text and an integer for the JSON conversions.
 */
#include "assure/decimal.h"

#include "fuzz.h"

#include <float.h>
#include <limits.h>
#include <math.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * What decimal.h says is accepted, written out again: JSON number syntax, also with a
 * leading '+' and no integer part (".5"). Sets *digits (any nonzero significant digit),
 * *exp_abs (the exponent's magnitude, saturated) and *neg.
 */
static bool number_syntax(const char *s, size_t len, bool *nonzero, long *exp_abs, bool *neg)
{
	size_t i = 0, nint = 0, nfrac = 0;
	*nonzero = false;
	*exp_abs = 0;
	*neg = false;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		*neg = s[i++] == '-';
	size_t int_start = i;
	for (; i < len && is_digit(s[i]); i++, nint++)
		*nonzero |= s[i] != '0';
	if (nint > 1 && s[int_start] == '0')
		return false;
	if (i < len && s[i] == '.') {
		for (i++; i < len && is_digit(s[i]); i++, nfrac++)
			*nonzero |= s[i] != '0';
		if (nfrac == 0)
			return false;
	}
	if (nint == 0 && nfrac == 0)
		return false;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t ne = 0;
		for (; i < len && is_digit(s[i]); i++, ne++)
			if (*exp_abs < 1000000)
				*exp_abs = *exp_abs * 10 + (s[i] - '0');
		if (ne == 0)
			return false;
	}
	return i == len;
}

/* The exact form assure_dec_format promises: -?(0|[1-9][0-9]*)(.[0-9]*[1-9])?, never "-0". */
static bool canonical(const char *s)
{
	const char *p = s;
	if (*p == '-')
		p++;
	if (*p == '0') {
		p++;
	} else if (*p >= '1' && *p <= '9') {
		while (is_digit(*p))
			p++;
	} else {
		return false;
	}
	if (*p == '.') {
		p++;
		const char *frac = p;
		while (is_digit(*p))
			p++;
		if (p == frac || p[-1] == '0')
			return false;
	}
	return *p == '\0' && strcmp(s, "-0") != 0;
}

static bool dec_eq(const assure_dec *a, const assure_dec *b)
{
	return assure_dec_cmp(a, b) == 0;
}

static int sgn(int v)
{
	return (v > 0) - (v < 0);
}

/* The exact value of plain decimal text (-?digits(.digits)?), read with no limit on its size. */
static void exact_text(assure_dec *out, const char *s)
{
	bool neg = *s == '-';
	s += neg;
	char *digits = malloc(strlen(s) + 1);
	size_t nd = 0, places = 0;
	for (const char *p = s; *p; p++) {
		if (*p == '.') {
			places = strlen(p + 1);
			continue;
		}
		digits[nd++] = *p;
	}
	digits[nd] = '\0';
	mpq_t q;
	mpq_init(q);
	mpz_set_str(mpq_numref(q), digits, 10);
	mpz_ui_pow_ui(mpq_denref(q), 10, places);
	mpq_canonicalize(q);
	if (neg)
		mpq_neg(q, q);
	assure_dec_set_q(out, q);
	mpq_clear(q);
	free(digits);
}

/* The value of the text, formatted and parsed again, is the same value (or near it, marked '~'). */
static void check_format(const assure_dec *a)
{
	char *text = assure_dec_format(a);
	FUZZ_CHECK(text != NULL, "format gave nothing");
	assure_dec back;
	assure_dec_init(&back);
	if (text[0] != '~') {
		FUZZ_CHECK(canonical(text), "'%s' is not an exact decimal in plain form", text);
		FUZZ_CHECK(assure_dec_from_string(&back, text) == ASSURE_DEC_OK, "'%s' does not parse", text);
		FUZZ_CHECK(dec_eq(&back, a), "'%s' parses to another value", text);
	} else {
		/* 12 significant digits: within half a unit of the 12th, so |back - a| * 2e11 <= |a| */
		FUZZ_CHECK(canonical(text + 1), "'%s' is not plain decimal text after '~'", text);
		FUZZ_CHECK(!assure_dec_is_integer(a), "'%s': an integer is always exact", text);
		/* the text may be beyond the range (a tiny value's zeros): read it without a limit */
		exact_text(&back, text + 1);
		mpq_t diff, bound, qa;
		mpq_inits(diff, bound, qa, NULL);
		assure_dec_get_q(diff, &back);
		assure_dec_get_q(qa, a);
		mpq_sub(diff, diff, qa);
		mpq_abs(diff, diff);
		mpq_set_ui(bound, 200000000000ul, 1);
		mpq_mul(diff, diff, bound);
		mpq_abs(bound, qa);
		FUZZ_CHECK(mpq_cmp(diff, bound) <= 0, "'%s' is further than 12 digits from the value", text);
		mpq_clears(diff, bound, qa, NULL);
	}
	assure_dec_clear(&back);
	free(text);
}

/* Parse one text and check what was accepted against the syntax and the value it names. */
static int parse_checked(assure_dec *out, const fuzz_part *p)
{
	int rc = assure_dec_from_text(out, p->s, p->len);
	bool nonzero, neg;
	long exp_abs;
	bool valid = number_syntax(p->s, p->len, &nonzero, &exp_abs, &neg);
	FUZZ_CHECK(rc == ASSURE_DEC_OK || rc == ASSURE_DEC_ESYNTAX || rc == ASSURE_DEC_EOVERFLOW,
	           "code %d from parsing", rc);
	if (!valid) {
		FUZZ_CHECK(rc == ASSURE_DEC_ESYNTAX, "'%s' is not a number but parsed (%d)", p->s, rc);
		return rc;
	}
	FUZZ_CHECK(rc != ASSURE_DEC_ESYNTAX, "'%s' is a number but was refused", p->s);
	/* 200 digits times 10^1000 stays below 4096 bits, whatever the digits */
	if (p->len <= 200 && exp_abs <= 1000)
		FUZZ_CHECK(rc == ASSURE_DEC_OK, "'%s' is small but overflowed", p->s);
	if (rc != ASSURE_DEC_OK)
		return rc;
	FUZZ_CHECK((assure_dec_sign(out) != 0) == nonzero, "'%s': zero or not", p->s);
	if (nonzero)
		FUZZ_CHECK(assure_dec_sign(out) == (neg ? -1 : 1), "'%s': wrong sign", p->s);
	/* the rational is the number strtod approximates (GMP truncates, so allow 2 ulp) */
	double want = strtod(p->s, NULL), got = assure_dec_to_double(out);
	if (isnormal(want) && fabs(want) < DBL_MAX / 2)
		FUZZ_CHECK(fabs(got - want) <= 4 * DBL_EPSILON * fabs(want), "'%s' is %.17g, not %.17g", p->s,
		           got, want);
	assure_dec again;
	assure_dec_init(&again);
	FUZZ_CHECK(assure_dec_from_string(&again, p->s) == ASSURE_DEC_OK && dec_eq(&again, out),
	           "from_string and from_text differ on '%s'", p->s);
	assure_dec_clear(&again);
	return rc;
}

/* A failed operation leaves its result as it was. */
#define SENTINEL 424242

static void check_unchanged(const assure_dec *out, int rc)
{
	if (rc == ASSURE_DEC_OK)
		return;
	assure_dec s;
	assure_dec_init(&s);
	assure_dec_set_int(&s, SENTINEL);
	FUZZ_CHECK(dec_eq(out, &s), "a failed operation (%d) changed its result", rc);
	assure_dec_clear(&s);
}

typedef int (*dec_op)(assure_dec *, const assure_dec *, const assure_dec *);

static int op_checked(dec_op op, assure_dec *out, const assure_dec *a, const assure_dec *b)
{
	assure_dec_set_int(out, SENTINEL);
	int rc = op(out, a, b);
	FUZZ_CHECK(rc == ASSURE_DEC_OK || rc == ASSURE_DEC_EOVERFLOW || rc == ASSURE_DEC_EDIVZERO,
	           "code %d from arithmetic", rc);
	FUZZ_CHECK(rc != ASSURE_DEC_EDIVZERO || (op == assure_dec_div && assure_dec_sign(b) == 0),
	           "division by zero reported where there is none");
	check_unchanged(out, rc);
	if (rc == ASSURE_DEC_OK) {
		/* the same operation with the result aliasing the first operand gives the same value */
		assure_dec alias;
		assure_dec_init(&alias);
		assure_dec_set(&alias, a);
		FUZZ_CHECK(op(&alias, &alias, b) == ASSURE_DEC_OK && dec_eq(&alias, out),
		           "aliasing changes a result");
		assure_dec_clear(&alias);
	}
	return rc;
}

static void check_arithmetic(const assure_dec *a, const assure_dec *b)
{
	assure_dec s, t, u;
	assure_dec_init(&s);
	assure_dec_init(&t);
	assure_dec_init(&u);
	/* a + b - b == a, a + b == b + a, and the order agrees with the difference's sign */
	if (op_checked(assure_dec_add, &s, a, b) == ASSURE_DEC_OK) {
		check_format(&s);
		if (op_checked(assure_dec_sub, &t, &s, b) == ASSURE_DEC_OK)
			FUZZ_CHECK(dec_eq(&t, a), "a + b - b is not a");
		FUZZ_CHECK(op_checked(assure_dec_add, &u, b, a) == ASSURE_DEC_OK && dec_eq(&u, &s),
		           "a + b is not b + a");
	}
	if (op_checked(assure_dec_sub, &s, a, b) == ASSURE_DEC_OK) {
		FUZZ_CHECK(sgn(assure_dec_cmp(a, b)) == assure_dec_sign(&s), "compare and subtract disagree");
		if (op_checked(assure_dec_add, &t, &s, b) == ASSURE_DEC_OK)
			FUZZ_CHECK(dec_eq(&t, a), "a - b + b is not a");
	}
	FUZZ_CHECK(sgn(assure_dec_cmp(a, b)) == -sgn(assure_dec_cmp(b, a)), "compare is not antisymmetric");
	/* a * b / b == a and a / b * b == a */
	if (op_checked(assure_dec_mul, &s, a, b) == ASSURE_DEC_OK) {
		check_format(&s);
		FUZZ_CHECK(assure_dec_sign(&s) == assure_dec_sign(a) * assure_dec_sign(b),
		           "sign of a product");
		if (assure_dec_sign(b) != 0 && op_checked(assure_dec_div, &t, &s, b) == ASSURE_DEC_OK)
			FUZZ_CHECK(dec_eq(&t, a), "a * b / b is not a");
	}
	int rc = op_checked(assure_dec_div, &s, a, b);
	FUZZ_CHECK((rc == ASSURE_DEC_EDIVZERO) == (assure_dec_sign(b) == 0), "division by zero or not");
	if (rc == ASSURE_DEC_OK) {
		check_format(&s);
		if (op_checked(assure_dec_mul, &t, &s, b) == ASSURE_DEC_OK)
			FUZZ_CHECK(dec_eq(&t, a), "a / b * b is not a");
	}
	assure_dec_clear(&s);
	assure_dec_clear(&t);
	assure_dec_clear(&u);
}

/* Round half away from zero to n places: near, on the grid, stable, symmetric. */
static void check_round(const assure_dec *a, int n)
{
	assure_dec r, again, neg, diff, bound;
	assure_dec_init(&r);
	assure_dec_init(&again);
	assure_dec_init(&neg);
	assure_dec_init(&diff);
	assure_dec_init(&bound);
	assure_dec_set_int(&r, SENTINEL);
	int rc = assure_dec_round(&r, a, n);
	FUZZ_CHECK(rc == ASSURE_DEC_OK || rc == ASSURE_DEC_EOVERFLOW, "code %d from round", rc);
	check_unchanged(&r, rc);
	if (rc != ASSURE_DEC_OK)
		goto done;
	check_format(&r);
	/*
	 * |r - a| <= 10^-n / 2, and |r| > |a| at exactly half (away from zero); worked out with GMP
	 * alone, as the oracle has no range limit (n may be 10,000)
	 */
	mpq_t qb, qd, qr, qa;
	mpq_inits(qb, qd, qr, qa, NULL);
	assure_dec_get_q(qr, &r);
	assure_dec_get_q(qa, a);
	mpz_ui_pow_ui(mpq_numref(qb), 10, (unsigned long)abs(n));
	if (n > 0)
		mpq_inv(qb, qb);
	mpq_div_2exp(qb, qb, 1);
	mpq_sub(qd, qr, qa);
	mpq_abs(qd, qd);
	assure_dec_set_q(&bound, qb);
	assure_dec_set_q(&diff, qd);
	FUZZ_CHECK(assure_dec_cmp(&diff, &bound) <= 0, "round(a, %d) is too far from a", n);
	if (assure_dec_cmp(&diff, &bound) == 0 && assure_dec_sign(a) != 0) {
		assure_dec_abs(&neg, a);
		assure_dec_abs(&again, &r);
		FUZZ_CHECK(assure_dec_cmp(&again, &neg) > 0, "round(a, %d) went towards zero at a half", n);
	}
	/* r * 10^n is an integer */
	mpz_ui_pow_ui(mpq_numref(qb), 10, (unsigned long)abs(n));
	mpz_set_ui(mpq_denref(qb), 1);
	if (n > 0)
		mpq_mul(qr, qr, qb);
	else
		mpq_div(qr, qr, qb);
	FUZZ_CHECK(mpz_cmp_ui(mpq_denref(qr), 1) == 0, "round(a, %d) has more places", n);
	mpq_clears(qb, qd, qr, qa, NULL);
	FUZZ_CHECK(assure_dec_round(&again, &r, n) == ASSURE_DEC_OK && dec_eq(&again, &r),
	           "rounding twice changes the value");
	assure_dec_neg(&neg, a);
	FUZZ_CHECK(assure_dec_round(&again, &neg, n) == ASSURE_DEC_OK,
	           "round(-a) fails where round(a) does not");
	assure_dec_neg(&again, &again);
	FUZZ_CHECK(dec_eq(&again, &r), "round(-a, %d) is not -round(a, %d)", n, n);
	if (n == 0)
		FUZZ_CHECK(assure_dec_is_integer(a) == dec_eq(&r, a), "is_integer and round(a, 0) disagree");
done:
	assure_dec_clear(&r);
	assure_dec_clear(&again);
	assure_dec_clear(&neg);
	assure_dec_clear(&diff);
	assure_dec_clear(&bound);
}

static void check_unary(const assure_dec *a)
{
	assure_dec x, y;
	assure_dec_init(&x);
	assure_dec_init(&y);
	assure_dec_neg(&x, a);
	assure_dec_neg(&y, &x);
	FUZZ_CHECK(dec_eq(&y, a), "-(-a) is not a");
	FUZZ_CHECK(assure_dec_sign(&x) == -assure_dec_sign(a), "sign of -a");
	assure_dec_abs(&x, a);
	assure_dec_neg(&y, a);
	FUZZ_CHECK(assure_dec_sign(&x) >= 0, "abs is negative");
	FUZZ_CHECK(dec_eq(&x, a) || dec_eq(&x, &y), "abs(a) is neither a nor -a");
	long l;
	if (assure_dec_to_long(a, &l)) {
		assure_dec_set_int(&x, l);
		FUZZ_CHECK(dec_eq(&x, a), "to_long gives another value");
	}
	char *text = assure_dec_format(a);
	if (assure_dec_is_integer(a) && strlen(text) <= 18)
		FUZZ_CHECK(assure_dec_to_long(a, &l), "'%s' fits a long but to_long says not", text);
	free(text);
	/* extreme place counts: never a crash, never a huge power */
	assure_dec_round(&x, a, INT_MAX);
	assure_dec_round(&x, a, INT_MIN);
	FUZZ_CHECK(assure_dec_sign(&x) == 0, "rounding to INT_MIN places is not 0");
	assure_dec_clear(&x);
	assure_dec_clear(&y);
}

/* The shortest text of a double reads back as the same double, and JSON numbers convert exactly. */
static void check_double(const uint8_t *bytes)
{
	double v;
	memcpy(&v, bytes, sizeof v);
	char *text = assure_dec_shortest_double(v);
	if (!isfinite(v)) {
		FUZZ_CHECK(text == NULL, "a text for a double that is not finite");
		return;
	}
	FUZZ_CHECK(text && strtod(text, NULL) == v, "'%s' is not %.17g", text, v);
	assure_dec a, b;
	assure_dec_init(&a);
	assure_dec_init(&b);
	json_t *j = json_real(v);
	FUZZ_CHECK(assure_dec_from_json(&a, j) == ASSURE_DEC_OK, "%.17g does not convert", v);
	FUZZ_CHECK(assure_dec_from_string(&b, text) == ASSURE_DEC_OK && dec_eq(&a, &b),
	           "a JSON real is not its shortest text");
	json_decref(j);
	int64_t i;
	memcpy(&i, bytes, sizeof i);
	char itext[32];
	snprintf(itext, sizeof itext, "%lld", (long long)i);
	j = json_integer((json_int_t)i);
	FUZZ_CHECK(assure_dec_from_json(&a, j) == ASSURE_DEC_OK && assure_dec_from_string(&b, itext) == 0 &&
	               dec_eq(&a, &b),
	           "a JSON integer is not its text '%s'", itext);
	json_decref(j);
	assure_dec_clear(&a);
	assure_dec_clear(&b);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_part parts[3];
	size_t n = fuzz_split(data, size, parts, 3);
	assure_dec a, b;
	assure_dec_init(&a);
	assure_dec_init(&b);
	bool have_a = parse_checked(&a, &parts[0]) == ASSURE_DEC_OK;
	bool have_b = n > 1 && parse_checked(&b, &parts[1]) == ASSURE_DEC_OK;
	if (have_a) {
		check_format(&a);
		check_unary(&a);
		check_round(&a, n > 2 && parts[2].len > 0 ? (signed char)parts[2].s[0] : 2);
	}
	if (have_b) {
		check_format(&b);
		if (have_a)
			check_arithmetic(&a, &b);
	}
	if (n > 2 && parts[2].len >= 9)
		check_double((const uint8_t *)parts[2].s + 1);
	for (int code = 1; code >= -4; code--)
		FUZZ_CHECK(assure_dec_strerror(code) != NULL, "no message for %d", code);
	assure_dec_clear(&a);
	assure_dec_clear(&b);
	fuzz_parts_free(parts, n);
	return 0;
}
