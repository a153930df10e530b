/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apk package versions: validity and ordering with apk-tools semantics.
 *
 * Grammar: digits{.digits}*[a-z]?{_suffix[digits]}*[~hex]?[-r digits]?
 * with suffixes alpha beta pre rc (pre-releases, before the bare version)
 * and cvs svn git hg p (after it).
 *
 * Comparison never fails: like apk it tokenizes each side until the first
 * token that breaks the grammar, and an invalid tail ranks below the end of
 * the string. Check validity separately with mint_apk_version_valid. A span
 * whose ptr is NULL is treated as the empty string (which is invalid).
 * Numbers of any length compare exactly (no 64-bit wrap-around).
 */
#ifndef MINT_APK_VERSION_H
#define MINT_APK_VERSION_H

#include <stdbool.h>

#include "mint/span.h"

/* Results of a comparison; the same bits as the dependency operators in
 * mint/apk_dep.h, so "result & op" tells whether "a op b" holds. */
enum {
	MINT_APK_VERSION_EQUAL = 1,
	MINT_APK_VERSION_LESS = 2,
	MINT_APK_VERSION_GREATER = 4,
};

/* True when v follows apk-tools' version grammar exactly. */
bool mint_apk_version_valid(struct mint_span v);

/* MINT_APK_VERSION_LESS, _EQUAL or _GREATER: how a compares to b. */
int mint_apk_version_compare(struct mint_span a, struct mint_span b);

/* As mint_apk_version_compare, but when every token of b matched and b
 * ended first the result is EQUAL: "3.6.9 ~ 3.6". Used by the ~ operators. */
int mint_apk_version_compare_fuzzy(struct mint_span a, struct mint_span b);

/* Whether "a op b" holds, for op a mask of MINT_APK_DEP_* bits: an op
 * containing all of LESS|EQUAL|GREATER always holds, FUZZY selects the
 * fuzzy comparison and CONFLICT inverts the answer. */
bool mint_apk_version_match(struct mint_span a, unsigned op, struct mint_span b);

#endif
