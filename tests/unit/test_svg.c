/* test_svg.c: the inline SVG charts of the HTML audit report: exact values, gaps, stacking, reproducibility.
 */
#include "history/audit_int.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static const char *const labels[] = {"c1", "c2", "c3", "c4"};

/* Values are shown as the exact decimal text given, and a missing value breaks the line in two. */
static void test_svg__line_chart_keeps_exact_values_and_gaps(void **state)
{
	(void)state;
	const char *outturn[] = {"-90.8", "-90.80", NULL, "-26.5"};
	const char *total[] = {"-90", "-90", "-90", "-90"};
	ah_series series[] = {{"outturn", "#0072b2", outturn, false},
	                      {"control total", "#d55e00", total, true}};
	ah_line_chart c = {"2020-21", "£m", labels, 4, series, 2};
	assure_buf out = ASSURE_BUF_INIT;
	assert_int_equal(ah_svg_line_chart(&out, &c), 0);
	assert_non_null(strstr(out.ptr, "<svg "));
	assert_non_null(strstr(out.ptr, "outturn, c2: -90.80</title>"));
	assert_non_null(strstr(out.ptr, "control total, c4: -90</title>"));
	/* the outturn has a gap at c3: one polyline of two points, and a lone point drawn as a circle only */
	assert_int_equal(count(out.ptr, "<polyline"), 2);
	assert_int_equal(count(out.ptr, "<circle"), 7);
	assert_int_equal(count(out.ptr, "stroke-dasharray=\"6 4\""), 1);
	/* nothing that would reach outside the page */
	assert_null(strstr(out.ptr, "http"));
	assert_null(strstr(out.ptr, "<script"));
	assure_buf_free(&out);
}

/* The y ticks are exact decimals from the padded range: -90.8 to -26.5 padded by a tenth of the span. */
static void test_svg__line_chart_ticks_are_exact(void **state)
{
	(void)state;
	const char *v[] = {"0", "10", "20", "40"};
	ah_series series[] = {{"v", "#0072b2", v, false}};
	ah_line_chart c = {"t", NULL, labels, 4, series, 1};
	assure_buf out = ASSURE_BUF_INIT;
	assert_int_equal(ah_svg_line_chart(&out, &c), 0);
	/* range -4 .. 44 in four steps of 12 */
	assert_non_null(strstr(out.ptr, ">-4</text>"));
	assert_non_null(strstr(out.ptr, ">8</text>"));
	assert_non_null(strstr(out.ptr, ">44</text>"));
	/* 0 sits at the bottom tenth: y = 48 + 192 * (1 - 4/48) = 224.0 */
	assert_non_null(strstr(out.ptr, "<circle cx=\"110.0\" cy=\"224.0\""));
	assure_buf_free(&out);
}

/* A value that is not a decimal number is refused rather than drawn. */
static void test_svg__line_chart_refuses_a_non_number(void **state)
{
	(void)state;
	const char *v[] = {"1", "(20.6)", NULL, NULL};
	ah_series series[] = {{"v", "#0072b2", v, false}};
	ah_line_chart c = {"t", NULL, labels, 4, series, 1};
	assure_buf out = ASSURE_BUF_INIT;
	assert_int_equal(ah_svg_line_chart(&out, &c), -1);
	assure_buf_free(&out);
}

/* Bars stack per point, tallest total reaching the top tick; empty counts draw nothing. */
static void test_svg__bar_chart_stacks_counts(void **state)
{
	(void)state;
	const char *names[] = {"finance", "governance"};
	const size_t counts[] = {1, 2, 0, 4, /* finance */ 0, 2, 0, 4 /* governance */};
	ah_bar_chart c = {"open", labels, 4, names, 2, counts};
	assure_buf out = ASSURE_BUF_INIT;
	ah_svg_bar_chart(&out, &c);
	/* 5 bars with a count, one title each */
	assert_int_equal(count(out.ptr, "<rect x=") - 1, 5);
	assert_non_null(strstr(out.ptr, "c4: governance 4</title>"));
	assert_null(strstr(out.ptr, "c3: "));
	/* totals 8 at most: ticks 0, 2, 4, 6, 8 */
	assert_non_null(strstr(out.ptr, ">8</text>"));
	assert_null(strstr(out.ptr, ">10</text>"));
	assure_buf_free(&out);
}

/* Same data, same bytes; the palette is fixed and cycles. */
static void test_svg__output_is_reproducible(void **state)
{
	(void)state;
	const char *v[] = {"1.5", "2.25", "-3", "4"};
	ah_series series[] = {{"v", ah_svg_color(0), v, false}};
	ah_line_chart c = {"t", "£m", labels, 4, series, 1};
	assure_buf a = ASSURE_BUF_INIT, b = ASSURE_BUF_INIT;
	assert_int_equal(ah_svg_line_chart(&a, &c), 0);
	assert_int_equal(ah_svg_line_chart(&b, &c), 0);
	assert_string_equal(a.ptr, b.ptr);
	assert_string_equal(ah_svg_color(0), "#0072b2");
	assert_string_equal(ah_svg_color(8), ah_svg_color(0));
	assert_string_not_equal(ah_svg_color(1), ah_svg_color(0));
	assure_buf_free(&a);
	assure_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_svg__line_chart_keeps_exact_values_and_gaps),
	    cmocka_unit_test(test_svg__line_chart_ticks_are_exact),
	    cmocka_unit_test(test_svg__line_chart_refuses_a_non_number),
	    cmocka_unit_test(test_svg__bar_chart_stacks_counts),
	    cmocka_unit_test(test_svg__output_is_reproducible),
	};
	return cmocka_run_group_tests_name("svg", tests, NULL, NULL);
}
