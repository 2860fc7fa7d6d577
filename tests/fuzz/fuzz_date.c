/* fuzz_date.c: date parsing accepts or rejects any text, and what it accepts formats back to a date. */
#include "assure/date.h"

#include "assure/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = assure_xstrndup((const char *)data, size);
	int32_t d;
	if (assure_date_parse(&d, s) == 0) {
		char buf[11];
		int32_t again;
		assure_date_format(d, buf);
		if (assure_date_parse_iso(&again, buf) != 0 || again != d)
			abort();
	}
	free(s);
	return 0;
}
