/*
 * diag.c: collected diagnostics and their text form (see diag.h).
 *
 * The text form follows the compilers' "file:line:col: error: message" so editors
 * can jump to it; the excerpt and caret are indented by EXCERPT_INDENT so they
 * stand apart from the location line.
 */
#include "assure/diag.h"

#include "assure/buf.h"
#include "assure/error.h"
#include "assure/utf8.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define EXCERPT_INDENT "    "

struct assure_diags {
	assure_diag *items; /* owned, `count` used of `cap` */
	size_t count;
	size_t cap;
};

int assure_diags_new(assure_diags **out)
{
	*out = assure_xcalloc(1, sizeof **out);
	return 0;
}

static char *dup_or_null(const char *s)
{
	return s ? assure_xstrdup(s) : NULL;
}

void assure_diags_free(assure_diags *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->count; i++) {
		assure_diag *g = &d->items[i];
		free(g->file);
		free(g->rule_id);
		free(g->field);
		free(g->excerpt);
		free(g->message);
	}
	free(d->items);
	free(d);
}

void assure_diags_add(assure_diags *d, const char *file, int line, int column, const char *rule_id,
                      const char *field, int expr_column, const char *excerpt, const char *fmt, ...)
{
	if (d->count == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->items = assure_xrealloc(d->items, d->cap * sizeof *d->items);
	}
	assure_buf msg = ASSURE_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	assure_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	d->items[d->count++] = (assure_diag){
	    .file = dup_or_null(file),
	    .line = line,
	    .column = column,
	    .rule_id = dup_or_null(rule_id),
	    .field = dup_or_null(field),
	    .expr_column = expr_column,
	    .excerpt = dup_or_null(excerpt),
	    .message = assure_buf_detach(&msg),
	};
}

static int diag_cmp(const void *a, const void *b)
{
	const assure_diag *x = a, *y = b;
	int c = strcmp(x->file ? x->file : "", y->file ? y->file : "");
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	return 0;
}

void assure_diags_sort(assure_diags *d)
{
	/* insertion sort: stable, and lint output is a handful of entries */
	for (size_t i = 1; i < d->count; i++) {
		assure_diag v = d->items[i];
		size_t j = i;
		for (; j > 0 && diag_cmp(&d->items[j - 1], &v) > 0; j--)
			d->items[j] = d->items[j - 1];
		d->items[j] = v;
	}
}

size_t assure_diags_count(const assure_diags *d)
{
	return d->count;
}

const assure_diag *assure_diags_get(const assure_diags *d, size_t i)
{
	return i < d->count ? &d->items[i] : NULL;
}

static bool is_continuation(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

/*
 * The excerpt line holding character `column` (1-based, code points), and the caret
 * under it. An expression written over several lines shows only the line in question.
 * Each character is shown as put_visible shows it (a control as \x1b, a byte that is not
 * UTF-8 as \xNN), and the caret line has as many blanks as each takes; tabs are kept and
 * repeated in the caret line so the caret stays aligned.
 */
static void put_excerpt(assure_buf *b, const char *excerpt, int column)
{
	const char *line = excerpt, *p = excerpt;
	int col = 1;
	while (*p && col < column) {
		if (*p == '\n') {
			line = p + 1;
		}
		p++;
		while (is_continuation(*p))
			p++;
		col++;
	}
	/* Past a newline the caret's position counts from that line's start. */
	const char *end = strchr(line, '\n');
	size_t len = end ? (size_t)(end - line) : strlen(line);
	if (len > 0 && line[len - 1] == '\r')
		len--;
	/*
	 * The line as the terminal shows it (controls escaped, tabs kept for the alignment), and
	 * under it one blank per column the text before the caret takes there.
	 */
	assure_buf shown = ASSURE_BUF_INIT, caret = ASSURE_BUF_INIT;
	for (const char *q = line; q < line + len;) {
		const char *next = q + 1;
		while (next < line + len && is_continuation(*next))
			next++;
		size_t at = shown.len;
		if (*q == '\t') {
			assure_buf_putc(&shown, '\t');
		} else {
			char one[8] = {0};
			memcpy(one, q,
			       (size_t)(next - q) < sizeof(one) - 1 ? (size_t)(next - q) : sizeof(one) - 1);
			assure_buf_put_visible(&shown, one);
		}
		if (q < p)
			for (size_t k = at; k < shown.len; k++)
				if (!is_continuation(shown.ptr[k]))
					assure_buf_putc(&caret, shown.ptr[k] == '\t' ? '\t' : ' ');
		q = next;
	}
	assure_buf_puts(b, "\n" EXCERPT_INDENT);
	assure_buf_put(b, shown.ptr ? shown.ptr : "", shown.len);
	assure_buf_puts(b, "\n" EXCERPT_INDENT);
	assure_buf_put(b, caret.ptr ? caret.ptr : "", caret.len);
	assure_buf_free(&shown);
	assure_buf_free(&caret);
	/* A column past the end of the text (an unexpected end) puts the caret just after it. */
	for (; col < column; col++)
		assure_buf_putc(b, ' ');
	assure_buf_putc(b, '^');
}

/*
 * Everything that comes from a rule file (the file's name, the rule id, the field, the message
 * and the excerpt) is shown visibly: a diagnostic is one line, or three with its excerpt, and
 * no character of a rule file reaches the terminal as a control (found by fuzz_ruleset).
 */
char *assure_diag_format(const assure_diag *d)
{
	assure_buf b = ASSURE_BUF_INIT;
	/* a rule file's names and texts reach a terminal: shown as text, one line (buf.h) */
	if (d->file) {
		assure_buf_put_visible(&b, d->file);
		if (d->line > 0) {
			assure_buf_printf(&b, ":%d", d->line);
			if (d->column > 0)
				assure_buf_printf(&b, ":%d", d->column);
		}
		assure_buf_puts(&b, ": ");
	}
	assure_buf_puts(&b, "error: ");
	/* "FIN-001 assert: ", "FIN-001: " or "assert: " */
	if (d->rule_id) {
		assure_buf_put_visible(&b, d->rule_id);
		assure_buf_puts(&b, d->field ? " " : ": ");
	}
	if (d->field) {
		assure_buf_put_visible(&b, d->field);
		assure_buf_puts(&b, ": ");
	}
	assure_buf_put_visible(&b, d->message ? d->message : "");
	if (d->excerpt && d->expr_column > 0) {
		assure_buf_printf(&b, " (column %d)", d->expr_column);
		put_excerpt(&b, d->excerpt, d->expr_column);
	}
	return assure_buf_detach(&b);
}
