/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer: the apk v2 package reader, with file hashing and small limits. */
#include <stddef.h>
#include <stdint.h>

#include "mint/apk_package.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_apk_limits limits;
	mint_apk_limits_default(&limits);
	limits.max_control_bytes = 1 << 20;
	limits.max_data_bytes = 16 << 20;
	limits.max_entries = 10000;
	struct mint_apk_package p;
	struct mint_err err = { 0 };
	if (mint_apk_package_read_mem(MINT_SPAN(data, size), NULL, &limits, MINT_APK_HASH_FILES, &p,
				      &err) == 0)
		mint_apk_package_free(&p);
	return 0;
}
