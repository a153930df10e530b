/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes apk version validation and comparison. The input is cut in two
 * halves a and b; besides not crashing, the ordering must be antisymmetric
 * (a < b exactly when b > a) and every version must equal itself.
 */
#include <stdint.h>
#include <stdlib.h>

#include "mint/apk_dep.h"
#include "mint/apk_version.h"

static int flip(int r)
{
	if (r == MINT_APK_VERSION_LESS)
		return MINT_APK_VERSION_GREATER;
	if (r == MINT_APK_VERSION_GREATER)
		return MINT_APK_VERSION_LESS;
	return r;
}

static void check_pair(struct mint_span a, struct mint_span b)
{
	int ab = mint_apk_version_compare(a, b);
	int ba = mint_apk_version_compare(b, a);
	if (ab != MINT_APK_VERSION_LESS && ab != MINT_APK_VERSION_EQUAL &&
	    ab != MINT_APK_VERSION_GREATER)
		abort();
	if (ab != flip(ba))
		abort();
	if (mint_apk_version_compare(a, a) != MINT_APK_VERSION_EQUAL)
		abort();
	/* b is a prefix-match of itself, so fuzzy equality must hold too */
	if (mint_apk_version_compare_fuzzy(b, b) != MINT_APK_VERSION_EQUAL)
		abort();
	if (ab == MINT_APK_VERSION_EQUAL &&
	    mint_apk_version_compare_fuzzy(a, b) != MINT_APK_VERSION_EQUAL)
		abort();
	(void)mint_apk_version_match(a, MINT_APK_DEP_FUZZY | MINT_APK_DEP_GREATER, b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_span all = MINT_SPAN(data, size);
	struct mint_span a = MINT_SPAN(data, size / 2);
	struct mint_span b = MINT_SPAN(data + size / 2, size - size / 2);
	(void)mint_apk_version_valid(all);
	(void)mint_apk_version_valid(a);
	(void)mint_apk_version_valid(b);
	check_pair(a, b);
	return 0;
}
