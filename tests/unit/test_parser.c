/* test_parser.c: the grammar of the expression language, its precedence, and every syntax error. */
#include "expr/expr_int.h"

#include "assure/buf.h"
#include "assure/error.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* The tree of src as an S-expression. */
static void assert_tree(const char *src, const char *want)
{
	size_t off = 999;
	enode *n = expr_parse(src, strlen(src), false, NULL, &off);
	if (!n)
		fail_msg("'%s' did not parse: %s at %zu", src, assure_error_last(), off);
	assure_buf b = ASSURE_BUF_INIT;
	assure_buf_init(&b);
	expr_dump(&b, n, src);
	assert_string_equal(b.ptr, want);
	assure_buf_free(&b);
	enode_free(n);
}

static void assert_syntax_error(const char *src, const char *msg, size_t offset)
{
	size_t off = 999;
	enode *n = expr_parse(src, strlen(src), false, NULL, &off);
	if (n) {
		enode_free(n);
		fail_msg("'%s' parsed", src);
	}
	assert_string_equal(assure_error_last(), msg);
	assert_int_equal(off, offset);
}

/* Literals: numbers keep their exact value, strings are decoded, true/false/null are constants. */
static void test_parser__literals(void **state)
{
	(void)state;
	assert_tree("20.60", "20.6");
	assert_tree("1e3", "1000");
	assert_tree("'a\\'b'", "'a'b'");
	assert_tree("true", "true");
	assert_tree("false", "false");
	assert_tree("null", "null");
	assert_tree("[]", "(list)");
	assert_tree("[1, 'x', [true]]", "(list 1 'x' (list true))");
}

/* * and / bind tighter than + and -, and each level associates to the left. */
static void test_parser__arithmetic_precedence(void **state)
{
	(void)state;
	assert_tree("1 + 2 * 3", "(+ 1 (* 2 3))");
	assert_tree("1 * 2 + 3", "(+ (* 1 2) 3)");
	assert_tree("1 - 2 - 3", "(- (- 1 2) 3)");
	assert_tree("8 / 4 / 2", "(/ (/ 8 4) 2)");
	assert_tree("(1 + 2) * 3", "(* (+ 1 2) 3)");
	assert_tree("-a * b", "(* (neg a) b)");
	assert_tree("a - -b", "(- a (neg b))");
}

/* in sits between + and the comparisons; comparisons below it, then equality, &&, ||, ?: */
static void test_parser__comparison_precedence(void **state)
{
	(void)state;
	assert_tree("a + b in c", "(in (+ a b) c)");
	assert_tree("a < b in c", "(< a (in b c))");
	assert_tree("a == b < c", "(== a (< b c))");
	assert_tree("a != b == c", "(== (!= a b) c)");
	assert_tree("a && b == c", "(&& a (== b c))");
	assert_tree("a || b && c", "(|| a (&& b c))");
	assert_tree("a && b || c && d", "(|| (&& a b) (&& c d))");
	assert_tree("a <= b", "(<= a b)");
	assert_tree("a >= b", "(>= a b)");
	assert_tree("a > b", "(> a b)");
}

/* ?: is the lowest level and associates to the right; its middle is a full expression. */
static void test_parser__conditional(void **state)
{
	(void)state;
	assert_tree("a || b ? c : d", "(?: (|| a b) c d)");
	assert_tree("a ? b : c ? d : e", "(?: a b (?: c d e))");
	assert_tree("a ? b ? c : d : e", "(?: a (?: b c d) e)");
}

/* ! and unary minus bind tighter than any binary operator, postfix tighter still. */
static void test_parser__unary_and_postfix(void **state)
{
	(void)state;
	assert_tree("!a && b", "(&& (! a) b)");
	assert_tree("!!a", "(! (! a))");
	assert_tree("!a.b", "(! (. a b))");
	assert_tree("-x[0]", "(neg ([] x 0))");
	assert_tree("a.b.c", "(. (. a b) c)");
	assert_tree("a[0][-1]", "([] ([] a 0) (neg 1))");
	assert_tree("a.in", "(. a in)");
	assert_tree("f(x).y[2]", "([] (. (f x) y) 2)");
	assert_tree("(a)[b + 1]", "([] a (+ b 1))");
}

/* Calls take any number of arguments, each a full expression. */
static void test_parser__calls(void **state)
{
	(void)state;
	assert_tree("f()", "(f)");
	assert_tree("f(1, 'a', [2, 3])", "(f 1 'a' (list 2 3))");
	assert_tree("f(a ? b : c, g(d))", "(f (?: a b c) (g d))");
}

/* $ and @ start JSONPath queries whose extent the JSONPath parser decides. */
static void test_parser__queries(void **state)
{
	(void)state;
	assert_tree("@.a.b == $['c'][0]", "(== @.a.b $['c'][0])");
	assert_tree("@", "@");
	assert_tree("@ in $.list", "(in @ $.list)");
	assert_tree("$.actions[?@.status != 'Complete']", "$.actions[?@.status != 'Complete']");
	assert_tree("count($..x) > 0", "(> (count $..x) 0)");
	assert_tree("@.x>0", "(> @.x 0)");
	assert_tree("(@.orgs)[$.org]", "([] @.orgs $.org)");
}

/* Node spans cover the operand's source text, which failure reasons quote. */
static void test_parser__spans(void **state)
{
	(void)state;
	const char *src = "(@.a.b) + f(x, y) * -z";
	size_t off;
	enode *n = expr_parse(src, strlen(src), false, NULL, &off);
	assert_non_null(n);
	assert_int_equal(n->kind, EN_ADD);
	assert_int_equal(n->kids[0]->off, 1);
	assert_int_equal(n->kids[0]->end, 6);
	const enode *mul = n->kids[1];
	assert_int_equal(mul->off, 10);
	assert_int_equal(mul->end, strlen(src));
	assert_int_equal(mul->kids[0]->off, 10);
	assert_int_equal(mul->kids[0]->end, 17);
	assert_int_equal(mul->op_off, 18);
	enode_free(n);
}

/* Missing parts are reported where they should be, naming what was found. */
static void test_parser__expected_errors(void **state)
{
	(void)state;
	assert_syntax_error("@.forecast.outturn >= (@.forecast.plan", "expected ')'", 38);
	assert_syntax_error("(1 2)", "expected ')', found a number", 3);
	assert_syntax_error("1 +", "expected an expression", 3);
	assert_syntax_error("", "expected an expression", 0);
	assert_syntax_error("1 + )", "expected an expression, found ')'", 4);
	assert_syntax_error("f(1 2)", "expected ',' or ')', found a number", 4);
	assert_syntax_error("f(1,)", "expected an expression, found ')'", 4);
	assert_syntax_error("[1 2]", "expected ',' or ']', found a number", 3);
	assert_syntax_error("a ? b", "expected ':'", 5);
	assert_syntax_error("a ? b , c", "expected ':', found ','", 6);
	assert_syntax_error("a.", "expected a name after '.'", 2);
	assert_syntax_error("a.'b'", "expected a name after '.', found a string", 2);
	assert_syntax_error("a[1", "expected ']'", 3);
	assert_syntax_error("1 2", "expected an operator or the end, found a number", 2);
	assert_syntax_error("a b", "expected an operator or the end, found a name", 2);
	assert_syntax_error("(a)(b)", "expected an operator or the end, found '('", 3);
	assert_syntax_error("a }", "expected an operator or the end, found '}'", 2);
}

/* a < b < c is an error, not (a < b) < c. */
static void test_parser__comparisons_do_not_chain(void **state)
{
	(void)state;
	assert_syntax_error("a < b < c", "comparisons cannot be chained (write a < b && b < c)", 6);
	assert_syntax_error("1 <= x >= 0", "comparisons cannot be chained (write a < b && b < c)", 7);
}

/* Lexical errors surface through the parser with their own offsets. */
static void test_parser__lexical_errors(void **state)
{
	(void)state;
	assert_syntax_error("@.a = 1", "'=' is not an operator (use '==' to compare)", 4);
	assert_syntax_error("f('abc", "unterminated string", 2);
}

/* A malformed query is an error at its exact offset, not a shorter query. */
static void test_parser__query_errors(void **state)
{
	(void)state;
	assert_syntax_error("x + $.a[?@.b = 1]", "expected ',' or ']' after filter, found '='", 13);
	assert_syntax_error("1 + @.a.", "expected a member name or '*' after '.', found end of query", 8);
	assert_syntax_error("$.a[]", "expected a selector after '[', found ']'", 4);
	/* a failure after '-' is not at the bracket: the JSONPath error stands */
	assert_syntax_error("@.a[-n]", "expected a digit after '-'", 5);
}

/* A bracket whose content is not a JSONPath selector is the index operator on the query before it. */
static void test_parser__query_then_index(void **state)
{
	(void)state;
	assert_tree("$.orgs[$.org]", "([] $.orgs $.org)");
	assert_tree("$.table[kind] + 1", "(+ ([] $.table kind) 1)");
	assert_tree("@.a.b [ @.c ][0]", "([] ([] @.a.b @.c) 0)");
	assert_tree("$.a[0][k]", "([] $.a[0] k)");
	assert_tree("$.a['k']", "$.a['k']");
}

/* Parentheses and unary operators nest at most ASSURE_EXPR_MAX_DEPTH levels. */
static void test_parser__nesting_limit(void **state)
{
	(void)state;
	char src[512];
	size_t n = 0;
	for (int i = 0; i < ASSURE_EXPR_MAX_DEPTH - 1; i++)
		src[n++] = '(';
	src[n++] = '1';
	for (int i = 0; i < ASSURE_EXPR_MAX_DEPTH - 1; i++)
		src[n++] = ')';
	src[n] = '\0';
	assert_tree(src, "1");

	n = 0;
	for (int i = 0; i < ASSURE_EXPR_MAX_DEPTH; i++)
		src[n++] = '(';
	src[n++] = '1';
	for (int i = 0; i < ASSURE_EXPR_MAX_DEPTH; i++)
		src[n++] = ')';
	src[n] = '\0';
	assert_syntax_error(src, "expression nested more than 64 levels deep", ASSURE_EXPR_MAX_DEPTH);

	memset(src, '!', ASSURE_EXPR_MAX_DEPTH + 1);
	strcpy(src + ASSURE_EXPR_MAX_DEPTH + 1, "a");
	/* the 64th '!' is one level too many: the whole expression is the first */
	assert_syntax_error(src, "expression nested more than 64 levels deep", ASSURE_EXPR_MAX_DEPTH - 1);
}

/* A long chain of operators makes a tall tree, which is bounded too (evaluation recurses on it). */
static void test_parser__tree_height_limit(void **state)
{
	(void)state;
	assure_buf b = ASSURE_BUF_INIT;
	assure_buf_init(&b);
	assure_buf_puts(&b, "1");
	for (int i = 1; i < ASSURE_EXPR_MAX_DEPTH; i++)
		assure_buf_puts(&b, "+1"); /* 64 terms: height 64 */
	size_t off;
	enode *n = expr_parse(b.ptr, b.len, false, NULL, &off);
	assert_non_null(n);
	assert_int_equal(n->depth, ASSURE_EXPR_MAX_DEPTH);
	enode_free(n);
	assure_buf_puts(&b, "+1"); /* the 64th '+' is at offset 2 * 64 - 1 */
	assert_syntax_error(b.ptr, "expression nested more than 64 levels deep",
	                    2 * ASSURE_EXPR_MAX_DEPTH - 1);
	assure_buf_free(&b);

	assure_buf_init(&b);
	assure_buf_puts(&b, "a");
	for (int i = 0; i < ASSURE_EXPR_MAX_DEPTH; i++)
		assure_buf_puts(&b, ".b"); /* the 64th '.' makes height 65 */
	assert_syntax_error(b.ptr, "expression nested more than 64 levels deep",
	                    1 + 2 * (ASSURE_EXPR_MAX_DEPTH - 1));
	assure_buf_free(&b);
}

/* Inside a template an expression ends at its '}', and the parser says where. */
static void test_parser__template_mode(void **state)
{
	(void)state;
	const char *src = "@.a + 1} rest {x}";
	size_t used = 0, off = 999;
	enode *n = expr_parse(src, strlen(src), true, &used, &off);
	assert_non_null(n);
	assert_int_equal(used, 7);
	enode_free(n);
	assert_null(expr_parse("x == '}'", 8, true, &used, &off));
	assert_string_equal(assure_error_last(), "expected an operator or '}'");
	assert_int_equal(off, 8);
	n = expr_parse("x == '}'}", 9, true, &used, &off);
	assert_non_null(n);
	assert_int_equal(used, 8);
	enode_free(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parser__literals),
	    cmocka_unit_test(test_parser__arithmetic_precedence),
	    cmocka_unit_test(test_parser__comparison_precedence),
	    cmocka_unit_test(test_parser__conditional),
	    cmocka_unit_test(test_parser__unary_and_postfix),
	    cmocka_unit_test(test_parser__calls),
	    cmocka_unit_test(test_parser__queries),
	    cmocka_unit_test(test_parser__spans),
	    cmocka_unit_test(test_parser__expected_errors),
	    cmocka_unit_test(test_parser__comparisons_do_not_chain),
	    cmocka_unit_test(test_parser__lexical_errors),
	    cmocka_unit_test(test_parser__query_errors),
	    cmocka_unit_test(test_parser__query_then_index),
	    cmocka_unit_test(test_parser__nesting_limit),
	    cmocka_unit_test(test_parser__tree_height_limit),
	    cmocka_unit_test(test_parser__template_mode),
	};
	return cmocka_run_group_tests_name("parser", tests, NULL, NULL);
}
