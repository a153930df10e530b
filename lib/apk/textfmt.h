/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal to lib/apk: what the line-based text formats share, so that the
 * APKINDEX records (index_text.c), the installed database (installed.c),
 * .PKGINFO (pkginfo.c) and the triggers file (triggers.c) split lines,
 * report line:column errors, fill struct mint_apk_pkg fields and write
 * "X:value" lines the same way. Which keys a format has, and in what order,
 * stays in that format's own file.
 */
#ifndef MINT_APK_TEXTFMT_H
#define MINT_APK_TEXTFMT_H

#include <stdbool.h>
#include <stdint.h>

#include "mint/apk_pkg.h"
#include "mint/buf.h"
#include "mint/err.h"
#include "mint/span.h"

/* ---- reading ---- */

/* Called for each line of a text, without its '\n'; lines count from 1. */
typedef int (*apk_text_line_fn)(void *ctx, struct mint_span line, unsigned lineno,
				struct mint_err *err);

/* Calls fn for every line of text in order and stops at the first that
 * fails: 0, or what that call returned. */
int apk_text_each_line(struct mint_span text, apk_text_line_fn fn, void *ctx,
		       struct mint_err *err);

/* Sets err to the message at line:column and returns code. */
int apk_text_fail_at(struct mint_err *err, int code, unsigned line, size_t column,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* MINT_EFORMAT at the first NUL byte of line, else 0. */
int apk_text_reject_nul(struct mint_span line, unsigned lineno, struct mint_err *err);

/* Replaces *field with a copy of value: 0 or MINT_ENOMEM (err untouched). */
int apk_text_set_string(char **field, struct mint_span value);

/* Appends the space-separated items of value, passing over empty ones:
 * 0 or MINT_ENOMEM (err untouched). */
int apk_text_add_items(struct mint_strlist *list, struct mint_span value);

/* A decimal value of the field named key (e.g. "S", "size"); MINT_EFORMAT
 * with a message naming key, without a position, when it is not one. */
int apk_text_to_u64(struct mint_span value, const char *key, uint64_t *out,
		    struct mint_err *err);

/* ---- writing ---- */

/* A value fits on one line. */
bool apk_text_valid_value(const char *s);

/* A list item: not NULL, not empty, no space and no newline. */
bool apk_text_valid_word(const char *s);

/* "X:value\n". MINT_EINVAL when value holds a newline, or MINT_ENOMEM. */
int apk_text_put_field(struct mint_buf *out, char letter, const char *value);

/* put_field when value is not NULL; nothing otherwise. */
int apk_text_put_optional(struct mint_buf *out, char letter, const char *value);

/* "X:<decimal>\n" when present; nothing otherwise. */
int apk_text_put_number(struct mint_buf *out, char letter, bool present, uint64_t v);

/* "X:item item ...\n", nothing for an empty list; MINT_EINVAL for an item
 * apk_text_valid_word refuses. */
int apk_text_put_list(struct mint_buf *out, char letter, const struct mint_strlist *l);

/* The end of every writer: when rc is an error, takes back what was
 * appended to out since start, so a failed write leaves out as it was.
 * Returns rc. */
int apk_text_rollback(struct mint_buf *out, size_t start, int rc);

#endif
