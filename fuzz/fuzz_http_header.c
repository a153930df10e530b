/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the header-line parsing that sees every byte a server sends back
 * and the ETag check that guards what mint sends and stores. An ETag that
 * passes must be safe in a header line: no blank, control byte or DEL, and
 * no longer than MINT_HTTP_ETAG_MAX.
 */
#include <stdint.h>
#include <stdlib.h>

#include "mint/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_span line = MINT_SPAN(data, size), value;
	if (!mint_http_header_value(line, "ETag", &value))
		return 0;
	if (value.ptr < line.ptr || value.ptr + value.len > line.ptr + line.len)
		abort();
	if (!mint_http_etag_valid(value))
		return 0;
	if (value.len == 0 || value.len > MINT_HTTP_ETAG_MAX)
		abort();
	for (size_t i = 0; i < value.len; i++) {
		unsigned char c = (unsigned char)value.ptr[i];
		if (c <= 0x20 || c == 0x7f)
			abort();
	}
	return 0;
}
