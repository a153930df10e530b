/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helper for tests/e2e/image_bad_input.sh: writes a small signed
 * local repository (tests/repobuild.h) whose packages each break one rule
 * of image assembly, beside one that breaks none.
 *
 *   mkrepo DIR [BUSYBOX]   DIR/test.rsa.pub (the keyring) and DIR/x86_64/:
 *                the packages and an APKINDEX.tar.gz signed by that key
 *
 * Packages: base-files (etc/os-release; fine), escaper (usr/share/up is a
 * symlink to ../../.. and the package ships usr/share/up/pwned through
 * it), claim-a and claim-b (both ship usr/share/claimed, neither replaces
 * the other); with BUSYBOX (a static busybox binary of this machine) also
 * busybox (bin/busybox and etc/busybox-paths.d/busybox naming bin/sh and a
 * few applets; no install script), so that e2e/image_runs.sh can run what
 * mint built.
 */
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>

#include "mint/fs.h"

#include "../repobuild.h"

#define PKGINFO(name) "pkgname = " name "\npkgver = 1.0-r0\narch = x86_64\nbuilddate = 1700000000\n"

static const struct test_file base_files[] = {
	{ .name = "etc", .type = MINT_TAR_DIR },
	{ .name = "etc/os-release", .content = "ID=mint-test\n" },
};

static const struct test_file escaper_files[] = {
	{ .name = "usr", .type = MINT_TAR_DIR },
	{ .name = "usr/share", .type = MINT_TAR_DIR },
	{ .name = "usr/share/up", .type = MINT_TAR_SYMLINK, .link = "../../.." },
	{ .name = "usr/share/up/pwned", .content = "outside the root\n" },
};

static const struct test_file claim_a_files[] = {
	{ .name = "usr", .type = MINT_TAR_DIR },
	{ .name = "usr/share", .type = MINT_TAR_DIR },
	{ .name = "usr/share/claimed", .content = "from claim-a\n" },
};

static const struct test_file claim_b_files[] = {
	{ .name = "usr", .type = MINT_TAR_DIR },
	{ .name = "usr/share", .type = MINT_TAR_DIR },
	{ .name = "usr/share/claimed", .content = "from claim-b\n" },
};

static const struct test_apk packages[] = {
	{ .pkginfo = PKGINFO("base-files"), .files = base_files, .n_files = 2 },
	{ .pkginfo = PKGINFO("escaper"), .files = escaper_files, .n_files = 4 },
	{ .pkginfo = PKGINFO("claim-a"), .files = claim_a_files, .n_files = 3 },
	{ .pkginfo = PKGINFO("claim-b"), .files = claim_b_files, .n_files = 3 },
};

static const char busybox_paths[] = "/bin/busybox\n/bin/sh\n/bin/echo\n/bin/cat\n/bin/id\n"
				    "/bin/ls\n/bin/true\n/usr/bin/env\n";

/* The packages, plus busybox when a binary is given. */
static size_t package_list(const char *busybox, struct mint_buf *binary, struct test_apk *out,
			   struct test_file *bb_files)
{
	size_t n = sizeof(packages) / sizeof(packages[0]);
	for (size_t i = 0; i < n; i++)
		out[i] = packages[i];
	if (!busybox)
		return n;
	struct mint_err err = { 0 };
	if (mint_file_read(busybox, 64u << 20, binary, &err)) {
		fprintf(stderr, "mkrepo: %s: %s\n", busybox, err.msg);
		exit(1);
	}
	bb_files[0] = (struct test_file){ .name = "bin", .type = MINT_TAR_DIR };
	bb_files[1] = (struct test_file){ .name = "bin/busybox", .content = binary->data,
					  .content_len = binary->len, .mode = 0755 };
	bb_files[2] = (struct test_file){ .name = "etc", .type = MINT_TAR_DIR };
	bb_files[3] = (struct test_file){ .name = "etc/busybox-paths.d", .type = MINT_TAR_DIR };
	bb_files[4] = (struct test_file){ .name = "etc/busybox-paths.d/busybox",
					  .content = busybox_paths };
	out[n] = (struct test_apk){ .pkginfo = PKGINFO("busybox"), .files = bb_files, .n_files = 5 };
	return n + 1;
}

int main(int argc, char **argv)
{
	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: mkrepo DIR [BUSYBOX]\n");
		return 2;
	}
	struct test_apk list[8];
	struct test_file bb_files[5];
	struct mint_buf binary = MINT_BUF_INIT;
	size_t n = package_list(argc == 3 ? argv[2] : NULL, &binary, list, bb_files);
	EVP_PKEY *key = EVP_RSA_gen(2048);
	if (!key) {
		fprintf(stderr, "mkrepo: cannot make an RSA key\n");
		return 1;
	}
	char key_path[4096];
	snprintf(key_path, sizeof(key_path), "%s/test.rsa.pub", argv[1]);
	repo_build(argv[1], "x86_64", list, n, key, "test.rsa.pub");
	repo_write_public_key(key, key_path);
	EVP_PKEY_free(key);
	mint_buf_free(&binary);
	return 0;
}
