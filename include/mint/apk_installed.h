/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The installed database, lib/apk/db/installed: one record per installed
 * package, ended by a blank line. A record is an APKINDEX header
 * (mint/apk_index.h) followed by
 *   g:tags  r:replaces  q:replaces_priority  s:repository tag  f:flags
 * and the package's files, grouped by directory:
 *   F:<dir, no leading slash; empty for the root>
 *   M:uid:gid:mode[:xattr digest]       directory owner and mode
 *   R:<file name>
 *   a:uid:gid:mode[:xattr digest]       file owner and mode
 *   Z:<content digest, "Q1..." text>
 * uid and gid are decimal and mode octal (a leading 0, as apko writes it, is
 * accepted). M: belongs to the last F: and a: and Z: to the last R:, wherever
 * they appear before the next F:.
 *
 * Reading is strict where apk-tools is: a letter it does not know (even
 * lowercase) means the file was written by a newer apk-tools and is an
 * error, as are M/R before any F, a/Z before any R in the directory, F before
 * P, an f: flag other than f s x S, bad numbers, NUL bytes and a non-empty
 * line that is not "X:..." (apk-tools takes a 1-byte line as a record end);
 * errors carry line:column. Every record needs a non-empty P and V; the last
 * record may end at the end of the text without a blank line.
 *
 * Writing follows apk-tools: the header, then g r q s f when present, then
 * each directory as F, [M], and per file R, [a], [Z]; a blank line ends each
 * record. M/a are written when has_acl is set (apk-tools writes them only
 * for values other than 0:0:755 and 0:0:644; the reader keeps whether the
 * line was there, so a file round-trips), modes as plain octal without a
 * leading 0, and f: flags in the order f s x S. So a database apk-tools
 * wrote reads and writes back byte for byte.
 */
#ifndef MINT_APK_INSTALLED_H
#define MINT_APK_INSTALLED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mint/apk_pkg.h"
#include "mint/buf.h"
#include "mint/err.h"
#include "mint/span.h"

struct mint_apk_installed_file {
	char *name;          /* R: base name */
	bool has_acl;        /* an a: line */
	uint32_t uid, gid, mode;
	char *xattr_digest;  /* the optional 4th a: part, or NULL */
	char *digest;        /* Z:, or NULL */
};

struct mint_apk_installed_dir {
	char *path;          /* F: */
	bool has_acl;        /* an M: line */
	uint32_t uid, gid, mode;
	char *xattr_digest;
	struct mint_apk_installed_file *files;
	size_t n_files;
};

struct mint_apk_installed_pkg {
	struct mint_apk_pkg pkg; /* header plus r q g s f */
	struct mint_apk_installed_dir *dirs;
	size_t n_dirs;
};

struct mint_apk_installed_db {
	struct mint_apk_installed_pkg *pkgs;
	size_t n;
};

/* Fills *out (zeroed first; left zeroed on failure). */
int mint_apk_installed_parse(struct mint_span text, struct mint_apk_installed_db *out,
			     struct mint_err *err);

/* Appends every record in order. Returns MINT_EINVAL for a record without P
 * or V, a value holding a newline, or a list item that is empty or holds a
 * space (out is then left as it was), or MINT_ENOMEM. */
int mint_apk_installed_write(const struct mint_apk_installed_db *db, struct mint_buf *out);

void mint_apk_installed_free(struct mint_apk_installed_db *db);

#endif
