/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/apk/db/triggers: one line per installed package that has triggers,
 * "<identity> <glob> <glob>...", where the identity is the package's C:
 * digest text ("Q1..."; Q2, X1 and X2 are read as well) and each glob names
 * directories whose changes run the package's .trigger script.
 *
 * Reading skips blank lines and extra spaces; an identity that does not
 * start with Q1 Q2 X1 or X2 followed by more text, or a NUL byte, is an
 * error with line:column. Writing puts one space before each glob and a
 * newline after each line, as apk-tools does.
 */
#ifndef MINT_APK_TRIGGERS_H
#define MINT_APK_TRIGGERS_H

#include <stddef.h>

#include "mint/apk_pkg.h"
#include "mint/buf.h"
#include "mint/err.h"
#include "mint/span.h"

struct mint_apk_trigger {
	char *identity;            /* "Q1..." */
	struct mint_strlist globs; /* may be empty */
};

struct mint_apk_triggers {
	struct mint_apk_trigger *items;
	size_t n;
};

/* Fills *out (zeroed first; left zeroed on failure). */
int mint_apk_triggers_parse(struct mint_span text, struct mint_apk_triggers *out,
			    struct mint_err *err);

/* Appends every line. Returns MINT_EINVAL for an identity that is missing or
 * holds a space or newline, or a glob that is empty or holds one (out is
 * then left as it was), or MINT_ENOMEM. */
int mint_apk_triggers_write(const struct mint_apk_triggers *t, struct mint_buf *out);

void mint_apk_triggers_free(struct mint_apk_triggers *t);

#endif
