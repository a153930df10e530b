/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/image/lock_make.c: the lock of packages read by hand
 * (tests/repobuild.h). Keys sorted by name, each repository list per arch
 * in config order, packages per arch in install order. That the whole lock
 * equals apko's own for apko's testdata is checked in e2e/image_build.sh.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mint/image_build.h"
#include "repobuild.h"

#define PKGINFO(name, arch) "pkgname = " name "\npkgver = 1.0-r0\narch = " arch "\n"

static const struct test_file files[] = {
	{ .name = "etc", .type = MINT_TAR_DIR },
	{ .name = "etc/thing", .content = "thing\n" },
};

static const struct test_apk x86[] = {
	{ .pkginfo = PKGINFO("base", "x86_64"), .files = files, .n_files = 2 },
	{ .pkginfo = PKGINFO("top", "x86_64"), .n_files = 0 },
};

static const struct test_apk arm[] = {
	{ .pkginfo = PKGINFO("base", "aarch64"), .files = files, .n_files = 2 },
	{ .pkginfo = PKGINFO("top", "aarch64"), .n_files = 0 },
};

static const char yaml[] =
	"contents:\n"
	"  repositories: [https://example.org/main, ./local]\n"
	"  build_repositories: [https://example.org/build]\n"
	"  runtime_repositories: ['@edge https://example.org/edge']\n"
	"  packages: [top]\n"
	"archs: [aarch64, x86_64]\n";

struct fixture {
	char *dir;
	struct mint_image_config cfg;
	struct mint_image_packages pkgs;
	struct mint_lock lock;
};

static void fixture_open(struct fixture *f)
{
	struct mint_err err = { 0 };
	memset(f, 0, sizeof(*f));
	f->dir = make_tmpdir();
	assert_ok(mint_image_config_parse(mint_span_str(yaml), "test.yaml", NULL, &f->cfg, &err),
		  &err);
	repo_packages_add_arch(&f->pkgs, f->dir, MINT_ARCH_AMD64, x86, 2);
	repo_packages_add_arch(&f->pkgs, f->dir, MINT_ARCH_ARM64, arm, 2);
	repo_packages_add_key(&f->pkgs, "z.rsa.pub", "Z\n");
	repo_packages_add_key(&f->pkgs, "https://keys.example.org/m.rsa.pub", "M\n");
	repo_packages_add_key(&f->pkgs, "./a.rsa.pub", "A\n");
}

static void fixture_close(struct fixture *f)
{
	mint_lock_free(&f->lock);
	mint_image_packages_free(&f->pkgs);
	mint_image_config_free(&f->cfg);
	cleanup_tmpdir(f->dir);
}

static void lock_ok(struct fixture *f)
{
	struct mint_err err = { 0 };
	assert_ok(mint_image_packages_lock(&f->cfg, "my.yaml", &f->pkgs, &f->lock, &err), &err);
}

static void assert_repo(const struct mint_lock_repo *r, const char *name, const char *url,
			const char *arch)
{
	assert_string_equal(r->name, name);
	assert_string_equal(r->url, url);
	assert_string_equal(r->architecture, arch);
}

static void test_lock_names_config_and_carries_its_checksum(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f);
	lock_ok(&f);
	assert_true(f.lock.has_config);
	assert_string_equal(f.lock.config_name, "my.yaml");
	assert_true(f.cfg.checksum[0] != '\0');
	assert_string_equal(f.lock.config_checksum, f.cfg.checksum);
	fixture_close(&f);
}

static void test_lock_keyring_sorted_by_name(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f);
	lock_ok(&f);
	assert_int_equal(f.lock.n_keyring, 3);
	assert_string_equal(f.lock.keyring[0].name, "./a.rsa.pub");
	assert_string_equal(f.lock.keyring[0].content, "A\n");
	/* a URL's name is without its scheme; its url stays as given */
	assert_string_equal(f.lock.keyring[1].name, "keys.example.org/m.rsa.pub");
	assert_string_equal(f.lock.keyring[1].url, "https://keys.example.org/m.rsa.pub");
	assert_string_equal(f.lock.keyring[1].content, "M\n");
	assert_string_equal(f.lock.keyring[2].name, "z.rsa.pub");
	fixture_close(&f);
}

static void test_lock_repositories_per_arch_in_config_order(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f);
	lock_ok(&f);
	/* each repository, then each arch in cfg->archs order (amd64, arm64) */
	assert_int_equal(f.lock.n_repositories, 4);
	assert_repo(&f.lock.repositories[0], "example.org/main/x86_64",
		    "https://example.org/main/x86_64/APKINDEX.tar.gz", "x86_64");
	assert_repo(&f.lock.repositories[1], "example.org/main/aarch64",
		    "https://example.org/main/aarch64/APKINDEX.tar.gz", "aarch64");
	assert_repo(&f.lock.repositories[2], "./local/x86_64", "./local/x86_64/APKINDEX.tar.gz",
		    "x86_64");
	assert_repo(&f.lock.repositories[3], "./local/aarch64", "./local/aarch64/APKINDEX.tar.gz",
		    "aarch64");
	assert_int_equal(f.lock.n_build_repositories, 2);
	assert_repo(&f.lock.build_repositories[0], "example.org/build/x86_64",
		    "https://example.org/build/x86_64/APKINDEX.tar.gz", "x86_64");
	assert_repo(&f.lock.build_repositories[1], "example.org/build/aarch64",
		    "https://example.org/build/aarch64/APKINDEX.tar.gz", "aarch64");
	/* a tagged repository loses its tag and, as in apko, keeps its scheme */
	assert_int_equal(f.lock.n_runtime_repositories, 2);
	assert_repo(&f.lock.runtime_repositories[0], "https://example.org/edge/x86_64",
		    "https://example.org/edge/x86_64/APKINDEX.tar.gz", "x86_64");
	assert_repo(&f.lock.runtime_repositories[1], "https://example.org/edge/aarch64",
		    "https://example.org/edge/aarch64/APKINDEX.tar.gz", "aarch64");
	fixture_close(&f);
}

static void test_lock_packages_per_arch_in_install_order(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f);
	lock_ok(&f);
	assert_int_equal(f.lock.n_packages, 4);
	const char *names[] = { "base", "top", "base", "top" };
	const char *archs[] = { "x86_64", "x86_64", "aarch64", "aarch64" };
	for (size_t i = 0; i < 4; i++) {
		const struct mint_lock_package *e = &f.lock.packages[i];
		const struct mint_image_install *ins = &f.pkgs.archs[i / 2].pkgs[i % 2];
		assert_string_equal(e->name, names[i]);
		assert_string_equal(e->version, "1.0-r0");
		assert_string_equal(e->architecture, archs[i]);
		assert_string_equal(e->url, ins->lock_url);
		assert_string_equal(e->checksum, ins->pkg.identity);
		/* unsigned packages: no signature member */
		assert_string_equal(e->signature.checksum, "");
		assert_int_equal(e->control.first, 0);
		assert_int_equal(e->data.last + 1, ins->pkg.file_size);
	}
	fixture_close(&f);
}

static void test_lock_writes_and_parses_back(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_buf a = MINT_BUF_INIT, b = MINT_BUF_INIT;
	struct mint_lock back;
	struct mint_err err = { 0 };
	fixture_open(&f);
	lock_ok(&f);
	assert_ok(mint_lock_write(&f.lock, &a, &err), &err);
	assert_ok(mint_lock_parse(mint_buf_span(&a), "lock", &back, &err), &err);
	assert_ok(mint_lock_write(&back, &b, &err), &err);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	mint_lock_free(&back);
	mint_buf_free(&a);
	mint_buf_free(&b);
	fixture_close(&f);
}

static void test_lock_refuses_package_file_that_changed(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_err err = { 0 };
	fixture_open(&f);
	const struct mint_image_install *ins = &f.pkgs.archs[1].pkgs[0];
	assert_int_equal(truncate(ins->path, (off_t)ins->pkg.file_size - 1), 0);
	assert_int_not_equal(mint_image_packages_lock(&f.cfg, "my.yaml", &f.pkgs, &f.lock, &err),
			     0);
	assert_int_equal(f.lock.n_packages, 0);
	assert_null(f.lock.packages);
	fixture_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock_names_config_and_carries_its_checksum),
		cmocka_unit_test(test_lock_keyring_sorted_by_name),
		cmocka_unit_test(test_lock_repositories_per_arch_in_config_order),
		cmocka_unit_test(test_lock_packages_per_arch_in_install_order),
		cmocka_unit_test(test_lock_writes_and_parses_back),
		cmocka_unit_test(test_lock_refuses_package_file_that_changed),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
