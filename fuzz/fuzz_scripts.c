/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer: scripts.tar of the installed database; what parses must rewrite and reparse. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "mint/apk_scripts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_apk_scripts s, back;
	struct mint_err err = { 0 };
	if (mint_apk_scripts_parse(MINT_SPAN(data, size), &s, &err))
		return 0;
	struct mint_buf tar = MINT_BUF_INIT;
	if (mint_apk_scripts_write(&s, &tar, &err) == 0) {
		if (mint_apk_scripts_parse(mint_buf_span(&tar), &back, &err))
			abort();
		if (back.n != s.n)
			abort();
		mint_apk_scripts_free(&back);
	}
	mint_buf_free(&tar);
	mint_apk_scripts_free(&s);
	return 0;
}
