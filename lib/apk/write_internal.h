/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal to lib/apk's writers: the data member of a package (write_data.c)
 * and the small tar members every writer shares (a control tar, a signature
 * tar, an index tar). Not part of the public API.
 */
#ifndef MINT_APK_WRITE_INTERNAL_H
#define MINT_APK_WRITE_INTERNAL_H

#include <stdint.h>

#include "mint/apk_write.h"
#include "mint/buf.h"
#include "mint/err.h"
#include "mint/tar.h"

/* What write_data.c measured while packing a tree. */
struct apk_data_result {
	unsigned char sha256[32]; /* of the compressed member */
	uint64_t installed_size;
};

/* Packs the tree under destdir (never followed out of) into one canonical
 * gzip member appended to out. */
int apk_write_data(const char *destdir, int64_t mtime, struct mint_buf *out,
		   struct apk_data_result *res, struct mint_err *err);

/* A mint_tar_writer sink appending to a struct mint_buf. */
int apk_buf_sink(void *ctx, const void *data, size_t len, struct mint_err *err);

/* One regular file entry (0:0, the given owner names) with its content. */
int apk_tar_add_file(struct mint_tar_writer *w, const char *name, uint32_t mode,
		     const char *owner, int64_t mtime, struct mint_span content,
		     struct mint_err *err);

#endif
