/*
 * decimal.h: exact numbers for money and every other figure in a return.
 *
 * A value is an exact rational, so sums and comparisons of decimal figures are exact:
 * 20.6 + 17.7 + 19.4 + 4.1 + 4.0 + 25.0 == 90.8 holds. It is held as two longs while it
 * fits them (almost every figure in a return, and every sum of them) and as a GMP mpq_t
 * beyond: a figure then costs no allocation, and the two forms are one value to every
 * function here.
 * JSON numbers enter through their shortest round-trip decimal text, never through
 * binary floating point arithmetic.
 *
 * Range: numerator and denominator are each limited to ASSURE_DEC_MAX_BITS bits;
 * an operation whose result would exceed that fails with ASSURE_DEC_EOVERFLOW, so a
 * rule reports overflow as a finding rather than growing without bound.
 *
 * Ownership: an assure_dec is a value that must be initialised and cleared;
 * results are written to `out`, which may alias an operand.
 */
#ifndef ASSURE_DECIMAL_H
#define ASSURE_DECIMAL_H

#include <gmp.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define ASSURE_DEC_MAX_BITS 4096

typedef struct assure_dec {
	long num, den; /* den > 0: the value is num/den, in lowest terms, num > LONG_MIN */
	mpq_t q;       /* den == 0: the value, canonical; set up only then */
} assure_dec;

enum {
	ASSURE_DEC_OK = 0,
	ASSURE_DEC_ESYNTAX = -1,   /* text is not a decimal number */
	ASSURE_DEC_EDIVZERO = -2,  /* division by zero */
	ASSURE_DEC_EOVERFLOW = -3, /* result beyond ASSURE_DEC_MAX_BITS */
};

void assure_dec_init(assure_dec *d);
void assure_dec_clear(assure_dec *d);
void assure_dec_set(assure_dec *out, const assure_dec *a);
void assure_dec_set_int(assure_dec *out, long v);
/* The value from or into a GMP rational (out initialised), for exact work beyond this API. */
void assure_dec_set_q(assure_dec *out, const mpq_t q);
void assure_dec_get_q(mpq_t out, const assure_dec *a);
/* The nearest double at or towards zero (as mpq_get_d): for drawing, never for sums or comparisons. */
double assure_dec_to_double(const assure_dec *a);

/* Parse JSON-number syntax, also accepting a leading '+' and no leading digit (".5"):
 * "-20.6", "1e3", "0.05". Whole string must be consumed. */
int assure_dec_from_string(assure_dec *out, const char *s);
/* Parse `len` bytes (not NUL-terminated). */
int assure_dec_from_text(assure_dec *out, const char *s, size_t len);
/* Convert a JSON integer or real exactly: reals via their shortest round-trip text. */
int assure_dec_from_json(assure_dec *out, const json_t *number);

int assure_dec_add(assure_dec *out, const assure_dec *a, const assure_dec *b);
int assure_dec_sub(assure_dec *out, const assure_dec *a, const assure_dec *b);
int assure_dec_mul(assure_dec *out, const assure_dec *a, const assure_dec *b);
int assure_dec_div(assure_dec *out, const assure_dec *a, const assure_dec *b);
void assure_dec_neg(assure_dec *out, const assure_dec *a);
void assure_dec_abs(assure_dec *out, const assure_dec *a);
/* Round half away from zero to n decimal places (n may be negative: tens, hundreds). */
int assure_dec_round(assure_dec *out, const assure_dec *a, int n);

int assure_dec_cmp(const assure_dec *a, const assure_dec *b); /* <0, 0, >0 */
int assure_dec_sign(const assure_dec *a);
bool assure_dec_is_integer(const assure_dec *a);
/* True and *out set when a is an integer within long's range. */
bool assure_dec_to_long(const assure_dec *a, long *out);

/* Exact decimal text when the value has a finite decimal expansion ("-90.8", "0.05",
 * "175"); otherwise rounded to 12 significant decimal places and prefixed with "~"
 * ("~0.333333333333"). Never exponent notation. Caller frees. */
char *assure_dec_format(const assure_dec *a);

struct assure_buf;
/* Append a text that names the value and no other ("-7", "103/10"), for hashing: whole
 * numbers within a long's range are written without printf or an allocation. */
void assure_dec_put_key(struct assure_buf *b, const assure_dec *a);

/* Shortest decimal text that round-trips to the double (for JSON reals); caller frees. */
char *assure_dec_shortest_double(double v);

/* Message for an ASSURE_DEC_E* code: "division by zero", "number too large". */
const char *assure_dec_strerror(int code);

#endif
