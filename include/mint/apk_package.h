/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading an apk v2 package: `[signature] control data`, three gzip members
 * whose concatenated contents form one tar stream.
 *
 * The reader splits the members without re-compressing, records their
 * compressed byte ranges, computes the package identity (Q1: SHA-1 of the
 * compressed control member) and the SHA-256 of the compressed data member,
 * checks it against .PKGINFO's datahash, verifies signatures against a
 * keyring, and lists the data entries with their offsets inside the
 * uncompressed data stream (the image builder refers to those offsets).
 *
 * Untrusted input: every size is bounded by mint_apk_limits, every name is
 * cleaned (no "..", no absolute paths), duplicates are refused.
 */
#ifndef MINT_APK_PACKAGE_H
#define MINT_APK_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mint/apk_pkg.h"
#include "mint/apk_trust.h"
#include "mint/err.h"
#include "mint/span.h"
#include "mint/tar.h"

struct mint_apk_limits {
	uint64_t max_file_bytes;    /* the .apk (or APKINDEX.tar.gz) file */
	uint64_t max_control_bytes; /* uncompressed signature or control member */
	uint64_t max_data_bytes;    /* uncompressed data member (or index text) */
	uint32_t max_ratio;         /* uncompressed:compressed, per member */
	uint64_t max_entries;       /* entries in the data member */
};

/* Safe defaults: 1 GiB file, 16 MiB control, 4 GiB data, ratio 1030 (only a
 * run of identical bytes compresses further), 1,000,000 entries. */
void mint_apk_limits_default(struct mint_apk_limits *l);

struct mint_apk_range {
	uint64_t offset; /* in the file */
	uint64_t size;   /* compressed bytes; 0 when the member is absent */
};

struct mint_apk_script {
	char *name;      /* ".post-install", ".trigger", ... */
	unsigned char *data;
	size_t len;
};

struct mint_apk_entry {
	char *path;          /* cleaned, relative ("usr/bin/env") */
	char *link_target;   /* symlink target as stored; hardlink target cleaned */
	enum mint_tar_type type;
	uint32_t mode;
	uint64_t uid, gid;
	char uname[33], gname[33];
	uint64_t size;
	int64_t mtime;
	uint32_t devmajor, devminor;
	struct mint_xattr *xattrs;
	size_t n_xattrs;
	bool has_apk_sha1;
	unsigned char apk_sha1[20];  /* PAX APK-TOOLS.checksum.SHA1 */
	uint64_t header_offset;      /* in the uncompressed data stream */
	uint64_t data_offset;        /* in the uncompressed data stream */
};

/* The signature verdict, kept separate from read errors so that `info` can
 * show an unsigned or untrusted package while `verify` fails on it. */
enum mint_apk_trust {
	MINT_APK_TRUST_NOT_CHECKED, /* no keyring was given */
	MINT_APK_TRUST_VERIFIED,
	MINT_APK_TRUST_UNSIGNED,
	MINT_APK_TRUST_UNTRUSTED,   /* no signature by a key in the keyring */
	MINT_APK_TRUST_BAD,         /* the deciding signature does not verify */
};
const char *mint_apk_trust_name(enum mint_apk_trust t);

struct mint_apk_package {
	uint64_t file_size;
	struct mint_apk_pkg info; /* from .PKGINFO; info.identity is filled in */
	struct mint_apk_range sig_member, control_member, data_member;
	unsigned char identity_sha1[20];
	char identity[32];        /* "Q1" + base64 of identity_sha1 */
	unsigned char data_sha256[32];
	struct mint_apk_signature *sigs;
	size_t n_sigs;
	enum mint_apk_trust trust;
	char trust_detail[256];   /* why, when not verified */
	struct mint_apk_script *scripts;
	size_t n_scripts;
	struct mint_apk_entry *entries; /* in archive order */
	size_t n_entries;
	uint64_t data_tar_bytes;  /* uncompressed size of the data member */
};

enum {
	MINT_APK_HASH_FILES = 1 << 0,    /* check each file's SHA-1 against its PAX checksum */
	MINT_APK_REQUIRE_TRUST = 1 << 1, /* fail unless trust == VERIFIED */
};

/* Reads a package held in memory; name is used in error messages. With kr
 * NULL signatures are listed but not checked. Integrity failures (datahash,
 * file checksums) are always errors. */
int mint_apk_package_read_mem(struct mint_span file, const struct mint_apk_keyring *kr,
			      const struct mint_apk_limits *limits, unsigned flags,
			      struct mint_apk_package *out, struct mint_err *err);
/* Where mint_apk_package_read_mem_ex copies the data member's uncompressed
 * tar stream while it reads it: every byte, in order, in pieces of up to a
 * few hundred KiB. Nothing it receives is verified until the read returns
 * 0; when the read fails, what the sink got must be thrown away. A write
 * that fails fails the read with its code. */
struct mint_apk_data_sink {
	int (*write)(void *ctx, const void *data, size_t len, struct mint_err *err);
	void *ctx;
};

/* mint_apk_package_read_mem, also copying the data stream to sink (NULL:
 * no copy), so that a caller that needs the package's file contents does
 * not inflate the data member a second time. */
int mint_apk_package_read_mem_ex(struct mint_span file, const struct mint_apk_keyring *kr,
				 const struct mint_apk_limits *limits, unsigned flags,
				 const struct mint_apk_data_sink *sink,
				 struct mint_apk_package *out, struct mint_err *err);
/* Reads the file at path (bounded by limits->max_file_bytes); errors name it. */
int mint_apk_package_read(const char *path, const struct mint_apk_keyring *kr,
			  const struct mint_apk_limits *limits, unsigned flags,
			  struct mint_apk_package *out, struct mint_err *err);
void mint_apk_package_free(struct mint_apk_package *p);

#endif
