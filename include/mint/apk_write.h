/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writing apk v2 packages and repository indexes, as melange writes them:
 * the package's files from a directory tree become a data tar (lexical
 * order, no trailing '/' on directories, owners 0:0 "root", mtime the
 * build date, a PAX `APK-TOOLS.checksum.SHA1` record before every regular
 * file and symlink, repeated inodes as hardlinks, normal end-of-archive)
 * in one canonical gzip member; its SHA-256 is .PKGINFO's datahash; the
 * control tar (.PKGINFO first, then the extra members given; no
 * end-of-archive) is a second member; an optional RSA PKCS#1 v1.5 SHA-256
 * signature of the control member's compressed bytes, named
 * `.SIGN.RSA256.<key name>`, is the first member.
 *
 * The same inputs give the same bytes: nothing depends on time, umask,
 * locale, thread count or directory order. Outputs are written to a
 * temporary name and renamed into place.
 */
#ifndef MINT_APK_WRITE_H
#define MINT_APK_WRITE_H

#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>

#include "mint/apk_pkg.h"
#include "mint/buf.h"
#include "mint/err.h"
#include "mint/span.h"

/* A private key and the name its signatures carry: the key file's base
 * name plus ".pub" (melange: "melange.rsa" signs as "melange.rsa.pub"). */
struct mint_apk_signer {
	EVP_PKEY *key;
	char *key_name;
};

/* Reads a PEM private key (PKCS#1 "RSA PRIVATE KEY" or PKCS#8). */
int mint_apk_signer_load(const char *path, struct mint_apk_signer *out, struct mint_err *err);
void mint_apk_signer_free(struct mint_apk_signer *s);

/* melange keygen: an RSA key of bits (>= 2048) written as <prefix>.rsa
 * (PKCS#1 PEM, mode 0600) and <prefix>.rsa.pub (SPKI PEM), atomically.
 * Refuses to overwrite existing files (MINT_EDUPLICATE). */
int mint_apk_keygen(const char *prefix, unsigned bits, struct mint_err *err);

/* A signature member: a tar (no end-of-archive) holding one entry
 * `.SIGN.RSA256.<key_name>` (mode 0644, 0:0 root, mtime) with the
 * signature of signed, gzip-compressed. Appended to out. */
int mint_apk_signature_member(const struct mint_apk_signer *s, struct mint_span signed_bytes,
			      int64_t mtime, struct mint_buf *out, struct mint_err *err);

struct mint_apk_control_file {
	const char *name;        /* ".melange.yaml", ".post-install", ... */
	struct mint_span data;
	uint32_t mode;           /* 0644 or 0755 for scriptlets */
};

struct mint_apk_write_opts {
	/* Metadata: name, version, arch required; description, url, commit,
	 * origin, maintainer, license, depends, provides, replaces,
	 * priorities, triggers as given. size (installed size), datahash and
	 * builddate (build_date, left out when 0) are computed. */
	const struct mint_apk_pkg *pkginfo;
	const char *destdir;     /* the tree to pack; read, never followed out of */
	int64_t build_date;      /* SOURCE_DATE_EPOCH: every mtime */
	const struct mint_apk_control_file *control;
	size_t n_control;
	const struct mint_apk_signer *signer; /* NULL: unsigned */
	const char *out_path;
};

struct mint_apk_write_result {
	char identity[32];       /* "Q1..." of the control member */
	char datahash[65];
	uint64_t file_size;
	uint64_t installed_size;
};

int mint_apk_write(const struct mint_apk_write_opts *o, struct mint_apk_write_result *res,
		   struct mint_err *err);

/* melange sign: (re)signs the package at path in place with s. Every
 * existing signature is dropped; the new member's mtime is the one of the
 * control member's .PKGINFO header; control and data are kept byte for
 * byte, so the identity does not change. */
int mint_apk_resign(const char *path, const struct mint_apk_signer *s, struct mint_err *err);

/* ---- indexes (index_write.c) ---- */

struct mint_apk_index_opts {
	const char *const *apk_paths; /* packages to list (read and checked) */
	size_t n_apks;
	const char *description;      /* DESCRIPTION member; NULL: empty */
	int64_t mtime;                /* tar mtimes */
	const struct mint_apk_signer *signer; /* NULL: unsigned */
	const char *out_path;
	/* melange index --merge: keep records of out_path's existing index
	 * whose name-version is not among apk_paths. */
	bool merge;
	const char *only_arch;        /* melange index -a: skip other arches */
};

/* APKINDEX.tar.gz as melange writes it: APKINDEX (records sorted by name,
 * then version, fields in apk-tools' order) then DESCRIPTION, one gzip
 * member, signed when a signer is given. */
int mint_apk_index_write(const struct mint_apk_index_opts *o, struct mint_err *err);

/* melange sign-index: (re)signs an index in place; an existing signature
 * member is replaced. */
int mint_apk_index_sign(const char *path, const struct mint_apk_signer *s, int64_t mtime,
			struct mint_err *err);

#endif
