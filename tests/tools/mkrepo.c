/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helper for tests/e2e/image_bad_input.sh: writes a small signed
 * local repository (tests/repobuild.h) whose packages each break one rule
 * of image assembly, beside one that breaks none.
 *
 *   mkrepo DIR   DIR/test.rsa.pub (the keyring) and DIR/x86_64/: the
 *                packages and an APKINDEX.tar.gz signed by that key
 *
 * Packages: base-files (etc/os-release; fine), escaper (usr/share/up is a
 * symlink to ../../.. and the package ships usr/share/up/pwned through
 * it), claim-a and claim-b (both ship usr/share/claimed, neither replaces
 * the other).
 */
#include <openssl/rsa.h>
#include <stdio.h>

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

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkrepo DIR\n");
		return 2;
	}
	EVP_PKEY *key = EVP_RSA_gen(2048);
	if (!key) {
		fprintf(stderr, "mkrepo: cannot make an RSA key\n");
		return 1;
	}
	char key_path[4096];
	snprintf(key_path, sizeof(key_path), "%s/test.rsa.pub", argv[1]);
	repo_build(argv[1], "x86_64", packages, sizeof(packages) / sizeof(packages[0]), key,
		   "test.rsa.pub");
	repo_write_public_key(key, key_path);
	EVP_PKEY_free(key);
	return 0;
}
