/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apk dependency items, as in D:, p:, i:, r: fields, /etc/apk/world and
 * melange recipes: [!]name[@tag][op version].
 *
 * Names may hold letters, digits and . _ + - : / , [ ] so the conventional
 * prefixed names work as plain names (so:libc.musl-x86_64.so.1, cmd:ls,
 * pc:zlib, /bin/sh). Operators: = < > <= >= ~ >~ <~ and >< (the version is
 * then a package identity Q1<base64>, not a version); melange's =~ reads as
 * ~. A leading ! makes a conflict: the match is inverted.
 */
#ifndef MINT_APK_DEP_H
#define MINT_APK_DEP_H

#include <stdbool.h>
#include <stddef.h>

#include "mint/apk_version.h"
#include "mint/buf.h"
#include "mint/err.h"
#include "mint/span.h"

/* Operator bits; EQUAL, LESS and GREATER are the comparison results of
 * mint/apk_version.h. */
enum {
	MINT_APK_DEP_EQUAL = MINT_APK_VERSION_EQUAL,     /* 1 */
	MINT_APK_DEP_LESS = MINT_APK_VERSION_LESS,       /* 2 */
	MINT_APK_DEP_GREATER = MINT_APK_VERSION_GREATER, /* 4 */
	MINT_APK_DEP_FUZZY = 8,
	MINT_APK_DEP_CONFLICT = 16,
	MINT_APK_DEP_ANY = 7,       /* no version constraint */
	MINT_APK_DEP_CHECKSUM = 6,  /* "><": version is an identity */
};

struct mint_apk_dep {
	char *name;
	char *tag;      /* after '@', or NULL */
	char *version;  /* NULL when op is ANY (with or without CONFLICT) */
	unsigned op;    /* MINT_APK_DEP_* bits */
};

/* The operator text for op without its CONFLICT bit ("" for ANY), or NULL
 * for a mask no operator spells. */
const char *mint_apk_dep_op_string(unsigned op);

/* Reads operator text (one of the forms above, or =~) into *op. */
bool mint_apk_dep_op_parse(struct mint_span text, unsigned *op);

/* Parses exactly one item (no surrounding space). On error *out is zeroed
 * and err names the problem and its byte offset within s. */
int mint_apk_dep_parse(struct mint_span s, struct mint_apk_dep *out, struct mint_err *err);

/* Parses items separated by spaces, tabs and newlines. *deps is malloc'd
 * (NULL when there are none); free with mint_apk_deps_free. Offsets in
 * errors are within list. */
int mint_apk_deps_parse(struct mint_span list, struct mint_apk_dep **deps, size_t *n,
			struct mint_err *err);

/* Appends the canonical text of d to out: "!name@tag>=1.2". */
int mint_apk_dep_format(const struct mint_apk_dep *d, struct mint_buf *out);

/* Whether a package (or provided name) called name at version satisfies d:
 * the names are equal and "version op d->version" holds, inverted for a
 * conflict. For "><" pass the package's identity as version; it must equal
 * d->version byte for byte. */
bool mint_apk_dep_satisfied_by(const struct mint_apk_dep *d, struct mint_span name,
			       struct mint_span version);

/* Frees the strings of d (not d itself) and zeroes it. */
void mint_apk_dep_free(struct mint_apk_dep *d);
/* Frees every item and the array. */
void mint_apk_deps_free(struct mint_apk_dep *deps, size_t n);

#endif
