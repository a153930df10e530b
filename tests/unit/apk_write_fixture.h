/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared by the apk writer tests: small trees made on disk, package
 * metadata, and a package written from a tree and read back through mint's
 * own reader. Every helper fails the test on error.
 */
#ifndef MINT_TEST_APK_WRITE_FIXTURE_H
#define MINT_TEST_APK_WRITE_FIXTURE_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mint/apk_package.h"
#include "mint/apk_write.h"
#include "mint/fs.h"
#include "testutil.h"

static inline char *tw_join(const char *dir, const char *rel)
{
	char *out = NULL;
	assert_true(asprintf(&out, "%s/%s", dir, rel) > 0);
	return out;
}

static inline void tw_mkdir(const char *root, const char *rel, mode_t mode)
{
	char *p = tw_join(root, rel);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(chmod(p, mode), 0);
	free(p);
}

static inline void tw_file(const char *root, const char *rel, const char *content, mode_t mode)
{
	char *p = tw_join(root, rel);
	int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	size_t len = strlen(content);
	assert_int_equal(write(fd, content, len), (ssize_t)len);
	close(fd);
	assert_int_equal(chmod(p, mode), 0);
	free(p);
}

static inline void tw_symlink(const char *root, const char *rel, const char *target)
{
	char *p = tw_join(root, rel);
	assert_int_equal(symlink(target, p), 0);
	free(p);
}

static inline void tw_hardlink(const char *root, const char *from, const char *to)
{
	char *a = tw_join(root, from), *b = tw_join(root, to);
	assert_int_equal(link(a, b), 0);
	free(a);
	free(b);
}

static inline void tw_pkginfo(struct mint_apk_pkg *p)
{
	memset(p, 0, sizeof(*p));
	p->name = "hello";
	p->version = "1.0-r0";
	p->arch = "x86_64";
	p->description = "a test package";
	p->url = "";
	p->license = "MIT";
	p->origin = "hello";
	p->maintainer = "unknown";
}

/* Writes destdir as out (unsigned unless s) with build date 1700000000. */
static inline void tw_write(const char *destdir, const char *out, const struct mint_apk_signer *s,
			    struct mint_apk_write_result *res)
{
	struct mint_apk_pkg info;
	tw_pkginfo(&info);
	struct mint_apk_write_opts o = {
		.pkginfo = &info,
		.destdir = destdir,
		.build_date = 1700000000,
		.signer = s,
		.out_path = out,
	};
	struct mint_err err = { 0 };
	assert_ok(mint_apk_write(&o, res, &err), &err);
}

static inline void tw_read(const char *path, struct mint_apk_package *p)
{
	struct mint_err err = { 0 };
	assert_ok(mint_apk_package_read(path, NULL, NULL, MINT_APK_HASH_FILES, p, &err), &err);
}

static inline const struct mint_apk_entry *tw_entry(const struct mint_apk_package *p,
						     const char *path)
{
	for (size_t i = 0; i < p->n_entries; i++)
		if (!strcmp(p->entries[i].path, path))
			return &p->entries[i];
	fail_msg("no entry %s", path);
	return NULL;
}

/* A fresh 2048-bit key pair tmp/<name>.rsa{,.pub}, loaded as a signer. */
static inline void tw_signer(const char *tmp, const char *name, struct mint_apk_signer *s)
{
	char *prefix = tw_join(tmp, name);
	struct mint_err err = { 0 };
	assert_ok(mint_apk_keygen(prefix, 2048, &err), &err);
	char *key = NULL;
	assert_true(asprintf(&key, "%s.rsa", prefix) > 0);
	assert_ok(mint_apk_signer_load(key, s, &err), &err);
	free(key);
	free(prefix);
}

#endif
