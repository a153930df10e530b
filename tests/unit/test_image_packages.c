/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/image/image_packages.c against a signed local repository the test
 * writes (tests/repobuild.h): resolving a config, and installing from a
 * lock, which must match the config, cover every arch and name packages
 * whose bytes are the ones the lock recorded.
 */
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mint/fs.h"
#include "mint/gzip.h"
#include "mint/image_build.h"
#include "repobuild.h"

#define PKGINFO(name, arch, extra) \
	"pkgname = " name "\npkgver = 1.0-r0\narch = " arch "\nbuilddate = 1700000000\n" extra

static const struct test_file lib_files[] = {
	{ .name = "usr", .type = MINT_TAR_DIR },
	{ .name = "usr/lib", .type = MINT_TAR_DIR },
	{ .name = "usr/lib/libthing.so.1", .content = "not really a library\n" },
};

static const struct test_file app_files[] = {
	{ .name = "usr", .type = MINT_TAR_DIR },
	{ .name = "usr/bin", .type = MINT_TAR_DIR },
	{ .name = "usr/bin/app", .content = "#!/bin/sh\n" },
};

#define DEPENDS_LIB "depend = lib\n"

static const struct test_apk x86_pkgs[] = {
	{ .pkginfo = PKGINFO("app", "x86_64", DEPENDS_LIB), .files = app_files, .n_files = 3 },
	{ .pkginfo = PKGINFO("lib", "x86_64", ""), .files = lib_files, .n_files = 3 },
};

static const struct test_apk arm_pkgs[] = {
	{ .pkginfo = PKGINFO("app", "aarch64", DEPENDS_LIB), .files = app_files, .n_files = 3 },
	{ .pkginfo = PKGINFO("lib", "aarch64", ""), .files = lib_files, .n_files = 3 },
};

static EVP_PKEY *key;

static int setup(void **state)
{
	(void)state;
	key = EVP_RSA_gen(2048);
	return key ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(key);
	return 0;
}

struct fixture {
	char *dir, *cache_dir;
	char repo[4096], key_path[4096];
	struct mint_image_config cfg;
	struct mint_apk_cache cache;
	struct mint_image_source_opts so;
	struct mint_image_packages pkgs;
};

/* The config: the test repository, package app, these archs, then extra. */
static void load_config(struct fixture *f, const char *archs, const char *extra)
{
	struct mint_buf yaml = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	mint_image_config_free(&f->cfg);
	assert_int_equal(mint_buf_printf(&yaml,
					 "contents:\n  keyring: [%s]\n  repositories: [%s]\n"
					 "  packages: [app]\narchs: [%s]\n%s",
					 f->key_path, f->repo, archs, extra), 0);
	assert_ok(mint_image_config_parse(mint_buf_span(&yaml), "test.yaml", NULL, &f->cfg, &err),
		  &err);
	mint_buf_free(&yaml);
}

static void fixture_open(struct fixture *f)
{
	struct mint_err err = { 0 };
	memset(f, 0, sizeof(*f));
	f->dir = make_tmpdir();
	f->cache_dir = make_tmpdir();
	snprintf(f->repo, sizeof(f->repo), "%s/repo", f->dir);
	snprintf(f->key_path, sizeof(f->key_path), "%s/test.rsa.pub", f->dir);
	repo_build(f->repo, "x86_64", x86_pkgs, 2, key, "test.rsa.pub");
	repo_build(f->repo, "aarch64", arm_pkgs, 2, key, "test.rsa.pub");
	repo_write_public_key(key, f->key_path);
	load_config(f, "x86_64, aarch64", "");
	assert_ok(mint_apk_cache_open(&f->cache, f->cache_dir, &err), &err);
	f->so.cache = &f->cache;
}

static void fixture_close(struct fixture *f)
{
	mint_image_packages_free(&f->pkgs);
	mint_image_config_free(&f->cfg);
	mint_apk_cache_close(&f->cache);
	cleanup_tmpdir(f->dir);
	cleanup_tmpdir(f->cache_dir);
}

static void resolve_ok(struct fixture *f)
{
	struct mint_err err = { 0 };
	assert_ok(mint_image_packages_resolve(&f->cfg, &f->so, &f->pkgs, &err), &err);
}

/* The lock of what f resolved, the packages freed. */
static void lock_of_resolved(struct fixture *f, struct mint_lock *lock)
{
	struct mint_err err = { 0 };
	resolve_ok(f);
	assert_ok(mint_image_packages_lock(&f->cfg, "test.yaml", &f->pkgs, lock, &err), &err);
	mint_image_packages_free(&f->pkgs);
}

static void assert_msg(const struct mint_err *err, const char *needle)
{
	char text[2048];
	mint_err_format(err, text, sizeof(text));
	if (!strstr(text, needle))
		fail_msg("error '%s' does not say '%s'", text, needle);
}

static void test_packages_resolve_reads_every_arch_in_install_order(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f);
	resolve_ok(&f);
	assert_int_equal(f.pkgs.n_archs, 2);
	/* cfg->archs order: amd64, arm64 */
	assert_int_equal(f.pkgs.archs[0].arch, MINT_ARCH_AMD64);
	assert_int_equal(f.pkgs.archs[1].arch, MINT_ARCH_ARM64);
	for (size_t a = 0; a < 2; a++) {
		const struct mint_image_arch_packages *ap = &f.pkgs.archs[a];
		assert_int_equal(ap->n, 2);
		assert_string_equal(ap->pkgs[0].pkg.info.name, "lib");
		assert_string_equal(ap->pkgs[1].pkg.info.name, "app");
		assert_string_equal(ap->pkgs[1].pkg.info.arch, a ? "aarch64" : "x86_64");
		assert_non_null(strstr(ap->pkgs[1].url, a ? "/aarch64/app-1.0-r0.apk"
							  : "/x86_64/app-1.0-r0.apk"));
		/* the installed file is the cache's, not the repository's */
		assert_true(strncmp(ap->pkgs[1].path, f.cache_dir, strlen(f.cache_dir)) == 0);
		assert_null(ap->pkgs[1].tag);
	}
	assert_int_equal(f.pkgs.n_keys, 1);
	assert_string_equal(f.pkgs.keys[0].name, f.key_path);
	assert_int_equal(f.pkgs.keyring.n, 1);
	fixture_close(&f);
}

static void test_packages_resolve_unsatisfiable_world_keeps_explanation(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_err err = { 0 };
	fixture_open(&f);
	assert_ok(mint_image_config_append_packages(&f.cfg, (const char *[]){ "no-such-pkg" }, 1,
						    &err), &err);
	assert_int_equal(mint_image_packages_resolve(&f.cfg, &f.so, &f.pkgs, &err), MINT_ENOTFOUND);
	assert_non_null(f.pkgs.explanation);
	assert_non_null(strstr(f.pkgs.explanation, "no-such-pkg"));
	fixture_close(&f);
}

static void test_packages_resolve_refuses_keyring_url(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_err err = { 0 };
	fixture_open(&f);
	assert_ok(mint_image_config_append_keyring(
			  &f.cfg, (const char *[]){ "https://example.org/key.rsa.pub" }, 1, &err),
		  &err);
	assert_int_equal(mint_image_packages_resolve(&f.cfg, &f.so, &f.pkgs, &err),
			 MINT_EUNSUPPORTED);
	assert_msg(&err, "keyring URLs are not supported");
	fixture_close(&f);
}

static void test_packages_from_lock_installs_what_resolve_did(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_lock lock;
	struct mint_err err = { 0 };
	fixture_open(&f);
	lock_of_resolved(&f, &lock);
	assert_int_equal(lock.n_packages, 4);
	assert_ok(mint_image_packages_from_lock(&f.cfg, &lock, &f.so, &f.pkgs, &err), &err);
	for (size_t a = 0; a < 2; a++) {
		const struct mint_image_arch_packages *ap = &f.pkgs.archs[a];
		assert_int_equal(ap->n, 2);
		assert_string_equal(ap->pkgs[0].pkg.info.name, "lib");
		assert_string_equal(ap->pkgs[1].pkg.info.name, "app");
		assert_string_equal(ap->pkgs[1].lock_url, lock.packages[2 * a + 1].url);
	}
	mint_lock_free(&lock);
	fixture_close(&f);
}

static void test_packages_from_lock_without_checksum_uses_control_sha1(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_lock lock;
	struct mint_err err = { 0 };
	fixture_open(&f);
	lock_of_resolved(&f, &lock);
	/* locks written before apko 0.13 carry no package checksum */
	for (size_t i = 0; i < lock.n_packages; i++)
		lock.packages[i].checksum[0] = '\0';
	assert_ok(mint_image_packages_from_lock(&f.cfg, &lock, &f.so, &f.pkgs, &err), &err);
	assert_int_equal(f.pkgs.archs[0].n, 2);
	assert_string_equal(f.pkgs.archs[0].pkgs[1].pkg.info.name, "app");
	mint_lock_free(&lock);
	fixture_close(&f);
}

static void test_packages_from_lock_refuses_entry_that_cannot_be_identified(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_lock lock;
	struct mint_err err = { 0 };
	fixture_open(&f);
	lock_of_resolved(&f, &lock);
	lock.packages[3].checksum[0] = '\0';
	snprintf(lock.packages[3].control.checksum, sizeof(lock.packages[3].control.checksum),
		 "sha256-%s", "AAAA");
	assert_int_equal(mint_image_packages_from_lock(&f.cfg, &lock, &f.so, &f.pkgs, &err),
			 MINT_EFORMAT);
	assert_msg(&err, "app-1.0-r0 (aarch64)");
	assert_msg(&err, "identify");
	mint_lock_free(&lock);
	fixture_close(&f);
}

static void test_packages_from_lock_refuses_config_checksum_mismatch(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_lock lock;
	struct mint_err err = { 0 };
	fixture_open(&f);
	lock_of_resolved(&f, &lock);
	/* the same config with one more line has another checksum */
	char old[64];
	memcpy(old, f.cfg.checksum, sizeof(old));
	load_config(&f, "x86_64, aarch64", "cmd: /bin/true\n");
	assert_string_not_equal(old, f.cfg.checksum);
	assert_int_equal(mint_image_packages_from_lock(&f.cfg, &lock, &f.so, &f.pkgs, &err),
			 MINT_EINVAL);
	assert_msg(&err, "config changed since the lock was written");
	assert_msg(&err, old);
	mint_lock_free(&lock);
	fixture_close(&f);
}

static void test_packages_from_lock_refuses_missing_arch(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_lock lock;
	struct mint_err err = { 0 };
	fixture_open(&f);
	lock_of_resolved(&f, &lock);
	/* the lock of this very config, its aarch64 packages dropped */
	assert_int_equal(lock.n_packages, 4);
	for (size_t i = 2; i < 4; i++) {
		assert_string_equal(lock.packages[i].architecture, "aarch64");
		mint_lock_package_free(&lock.packages[i]);
	}
	lock.n_packages = 2;
	assert_int_equal(mint_image_packages_from_lock(&f.cfg, &lock, &f.so, &f.pkgs, &err),
			 MINT_ENOTFOUND);
	assert_msg(&err, "no packages for aarch64");
	mint_lock_free(&lock);
	fixture_close(&f);
}

static void test_packages_from_lock_refuses_entry_whose_bytes_differ(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_lock lock;
	struct mint_err err = { 0 };
	fixture_open(&f);
	lock_of_resolved(&f, &lock);
	/* the data member recorded for x86_64's app is not the one served */
	struct mint_lock_package *e = &lock.packages[1];
	assert_string_equal(e->name, "app");
	assert_string_equal(e->architecture, "x86_64");
	e->data.checksum[strlen("sha256-")] ^= 1;
	assert_int_equal(mint_image_packages_from_lock(&f.cfg, &lock, &f.so, &f.pkgs, &err),
			 MINT_EINTEGRITY);
	assert_msg(&err, "app-1.0-r0 (x86_64)");
	mint_lock_free(&lock);
	fixture_close(&f);
}

static void test_packages_from_lock_refuses_repository_file_that_changed(void **state)
{
	(void)state;
	static const struct test_file other_files[] = {
		{ .name = "usr", .type = MINT_TAR_DIR },
		{ .name = "usr/bin", .type = MINT_TAR_DIR },
		{ .name = "usr/bin/app", .content = "#!/bin/sh\necho replaced\n" },
	};
	const struct test_apk other = { .pkginfo = PKGINFO("app", "x86_64", DEPENDS_LIB),
					.files = other_files, .n_files = 3 };
	struct fixture f;
	struct mint_lock lock;
	struct mint_err err = { 0 };
	fixture_open(&f);
	lock_of_resolved(&f, &lock);
	/* same name and version, other bytes, fetched into an empty cache */
	char arch_dir[4200];
	snprintf(arch_dir, sizeof(arch_dir), "%s/x86_64", f.repo);
	struct mint_image_install replaced;
	repo_install_from(arch_dir, &other, &replaced);
	repo_install_free(&replaced);
	mint_apk_cache_close(&f.cache);
	cleanup_tmpdir(f.cache_dir);
	f.cache_dir = make_tmpdir();
	assert_ok(mint_apk_cache_open(&f.cache, f.cache_dir, &err), &err);
	int rc = mint_image_packages_from_lock(&f.cfg, &lock, &f.so, &f.pkgs, &err);
	assert_true(rc == MINT_EINTEGRITY || rc == MINT_EFORMAT);
	assert_msg(&err, "app");
	mint_lock_free(&lock);
	fixture_close(&f);
}

static void test_packages_resolve_warm_cache_reads_hits_and_refetches_a_corrupt_one(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f);
	resolve_ok(&f);
	assert_int_equal(f.cache.stats.packages_downloaded, 4);
	char *path = strdup(f.pkgs.archs[0].pkgs[1].path);
	mint_image_packages_free(&f.pkgs);
	assert_int_equal(truncate(path, 64), 0);
	resolve_ok(&f);
	assert_int_equal(f.cache.stats.packages_cached, 3);
	assert_int_equal(f.cache.stats.entries_discarded, 1);
	assert_int_equal(f.cache.stats.packages_downloaded, 5);
	assert_string_equal(f.pkgs.archs[0].pkgs[1].pkg.info.name, "app");
	assert_string_equal(f.pkgs.archs[0].pkgs[1].path, path);
	free(path);
	fixture_close(&f);
}

/* The kept stream of ins: a file of exactly the data member's inflated bytes. */
static void assert_kept_stream(const struct mint_image_install *ins)
{
	struct mint_buf file = MINT_BUF_INIT, tar = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	size_t used;
	assert_true(ins->has_data_fd);
	assert_true(ins->data_fd >= 0);
	assert_ok(mint_file_read(ins->path, 1u << 24, &file, &err), &err);
	const struct mint_apk_range *m = &ins->pkg.data_member;
	assert_ok(mint_gunzip_member(MINT_SPAN(file.data + m->offset, m->size), NULL, &tar, &used,
				     &err), &err);
	assert_int_equal(tar.len, ins->pkg.data_tar_bytes);
	char *kept = malloc(tar.len + 1);
	assert_non_null(kept);
	assert_int_equal(pread(ins->data_fd, kept, tar.len + 1, 0), (ssize_t)tar.len);
	assert_memory_equal(kept, tar.data, tar.len);
	free(kept);
	mint_buf_free(&tar);
	mint_buf_free(&file);
}

static void assert_dir_empty(const char *path)
{
	DIR *dir = opendir(path);
	assert_non_null(dir);
	struct dirent *e;
	while ((e = readdir(dir)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			fail_msg("%s left in %s", e->d_name, path);
	closedir(dir);
}

static void test_packages_keep_data_keeps_each_verified_stream_in_an_unlinked_file(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f);
	resolve_ok(&f); /* cold: fetched, then read */
	for (size_t a = 0; a < 2; a++)
		for (size_t i = 0; i < 2; i++)
			assert_false(f.pkgs.archs[a].pkgs[i].has_data_fd);
	mint_image_packages_free(&f.pkgs);
	char *tmp = make_tmpdir();
	f.so.keep_data = true;
	f.so.tmpdir = tmp;
	resolve_ok(&f); /* warm */
	for (size_t a = 0; a < 2; a++)
		for (size_t i = 0; i < 2; i++)
			assert_kept_stream(&f.pkgs.archs[a].pkgs[i]);
	assert_dir_empty(tmp);
	int fd = f.pkgs.archs[0].pkgs[0].data_fd;
	mint_image_packages_free(&f.pkgs);
	assert_int_equal(fcntl(fd, F_GETFD), -1); /* closed with the packages */
	cleanup_tmpdir(tmp);
	fixture_close(&f);
}

static void test_packages_keep_data_from_lock_and_after_a_refetch(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_lock lock;
	struct mint_err err = { 0 };
	fixture_open(&f);
	lock_of_resolved(&f, &lock);
	/* a corrupt cache entry: its read fails, it is fetched and read again */
	struct mint_buf path = MINT_BUF_INIT;
	assert_ok(mint_apk_cache_package_path(&f.cache, lock.packages[0].checksum, &path, &err),
		  &err);
	assert_int_equal(truncate(mint_buf_cstr(&path), 200), 0);
	f.so.keep_data = true;
	assert_ok(mint_image_packages_from_lock(&f.cfg, &lock, &f.so, &f.pkgs, &err), &err);
	assert_int_equal(f.cache.stats.entries_discarded, 1);
	for (size_t a = 0; a < 2; a++)
		for (size_t i = 0; i < 2; i++)
			assert_kept_stream(&f.pkgs.archs[a].pkgs[i]);
	mint_buf_free(&path);
	mint_lock_free(&lock);
	fixture_close(&f);
}

static void test_packages_keep_data_unusable_tmpdir_fails_and_keeps_the_cache(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_err err = { 0 };
	fixture_open(&f);
	resolve_ok(&f);
	mint_image_packages_free(&f.pkgs);
	unsigned downloaded = f.cache.stats.packages_downloaded;
	char missing[4200];
	snprintf(missing, sizeof(missing), "%s/no-such-dir", f.dir);
	f.so.keep_data = true;
	f.so.tmpdir = missing;
	assert_int_equal(mint_image_packages_resolve(&f.cfg, &f.so, &f.pkgs, &err), MINT_EIO);
	assert_msg(&err, "no-such-dir");
	/* not the package's fault: nothing discarded, nothing fetched again */
	assert_int_equal(f.cache.stats.entries_discarded, 0);
	assert_int_equal(f.cache.stats.packages_downloaded, downloaded);
	fixture_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_packages_resolve_reads_every_arch_in_install_order),
		cmocka_unit_test(test_packages_resolve_unsatisfiable_world_keeps_explanation),
		cmocka_unit_test(test_packages_resolve_refuses_keyring_url),
		cmocka_unit_test(test_packages_resolve_warm_cache_reads_hits_and_refetches_a_corrupt_one),
		cmocka_unit_test(test_packages_from_lock_installs_what_resolve_did),
		cmocka_unit_test(test_packages_from_lock_without_checksum_uses_control_sha1),
		cmocka_unit_test(test_packages_from_lock_refuses_entry_that_cannot_be_identified),
		cmocka_unit_test(test_packages_from_lock_refuses_config_checksum_mismatch),
		cmocka_unit_test(test_packages_from_lock_refuses_missing_arch),
		cmocka_unit_test(test_packages_from_lock_refuses_entry_whose_bytes_differ),
		cmocka_unit_test(test_packages_from_lock_refuses_repository_file_that_changed),
		cmocka_unit_test(test_packages_keep_data_keeps_each_verified_stream_in_an_unlinked_file),
		cmocka_unit_test(test_packages_keep_data_from_lock_and_after_a_refetch),
		cmocka_unit_test(test_packages_keep_data_unusable_tmpdir_fails_and_keeps_the_cache),
	};
	return tests_exit(cmocka_run_group_tests(tests, setup, teardown));
}
