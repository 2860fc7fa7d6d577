/*
 * fuzz_expr.c: any text given as an expression or a message template compiles or fails cleanly
 * at a place inside it, and a compiled one evaluates to the same result however it is asked:
 * again, with the per-document cache on, and on another node, another as_of or another file
 * when it says it does not read them; an expression whose leading conditions the guard finds
 * false is false; a number given to JSON comes back as the same number.
 *
 * Input: SOURCE [NUL DOCUMENT [NUL OTHER]]. DOCUMENT is '$' (a built-in return when absent or
 * not JSON); OTHER is the file file_doc("other.json") reads and the one return of kind
 * "finance" that returns() and the() find. The source may use the lets x (1 + 1) and here (@)
 * and the helpers twice(v), node() and overdue(d).
 */
#include "assure/expr.h"

#include "assure/error.h"

#include "fuzz.h"

static const char builtin[] = "{\"org\": \"RXN\", \"kind\": \"finance\", \"year\": \"2020-21\", "
                              "\"forecast\": {\"outturn\": -20.6, \"plan\": -19}, "
                              "\"actions\": [{\"code\": \"A\", \"due\": \"On-going\"}, {\"code\": \"B\", "
                              "\"due\": \"31/03/2021\"}], \"tags\": [\"a\", 1, null, true]}";
static const char builtin_other[] =
    "{\"org\": \"RXN\", \"kind\": \"finance\", \"year\": \"2020-21\", \"total\": 90.8}";

/* What the callbacks were asked, to check the READS_OTHERS flag. */
typedef struct world {
	json_t *other; /* the one other return */
	unsigned calls;
} world;

static int file_doc(json_t **doc, const char *path, void *payload, char **why)
{
	world *w = payload;
	w->calls++;
	*doc = NULL;
	if (strcmp(path, "broken.json") == 0) {
		*why = assure_xstrdup("'broken.json' is not valid JSON");
		return ASSURE_EXPR_FAIL;
	}
	if (strcmp(path, "other.json") == 0)
		*doc = w->other;
	return 0;
}

static int lookup(json_t **out, const char *kind, json_t *filter, void *payload, char **why)
{
	world *w = payload;
	w->calls++;
	if (strcmp(kind, "broken") == 0) {
		*why = assure_xstrdup("a 'broken' return is not valid JSON");
		return ASSURE_EXPR_FAIL;
	}
	*out = json_array();
	const char *k;
	json_t *v;
	bool match = json_is_object(w->other) && strcmp(kind, "finance") == 0;
	json_object_foreach(filter, k, v) match = match && json_equal(json_object_get(w->other, k), v);
	if (match)
		json_array_append_new(*out, json_pack("{s:s, s:O}", "path", "other.json", "doc", w->other));
	return 0;
}

static const char *const let_names[] = {"x", "here"};
static const char *const let_srcs[] = {"1 + 1", "@"};
static const unsigned let_deps[] = {0, ASSURE_EXPR_DEP_NODE};
#define NLETS 2

static assure_helpers *helpers;
static assure_expr *lets[NLETS];

static void setup(void)
{
	if (helpers)
		return;
	helpers = assure_helpers_new();
	const char *sigs[] = {"twice(v)", "node()", "overdue(d)"};
	const char *bodies[] = {"v * 2", "@", "date(d) < as_of"};
	for (size_t i = 0; i < 3; i++)
		FUZZ_CHECK(assure_helpers_declare(helpers, sigs[i], NULL) == (long)i &&
		               assure_helpers_define(helpers, i, bodies[i], NULL) == 0,
		           "helper '%s': %s", sigs[i], assure_error_last());
	FUZZ_CHECK(assure_helpers_finish(helpers, NULL) == 0, "helpers: %s", assure_error_last());
	assure_expr_names none = {NULL, 0, NULL, helpers};
	for (size_t i = 0; i < NLETS; i++)
		FUZZ_CHECK(assure_expr_compile(&lets[i], let_srcs[i], &none, NULL) == 0, "let: %s",
		           assure_error_last());
}

/* One evaluation's outcome, as text: the rc and the value described, or the reason. */
typedef struct outcome {
	int rc;
	char *text;
	assure_value v;
} outcome;

static void outcome_clear(outcome *o)
{
	free(o->text);
	assure_value_clear(&o->v);
}

static bool same(const outcome *a, const outcome *b)
{
	return a->rc == b->rc && strcmp(a->text, b->text) == 0;
}

/* A value's texts and JSON form hold together. */
static void check_value(const assure_value *v)
{
	FUZZ_CHECK((unsigned)v->kind <= ASSURE_VAL_JSON, "value of kind %d", (int)v->kind);
	char *s = assure_value_to_string(v), *d = assure_value_describe(v);
	FUZZ_CHECK(s && d, "a value without a text");
	free(s);
	free(d);
	json_t *j = NULL;
	int rc = assure_value_to_json(&j, v);
	FUZZ_CHECK(rc == 0 || rc == -1, "to_json gave %d", rc);
	if (rc == 0 && v->kind == ASSURE_VAL_NUMBER) {
		assure_value back = {0};
		FUZZ_CHECK(assure_value_from_json(&back, j) == 0 && back.kind == ASSURE_VAL_NUMBER &&
		               assure_dec_cmp(&back.u.num, &v->u.num) == 0,
		           "a number given to JSON comes back as another");
		assure_value_clear(&back);
	}
	if (rc == 0 &&
	    (v->kind == ASSURE_VAL_LIST || v->kind == ASSURE_VAL_JSON || v->kind == ASSURE_VAL_STRING)) {
		/* JSON values and lists compare equal to their own JSON form */
		assure_value back = {0};
		FUZZ_CHECK(assure_value_from_json(&back, j) == 0, "a value's JSON form cannot be read back");
		assure_value_clear(&back);
	}
	json_decref(j);
}

static void eval_once(outcome *o, const assure_expr *e, assure_eval_ctx ctx)
{
	assure_value let_values[NLETS] = {{0}};
	unsigned char let_state[NLETS] = {0};
	ctx.let_exprs = lets;
	ctx.let_values = let_values;
	ctx.let_state = let_state;
	ctx.let_count = NLETS;
	char *why = NULL;
	o->v = (assure_value){0};
	o->rc = assure_expr_eval(&o->v, e, &ctx, &why);
	FUZZ_CHECK(o->rc == 0 || o->rc == ASSURE_EXPR_FAIL || o->rc == -1, "eval gave %d", o->rc);
	if (o->rc == 0) {
		FUZZ_CHECK(why == NULL, "a value and a reason");
		check_value(&o->v);
		o->text = assure_value_describe(&o->v);
	} else if (o->rc == ASSURE_EXPR_FAIL) {
		FUZZ_CHECK(why && why[0], "a failure without a reason");
		o->text = why;
		why = NULL;
	} else {
		o->text = assure_xstrdup(assure_error_last());
	}
	free(why);
	for (size_t i = 0; i < NLETS; i++)
		assure_value_clear(&let_values[i]);
}

static void render_once(outcome *o, const assure_template *t, assure_eval_ctx ctx)
{
	assure_value let_values[NLETS] = {{0}};
	unsigned char let_state[NLETS] = {0};
	ctx.let_exprs = lets;
	ctx.let_values = let_values;
	ctx.let_state = let_state;
	ctx.let_count = NLETS;
	char *out = NULL, *why = NULL;
	o->v = (assure_value){0};
	o->rc = assure_template_render(&out, t, &ctx, &why);
	FUZZ_CHECK(o->rc == 0 || o->rc == ASSURE_EXPR_FAIL || o->rc == -1, "render gave %d", o->rc);
	if (o->rc == 0) {
		FUZZ_CHECK(out != NULL, "rendered to nothing");
		o->text = out;
		out = NULL;
	} else if (o->rc == ASSURE_EXPR_FAIL) {
		FUZZ_CHECK(why && why[0], "a failure without a reason");
		o->text = why;
		why = NULL;
	} else {
		o->text = assure_xstrdup(assure_error_last());
	}
	free(out);
	free(why);
	for (size_t i = 0; i < NLETS; i++)
		assure_value_clear(&let_values[i]);
}

/* The node to evaluate on besides the root: its first member or item, if any. */
static json_t *first_child(json_t *root, char *pointer, size_t cap)
{
	if (json_is_array(root) && json_array_size(root) > 0) {
		snprintf(pointer, cap, "/0");
		return json_array_get(root, 0);
	}
	void *it = json_is_object(root) ? json_object_iter(root) : NULL;
	if (!it)
		return NULL;
	const char *k = json_object_iter_key(it);
	if (strchr(k, '/') || strchr(k, '~') || strlen(k) + 2 > cap)
		return NULL;
	snprintf(pointer, cap, "/%s", k);
	return json_object_iter_value(it);
}

static void check_expr(const assure_expr *e, const char *src, json_t *root, world *w)
{
	FUZZ_CHECK(strcmp(assure_expr_source(e), src) == 0, "the expression's source is not the text");
	unsigned reads = assure_expr_reads(e), deps = assure_expr_deps(e);
	assure_eval_ctx ctx = {.root = root,
	                       .current = root,
	                       .current_pointer = "",
	                       .as_of = 18640,
	                       .file = "returns/2020-21/finance.json",
	                       .file_doc = file_doc,
	                       .lookup = lookup,
	                       .payload = w};
	outcome first = {0}, o = {0};
	w->calls = 0;
	eval_once(&first, e, ctx);
	if (!(reads & ASSURE_EXPR_READS_OTHERS))
		FUZZ_CHECK(w->calls == 0, "an expression that reads no other file asked for %u", w->calls);
	eval_once(&o, e, ctx);
	FUZZ_CHECK(same(&o, &first), "evaluated twice: %s, then %s", first.text, o.text);
	outcome_clear(&o);
	assure_eval_ctx cached = ctx;
	cached.epoch = 1;
	for (int i = 0; i < 2; i++) {
		eval_once(&o, e, cached);
		FUZZ_CHECK(same(&o, &first), "with the cache: %s, not %s", o.text, first.text);
		outcome_clear(&o);
	}
	if (!(reads & ASSURE_EXPR_READS_AS_OF)) {
		assure_eval_ctx later = ctx;
		later.as_of = 20000;
		eval_once(&o, e, later);
		FUZZ_CHECK(same(&o, &first), "reads no as_of, but another as_of gives %s, not %s", o.text,
		           first.text);
		outcome_clear(&o);
	}
	if (!(reads & ASSURE_EXPR_READS_FILE)) {
		assure_eval_ctx elsewhere = ctx;
		elsewhere.file = "returns/2021-22/other.json";
		eval_once(&o, e, elsewhere);
		FUZZ_CHECK(same(&o, &first), "reads no file path, but another gives %s, not %s", o.text,
		           first.text);
		outcome_clear(&o);
	}
	char pointer[64];
	json_t *child = first_child(root, pointer, sizeof pointer);
	if (child) {
		assure_eval_ctx on = ctx;
		on.current = child;
		on.current_pointer = pointer;
		eval_once(&o, e, on);
		if (!(deps & ASSURE_EXPR_DEP_NODE))
			FUZZ_CHECK(same(&o, &first), "depends on no node, but on %s gives %s, not %s",
			           pointer, o.text, first.text);
		/* the cache filled on the root (same document, same epoch) must not carry a node's result */
		outcome c = {0};
		on.epoch = 1;
		eval_once(&c, e, on);
		FUZZ_CHECK(same(&c, &o), "with the cache, on %s: %s, not %s", pointer, c.text, o.text);
		outcome_clear(&c);
		outcome_clear(&o);
	}
	bool holds = true;
	int grc = assure_expr_guard(e, &ctx, &holds);
	FUZZ_CHECK(grc == 0 || grc == ASSURE_EXPR_FAIL || grc == -1, "guard gave %d", grc);
	if (grc == 0 && !holds)
		FUZZ_CHECK(first.rc == 0 && first.v.kind == ASSURE_VAL_BOOL && !first.v.u.b,
		           "the guard says false, the expression gives %s", first.text);
	outcome_clear(&first);
}

static void check_template(const assure_template *t, const char *src, json_t *root, world *w)
{
	FUZZ_CHECK(strcmp(assure_template_source(t), src) == 0, "the template's source is not the text");
	assure_eval_ctx ctx = {.root = root,
	                       .current = root,
	                       .current_pointer = "",
	                       .as_of = 18640,
	                       .file = "returns/2020-21/finance.json",
	                       .file_doc = file_doc,
	                       .lookup = lookup,
	                       .payload = w};
	outcome first = {0}, o = {0};
	w->calls = 0;
	render_once(&first, t, ctx);
	if (!(assure_template_reads(t) & ASSURE_EXPR_READS_OTHERS))
		FUZZ_CHECK(w->calls == 0, "a template that reads no other file asked for %u", w->calls);
	render_once(&o, t, ctx);
	FUZZ_CHECK(same(&o, &first), "rendered twice: %s, then %s", first.text, o.text);
	outcome_clear(&o);
	ctx.epoch = 1;
	render_once(&o, t, ctx);
	FUZZ_CHECK(same(&o, &first), "with the cache: %s, not %s", o.text, first.text);
	outcome_clear(&o);
	outcome_clear(&first);
}

/* A refused text: the place is inside it, the message one line. */
static void check_refusal(const char *src, size_t off)
{
	FUZZ_CHECK(off <= strlen(src), "error offset %zu past the end (%zu)", off, strlen(src));
	const char *msg = assure_error_last();
	FUZZ_CHECK(msg[0] != '\0', "a refusal without a message");
	FUZZ_CHECK(!strchr(msg, '\n'), "a message of several lines: %s", msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	fuzz_part parts[3];
	size_t n = fuzz_split(data, size, parts, 3);
	const char *src = parts[0].s;
	json_t *doc =
	    n > 1 ? json_loadb(parts[1].s, parts[1].len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL)
	          : NULL;
	if (!doc)
		doc = json_loads(builtin, 0, NULL);
	world w = {0};
	w.other = n > 2 ? json_loadb(parts[2].s, parts[2].len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL)
	                : NULL;
	if (!w.other)
		w.other = json_loads(builtin_other, 0, NULL);

	assure_expr_names names = {let_names, NLETS, let_deps, helpers};
	assure_expr *e = NULL;
	size_t off = SIZE_MAX;
	if (assure_expr_compile(&e, src, &names, &off) == 0)
		check_expr(e, src, doc, &w);
	else
		check_refusal(src, off);
	assure_expr_free(e);

	assure_template *t = NULL;
	off = SIZE_MAX;
	if (assure_template_compile(&t, src, &names, &off) == 0)
		check_template(t, src, doc, &w);
	else
		check_refusal(src, off);
	assure_template_free(t);

	json_decref(w.other);
	json_decref(doc);
	fuzz_parts_free(parts, n);
	return 0;
}
