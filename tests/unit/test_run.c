/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/pkgbuild/run.c with the host runner: steps run in order in the
 * workspace, a failing one stops the rest with an error naming it and its
 * output's tail in the result, a working directory with ".." never runs,
 * and fetch steps are downloads on the host. Skipped where bwrap cannot
 * make namespaces.
 */
#include "pkgbuild_fixture.h"

#include "lib/pkgbuild/build_internal.h"
#include "mint/encode.h"
#include "mint/hash.h"

static struct mint_image_kv base_env[] = {
	{ "HOME", "/home/build" },
	{ "PATH", "/usr/bin:/bin:/usr/sbin:/sbin" },
};

struct run_case {
	char *dir;
	struct mint_pkg_build_opts o;
	struct mint_pkg_build_result res;
	struct pkg_job j;
	struct mint_err err;
	struct mint_buf log;
};

static void run_open(struct run_case *c)
{
	pb_need_sandbox();
	memset(c, 0, sizeof(*c));
	c->dir = make_tmpdir();
	c->o = (struct mint_pkg_build_opts){ .recipe_path = "recipe.yaml", .log = pb_collect,
					     .log_ctx = &c->log };
	c->j.o = &c->o;
	c->j.res = &c->res;
	c->j.workspace = c->dir;
	c->j.sandbox = (struct mint_sandbox){
		.runner = MINT_RUNNER_HOST,
		.workspace = c->dir,
		.env = { base_env, 2 },
	};
}

static void run_close(struct run_case *c)
{
	free(c->j.sources);
	mint_buf_free(&c->log);
	cleanup_tmpdir(c->dir);
}

static struct mint_build_step run_step(const char *name, const char *script)
{
	return (struct mint_build_step){
		.kind = MINT_BUILD_STEP_RUN,
		.name = (char *)name,
		.origin = "recipe.yaml:7:5",
		.script = (char *)script,
		.working_directory = "/home/build",
	};
}

static void test_run_steps_run_in_order_in_the_workspace(void **state)
{
	(void)state;
	struct run_case c;
	run_open(&c);
	struct mint_build_step v[] = {
		run_step("first", "echo one > order.txt\n"),
		run_step("second", "echo two >> order.txt\necho \"$HOME\" >> order.txt\n"),
	};
	struct mint_build_steps steps = { v, 2 };
	assert_ok(pkg_run_steps(&c.j, &steps, &c.err), &c.err);
	struct mint_buf got = { 0 };
	char path[1200];
	snprintf(path, sizeof(path), "%s/order.txt", c.dir);
	read_file_or_fail(path, &got);
	assert_int_equal(got.len, strlen("one\ntwo\n/home/build\n"));
	assert_memory_equal(got.data, "one\ntwo\n/home/build\n", got.len);
	mint_buf_free(&got);
	assert_non_null(strstr((char *)c.log.data, "step first (recipe.yaml:7:5)"));
	run_close(&c);
}

static void test_run_failing_step_names_origin_step_status_and_first_line(void **state)
{
	(void)state;
	struct run_case c;
	run_open(&c);
	struct mint_build_step v[] = {
		run_step("the step that breaks", "\n  echo about to fail: boom\n  exit 3\n"),
		run_step("never", "touch never-ran\n"),
	};
	struct mint_build_steps steps = { v, 2 };
	assert_int_equal(pkg_run_steps(&c.j, &steps, &c.err), MINT_EIO);
	assert_string_equal(c.err.msg, "recipe.yaml:7:5: step 'the step that breaks' failed with "
				       "exit status 3: echo about to fail: boom ...");
	assert_non_null(strstr(c.res.tail, "about to fail: boom"));
	assert_false(pb_exists(c.dir, "never-ran"));
	run_close(&c);
}

static void test_run_failing_one_line_script_has_no_ellipsis(void **state)
{
	(void)state;
	struct run_case c;
	run_open(&c);
	struct mint_build_step v[] = { run_step("short", "exit 4\n\n  \n") };
	struct mint_build_steps steps = { v, 1 };
	assert_int_equal(pkg_run_steps(&c.j, &steps, &c.err), MINT_EIO);
	assert_string_equal(c.err.msg,
			    "recipe.yaml:7:5: step 'short' failed with exit status 4: exit 4");
	run_close(&c);
}

static void test_run_failing_long_first_line_is_cut_with_ellipsis(void **state)
{
	(void)state;
	struct run_case c;
	char script[600];
	run_open(&c);
	snprintf(script, sizeof(script), "false %0500d\n", 0);
	struct mint_build_step v[] = { run_step("long", script) };
	struct mint_build_steps steps = { v, 1 };
	assert_int_equal(pkg_run_steps(&c.j, &steps, &c.err), MINT_EIO);
	const char *cmd = strstr(c.err.msg, ": false 000");
	assert_non_null(cmd);
	assert_true(strlen(cmd) < 200);
	assert_string_equal(c.err.msg + strlen(c.err.msg) - 4, " ...");
	run_close(&c);
}

static void test_run_working_directory_with_dotdot_is_unsafe_and_never_runs(void **state)
{
	(void)state;
	static const char *const bad[] = { "/home/build/../../etc", "/home/build/a/../..", "/.." };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct run_case c;
		run_open(&c);
		struct mint_build_step v[] = { run_step("escape", "touch ran\n") };
		v[0].working_directory = (char *)bad[i];
		struct mint_build_steps steps = { v, 1 };
		int rc = pkg_run_steps(&c.j, &steps, &c.err);
		if (rc != MINT_EUNSAFE)
			fail_msg("%s: got %d (%s)", bad[i], rc, c.err.msg);
		assert_non_null(strstr(c.err.msg, "recipe.yaml:7:5"));
		assert_non_null(strstr(c.err.msg, bad[i]));
		assert_int_equal(pb_count(c.dir, "", ""), 0);
		run_close(&c);
	}
}

static void test_run_fetch_step_is_downloaded_on_the_host(void **state)
{
	(void)state;
	struct run_case c;
	char src[1100], uri[1200], hex[65];
	unsigned char md[MINT_HASH_MAX_BYTES];
	run_open(&c);
	char *other = make_tmpdir();
	pb_write(other, "a.txt", "fetched\n");
	snprintf(src, sizeof(src), "%s/a.txt", other);
	snprintf(uri, sizeof(uri), "file://%s", src);
	assert_int_equal(mint_hash_bytes(MINT_HASH_SHA256, "fetched\n", 8, md), 0);
	mint_hex_encode(md, 32, hex);
	hex[64] = '\0';
	struct mint_build_step v[] = {
		{
			.kind = MINT_BUILD_STEP_FETCH,
			.name = "fetch",
			.origin = "recipe.yaml:3:5",
			.working_directory = "/home/build",
			.uri = uri,
			.expected_sha256 = hex,
			.dest = "a.txt",
		},
		run_step("check", "grep -q fetched a.txt\n"),
	};
	struct mint_build_steps steps = { v, 2 };
	assert_ok(pkg_run_steps(&c.j, &steps, &c.err), &c.err);
	assert_true(pb_exists(c.dir, "a.txt"));
	assert_int_equal(c.j.n_sources, 1);
	free((char *)c.j.sources[0].uri);
	free((char *)c.j.sources[0].sha256);
	assert_non_null(strstr((char *)c.log.data, "fetching file://"));
	cleanup_tmpdir(other);
	run_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_steps_run_in_order_in_the_workspace),
		cmocka_unit_test(test_run_failing_step_names_origin_step_status_and_first_line),
		cmocka_unit_test(test_run_failing_one_line_script_has_no_ellipsis),
		cmocka_unit_test(test_run_failing_long_first_line_is_cut_with_ellipsis),
		cmocka_unit_test(test_run_working_directory_with_dotdot_is_unsafe_and_never_runs),
		cmocka_unit_test(test_run_fetch_step_is_downloaded_on_the_host),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
