/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Installed database reader: any input must parse or fail cleanly; what parses must be
 * written, read back and written again to the very same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mint/apk_installed.h"

static void write_or_abort(const struct mint_apk_installed_db *v, struct mint_buf *out)
{
	if (mint_apk_installed_write(v, out))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_apk_installed_db first, second;
	struct mint_buf a = MINT_BUF_INIT, b = MINT_BUF_INIT;
	struct mint_err err = { 0 };

	if (mint_apk_installed_parse(MINT_SPAN(data, size), &first, &err))
		return 0;
	write_or_abort(&first, &a);
	if (mint_apk_installed_parse(mint_buf_span(&a), &second, &err))
		abort();
	write_or_abort(&second, &b);
	if (a.len != b.len || (a.len && memcmp(a.data, b.data, a.len)))
		abort();
	mint_apk_installed_free(&first);
	mint_apk_installed_free(&second);
	mint_buf_free(&a);
	mint_buf_free(&b);
	return 0;
}
