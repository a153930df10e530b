/* SPDX-License-Identifier: Apache-2.0 */
/*
 * APKINDEX text reader: any input must parse or fail cleanly; what parses must be
 * written, read back and written again to the very same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mint/apk_index.h"

static void write_or_abort(const struct mint_apk_index *v, struct mint_buf *out)
{
	if (mint_apk_index_write_text(v, out))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_apk_index first, second;
	struct mint_buf a = MINT_BUF_INIT, b = MINT_BUF_INIT;
	struct mint_err err = { 0 };

	if (mint_apk_index_parse_text(MINT_SPAN(data, size), &first, &err))
		return 0;
	write_or_abort(&first, &a);
	if (mint_apk_index_parse_text(mint_buf_span(&a), &second, &err))
		abort();
	write_or_abort(&second, &b);
	if (a.len != b.len || (a.len && memcmp(a.data, b.data, a.len)))
		abort();
	mint_apk_index_free(&first);
	mint_apk_index_free(&second);
	mint_buf_free(&a);
	mint_buf_free(&b);
	return 0;
}
