/* fuzz_expr.c: any text given as an expression or template compiles or fails cleanly, and evaluates. */
#include "assure/expr.h"

#include "assure/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *src = assure_xstrndup((const char *)data, size);
	if (strlen(src) != size) {
		free(src);
		return 0;
	}
	json_t *doc = json_loads("{\"org\": \"RXN\", \"forecast\": {\"outturn\": -20.6, \"plan\": -19}, "
	                         "\"actions\": [{\"code\": \"A\", \"due\": \"On-going\"}]}",
	                         0, NULL);
	assure_eval_ctx ctx = {.root = doc, .current = doc, .current_pointer = "", .as_of = 18640};
	assure_expr *e = NULL;
	size_t off;
	if (assure_expr_compile(&e, src, NULL, &off) == 0) {
		assure_value v = {0};
		char *why = NULL;
		assure_expr_eval(&v, e, &ctx, &why);
		assure_value_clear(&v);
		free(why);
		assure_expr_free(e);
	}
	assure_template *t = NULL;
	if (assure_template_compile(&t, src, NULL, &off) == 0) {
		char *out = NULL, *why = NULL;
		assure_template_render(&out, t, &ctx, &why);
		free(out);
		free(why);
		assure_template_free(t);
	}
	json_decref(doc);
	free(src);
	return 0;
}
