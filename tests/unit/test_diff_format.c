/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <string.h>

#include "mint/audit.h"

static const char *format(const struct mint_image_difference *d, struct mint_buf *out)
{
	assert_int_equal(mint_image_difference_format(d, out), 0);
	return mint_buf_cstr(out);
}

static void test_diff_format_field_line_names_platform_document_and_values(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_image_difference d = {
		.kind = MINT_DIFF_FIELD, .platform = "linux/amd64", .doc = MINT_DIFF_DOC_CONFIG,
		.field = "created", .old_json = "\"2023-11-14T22:13:20Z\"",
		.new_json = "\"2024-01-01T00:00:00Z\"",
	};
	assert_string_equal(format(&d, &out),
			    "linux/amd64 config created: "
			    "\"2023-11-14T22:13:20Z\" -> \"2024-01-01T00:00:00Z\"");
	mint_buf_free(&out);
}

static void test_diff_format_index_field_has_no_platform_and_absent_values(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_image_difference d = {
		.kind = MINT_DIFF_FIELD, .platform = "", .doc = MINT_DIFF_DOC_INDEX,
		.field = "annotations[\"a.b\"]", .new_json = "\"x\\ny\"",
	};
	assert_string_equal(format(&d, &out), "index annotations[\"a.b\"]: (absent) -> \"x\\ny\"");
	d.doc = MINT_DIFF_DOC_MANIFEST;
	d.platform = "linux/arm/v7";
	d.old_json = "1";
	d.new_json = NULL;
	assert_string_equal(format(&d, &out), "linux/arm/v7 manifest annotations[\"a.b\"]: 1 -> "
					      "(absent)");
	mint_buf_free(&out);
}

static void test_diff_format_platform_only_says_which_image(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_image_difference d = { .kind = MINT_DIFF_PLATFORM, .platform = "linux/s390x" };
	assert_string_equal(format(&d, &out), "linux/s390x platform only in the first image");
	d.in_second = true;
	assert_string_equal(format(&d, &out), "linux/s390x platform only in the second image");
	mint_buf_free(&out);
}

static void test_diff_format_added_file_describes_each_type(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_image_difference d = {
		.kind = MINT_DIFF_FILE_ADDED, .platform = "linux/amd64",
		.new_file = { .path = "bin/sh", .type = MINT_TAR_REG, .mode = 0755, .uname = "root",
			      .gname = "root", .size = 3, .mtime = 1700000000 },
	};
	memset(d.new_file.sha256, 0xab, 32);
	assert_string_equal(format(&d, &out),
			    "linux/amd64 added bin/sh: file 0755 0:0 (root:root) 3 bytes sha256:"
			    "abababababababababababababababababababababababababababababababab"
			    " mtime 2023-11-14T22:13:20Z");
	d.kind = MINT_DIFF_FILE_REMOVED;
	d.old_file = (struct mint_image_file){ .path = "lib", .type = MINT_TAR_SYMLINK,
					       .mode = 0777, .uname = "", .gname = "",
					       .link_target = "usr/lib" };
	assert_string_equal(format(&d, &out),
			    "linux/amd64 removed lib: symlink 0777 0:0 -> usr/lib "
			    "mtime 1970-01-01T00:00:00Z");
	d.old_file = (struct mint_image_file){ .path = "dev/null", .type = MINT_TAR_CHAR,
					       .mode = 0666, .uname = "", .gname = "",
					       .devmajor = 1, .devminor = 3, .mtime = -1 };
	assert_string_equal(format(&d, &out), "linux/amd64 removed dev/null: char 0666 0:0 1,3 "
					      "mtime 1969-12-31T23:59:59Z");
	mint_buf_free(&out);
}

static void test_diff_format_changed_file_lists_attributes_old_to_new(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_image_file a = { .path = "etc/passwd", .type = MINT_TAR_REG, .mode = 0644,
				     .uname = "", .gname = "", .size = 10 };
	struct mint_image_file b = a;
	b.mode = 0600;
	b.uid = 1000;
	b.gid = 1000;
	b.size = 12;
	b.sha256[31] = 1;
	b.mtime = 60;
	struct mint_image_difference d = {
		.kind = MINT_DIFF_FILE_CHANGED, .platform = "linux/amd64", .old_file = a,
		.new_file = b,
		.changed = MINT_FILE_MODE | MINT_FILE_UID | MINT_FILE_GID | MINT_FILE_SIZE |
			   MINT_FILE_CONTENT | MINT_FILE_MTIME,
	};
#define ZEROS_63 "000000000000000000000000000000000000000000000000000000000000000"
	assert_string_equal(format(&d, &out),
			    "linux/amd64 changed etc/passwd: mode 0644 -> 0600, owner 0:0 -> "
			    "1000:1000, size 10 -> 12, content sha256:" ZEROS_63 "0 -> sha256:"
			    ZEROS_63 "1, mtime 1970-01-01T00:00:00Z -> 1970-01-01T00:01:00Z");
	mint_buf_free(&out);
}

static void test_diff_format_control_bytes_and_backslashes_are_escaped(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_image_difference d = {
		.kind = MINT_DIFF_FILE_ADDED, .platform = "linux/amd64",
		.new_file = { .path = "a\nb\\c\x7f", .type = MINT_TAR_DIR, .mode = 0755,
			      .uname = "", .gname = "" },
	};
	assert_string_equal(format(&d, &out), "linux/amd64 added a\\x0ab\\x5cc\\x7f: dir 0755 0:0 "
					      "mtime 1970-01-01T00:00:00Z");
	mint_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff_format_field_line_names_platform_document_and_values),
		cmocka_unit_test(test_diff_format_index_field_has_no_platform_and_absent_values),
		cmocka_unit_test(test_diff_format_platform_only_says_which_image),
		cmocka_unit_test(test_diff_format_added_file_describes_each_type),
		cmocka_unit_test(test_diff_format_changed_file_lists_attributes_old_to_new),
		cmocka_unit_test(test_diff_format_control_bytes_and_backslashes_are_escaped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
