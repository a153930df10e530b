/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test-only builder of apk v2 packages from parts, so that tests can make
 * well-formed packages and then break exactly one thing. Compression is
 * zlib's (a real producer's choice does not matter to the reader).
 */
#ifndef MINT_TEST_APKBUILD_H
#define MINT_TEST_APKBUILD_H

#include <openssl/evp.h>
#include <stdbool.h>

#include "mint/buf.h"
#include "mint/tar.h"

struct test_file {
	const char *name;
	enum mint_tar_type type;   /* 0 means MINT_TAR_REG */
	const char *content;       /* regular files */
	size_t content_len;        /* 0: strlen(content) */
	const char *link;
	unsigned mode;             /* 0: 0755 for directories, 0644 otherwise */
	bool wrong_checksum;       /* write a PAX checksum that does not match */
};

struct test_apk {
	const char *pkginfo;       /* lines without datahash; default: name/version/arch */
	const struct test_file *files;
	size_t n_files;
	EVP_PKEY *key;             /* NULL: unsigned */
	const char *key_name;      /* "test.rsa.pub" */
	const char *sig_alg;       /* "RSA256" (default), "RSA", "RSA512" */
	bool legacy;               /* no datahash; signature over control + data */
	const char *extra_control; /* name of an extra control entry (e.g. ".INSTALL") */
	bool trailing_member;      /* append an extra gzip member after data */
};

/* Builds the package into out (replacing its contents); fails the test on error. */
void build_test_apk(const struct test_apk *spec, struct mint_buf *out);
/* gzip (one member) of data, appended to out. */
void gzip_member(const void *data, size_t len, struct mint_buf *out);
/* PEM of key's public half, for a keyring. */
char *public_pem_of(EVP_PKEY *key, size_t *len);

#endif
