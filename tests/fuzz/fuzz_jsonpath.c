/* fuzz_jsonpath.c: any text given as a query parses or fails cleanly, and a parsed query evaluates. */
#include "assure/jsonpath.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	assure_jsonpath *q = NULL;
	size_t off = 0, used = 0;
	if (assure_jsonpath_parse(&q, (const char *)data, size, NULL, &off) == 0) {
		json_t *doc = json_loads("{\"a\": [1, \"x\", {\"b\": null}], \"c\": {\"d\": 2.5}}", 0, NULL);
		assure_nodelist l;
		assure_nodelist_init(&l);
		assure_jsonpath_eval(q, doc, doc, "", &l);
		assure_nodelist_clear(&l);
		json_decref(doc);
		assure_jsonpath_free(q);
	}
	if (assure_jsonpath_parse(&q, (const char *)data, size, &used, &off) == 0)
		assure_jsonpath_free(q);
	return 0;
}
