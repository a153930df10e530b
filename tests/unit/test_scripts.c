/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "mint/apk_scripts.h"

static void test_scripts_write_then_parse_keeps_everything(void **state)
{
	(void)state;
	struct mint_apk_scripts s = { 0 }, back = { 0 };
	assert_int_equal(mint_apk_scripts_add(&s, "busybox-1.35.0-r17", "Q1Meo+LHGPSi3uY9gIouEVb9z8Fbo=",
					      "post-install", "#!/bin/sh\n", 10, 1657108514), 0);
	assert_int_equal(mint_apk_scripts_add(&s, "alpine-baselayout-3.2.0-r22",
					      "Q1PGxwzLd7SQ/SZjUGrncnpjjtpKY=", "pre-upgrade", "", 0, 5), 0);
	struct mint_buf tar = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_ok(mint_apk_scripts_write(&s, &tar, &err), &err);
	assert_int_equal(tar.len % 512, 0);
	assert_ok(mint_apk_scripts_parse(mint_buf_span(&tar), &back, &err), &err);
	assert_int_equal(back.n, 2);
	assert_string_equal(back.items[1].package, "alpine-baselayout-3.2.0-r22");
	assert_string_equal(back.items[1].identity, "Q1PGxwzLd7SQ/SZjUGrncnpjjtpKY=");
	assert_string_equal(back.items[1].action, "pre-upgrade");
	assert_int_equal(back.items[0].len, 10);
	assert_memory_equal(back.items[0].data, "#!/bin/sh\n", 10);
	assert_int_equal(back.items[0].mtime, 1657108514);
	struct mint_buf again = MINT_BUF_INIT;
	assert_ok(mint_apk_scripts_write(&back, &again, &err), &err);
	assert_int_equal(again.len, tar.len);
	assert_memory_equal(again.data, tar.data, tar.len);
	mint_buf_free(&tar);
	mint_buf_free(&again);
	mint_apk_scripts_free(&s);
	mint_apk_scripts_free(&back);
}

static void test_scripts_reject_names_without_identity_or_action(void **state)
{
	(void)state;
	struct mint_apk_scripts s = { 0 }, back = { 0 };
	assert_int_equal(mint_apk_scripts_add(&s, "foo-1.0", "Z9abc", "post-install", "x", 1, 0), 0);
	struct mint_buf tar = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_ok(mint_apk_scripts_write(&s, &tar, &err), &err);
	assert_int_equal(mint_apk_scripts_parse(mint_buf_span(&tar), &back, &err), MINT_EFORMAT);
	assert_non_null(strstr(err.msg, "foo-1.0.Z9abc.post-install"));
	mint_apk_scripts_free(&s);
	mint_buf_free(&tar);
	assert_int_equal(mint_apk_scripts_add(&s, "foo-1.0", "Q1abc", "explode", "x", 1, 0), 0);
	mint_apk_scripts_free(&s);
}

static void test_scripts_reads_the_apko_fixture_and_rewrites_the_same_content(void **state)
{
	(void)state;
	char *path = fixture_or_skip("apko/pkg/apk/apk/testdata/root/usr/lib/apk/db/scripts.tar");
	struct mint_buf file = MINT_BUF_INIT, ours = MINT_BUF_INIT;
	read_file_or_fail(path, &file);
	struct mint_apk_scripts s = { 0 }, back = { 0 };
	struct mint_err err = { 0 };
	assert_ok(mint_apk_scripts_parse(mint_buf_span(&file), &s, &err), &err);
	assert_int_equal(s.n, 7);
	assert_string_equal(s.items[0].package, "busybox-1.35.0-r17");
	assert_string_equal(s.items[0].action, "post-install");
	assert_int_equal(s.items[0].len, 131);
	assert_ok(mint_apk_scripts_write(&s, &ours, &err), &err);
	assert_ok(mint_apk_scripts_parse(mint_buf_span(&ours), &back, &err), &err);
	assert_int_equal(back.n, s.n);
	for (size_t i = 0; i < s.n; i++) {
		assert_string_equal(back.items[i].identity, s.items[i].identity);
		assert_int_equal(back.items[i].len, s.items[i].len);
		assert_memory_equal(back.items[i].data, s.items[i].data, s.items[i].len);
		assert_int_equal(back.items[i].mtime, s.items[i].mtime);
	}
	mint_apk_scripts_free(&s);
	mint_apk_scripts_free(&back);
	mint_buf_free(&file);
	mint_buf_free(&ours);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scripts_write_then_parse_keeps_everything),
		cmocka_unit_test(test_scripts_reject_names_without_identity_or_action),
		cmocka_unit_test(test_scripts_reads_the_apko_fixture_and_rewrites_the_same_content),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
