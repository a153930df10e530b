/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The APKINDEX text: the "APKINDEX" member of APKINDEX.tar.gz (the tar and
 * gzip layers are mint/tar.h and mint/gzip.h). Records of "X:value" lines,
 * each ended by a blank line, one per package.
 *
 * Reading follows apk-tools:
 * - the letters C P V A S I T U L o m t c k D p i fill struct mint_apk_pkg;
 *   D, p and i are space-separated lists and append when repeated, the
 *   others keep their last value; S I t k must be plain decimal numbers;
 * - installed-database letters (F M R Z a r q s f g) are skipped, other
 *   unknown lowercase letters are skipped, and an unknown uppercase (or
 *   non-letter) field marks the package uninstallable instead of failing;
 * - every record needs a non-empty P and V; C is not required;
 * - blank lines between records are allowed and the last record may end at
 *   the end of the text without a blank line;
 * - a line that is not empty and not "X:..." or holds a NUL byte is an
 *   error, reported with line:column.
 * List items are kept as their literal text. apko writes install_if in Go
 * slice syntax ("i:[a b]", "i:[]"); apk-tools splits that on spaces into the
 * names "[a", "b]" and "[]", which no package provides, so the rule never
 * fires. mint keeps those tokens as they are, so such a line is written back
 * unchanged.
 *
 * Writing follows apk-tools' field order C P V [A] S I T U L [o] [m] [t] [c]
 * [k] [D] [p] [i]; S, I, T, U and L are always written (0 or empty when
 * absent), the others when present, then a blank line. Records keep their
 * order; mint_apk_index_sort orders them. Unknown fields are not kept, so an
 * uninstallable record is written without the field that made it so.
 */
#ifndef MINT_APK_INDEX_H
#define MINT_APK_INDEX_H

#include <stdbool.h>
#include <stddef.h>

#include "mint/apk_pkg.h"
#include "mint/arena.h"
#include "mint/buf.h"
#include "mint/err.h"
#include "mint/span.h"

struct mint_apk_index {
	struct mint_apk_pkg *pkgs;
	size_t n;
	struct mint_arena arena; /* backs the records the parser fills (arena_owned) */
	char *description; /* the DESCRIPTION member, when the caller has one */
};

/* Fills *out (zeroed first; left zeroed on failure). */
int mint_apk_index_parse_text(struct mint_span text, struct mint_apk_index *out,
			      struct mint_err *err);

/* Appends every record in order. Returns MINT_EINVAL when a record has no
 * P or V, a value holds a newline or a list item is empty or holds a space
 * (out is then left as it was), or MINT_ENOMEM. */
int mint_apk_index_write_text(const struct mint_apk_index *idx, struct mint_buf *out);

/* Orders records by name (byte order); records of one name keep their
 * relative order (a stable sort). */
void mint_apk_index_sort(struct mint_apk_index *idx);

void mint_apk_index_free(struct mint_apk_index *idx);

/*
 * The record header shared with the installed database (mint/apk_installed.h).
 * mint_apk_index_field_apply stores one "letter:value" field when letter is
 * one of C P V A S I T U L o m t c k D p i and sets *known; otherwise it sets
 * *known to false and changes nothing. Returns 0, MINT_EFORMAT for a bad
 * number (the caller adds the line:column) or MINT_ENOMEM.
 */
int mint_apk_index_field_apply(struct mint_apk_pkg *p, char letter, struct mint_span value,
			       bool *known, struct mint_err *err);
/* Appends the header lines (no closing blank line); errors as for
 * mint_apk_index_write_text, but out may keep a partial header. */
int mint_apk_index_write_header(const struct mint_apk_pkg *p, struct mint_buf *out);

#endif
