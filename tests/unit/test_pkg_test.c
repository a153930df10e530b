/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/pkgbuild/test.c: mint_pkg_test needs the build's repository, says
 * so when a recipe has no tests, and with the host runner runs each
 * (sub)package's test pipeline in a fresh workspace that is gone
 * afterwards; a failing test names its package and step.
 */
#include "pkgbuild_fixture.h"

static const char untested_yaml[] = "package: { name: plain, version: 1.0.0, epoch: 0 }\n"
				    "pipeline:\n  - runs: touch \"${{targets.destdir}}/x\"\n";

static const char tested_yaml[] =
	"package: { name: tested, version: 1.0.0, epoch: 0 }\n"
	"pipeline:\n  - runs: touch \"${{targets.destdir}}/x\"\n"
	"test:\n"
	"  pipeline:\n"
	"    - name: says hello\n"
	"      runs: |\n"
	"        echo \"main test in $(pwd)\"\n"
	"        touch left-behind\n"
	"subpackages:\n"
	"  - name: tested-sub\n"
	"    pipeline:\n      - runs: touch \"${{targets.subpkgdir}}/y\"\n"
	"    test:\n"
	"      pipeline:\n"
	"        - runs: echo \"sub test of ${{context.name}}\"\n"
	"  - name: tested-off\n"
	"    if: ${{build.arch}} == 'no-such-arch'\n"
	"    test:\n"
	"      pipeline:\n"
	"        - runs: echo never-tested\n";

static void open_with_repo(struct pb_fixture *f, const char *name, const char *yaml)
{
	pb_open(f, name, yaml);
	assert_int_equal(mkdir(f->out, 0755), 0);
}

static void test_pkg_test_without_out_dir_repository_is_enotfound(void **state)
{
	(void)state;
	struct pb_fixture f;
	pb_open(&f, "plain", untested_yaml);
	assert_int_equal(mint_pkg_test(&f.o, &f.res, &f.err), MINT_ENOTFOUND);
	assert_non_null(strstr(f.err.msg, f.out));
	assert_non_null(strstr(f.err.msg, "build the packages first"));
	assert_int_equal(pb_count(f.tmp, "", ""), 0);
	pb_close(&f);
}

static void test_pkg_test_recipe_without_tests_logs_has_no_tests(void **state)
{
	(void)state;
	struct pb_fixture f;
	char want[1200];
	open_with_repo(&f, "plain", untested_yaml);
	assert_ok(mint_pkg_test(&f.o, &f.res, &f.err), &f.err);
	snprintf(want, sizeof(want), "%s has no tests\n", f.recipe);
	assert_non_null(strstr((char *)f.log.data, want));
	assert_int_equal(pb_count(f.tmp, "", ""), 0);
	assert_int_equal(f.res.n_apks, 0);
	pb_close(&f);
}

static void test_pkg_test_runs_each_packages_test_with_the_host_runner(void **state)
{
	(void)state;
	struct pb_fixture f;
	pb_need_sandbox();
	open_with_repo(&f, "tested", tested_yaml);
	assert_ok(mint_pkg_test(&f.o, &f.res, &f.err), &f.err);
	const char *log = (const char *)f.log.data;
	assert_non_null(strstr(log, "testing tested\n"));
	assert_non_null(strstr(log, "main test in /home/build\n"));
	assert_non_null(strstr(log, "testing tested-sub\n"));
	assert_non_null(strstr(log, "sub test of tested-sub\n"));
	assert_null(strstr(log, "tested-off"));
	assert_null(strstr(log, "never-tested"));
	assert_null(strstr(log, "has no tests"));
	assert_int_equal(pb_count(f.tmp, "", ""), 0);
	assert_int_equal(pb_count(f.out, "", ""), 0);
	pb_close(&f);
}

static void test_pkg_test_failing_test_names_package_and_step(void **state)
{
	(void)state;
	struct pb_fixture f;
	pb_need_sandbox();
	open_with_repo(&f, "broken",
		       "package: { name: broken, version: 1.0.0, epoch: 0 }\n"
		       "pipeline:\n  - runs: true\n"
		       "test:\n"
		       "  pipeline:\n"
		       "    - name: checks the binary\n"
		       "      runs: |\n"
		       "        echo \"binary missing\"\n"
		       "        exit 7\n");
	assert_int_equal(mint_pkg_test(&f.o, &f.res, &f.err), MINT_EIO);
	assert_non_null(strstr(f.err.msg, "test of broken: "));
	assert_non_null(strstr(f.err.msg, "'checks the binary'"));
	assert_non_null(strstr(f.err.msg, "exit status 7"));
	assert_non_null(strstr(f.res.tail, "binary missing"));
	assert_int_equal(pb_count(f.tmp, "", ""), 0);
	pb_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pkg_test_without_out_dir_repository_is_enotfound),
		cmocka_unit_test(test_pkg_test_recipe_without_tests_logs_has_no_tests),
		cmocka_unit_test(test_pkg_test_runs_each_packages_test_with_the_host_runner),
		cmocka_unit_test(test_pkg_test_failing_test_names_package_and_step),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
