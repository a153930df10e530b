/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal to lib/apk: what the package reader and the index reader share.
 * Both files begin with an optional member of `.SIGN.*` entries followed by
 * small gzip members that are read whole, and both turn their signatures
 * into a trust verdict the same way.
 */
#ifndef MINT_APK_MEMBERS_H
#define MINT_APK_MEMBERS_H

#include "mint/apk_package.h"
#include "mint/buf.h"

struct apk_small_entry {
	char *name;
	enum mint_tar_type type;
	struct mint_buf content;
};

/* One gzip member, inflated (bounded by max_control_bytes) and listed. */
struct apk_small_member {
	struct apk_small_entry *entries;
	size_t n;
	struct mint_apk_range range;
};

/* what names the member in errors ("control member"). */
int apk_read_small_member(struct mint_span file, uint64_t offset, const char *what,
			  const struct mint_apk_limits *limits, enum mint_tar_end end,
			  struct apk_small_member *m, struct mint_err *err);
void apk_small_member_free(struct apk_small_member *m);

bool apk_is_signature_name(const char *name);
/* Every entry must be a signature; oversized ones are passed over as apk-tools does. */
int apk_take_signatures(const struct apk_small_member *m, struct mint_apk_signature **sigs,
			size_t *n_sigs, struct mint_err *err);
void apk_decide_trust(struct mint_apk_signature *sigs, size_t n_sigs,
		      const struct mint_apk_keyring *kr, struct mint_span signed_bytes,
		      enum mint_apk_trust *trust, char *detail, size_t detail_cap);

/* Error offsets: one relative to a member becomes a file offset; one inside
 * an uncompressed stream moves into the text ("what, uncompressed offset N")
 * and the member's file offset takes its place. */
void apk_rebase_offset(struct mint_err *err, uint64_t base);
void apk_relocate_stream_offset(struct mint_err *err, const char *what, uint64_t member_offset);

#endif
