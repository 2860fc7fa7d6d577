/*
 * svg.c: the charts of the HTML audit report as inline SVG (see audit_int.h).
 *
 * Values stay exact decimals: ranges, ticks and labels are computed with decimal.h, and
 * a value becomes a double only to place it on the page. Coordinates are printed with
 * one decimal, so the same data give the same bytes on every run and machine. No
 * scripts, fonts or links: the drawing is plain shapes and text in a generic font.
 */
#include "history/audit_int.h"

#include "assure/decimal.h"
#include "assure/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W      760.0 /* whole drawing */
#define H      320.0
#define LEFT   110.0 /* plot area margins: room for the rotated first x label */
#define RIGHT  20.0
#define TOP    48.0
#define BOTTOM 80.0
#define NTICKS 4 /* intervals between y ticks */
#define FONT   "font-family=\"sans-serif\" font-size=\"11\""

static const char *const palette[] = {"#0072b2", "#d55e00", "#009e73", "#cc79a7",
                                      "#e69f00", "#56b4e9", "#7f7f7f", "#000000"};

const char *ah_svg_color(size_t i)
{
	return palette[i % (sizeof(palette) / sizeof(palette[0]))];
}

static double x_at(size_t i, size_t n)
{
	double plot = W - LEFT - RIGHT;
	return n <= 1 ? LEFT + plot / 2 : LEFT + plot * (double)i / (double)(n - 1);
}

/* Where value v lies between lo and hi, as a y coordinate; the only use of doubles. */
static double y_at(const assure_dec *v, const assure_dec *lo, const assure_dec *hi)
{
	double a = assure_dec_to_double(lo), b = assure_dec_to_double(hi), x = assure_dec_to_double(v);
	double plot = H - TOP - BOTTOM;
	return TOP + plot * (1.0 - (x - a) / (b - a));
}

static void open_svg(assure_buf *out, const char *title)
{
	assure_buf_printf(out,
	                  "<svg width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
	                  "role=\"img\" aria-label=\"",
	                  W, H, W, H);
	assure_buf_put_markup(out, title);
	assure_buf_printf(
	    out, "\">\n<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n", W, H);
	assure_buf_printf(out, "<text x=\"%.1f\" y=\"20\" " FONT " font-size=\"14\" font-weight=\"bold\">",
	                  LEFT);
	assure_buf_put_markup(out, title);
	assure_buf_puts(out, "</text>\n");
}

static void x_labels(assure_buf *out, const char *const *labels, size_t n)
{
	double base = H - BOTTOM + 14;
	/* at most 40 labels, so that they stay readable on long histories */
	size_t every = n > 40 ? (n + 39) / 40 : 1;
	for (size_t i = 0; i < n; i += every) {
		double x = x_at(i, n);
		assure_buf_printf(out,
		                  "<text x=\"%.1f\" y=\"%.1f\" " FONT
		                  " text-anchor=\"end\" transform=\"rotate(-35 %.1f %.1f)\">",
		                  x, base, x, base);
		assure_buf_put_markup(out, labels[i]);
		assure_buf_puts(out, "</text>\n");
	}
}

static void legend(assure_buf *out, const char *const *names, const char *const *colors, const bool *dashed,
                   size_t n)
{
	double x = LEFT;
	for (size_t i = 0; i < n; i++) {
		assure_buf_printf(
		    out,
		    "<line x1=\"%.1f\" y1=\"34\" x2=\"%.1f\" y2=\"34\" stroke=\"%s\" stroke-width=\"%s\"%s/>",
		    x, x + 18, colors[i], dashed ? "2" : "8",
		    dashed && dashed[i] ? " stroke-dasharray=\"5 3\"" : "");
		assure_buf_printf(out, "<text x=\"%.1f\" y=\"38\" " FONT ">", x + 22);
		assure_buf_put_markup(out, names[i]);
		assure_buf_puts(out, "</text>\n");
		x += 22 + 7.0 * (double)strlen(names[i]) + 18;
	}
}

/* A horizontal grid line with its label at y. */
static void grid(assure_buf *out, double y, const char *label)
{
	assure_buf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#dddddd\"/>",
	                  LEFT, y, W - RIGHT, y);
	assure_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" " FONT " text-anchor=\"end\">", LEFT - 6, y + 4);
	assure_buf_put_markup(out, label);
	assure_buf_puts(out, "</text>\n");
}

int ah_svg_line_chart(assure_buf *out, const ah_line_chart *c)
{
	size_t n = c->npoints, total = c->nseries * n;
	assure_dec *vals = assure_xcalloc(total + 1, sizeof(assure_dec));
	bool *has = assure_xcalloc(total + 1, sizeof(bool));
	assure_dec lo, hi, span, step, t, tenth;
	assure_dec_init(&lo);
	assure_dec_init(&hi);
	assure_dec_init(&span);
	assure_dec_init(&step);
	assure_dec_init(&t);
	assure_dec_init(&tenth);
	for (size_t i = 0; i < total; i++)
		assure_dec_init(&vals[i]);
	int rc = 0;
	bool any = false;
	for (size_t s = 0; s < c->nseries; s++) {
		for (size_t p = 0; p < n; p++) {
			const char *v = c->series[s].values[p];
			if (!v)
				continue;
			if (assure_dec_from_string(&vals[s * n + p], v) != 0) {
				rc = -1;
				goto done;
			}
			has[s * n + p] = true;
			if (!any || assure_dec_cmp(&vals[s * n + p], &lo) < 0)
				assure_dec_set(&lo, &vals[s * n + p]);
			if (!any || assure_dec_cmp(&vals[s * n + p], &hi) > 0)
				assure_dec_set(&hi, &vals[s * n + p]);
			any = true;
		}
	}
	/* A tenth of the range above and below, so that no point sits on the frame. */
	assure_dec_sub(&span, &hi, &lo);
	if (assure_dec_sign(&span) == 0)
		assure_dec_set_int(&span, 10);
	assure_dec_set_int(&t, 10);
	assure_dec_div(&tenth, &span, &t);
	assure_dec_sub(&lo, &lo, &tenth);
	assure_dec_add(&hi, &hi, &tenth);
	assure_dec_sub(&span, &hi, &lo);
	assure_dec_set_int(&t, NTICKS);
	assure_dec_div(&step, &span, &t);

	open_svg(out, c->title);
	for (int k = 0; k <= NTICKS; k++) {
		assure_dec tick, kk;
		assure_dec_init(&tick);
		assure_dec_init(&kk);
		assure_dec_set_int(&kk, k);
		assure_dec_mul(&tick, &step, &kk);
		assure_dec_add(&tick, &tick, &lo);
		double y = y_at(&tick, &lo, &hi);
		assure_dec_round(&kk, &tick, 1);
		char *text = assure_dec_format(&kk);
		char label[64];
		snprintf(label, sizeof(label), "%s%s%s", text, c->unit ? " " : "", c->unit ? c->unit : "");
		grid(out, y, label);
		free(text);
		assure_dec_clear(&tick);
		assure_dec_clear(&kk);
	}
	const char **names = assure_xcalloc(c->nseries + 1, sizeof(char *));
	const char **colors = assure_xcalloc(c->nseries + 1, sizeof(char *));
	bool *dashed = assure_xcalloc(c->nseries + 1, sizeof(bool));
	for (size_t s = 0; s < c->nseries; s++) {
		names[s] = c->series[s].name;
		colors[s] = c->series[s].color;
		dashed[s] = c->series[s].dashed;
	}
	legend(out, names, colors, dashed, c->nseries);
	free(names);
	free(colors);
	free(dashed);
	/* The last series first, so that the first (the measure) is drawn over a target it meets. */
	for (size_t s = c->nseries; s-- > 0;) {
		const ah_series *se = &c->series[s];
		/* One polyline per run of points that have a value: a gap stays a gap. */
		size_t p = 0;
		while (p < n) {
			while (p < n && !has[s * n + p])
				p++;
			size_t start = p;
			while (p < n && has[s * n + p])
				p++;
			if (p - start >= 2) {
				assure_buf_printf(
				    out,
				    "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"",
				    se->color, se->dashed ? " stroke-dasharray=\"6 4\"" : "");
				for (size_t q = start; q < p; q++)
					assure_buf_printf(out, "%s%.1f,%.1f", q > start ? " " : "",
					                  x_at(q, n), y_at(&vals[s * n + q], &lo, &hi));
				assure_buf_puts(out, "\"/>\n");
			}
		}
		for (size_t q = 0; q < n; q++) {
			if (!has[s * n + q])
				continue;
			assure_buf_printf(out,
			                  "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>",
			                  x_at(q, n), y_at(&vals[s * n + q], &lo, &hi), se->color);
			assure_buf_put_markup(out, se->name);
			assure_buf_puts(out, ", ");
			assure_buf_put_markup(out, c->labels[q]);
			assure_buf_puts(out, ": ");
			assure_buf_put_markup(out, se->values[q]);
			assure_buf_puts(out, "</title></circle>\n");
		}
	}
	x_labels(out, c->labels, n);
	assure_buf_puts(out, "</svg>\n");
done:
	for (size_t i = 0; i < total; i++)
		assure_dec_clear(&vals[i]);
	free(vals);
	free(has);
	assure_dec_clear(&lo);
	assure_dec_clear(&hi);
	assure_dec_clear(&span);
	assure_dec_clear(&step);
	assure_dec_clear(&t);
	assure_dec_clear(&tenth);
	return rc;
}

void ah_svg_bar_chart(assure_buf *out, const ah_bar_chart *c)
{
	size_t n = c->npoints, max = 0;
	for (size_t p = 0; p < n; p++) {
		size_t sum = 0;
		for (size_t s = 0; s < c->nseries; s++)
			sum += c->counts[s * n + p];
		if (sum > max)
			max = sum;
	}
	/* Whole-number ticks: a step that gives at most NTICKS intervals. */
	size_t step = max <= NTICKS ? 1 : (max + NTICKS - 1) / NTICKS;
	size_t top = step * (max <= NTICKS ? (max ? max : 1) : NTICKS);
	while (top < max)
		top += step;
	double plot = H - TOP - BOTTOM;
	open_svg(out, c->title);
	for (size_t v = 0; v <= top; v += step) {
		char label[32];
		snprintf(label, sizeof(label), "%zu", v);
		grid(out, TOP + plot * (1.0 - (double)v / (double)top), label);
	}
	const char **colors = assure_xcalloc(c->nseries + 1, sizeof(char *));
	for (size_t s = 0; s < c->nseries; s++)
		colors[s] = ah_svg_color(s);
	legend(out, c->names, colors, NULL, c->nseries);
	free(colors);
	double slot = n <= 1 ? (W - LEFT - RIGHT) / 2 : (W - LEFT - RIGHT) / (double)(n - 1);
	double bw = slot * 0.6 > 28 ? 28 : slot * 0.6;
	for (size_t p = 0; p < n; p++) {
		double x = x_at(p, n) - bw / 2, base = 0;
		for (size_t s = 0; s < c->nseries; s++) {
			size_t k = c->counts[s * n + p];
			if (!k)
				continue;
			double h = plot * (double)k / (double)top;
			double y = TOP + plot - base - h;
			assure_buf_printf(
			    out,
			    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>",
			    x, y, bw, h, ah_svg_color(s));
			assure_buf_put_markup(out, c->labels[p]);
			assure_buf_puts(out, ": ");
			assure_buf_put_markup(out, c->names[s]);
			assure_buf_printf(out, " %zu</title></rect>\n", k);
			base += h;
		}
	}
	x_labels(out, c->labels, n);
	assure_buf_puts(out, "</svg>\n");
}
