/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/pkgbuild/build.c: mint_pkg_build with the host runner on small
 * recipes in a temporary directory. The package and its subpackages land
 * in out/<arch>/ beside an index; a subpackage whose `if:` is false is
 * skipped; a recipe or --arch for another architecture is refused before
 * anything runs; and a build that fails leaves no package, index,
 * staging directory or workspace behind. Skipped where bwrap cannot make
 * namespaces.
 */
#include "pkgbuild_fixture.h"

static const char hello_yaml[] =
	"package:\n"
	"  name: hello\n"
	"  version: 1.0.0\n"
	"  epoch: 2\n"
	"  description: a test package\n"
	"  copyright:\n"
	"    - license: Apache-2.0\n"
	"pipeline:\n"
	"  - runs: |\n"
	"      mkdir -p \"${{targets.destdir}}/usr/share/hello\"\n"
	"      cp data.txt \"${{targets.destdir}}/usr/share/hello/\"\n"
	"subpackages:\n"
	"  - name: hello-doc\n"
	"    pipeline:\n"
	"      - runs: |\n"
	"          mkdir -p \"${{targets.subpkgdir}}/usr/share/doc\"\n"
	"          echo doc > \"${{targets.subpkgdir}}/usr/share/doc/hello\"\n"
	"  - name: hello-never\n"
	"    if: ${{build.arch}} == 'no-such-arch'\n"
	"    pipeline:\n"
	"      - name: must not run\n"
	"        runs: exit 1\n";

static void open_hello(struct pb_fixture *f)
{
	pb_need_sandbox();
	pb_open(f, "hello", hello_yaml);
	pb_write(f->dir, "recipes/hello/data.txt", "payload\n");
}

/* Nothing of a failed build is left: no package, index or staging
 * directory in out/<arch>/, no workspace in tmpdir. */
static void assert_nothing_left(const struct pb_fixture *f)
{
	assert_int_equal(pb_count(f->arch_dir, "", ".apk"), 0);
	assert_int_equal(pb_count(f->arch_dir, "APKINDEX", ""), 0);
	assert_int_equal(pb_count(f->arch_dir, ".mint-staging-", ""), 0);
	assert_int_equal(pb_count(f->tmp, "", ""), 0);
	assert_int_equal(f->res.n_apks, 0);
	assert_null(f->res.index);
}

static void test_pkg_build_writes_package_and_subpackage_into_out_arch_with_an_index(void **state)
{
	(void)state;
	struct pb_fixture f;
	char want[1300];
	open_hello(&f);
	assert_ok(mint_pkg_build(&f.o, &f.res, &f.err), &f.err);
	assert_int_equal(f.res.n_apks, 2);
	snprintf(want, sizeof(want), "%s/hello-1.0.0-r2.apk", f.arch_dir);
	assert_string_equal(f.res.apks[0], want);
	snprintf(want, sizeof(want), "%s/hello-doc-1.0.0-r2.apk", f.arch_dir);
	assert_string_equal(f.res.apks[1], want);
	snprintf(want, sizeof(want), "%s/APKINDEX.tar.gz", f.arch_dir);
	assert_string_equal(f.res.index, want);
	assert_true(pb_exists(f.arch_dir, "hello-1.0.0-r2.apk"));
	assert_true(pb_exists(f.arch_dir, "hello-doc-1.0.0-r2.apk"));
	assert_true(pb_exists(f.arch_dir, "APKINDEX.tar.gz"));
	assert_int_equal(pb_count(f.out, "", ""), 1);
	assert_int_equal(pb_count(f.arch_dir, ".mint-staging-", ""), 0);
	assert_int_equal(pb_count(f.tmp, "", ""), 0);
	assert_non_null(strstr((char *)f.log.data, "running the pipelines of hello\n"));
	assert_non_null(strstr((char *)f.log.data, "running the pipelines of hello-doc\n"));
	assert_non_null(strstr((char *)f.log.data, "copying "));
	pb_close(&f);
}

static void test_pkg_build_skips_subpackage_whose_if_is_false(void **state)
{
	(void)state;
	struct pb_fixture f;
	open_hello(&f);
	assert_ok(mint_pkg_build(&f.o, &f.res, &f.err), &f.err);
	assert_false(pb_exists(f.arch_dir, "hello-never-1.0.0-r2.apk"));
	assert_int_equal(pb_count(f.arch_dir, "hello-never", ""), 0);
	for (size_t i = 0; i < f.res.n_apks; i++)
		assert_null(strstr(f.res.apks[i], "hello-never"));
	assert_non_null(strstr((char *)f.log.data, "skipping subpackage hello-never"));
	assert_null(strstr((char *)f.log.data, "must not run"));
	pb_close(&f);
}

static void test_pkg_build_target_architecture_without_this_arch_is_unsupported(void **state)
{
	(void)state;
	struct pb_fixture f;
	char yaml[512];
	snprintf(yaml, sizeof(yaml),
		 "package:\n  name: elsewhere\n  version: 1\n  epoch: 0\n"
		 "  target-architecture: [%s]\n"
		 "pipeline:\n  - runs: touch \"${{targets.destdir}}/x\"\n",
		 pb_other_arch());
	pb_open(&f, "elsewhere", yaml);
	assert_int_equal(mint_pkg_build(&f.o, &f.res, &f.err), MINT_EUNSUPPORTED);
	assert_non_null(strstr(f.err.msg, "target-architecture"));
	assert_non_null(strstr(f.err.msg, "elsewhere"));
	assert_non_null(strstr(f.err.msg, f.arch));
	assert_false(pb_exists(f.dir, "out"));
	assert_nothing_left(&f);
	pb_close(&f);
}

static void test_pkg_build_target_architecture_all_builds_here(void **state)
{
	(void)state;
	struct pb_fixture f;
	pb_need_sandbox();
	pb_open(&f, "anywhere",
		"package:\n  name: anywhere\n  version: 1\n  epoch: 0\n"
		"  target-architecture: [all]\n"
		"pipeline:\n  - runs: touch \"${{targets.destdir}}/x\"\n");
	assert_ok(mint_pkg_build(&f.o, &f.res, &f.err), &f.err);
	assert_true(pb_exists(f.arch_dir, "anywhere-1-r0.apk"));
	pb_close(&f);
}

static void test_pkg_build_arch_of_another_machine_is_refused(void **state)
{
	(void)state;
	struct pb_fixture f;
	pb_open(&f, "hello", hello_yaml);
	f.o.arch = pb_other_arch();
	assert_int_equal(mint_pkg_build(&f.o, &f.res, &f.err), MINT_EUNSUPPORTED);
	assert_non_null(strstr(f.err.msg, "cross-architecture"));
	assert_non_null(strstr(f.err.msg, pb_other_arch()));
	assert_false(pb_exists(f.dir, "out"));
	assert_nothing_left(&f);
	f.o.arch = "pdp11";
	assert_int_equal(mint_pkg_build(&f.o, &f.res, &f.err), MINT_EINVAL);
	assert_non_null(strstr(f.err.msg, "pdp11"));
	pb_close(&f);
}

static void test_pkg_build_arch_naming_this_machine_is_accepted(void **state)
{
	(void)state;
	struct pb_fixture f;
	open_hello(&f);
	f.o.arch = f.arch;
	assert_ok(mint_pkg_build(&f.o, &f.res, &f.err), &f.err);
	assert_int_equal(f.res.n_apks, 2);
	pb_close(&f);
}

static void test_pkg_build_failing_step_leaves_nothing_behind(void **state)
{
	(void)state;
	struct pb_fixture f;
	pb_need_sandbox();
	pb_open(&f, "failing",
		"package: { name: failing, version: 1.0.0, epoch: 0 }\n"
		"pipeline:\n"
		"  - runs: touch \"${{targets.destdir}}/ok\"\n"
		"subpackages:\n"
		"  - name: failing-sub\n"
		"    pipeline:\n"
		"      - name: the step that breaks\n"
		"        runs: |\n"
		"          echo \"about to fail: boom\"\n"
		"          exit 3\n");
	assert_int_equal(mint_pkg_build(&f.o, &f.res, &f.err), MINT_EIO);
	assert_non_null(strstr(f.err.msg, "'the step that breaks'"));
	assert_non_null(strstr(f.err.msg, "exit status 3"));
	assert_non_null(strstr(f.res.tail, "about to fail: boom"));
	assert_nothing_left(&f);
	pb_close(&f);
}

static void test_pkg_build_failing_emit_leaves_no_staging_and_keeps_old_packages(void **state)
{
	(void)state;
	struct pb_fixture f;
	open_hello(&f);
	f.o.no_index = true;
	assert_ok(mint_pkg_build(&f.o, &f.res, &f.err), &f.err);
	mint_pkg_build_result_free(&f.res);
	/* The subpackage's tree holds a fifo, which no package may carry: the
	 * main package was already staged when its write fails. */
	pb_write(f.dir, "recipes/other.yaml",
		 "package: { name: other, version: 2.0.0, epoch: 0 }\n"
		 "pipeline:\n"
		 "  - runs: touch \"${{targets.destdir}}/ok\"\n"
		 "subpackages:\n"
		 "  - name: other-fifo\n"
		 "    pipeline:\n"
		 "      - runs: mkfifo \"${{targets.subpkgdir}}/pipe\"\n");
	char recipe[1200];
	snprintf(recipe, sizeof(recipe), "%s/recipes/other.yaml", f.dir);
	f.o.recipe_path = recipe;
	f.o.no_index = false;
	assert_int_equal(mint_pkg_build(&f.o, &f.res, &f.err), MINT_EUNSUPPORTED);
	assert_non_null(strstr(f.err.msg, "other-fifo"));
	assert_non_null(strstr(f.err.msg, "fifo"));
	assert_int_equal(pb_count(f.arch_dir, "other", ""), 0);
	assert_int_equal(pb_count(f.arch_dir, "APKINDEX", ""), 0);
	assert_int_equal(pb_count(f.arch_dir, ".mint-staging-", ""), 0);
	assert_int_equal(pb_count(f.arch_dir, "", ".apk"), 2);
	assert_int_equal(pb_count(f.tmp, "", ""), 0);
	pb_close(&f);
}

static void test_pkg_build_missing_recipe_is_an_error_leaving_nothing(void **state)
{
	(void)state;
	struct pb_fixture f;
	char missing[1200];
	pb_open(&f, "present", "package: { name: present, version: 1, epoch: 0 }\n");
	snprintf(missing, sizeof(missing), "%s/recipes/absent.yaml", f.dir);
	f.o.recipe_path = missing;
	assert_true(mint_pkg_build(&f.o, &f.res, &f.err) < 0);
	char text[2048];
	mint_err_format(&f.err, text, sizeof(text));
	assert_non_null(strstr(text, "absent.yaml"));
	assert_false(pb_exists(f.dir, "out"));
	assert_nothing_left(&f);
	pb_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pkg_build_writes_package_and_subpackage_into_out_arch_with_an_index),
		cmocka_unit_test(test_pkg_build_skips_subpackage_whose_if_is_false),
		cmocka_unit_test(test_pkg_build_target_architecture_without_this_arch_is_unsupported),
		cmocka_unit_test(test_pkg_build_target_architecture_all_builds_here),
		cmocka_unit_test(test_pkg_build_arch_of_another_machine_is_refused),
		cmocka_unit_test(test_pkg_build_arch_naming_this_machine_is_accepted),
		cmocka_unit_test(test_pkg_build_failing_step_leaves_nothing_behind),
		cmocka_unit_test(test_pkg_build_failing_emit_leaves_no_staging_and_keeps_old_packages),
		cmocka_unit_test(test_pkg_build_missing_recipe_is_an_error_leaving_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
