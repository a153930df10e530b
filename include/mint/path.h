/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Safe relative paths. Archive entry names, config paths and anything else
 * that names a place under a root pass through here before use: the result
 * is a clean relative path ("usr/bin/x") that cannot leave its root.
 */
#ifndef MINT_PATH_H
#define MINT_PATH_H

#include "mint/buf.h"
#include "mint/err.h"
#include "mint/span.h"

#define MINT_PATH_MAX 4096
#define MINT_NAME_MAX 255

/* Normalises in into out (replacing its contents): drops leading "./" and
 * "/" when allow_absolute, empty and "." components and a trailing "/".
 * Rejects "..", NUL bytes, components over MINT_NAME_MAX, results over
 * MINT_PATH_MAX, and (unless allow_absolute) a leading "/". An input that
 * names the root itself gives "" . Returns 0, MINT_EUNSAFE or MINT_ELIMIT. */
int mint_path_clean(struct mint_span in, bool allow_absolute, struct mint_buf *out,
		    struct mint_err *err);

/* root + "/" + the cleaned rel, into out. */
int mint_path_join(const char *root, struct mint_span rel, struct mint_buf *out,
		   struct mint_err *err);

#endif
