/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/image/assemble.c: the rootfs of one arch from packages read by hand
 * (tests/repobuild.h) and a config parsed from YAML: /etc/apk, accounts
 * and home directories, /etc/apko.json, the created time, owner names,
 * and the bad inputs that must stop the build with a message that says
 * what and where.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "mint/image_build.h"
#include "mint/image_rootfs.h"
#include "repobuild.h"

#define PKGINFO(name, ver, date) \
	"pkgname = " name "\npkgver = " ver "\narch = x86_64\nbuilddate = " date "\n"
#define PKGINFO_1(name) PKGINFO(name, "1-r0", "1")

static const struct test_file first_files[] = {
	{ .name = "etc", .type = MINT_TAR_DIR },
	{ .name = "etc/hello", .content = "hello\n" },
	{ .name = "usr", .type = MINT_TAR_DIR },
	{ .name = "usr/bin", .type = MINT_TAR_DIR },
	{ .name = "usr/bin/app", .content = "#!/bin/sh\necho app\n" },
};

static const struct test_file second_files[] = {
	{ .name = "usr", .type = MINT_TAR_DIR },
	{ .name = "usr/share", .type = MINT_TAR_DIR },
	{ .name = "usr/share/doc", .content = "docs\n" },
};

static const struct test_apk good[] = {
	{ .pkginfo = PKGINFO("first", "1-r0", "1700000100"), .files = first_files, .n_files = 5 },
	{ .pkginfo = PKGINFO("second", "2-r0", "1700000200"), .files = second_files,
	  .n_files = 3 },
};

static const char good_yaml[] =
	"contents:\n"
	"  repositories: [https://example.org/main, '@edge https://example.org/edge']\n"
	"  build_repositories: [https://example.org/build-only]\n"
	"  runtime_repositories: [https://example.org/runtime]\n"
	"  packages: [first, second]\n"
	"accounts:\n"
	"  run-as: app\n"
	"  users: [{username: app, uid: 1000}]\n"
	"  groups: [{groupname: app, gid: 1000, members: [app]}]\n"
	"archs: [x86_64]\n";

struct fixture {
	char *dir;
	struct mint_image_config cfg;
	struct mint_image_packages pkgs;
	struct mint_image_rootfs_opts opts;
	struct mint_image_rootfs root;
};

static void fixture_open(struct fixture *f, const char *yaml, const struct test_apk *specs,
			 size_t n)
{
	struct mint_err err = { 0 };
	memset(f, 0, sizeof(*f));
	f->dir = make_tmpdir();
	f->opts.tmpdir = f->dir;
	assert_ok(mint_image_config_parse(mint_span_str(yaml), "test.yaml", NULL, &f->cfg, &err),
		  &err);
	assert_ok(mint_image_config_apply_defaults(&f->cfg, &err), &err);
	repo_packages_add_arch(&f->pkgs, f->dir, MINT_ARCH_AMD64, specs, n);
}

static void fixture_close(struct fixture *f)
{
	mint_image_rootfs_free(&f->root);
	mint_image_packages_free(&f->pkgs);
	mint_image_config_free(&f->cfg);
	cleanup_tmpdir(f->dir);
}

static void build_ok(struct fixture *f)
{
	struct mint_err err = { 0 };
	assert_ok(mint_image_rootfs_build(&f->cfg, &f->pkgs, 0, &f->opts, &f->root, &err), &err);
}

/* The rootfs build fails with code; the message names every needle. */
static void build_fails(struct fixture *f, int code, const char *const *needles)
{
	struct mint_err err = { 0 };
	char text[2048];
	int rc = mint_image_rootfs_build(&f->cfg, &f->pkgs, 0, &f->opts, &f->root, &err);
	mint_err_format(&err, text, sizeof(text));
	if (rc != code)
		fail_msg("got %d (%s), want %d", rc, text, code);
	for (size_t i = 0; needles[i]; i++)
		if (!strstr(text, needles[i]))
			fail_msg("error '%s' does not say '%s'", text, needles[i]);
	assert_null(f->root.plan);
	assert_null(f->root.data);
}

static void assert_file(struct fixture *f, const char *path, const char *want)
{
	struct mint_buf got = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_read_file(f->root.plan, path, &f->root.reader, 1 << 20, &got,
					    &err), &err);
	if (got.len != strlen(want) || memcmp(got.data, want, got.len))
		fail_msg("%s is '%.*s', want '%s'", path, (int)got.len, got.data, want);
	mint_buf_free(&got);
}

static const struct mint_plan_node *node(struct fixture *f, const char *path)
{
	const struct mint_plan_node *n = mint_image_plan_lookup(f->root.plan, path);
	if (!n)
		fail_msg("%s is not in the rootfs", path);
	return n;
}

static void test_rootfs_apk_etc_world_repositories_arch_and_keys(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f, good_yaml, good, 2);
	f.pkgs.archs[0].pkgs[1].tag = strdup("edge");
	repo_packages_add_key(&f.pkgs, "keys/b.rsa.pub", "-----B-----\n");
	repo_packages_add_key(&f.pkgs, "/somewhere/a.rsa.pub", "-----A-----\n");
	build_ok(&f);
	assert_file(&f, "etc/apk/world", "first=1-r0\nsecond@edge=2-r0\n");
	/* the image's repositories and runtime repositories, never the build's */
	assert_file(&f, "etc/apk/repositories",
		    "@edge https://example.org/edge\nhttps://example.org/main\n"
		    "https://example.org/runtime\n");
	assert_file(&f, "etc/apk/arch", "x86_64\n");
	assert_file(&f, "etc/apk/keys/a.rsa.pub", "-----A-----\n");
	assert_file(&f, "etc/apk/keys/b.rsa.pub", "-----B-----\n");
	/* the packages' own files are there, read through the package data */
	assert_file(&f, "usr/bin/app", "#!/bin/sh\necho app\n");
	assert_file(&f, "usr/share/doc", "docs\n");
	fixture_close(&f);
}

static void test_rootfs_accounts_and_home_owned_by_the_user(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f, good_yaml, good, 2);
	build_ok(&f);
	assert_file(&f, "etc/passwd",
		    "app:x:1000:1000:Account created by apko:/home/app:/bin/sh\n");
	assert_file(&f, "etc/group", "app:x:1000:app\n");
	const struct mint_plan_node *home = node(&f, "home/app");
	assert_int_equal(home->type, MINT_TAR_DIR);
	assert_int_equal(home->mode, 0700);
	assert_int_equal(home->uid, 1000);
	assert_int_equal(home->gid, 1000);
	const struct mint_plan_node *parent = node(&f, "home");
	assert_int_equal(parent->mode, 0755);
	assert_int_equal(parent->uid, 0);
	fixture_close(&f);
}

static void test_rootfs_apko_json_is_the_locked_config(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_image_config locked;
	struct mint_buf want = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	fixture_open(&f, good_yaml, good, 2);
	build_ok(&f);
	assert_ok(mint_image_locked_config(&f.cfg, &f.pkgs.archs[0], &locked, &err), &err);
	assert_int_equal(mint_image_config_to_json(&locked, &want), 0);
	assert_file(&f, "etc/apko.json", mint_buf_cstr(&want));
	assert_int_equal(f.root.locked_config.len, want.len);
	assert_memory_equal(f.root.locked_config.data, want.data, want.len);
	assert_int_equal(node(&f, "etc/apko.json")->mode, 0444);
	/* what the locked config pins */
	assert_int_equal(locked.contents.packages.n, 2);
	assert_string_equal(locked.contents.packages.v[0], "first=1-r0");
	assert_string_equal(locked.contents.packages.v[1], "second=2-r0");
	assert_int_equal(locked.n_archs, 1);
	assert_int_equal(locked.archs[0], MINT_ARCH_AMD64);
	mint_image_config_free(&locked);
	mint_buf_free(&want);
	fixture_close(&f);
}

static void test_rootfs_created_is_latest_of_build_date_and_package_times(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f, good_yaml, good, 2);
	build_ok(&f);
	assert_int_equal(f.root.created, 1700000200);
	mint_image_rootfs_free(&f.root);
	f.opts.build_date = 1800000000;
	build_ok(&f);
	assert_int_equal(f.root.created, 1800000000);
	fixture_close(&f);
}

static void test_rootfs_created_is_source_date_epoch_exactly(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f, good_yaml, good, 2);
	f.opts.build_date = 1600000000;
	f.opts.source_date_epoch = true;
	build_ok(&f);
	assert_int_equal(f.root.created, 1600000000);
	fixture_close(&f);
}

static void test_rootfs_owner_names_come_only_from_the_image_passwd(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f, good_yaml, good, 2);
	build_ok(&f);
	const struct mint_plan_node *home = node(&f, "home/app");
	assert_string_equal(home->uname, "app");
	assert_string_equal(home->gname, "app");
	/* the package's tar said root, but the image's passwd has no uid 0 */
	const struct mint_plan_node *hello = node(&f, "etc/hello");
	assert_int_equal(hello->uid, 0);
	assert_string_equal(hello->uname, "");
	assert_string_equal(hello->gname, "");
	fixture_close(&f);
}

static void test_rootfs_unknown_arch_index_is_refused(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_err err = { 0 };
	fixture_open(&f, good_yaml, good, 2);
	assert_int_equal(mint_image_rootfs_build(&f.cfg, &f.pkgs, 1, &f.opts, &f.root, &err),
			 MINT_EINVAL);
	assert_null(f.root.plan);
	fixture_close(&f);
}

/* ---- bad input ---- */

static const struct test_file escaper_files[] = {
	{ .name = "usr", .type = MINT_TAR_DIR },
	{ .name = "usr/share", .type = MINT_TAR_DIR },
	{ .name = "usr/share/up", .type = MINT_TAR_SYMLINK, .link = "../../.." },
	{ .name = "usr/share/up/pwned", .content = "outside\n" },
};

static const struct test_file claim_a_files[] = {
	{ .name = "usr", .type = MINT_TAR_DIR },
	{ .name = "usr/share", .type = MINT_TAR_DIR },
	{ .name = "usr/share/claimed", .content = "a\n" },
};

static const struct test_file claim_b_files[] = {
	{ .name = "usr", .type = MINT_TAR_DIR },
	{ .name = "usr/share", .type = MINT_TAR_DIR },
	{ .name = "usr/share/claimed", .content = "b\n" },
};

static void test_rootfs_file_through_symlink_escaping_root_is_refused(void **state)
{
	(void)state;
	struct fixture f;
	const struct test_apk specs[] = {
		{ .pkginfo = PKGINFO_1("escaper"), .files = escaper_files, .n_files = 4 },
	};
	fixture_open(&f, "archs: [x86_64]\n", specs, 1);
	build_fails(&f, MINT_EUNSAFE,
		    (const char *[]){ "escaper", "usr/share/up", "symlink escapes the root",
				      NULL });
	fixture_close(&f);
}

static void test_rootfs_two_packages_claiming_one_file_is_refused_naming_both(void **state)
{
	(void)state;
	struct fixture f;
	const struct test_apk specs[] = {
		{ .pkginfo = PKGINFO_1("claim-a"), .files = claim_a_files, .n_files = 3 },
		{ .pkginfo = PKGINFO_1("claim-b"), .files = claim_b_files, .n_files = 3 },
	};
	fixture_open(&f, "archs: [x86_64]\n", specs, 2);
	build_fails(&f, MINT_EDUPLICATE,
		    (const char *[]){ "x86_64", "usr/share/claimed", "claim-a", "claim-b", NULL });
	fixture_close(&f);
}

static void test_rootfs_replaces_lets_the_later_package_own_the_file(void **state)
{
	(void)state;
	struct fixture f;
	const struct test_apk specs[] = {
		{ .pkginfo = PKGINFO_1("claim-a"), .files = claim_a_files, .n_files = 3 },
		{ .pkginfo = PKGINFO_1("claim-b") "replaces = claim-a\n",
		  .files = claim_b_files, .n_files = 3 },
	};
	fixture_open(&f, "archs: [x86_64]\n", specs, 2);
	build_ok(&f);
	assert_file(&f, "usr/share/claimed", "b\n");
	fixture_close(&f);
}

static void test_rootfs_paths_mutation_onto_missing_parent_is_refused(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f,
		     "paths: [{path: /no/such/dir/file, type: permissions, permissions: 0o600}]\n"
		     "archs: [x86_64]\n", good, 2);
	build_fails(&f, MINT_ENOTFOUND,
		    (const char *[]){ "paths[0]", "/no/such/dir/file", "no such path", NULL });
	fixture_close(&f);
}

static void test_rootfs_run_as_naming_no_user_is_refused(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f,
		     "accounts:\n  run-as: nobody-here\n  users: [{username: app, uid: 1000}]\n"
		     "archs: [x86_64]\n", good, 2);
	build_fails(&f, MINT_ENOTFOUND, (const char *[]){ "accounts", "nobody-here", NULL });
	fixture_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rootfs_apk_etc_world_repositories_arch_and_keys),
		cmocka_unit_test(test_rootfs_accounts_and_home_owned_by_the_user),
		cmocka_unit_test(test_rootfs_apko_json_is_the_locked_config),
		cmocka_unit_test(test_rootfs_created_is_latest_of_build_date_and_package_times),
		cmocka_unit_test(test_rootfs_created_is_source_date_epoch_exactly),
		cmocka_unit_test(test_rootfs_owner_names_come_only_from_the_image_passwd),
		cmocka_unit_test(test_rootfs_unknown_arch_index_is_refused),
		cmocka_unit_test(test_rootfs_file_through_symlink_escaping_root_is_refused),
		cmocka_unit_test(test_rootfs_two_packages_claiming_one_file_is_refused_naming_both),
		cmocka_unit_test(test_rootfs_replaces_lets_the_later_package_own_the_file),
		cmocka_unit_test(test_rootfs_paths_mutation_onto_missing_parent_is_refused),
		cmocka_unit_test(test_rootfs_run_as_naming_no_user_is_refused),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
