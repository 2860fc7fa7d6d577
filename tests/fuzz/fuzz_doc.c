/* fuzz_doc.c: JSON parsing and the locator must not crash or leak on any input. */
#include "assure/doc.h"

#include "assure/buf.h"

#include <stdint.h>
#include <stdlib.h>

static void locate_all(assure_doc *doc, json_t *v, assure_buf *ptr)
{
	int line, col;
	assure_doc_locate(doc, ptr->ptr, &line, &col);
	size_t len = ptr->len;
	if (json_is_object(v)) {
		const char *k;
		json_t *c;
		json_object_foreach(v, k, c)
		{
			assure_buf_put_pointer_token(ptr, k);
			assure_doc_locate_key(doc, ptr->ptr, &line, &col);
			locate_all(doc, c, ptr);
			ptr->len = len;
			ptr->ptr[len] = '\0';
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *c;
		json_array_foreach(v, i, c)
		{
			assure_buf_printf(ptr, "/%zu", i);
			locate_all(doc, c, ptr);
			ptr->len = len;
			ptr->ptr[len] = '\0';
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	assure_doc *doc = NULL;
	int line, col;
	if (assure_doc_parse(&doc, (const char *)data, size, &line, &col) == 0) {
		assure_buf ptr = ASSURE_BUF_INIT;
		assure_buf_puts(&ptr, "");
		locate_all(doc, assure_doc_root(doc), &ptr);
		assure_doc_locate(doc, "/no/such/member", &line, &col);
		assure_buf_free(&ptr);
		assure_doc_free(doc);
	}
	return 0;
}
