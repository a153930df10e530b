/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <string.h>

#include "mint/image_files.h"

static void test_world_sorts_canonical_constraints_once(void **state)
{
	(void)state;
	const char *in[] = { "replayout=1.0.0-r0", "busybox", "pretend-baselayout=1.0.0-r0",
			     "busybox", "foo@local>=2" };
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_ok(mint_image_world(in, 5, &out, &err), &err);
	assert_string_equal(mint_buf_cstr(&out), "busybox\nfoo@local>=2\n"
						 "pretend-baselayout=1.0.0-r0\nreplayout=1.0.0-r0\n");
	mint_buf_free(&out);
}

static void test_world_refuses_a_bad_constraint(void **state)
{
	(void)state;
	const char *in[] = { "ok", "bad name" };
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_true(mint_image_world(in, 2, &out, &err) < 0);
	assert_non_null(strstr(err.msg, "world constraint 2"));
	assert_int_equal(out.len, 0);
	mint_buf_free(&out);
}

static void test_world_empty_is_empty(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	assert_int_equal(mint_image_world(NULL, 0, &out, NULL), 0);
	assert_int_equal(out.len, 0);
}

static void test_repositories_trim_sort_and_keep_tags(void **state)
{
	(void)state;
	const char *in[] = { "https://b.example/os/", "@local ./packages/", "./testdata/packages",
			     "https://b.example/os" };
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_ok(mint_image_repositories(in, 4, &out, &err), &err);
	assert_string_equal(mint_buf_cstr(&out),
			    "./testdata/packages\n@local ./packages\nhttps://b.example/os\n");
	mint_buf_free(&out);
}

static void test_repositories_refuse_tag_without_url_and_line_breaks(void **state)
{
	(void)state;
	const char *a[] = { "@local" }, *b[] = { "x\ny" }, *c[] = { "@t /" };
	struct mint_buf out = MINT_BUF_INIT;
	assert_int_equal(mint_image_repositories(a, 1, &out, NULL), MINT_EINVAL);
	assert_int_equal(mint_image_repositories(b, 1, &out, NULL), MINT_EINVAL);
	assert_int_equal(mint_image_repositories(c, 1, &out, NULL), 0);
	assert_string_equal(mint_buf_cstr(&out), "@t /\n");
	mint_buf_free(&out);
}

static void test_arch_is_name_and_newline(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	assert_int_equal(mint_image_arch("x86_64", &out, NULL), 0);
	assert_string_equal(mint_buf_cstr(&out), "x86_64\n");
	assert_int_equal(mint_image_arch("", &out, NULL), MINT_EINVAL);
	assert_int_equal(mint_image_arch("a b", &out, NULL), MINT_EINVAL);
	mint_buf_free(&out);
}

static void test_key_path_uses_basename(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	assert_int_equal(mint_image_key_path("./testdata/melange.rsa.pub", &out, NULL), 0);
	assert_string_equal(mint_buf_cstr(&out), "etc/apk/keys/melange.rsa.pub");
	mint_buf_reset(&out);
	assert_int_equal(mint_image_key_path("k.pub", &out, NULL), 0);
	assert_string_equal(mint_buf_cstr(&out), "etc/apk/keys/k.pub");
	assert_int_equal(mint_image_key_path("dir/", &out, NULL), MINT_EINVAL);
	assert_int_equal(mint_image_key_path("a/..", &out, NULL), MINT_EINVAL);
	mint_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_world_sorts_canonical_constraints_once),
		cmocka_unit_test(test_world_refuses_a_bad_constraint),
		cmocka_unit_test(test_world_empty_is_empty),
		cmocka_unit_test(test_repositories_trim_sort_and_keep_tags),
		cmocka_unit_test(test_repositories_refuse_tag_without_url_and_line_breaks),
		cmocka_unit_test(test_arch_is_name_and_newline),
		cmocka_unit_test(test_key_path_uses_basename),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
