/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mint_sandbox_run (lib/pkgbuild/sandbox.c) with the host runner: the
 * host's / read-only, a temporary workspace at /home/build. Every test is
 * skipped where bwrap cannot make namespaces.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mint/buf.h"
#include "mint/fs.h"
#include "mint/sandbox.h"
#include "testutil.h"

struct fixture {
	char *ws;
	struct mint_buf log;   /* lines joined with '|' */
	size_t lines;
	struct mint_sandbox sb;
	struct mint_sandbox_result res;
};

static struct mint_image_kv base_env[] = {
	{ "HOME", "/home/build" },
	{ "PATH", "/usr/bin:/bin:/usr/sbin:/sbin" },
	{ "WHO", "base" },
};

static void collect(void *ctx, const char *line, size_t len)
{
	struct fixture *f = ctx;
	assert_int_equal(strlen(line), len);
	if (f->lines++)
		mint_buf_putc(&f->log, '|');
	mint_buf_append(&f->log, line, len);
}

static int setup(void **state)
{
	struct mint_err err = { 0 };
	if (!mint_sandbox_available(NULL, &err)) {
		print_message("skipping: %s\n", err.msg);
		*state = NULL;
		return 0;
	}
	struct fixture *f = calloc(1, sizeof(*f));
	f->ws = make_tmpdir();
	f->sb = (struct mint_sandbox){
		.runner = MINT_RUNNER_HOST,
		.workspace = f->ws,
		.env = { base_env, 3 },
		.log = collect,
		.log_ctx = f,
	};
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	if (!f)
		return 0;
	struct mint_err err = { 0 };
	assert_ok(mint_remove_tree(f->ws, &err), &err);
	free(f->ws);
	mint_buf_free(&f->log);
	free(f);
	return 0;
}

static struct fixture *fixture_or_skip_test(void **state)
{
	if (!*state)
		skip();
	struct fixture *f = *state;
	mint_buf_reset(&f->log);
	f->lines = 0;
	return f;
}

static int run(struct fixture *f, const char *script, const char *workdir,
	       const struct mint_image_kvs *env)
{
	struct mint_err err = { 0 };
	int rc = mint_sandbox_run(&f->sb, script, workdir, env, &f->res, &err);
	assert_ok(rc, &err);
	return f->res.exit_status;
}

static void test_sandbox_exit_status_zero_and_three(void **state)
{
	struct fixture *f = fixture_or_skip_test(state);
	assert_int_equal(run(f, "true", "/home/build", NULL), 0);
	assert_int_equal(run(f, "exit 3", "/home/build", NULL), 3);
}

static void test_sandbox_set_e_stops_at_first_failure(void **state)
{
	struct fixture *f = fixture_or_skip_test(state);
	assert_int_equal(run(f, "echo before\nfalse\necho after", "/home/build", NULL), 1);
	assert_string_equal(mint_buf_cstr(&f->log), "before");
}

static void test_sandbox_script_ending_in_comment_still_exits_zero(void **state)
{
	struct fixture *f = fixture_or_skip_test(state);
	assert_int_equal(run(f, "echo one # trailing comment", "/home/build", NULL), 0);
	assert_string_equal(mint_buf_cstr(&f->log), "one");
}

static void test_sandbox_output_lines_reach_log_stdout_and_stderr(void **state)
{
	struct fixture *f = fixture_or_skip_test(state);
	assert_int_equal(run(f, "echo out\necho err >&2\nprintf 'no newline'", "/home/build",
			     NULL), 0);
	assert_string_equal(mint_buf_cstr(&f->log), "out|err|no newline");
	assert_string_equal(f->res.tail, "out\nerr\nno newline");
}

static void test_sandbox_tail_keeps_last_whole_lines(void **state)
{
	struct fixture *f = fixture_or_skip_test(state);
	assert_int_equal(run(f, "i=0; while [ $i -lt 2000 ]; do echo line $i; i=$((i+1)); done",
			     "/home/build", NULL), 0);
	assert_int_equal(f->lines, 2000);
	size_t len = strlen(f->res.tail);
	assert_true(len > MINT_SANDBOX_TAIL / 2 && len < MINT_SANDBOX_TAIL);
	assert_memory_equal(f->res.tail, "line ", 5);
	assert_string_equal(f->res.tail + len - 10, "line 1999\n");
}

static void test_sandbox_env_cleared_except_given(void **state)
{
	struct fixture *f = fixture_or_skip_test(state);
	setenv("MINT_SANDBOX_LEAK", "leaked", 1);
	struct mint_image_kv step_kv[] = { { "STEP", "yes" }, { "WHO", "step" } };
	struct mint_image_kvs step = { step_kv, 2 };
	assert_int_equal(run(f, "echo ${MINT_SANDBOX_LEAK-unset} $HOME $STEP $WHO", "/home/build",
			     &step), 0);
	assert_string_equal(mint_buf_cstr(&f->log), "unset /home/build yes step");
	unsetenv("MINT_SANDBOX_LEAK");
}

static void test_sandbox_workdir_created_and_entered(void **state)
{
	struct fixture *f = fixture_or_skip_test(state);
	assert_int_equal(run(f, "pwd", "/home/build/src/it's here", NULL), 0);
	assert_string_equal(mint_buf_cstr(&f->log), "/home/build/src/it's here");
	char p[1024];
	struct stat st;
	snprintf(p, sizeof(p), "%s/src/it's here", f->ws);
	assert_int_equal(stat(p, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
}

static void test_sandbox_workspace_writable_host_root_read_only(void **state)
{
	struct fixture *f = fixture_or_skip_test(state);
	assert_int_equal(run(f, "echo x > /home/build/f", "/home/build", NULL), 0);
	struct mint_buf b = MINT_BUF_INIT;
	char p[1024];
	snprintf(p, sizeof(p), "%s/f", f->ws);
	read_file_or_fail(p, &b);
	assert_string_equal(mint_buf_cstr(&b), "x\n");
	mint_buf_free(&b);
	assert_int_not_equal(run(f, "touch /usr/mint-sandbox-test", "/home/build", NULL), 0);
	assert_int_equal(access("/usr/mint-sandbox-test", F_OK), -1);
}

static void test_sandbox_tmp_is_private(void **state)
{
	struct fixture *f = fixture_or_skip_test(state);
	assert_int_equal(run(f, "ls -A /tmp | wc -l", "/home/build", NULL), 0);
	assert_string_equal(mint_buf_cstr(&f->log), "0");
}

static void test_sandbox_only_loopback_without_network(void **state)
{
	struct fixture *f = fixture_or_skip_test(state);
	assert_int_equal(run(f, "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '",
			     "/home/build", NULL), 0);
	assert_string_equal(mint_buf_cstr(&f->log), "lo");
}

static void test_sandbox_umask_022(void **state)
{
	struct fixture *f = fixture_or_skip_test(state);
	assert_int_equal(run(f, "umask", "/home/build", NULL), 0);
	assert_string_equal(mint_buf_cstr(&f->log), "0022");
}

static void test_sandbox_missing_bwrap_is_io_error(void **state)
{
	struct fixture *f = fixture_or_skip_test(state);
	f->sb.bwrap = "/nonexistent/bwrap";
	struct mint_err err = { 0 };
	int rc = mint_sandbox_run(&f->sb, "true", "/home/build", NULL, &f->res, &err);
	f->sb.bwrap = NULL;
	assert_int_equal(rc, MINT_EIO);
	assert_non_null(strstr(err.msg, "/nonexistent/bwrap"));
	assert_false(mint_sandbox_available("/nonexistent/bwrap", &err));
}

static void test_sandbox_bwrap_runner_needs_rootfs(void **state)
{
	struct fixture *f = fixture_or_skip_test(state);
	struct mint_sandbox sb = f->sb;
	sb.runner = MINT_RUNNER_BWRAP;
	struct mint_err err = { 0 };
	assert_int_equal(mint_sandbox_run(&sb, "true", "/home/build", NULL, &f->res, &err),
			 MINT_EINVAL);
}

static void test_sandbox_env_without_value_is_invalid(void **state)
{
	struct fixture *f = fixture_or_skip_test(state);
	struct mint_image_kv kv = { "EMPTY", NULL };
	struct mint_image_kvs env = { &kv, 1 };
	struct mint_err err = { 0 };
	assert_int_equal(mint_sandbox_run(&f->sb, "true", "/home/build", &env, &f->res, &err),
			 MINT_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sandbox_exit_status_zero_and_three),
		cmocka_unit_test(test_sandbox_set_e_stops_at_first_failure),
		cmocka_unit_test(test_sandbox_script_ending_in_comment_still_exits_zero),
		cmocka_unit_test(test_sandbox_output_lines_reach_log_stdout_and_stderr),
		cmocka_unit_test(test_sandbox_tail_keeps_last_whole_lines),
		cmocka_unit_test(test_sandbox_env_cleared_except_given),
		cmocka_unit_test(test_sandbox_workdir_created_and_entered),
		cmocka_unit_test(test_sandbox_workspace_writable_host_root_read_only),
		cmocka_unit_test(test_sandbox_tmp_is_private),
		cmocka_unit_test(test_sandbox_only_loopback_without_network),
		cmocka_unit_test(test_sandbox_umask_022),
		cmocka_unit_test(test_sandbox_missing_bwrap_is_io_error),
		cmocka_unit_test(test_sandbox_bwrap_runner_needs_rootfs),
		cmocka_unit_test(test_sandbox_env_without_value_is_invalid),
	};
	return tests_exit(cmocka_run_group_tests(tests, setup, teardown));
}
