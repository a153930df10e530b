/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A repository index file: `APKINDEX.tar.gz` (an optional signature gzip
 * member, then one gzip member with a tar of APKINDEX and DESCRIPTION, in
 * either order) or the plain APKINDEX text. The signature covers every byte
 * after the signature member.
 */
#ifndef MINT_APK_INDEX_FILE_H
#define MINT_APK_INDEX_FILE_H

#include <stdbool.h>

#include "mint/apk_index.h"
#include "mint/apk_package.h"
#include "mint/apk_trust.h"

struct mint_apk_index_file {
	struct mint_apk_index index;
	bool compressed;                       /* tar.gz, not plain text */
	struct mint_apk_range sig_member, content_member;
	struct mint_apk_signature *sigs;
	size_t n_sigs;
	enum mint_apk_trust trust;
	char trust_detail[256];
};

/* limits->max_data_bytes bounds the index text; flags takes
 * MINT_APK_REQUIRE_TRUST. With kr NULL, signatures are listed, not checked. */
int mint_apk_index_file_read_mem(struct mint_span file, const struct mint_apk_keyring *kr,
				 const struct mint_apk_limits *limits, unsigned flags,
				 struct mint_apk_index_file *out, struct mint_err *err);
int mint_apk_index_file_read(const char *path, const struct mint_apk_keyring *kr,
			     const struct mint_apk_limits *limits, unsigned flags,
			     struct mint_apk_index_file *out, struct mint_err *err);
void mint_apk_index_file_free(struct mint_apk_index_file *f);

#endif
