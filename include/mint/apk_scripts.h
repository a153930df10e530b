/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The installed database's `lib/apk/db/scripts.tar`: one tar entry per
 * package script, named `<name>-<version>.<identity>.<action>` where identity
 * is the package's "Q1<base64>" (apk-tools 2) or "X1<hex>" (apk-tools 3). The
 * base64 form may contain '/', so names are split from the right, never
 * treated as paths.
 */
#ifndef MINT_APK_SCRIPTS_H
#define MINT_APK_SCRIPTS_H

#include <stddef.h>
#include <stdint.h>

#include "mint/buf.h"
#include "mint/err.h"
#include "mint/span.h"

struct mint_apk_script_entry {
	char *package;   /* "busybox-1.35.0-r17" */
	char *identity;  /* "Q1Meo+LHGPSi3uY9gIouEVb9z8Fbo=" */
	char *action;    /* "post-install" (without the dot) */
	unsigned char *data;
	size_t len;
	int64_t mtime;
};

struct mint_apk_scripts {
	struct mint_apk_script_entry *items;
	size_t n;
};

/* Reads the tar (or its gzip-compressed form, scripts.tar.gz). */
int mint_apk_scripts_parse(struct mint_span file, struct mint_apk_scripts *out,
			   struct mint_err *err);
/* Appends an entry; copies everything. */
int mint_apk_scripts_add(struct mint_apk_scripts *s, const char *package, const char *identity,
			 const char *action, const void *data, size_t len, int64_t mtime);
/* A deterministic tar: entries in the given order, mode 0755, root:root
 * (uid/gid 0), the entry's mtime, and an end-of-archive. */
int mint_apk_scripts_write(const struct mint_apk_scripts *s, struct mint_buf *out,
			   struct mint_err *err);
void mint_apk_scripts_free(struct mint_apk_scripts *s);

#endif
