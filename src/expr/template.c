/*
 * template.c: message templates, literal text with {expression} parts.
 *
 * Each part is compiled as an expression of its own (its failure reasons quote its
 * own text), ending at the '}' that the expression's parser finds, so a '}' inside
 * a string literal does not end it. "{{" and "}}" stand for literal braces; a lone
 * '}' is an error rather than a guess. An absent value is a failure, not "absent"
 * printed into a finding.
 */
#include "assure/expr.h"

#include "assure/buf.h"
#include "assure/error.h"
#include "expr/expr_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct tpl_part {
	char *text;        /* literal text, owned, or NULL */
	assure_expr *expr; /* an expression, owned, or NULL */
} tpl_part;

struct assure_template {
	tpl_part *parts; /* owned, in order */
	size_t nparts;   /* number of parts */
	unsigned reads;  /* ASSURE_EXPR_READS_* of all parts */
	char *source;    /* the template as written, owned */
};

static void add_part(assure_template *t, char *text, assure_expr *x)
{
	t->parts = assure_xrealloc(t->parts, (t->nparts + 1) * sizeof(tpl_part));
	t->parts[t->nparts].text = text;
	t->parts[t->nparts].expr = x;
	t->nparts++;
}

static void flush_text(assure_template *t, assure_buf *text)
{
	if (text->len > 0)
		add_part(t, assure_buf_detach(text), NULL);
}

int assure_template_compile(assure_template **out, const char *src, const assure_expr_names *names,
                            size_t *err_offset)
{
	size_t dummy = 0;
	if (!err_offset)
		err_offset = &dummy;
	*out = NULL;
	size_t len = strlen(src);
	if (len > ASSURE_EXPR_MAX_SOURCE) {
		*err_offset = ASSURE_EXPR_MAX_SOURCE;
		return assure_error_set("template longer than %d bytes", ASSURE_EXPR_MAX_SOURCE);
	}
	assure_template *t = assure_xcalloc(1, sizeof(*t));
	t->source = assure_xstrdup(src);
	assure_buf text = ASSURE_BUF_INIT;
	assure_buf_init(&text);
	size_t i = 0;
	while (i < len) {
		char c = src[i];
		if ((c == '{' || c == '}') && i + 1 < len && src[i + 1] == c) {
			assure_buf_putc(&text, c);
			i += 2;
		} else if (c == '}') {
			*err_offset = i;
			assure_error_set("unmatched '}' (write '}}' for a brace)");
			goto fail;
		} else if (c == '{') {
			flush_text(t, &text);
			assure_expr *x = NULL;
			size_t consumed = 0, eoff = 0;
			if (expr_compile_part(&x, src + i + 1, len - i - 1, true, names, &consumed, &eoff) !=
			    0) {
				*err_offset = i + 1 + eoff;
				goto fail;
			}
			add_part(t, NULL, x);
			t->reads |= x->reads;
			i += 1 + consumed + 1; /* '{', the expression, '}' */
		} else {
			assure_buf_putc(&text, c);
			i++;
		}
	}
	flush_text(t, &text);
	assure_buf_free(&text);
	*out = t;
	return 0;
fail:
	assure_buf_free(&text);
	assure_template_free(t);
	return -1;
}

void assure_template_free(assure_template *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nparts; i++) {
		free(t->parts[i].text);
		assure_expr_free(t->parts[i].expr);
	}
	free(t->parts);
	free(t->source);
	free(t);
}

const char *assure_template_source(const assure_template *t)
{
	return t->source;
}

unsigned assure_template_reads(const assure_template *t)
{
	return t->reads;
}

int assure_template_render(char **out, const assure_template *t, const assure_eval_ctx *ctx, char **why)
{
	assure_buf b = ASSURE_BUF_INIT;
	assure_buf_init(&b);
	*out = NULL;
	if (why)
		*why = NULL;
	for (size_t i = 0; i < t->nparts; i++) {
		const tpl_part *p = &t->parts[i];
		if (p->text) {
			assure_buf_puts(&b, p->text);
			continue;
		}
		assure_value v;
		int rc = assure_expr_eval(&v, p->expr, ctx, why);
		if (rc == 0 && v.kind == ASSURE_VAL_ABSENT) {
			rc = ASSURE_EXPR_FAIL;
			if (why) {
				assure_buf r = ASSURE_BUF_INIT;
				const enode *root = p->expr->root;
				assure_buf_printf(&r, "%.*s is absent", (int)(root->end - root->off),
				                  p->expr->src + root->off);
				*why = assure_buf_detach(&r);
			}
		}
		if (rc != 0) {
			assure_value_clear(&v);
			assure_buf_free(&b);
			return rc;
		}
		char *s = assure_value_to_string(&v);
		assure_buf_puts(&b, s);
		free(s);
		assure_value_clear(&v);
	}
	*out = assure_buf_detach(&b);
	return 0;
}
