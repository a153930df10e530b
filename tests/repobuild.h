/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test-only local apk repositories: packages built with tests/apkbuild.h
 * written as <dir>/<arch>/<name>-<version>.apk beside an APKINDEX.tar.gz
 * (a signature member when a key is given, then one gzip member holding a
 * tar of APKINDEX and DESCRIPTION), and packages read back into the
 * structs the image builder takes, for tests that assemble by hand.
 * Like apkbuild, every helper fails the test on error.
 */
#ifndef MINT_TEST_REPOBUILD_H
#define MINT_TEST_REPOBUILD_H

#include <openssl/evp.h>
#include <stddef.h>

#include "apkbuild.h"
#include "mint/image_build.h"

/* Writes the packages (their .PKGINFO arch should be arch or noarch) and
 * their index into dir/arch, creating both directories. With key, the
 * index is signed (RSA256) as key_name ("test.rsa.pub"). */
void repo_build(const char *dir, const char *arch, const struct test_apk *pkgs, size_t n,
		EVP_PKEY *key, const char *key_name);

/* Writes the PEM of key's public half to path. */
void repo_write_public_key(EVP_PKEY *key, const char *path);

/* Builds spec, writes it as dir/<name>-<version>.apk and reads it into
 * out (url and lock_url the file's path, tag NULL); free with
 * repo_install_free, or let mint_image_packages_free do it. */
void repo_install_from(const char *dir, const struct test_apk *spec,
		       struct mint_image_install *out);
void repo_install_free(struct mint_image_install *ins);

/* Appends an arch to p (zeroed, or grown by earlier calls) whose installs,
 * in order, are specs written into dir/<apk arch>/ (created). */
void repo_packages_add_arch(struct mint_image_packages *p, const char *dir, enum mint_arch arch,
			    const struct test_apk *specs, size_t n);
/* Appends a keyring key: its name as a config gives it and its bytes. */
void repo_packages_add_key(struct mint_image_packages *p, const char *name, const char *pem);

#endif
