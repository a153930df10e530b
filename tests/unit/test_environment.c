/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/pkgbuild/environment.c: the bwrap runner refuses an environment
 * that installs nothing (pointing at --runner host) before making any
 * directory; the host runner installs nothing and gives the steps
 * melange's default variables overridden by the recipe's. Building a
 * real guest root is left to tests/e2e. Skipped where bwrap cannot make
 * namespaces (the environment checks that first).
 */
#include "pkgbuild_fixture.h"

#include "lib/pkgbuild/build_internal.h"

struct env_case {
	char *dir;
	struct mint_pkg_build_opts o;
	struct mint_pkg_build_result res;
	struct pkg_job j;
	struct mint_image_config cfg;
	struct mint_image_strs needs;
	struct mint_buf log;
	struct mint_err err;
};

static void env_open(struct env_case *c, const char *yaml)
{
	pb_need_sandbox();
	memset(c, 0, sizeof(*c));
	c->dir = make_tmpdir();
	c->o = (struct mint_pkg_build_opts){
		.recipe_path = "recipes/hello.yaml",
		.tmpdir = c->dir,
		.build_date = PB_BUILD_DATE,
		.log = pb_collect,
		.log_ctx = &c->log,
	};
	c->j.o = &c->o;
	c->j.res = &c->res;
	c->j.arch = pb_host_arch();
	c->j.workspace = strdup(c->dir);
	if (yaml)
		assert_ok(mint_image_config_parse(mint_span_str(yaml), "env.yaml", NULL, &c->cfg,
						  &c->err),
			  &c->err);
}

static void env_close(struct env_case *c)
{
	mint_image_config_free(&c->cfg);
	mint_buf_free(&c->log);
	pkg_job_free(&c->j); /* removes the workspace, here the test dir */
	cleanup_tmpdir(c->dir);
}

static const char *env_value(const struct mint_image_kvs *kvs, const char *key)
{
	for (size_t i = 0; i < kvs->n; i++)
		if (!strcmp(kvs->v[i].key, key))
			return kvs->v[i].value;
	return NULL;
}

static void test_environment_bwrap_without_packages_is_einval_naming_runner_host(void **state)
{
	(void)state;
	struct env_case c;
	env_open(&c, NULL);
	int rc = pkg_environment_prepare(&c.j, &c.cfg, &c.needs, NULL, 0, NULL, 0, &c.err);
	assert_int_equal(rc, MINT_EINVAL);
	assert_non_null(strstr(c.err.msg, "recipes/hello.yaml"));
	assert_non_null(strstr(c.err.msg, "installs no packages"));
	assert_non_null(strstr(c.err.msg, "--runner host"));
	assert_null(c.j.rootfs);
	assert_int_equal(pb_count(c.dir, "mint-env-", ""), 0);
	env_close(&c);
}

static void test_environment_bwrap_with_packages_but_no_source_is_einval(void **state)
{
	(void)state;
	struct env_case c;
	env_open(&c, "contents:\n  packages: [busybox]\n");
	int rc = pkg_environment_prepare(&c.j, &c.cfg, &c.needs, NULL, 0, NULL, 0, &c.err);
	assert_int_equal(rc, MINT_EINVAL);
	assert_non_null(strstr(c.err.msg, "no package source"));
	assert_int_equal(pb_count(c.dir, "mint-env-", ""), 0);
	env_close(&c);
}

static void test_environment_host_runner_sets_melange_defaults(void **state)
{
	(void)state;
	struct env_case c;
	env_open(&c, NULL);
	c.o.runner = MINT_RUNNER_HOST;
	c.o.network = true;
	assert_ok(pkg_environment_prepare(&c.j, &c.cfg, &c.needs, NULL, 0, NULL, 0, &c.err),
		  &c.err);
	assert_int_equal(c.j.sandbox.runner, MINT_RUNNER_HOST);
	assert_string_equal(c.j.sandbox.workspace, c.j.workspace);
	assert_true(c.j.sandbox.network);
	assert_null(c.j.rootfs);
	assert_string_equal(env_value(&c.j.sandbox.env, "HOME"), "/home/build");
	assert_non_null(strstr(env_value(&c.j.sandbox.env, "PATH"), "/usr/bin"));
	assert_string_equal(env_value(&c.j.sandbox.env, "SOURCE_DATE_EPOCH"), "1700000000");
	env_close(&c);
}

static void test_environment_host_runner_takes_recipe_variables_over_defaults(void **state)
{
	(void)state;
	struct env_case c;
	env_open(&c, "environment:\n  PATH: /opt/bin\n  CFLAGS: -O2\n");
	c.o.runner = MINT_RUNNER_HOST;
	assert_ok(pkg_environment_prepare(&c.j, &c.cfg, &c.needs, NULL, 0, NULL, 0, &c.err),
		  &c.err);
	assert_string_equal(env_value(&c.j.sandbox.env, "PATH"), "/opt/bin");
	assert_string_equal(env_value(&c.j.sandbox.env, "CFLAGS"), "-O2");
	assert_string_equal(env_value(&c.j.sandbox.env, "HOME"), "/home/build");
	env_close(&c);
}

static void test_environment_host_runner_installs_nothing_and_says_so(void **state)
{
	(void)state;
	struct env_case c;
	char *need = "make";
	env_open(&c, "contents:\n  packages: [busybox, gcc]\n");
	c.o.runner = MINT_RUNNER_HOST;
	c.needs = (struct mint_image_strs){ &need, 1 };
	assert_ok(pkg_environment_prepare(&c.j, &c.cfg, &c.needs, NULL, 0, NULL, 0, &c.err),
		  &c.err);
	c.needs = (struct mint_image_strs){ 0 };
	assert_null(c.j.rootfs);
	assert_null(c.j.sandbox.rootfs);
	assert_non_null(strstr((char *)c.log.data,
			       "host runner: the environment's 3 packages are not installed"));
	assert_int_equal(pb_count(c.dir, "mint-env-", ""), 0);
	env_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_environment_bwrap_without_packages_is_einval_naming_runner_host),
		cmocka_unit_test(test_environment_bwrap_with_packages_but_no_source_is_einval),
		cmocka_unit_test(test_environment_host_runner_sets_melange_defaults),
		cmocka_unit_test(test_environment_host_runner_takes_recipe_variables_over_defaults),
		cmocka_unit_test(test_environment_host_runner_installs_nothing_and_says_so),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
