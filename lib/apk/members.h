/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal to lib/apk: what the package reader and the index reader share.
 * Both files begin with an optional member of `.SIGN.*` entries followed by
 * small gzip members that are read whole, both turn their signatures
 * into a trust verdict the same way, and both read a path by defaulting the
 * limits, reading the file whole and handing it to their *_read_mem().
 */
#ifndef MINT_APK_MEMBERS_H
#define MINT_APK_MEMBERS_H

#include "mint/apk_package.h"
#include "mint/buf.h"

struct apk_small_entry {
	char *name;
	enum mint_tar_type type;
	struct mint_span content; /* inside the member's tar; empty for non-files */
};

/* One gzip member, inflated (bounded by max_control_bytes) and listed.
 * Entry contents are spans into tar, not copies: an index member is the
 * whole repository index. */
struct apk_small_member {
	struct apk_small_entry *entries;
	size_t n;
	struct mint_apk_range range;
	struct mint_buf tar;
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

/* MINT_APK_REQUIRE_TRUST in flags: MINT_ESIGNATURE (trust BAD) or
 * MINT_EUNTRUSTED with detail as the message unless trust is VERIFIED. */
int apk_require_trust(unsigned flags, enum mint_apk_trust trust, const char *detail,
		      struct mint_err *err);

/* limits, or, when it is NULL, the defaults written into *defaults. */
const struct mint_apk_limits *apk_limits_or_default(const struct mint_apk_limits *limits,
						   struct mint_apk_limits *defaults);

/* A reader's *_read_mem(), with its result struct passed as out. */
typedef int (*apk_read_mem_fn)(struct mint_span file, const struct mint_apk_keyring *kr,
			       const struct mint_apk_limits *limits, unsigned flags, void *out,
			       struct mint_err *err);

/* The *_read() of both readers: reads path whole (at most max_file_bytes of
 * limits, or of the defaults when limits is NULL), passes it to read_mem and
 * names path in err when either fails. */
int apk_read_path(const char *path, apk_read_mem_fn read_mem, const struct mint_apk_keyring *kr,
		  const struct mint_apk_limits *limits, unsigned flags, void *out,
		  struct mint_err *err);

/* Error offsets: one relative to a member becomes a file offset; one inside
 * an uncompressed stream moves into the text ("what, uncompressed offset N")
 * and the member's file offset takes its place. */
void apk_rebase_offset(struct mint_err *err, uint64_t base);
void apk_relocate_stream_offset(struct mint_err *err, const char *what, uint64_t member_offset);

#endif
