/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer: APKINDEX.tar.gz and plain APKINDEX files. */
#include <stddef.h>
#include <stdint.h>

#include "mint/apk_index_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_apk_limits limits;
	mint_apk_limits_default(&limits);
	limits.max_data_bytes = 16 << 20;
	struct mint_apk_index_file f;
	struct mint_err err = { 0 };
	if (mint_apk_index_file_read_mem(MINT_SPAN(data, size), NULL, &limits, 0, &f, &err) == 0)
		mint_apk_index_file_free(&f);
	return 0;
}
