/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/image_lock.h"

#define SIG_SUM "sha1-S+THz+JYZxcNzNCw2jI9YlnDnE4="
#define CTL_SUM "sha1-m6wB0UFePGN8Drz82pC8y2uAiu8="
#define DATA_SUM "sha256-ckBapsaMu5EOb/e4Ei1s2l/+dZMEamHhUmaoJ8yeZwg="
#define Q1 "Q1m6wB0UFePGN8Drz82pC8y2uAiu8="
#define CFG_SUM "sha256-eal7+HCFuOLz/8m3vNO5cYyNK0Zw7AphCcsc76TbTXg="

/* A lock of every kind of entry, written out by hand the way Go's
 * MarshalIndent lays it out. */
static const char full_text[] =
	"{\n"
	"  \"version\": \"v1\",\n"
	"  \"config\": {\n"
	"    \"name\": \"image.yaml\",\n"
	"    \"checksum\": \"" CFG_SUM "\"\n"
	"  },\n"
	"  \"contents\": {\n"
	"    \"keyring\": [\n"
	"      {\n"
	"        \"name\": \"keys.example/k.rsa.pub\",\n"
	"        \"url\": \"https://keys.example/k.rsa.pub\",\n"
	"        \"content\": \"-----BEGIN PUBLIC KEY-----\\nAAAA\\n\"\n"
	"      },\n"
	"      {\n"
	"        \"name\": \"./local.rsa.pub\",\n"
	"        \"url\": \"./local.rsa.pub\"\n"
	"      }\n"
	"    ],\n"
	"    \"build_repositories\": [\n"
	"      {\n"
	"        \"name\": \"b.example/os/x86_64\",\n"
	"        \"url\": \"https://b.example/os/x86_64/APKINDEX.tar.gz\",\n"
	"        \"architecture\": \"x86_64\"\n"
	"      }\n"
	"    ],\n"
	"    \"runtime_repositories\": [],\n"
	"    \"repositories\": [\n"
	"      {\n"
	"        \"name\": \"r.example/os/x86_64\",\n"
	"        \"url\": \"https://r.example/os/x86_64/APKINDEX.tar.gz\",\n"
	"        \"architecture\": \"x86_64\"\n"
	"      }\n"
	"    ],\n"
	"    \"packages\": [\n"
	"      {\n"
	"        \"name\": \"signed\",\n"
	"        \"url\": \"https://r.example/os/x86_64/signed-1-r0.apk\",\n"
	"        \"version\": \"1-r0\",\n"
	"        \"architecture\": \"x86_64\",\n"
	"        \"signature\": {\n"
	"          \"range\": \"bytes=0-646\",\n"
	"          \"checksum\": \"" SIG_SUM "\"\n"
	"        },\n"
	"        \"control\": {\n"
	"          \"range\": \"bytes=647-1628\",\n"
	"          \"checksum\": \"" CTL_SUM "\"\n"
	"        },\n"
	"        \"data\": {\n"
	"          \"range\": \"bytes=1629-2929\",\n"
	"          \"checksum\": \"" DATA_SUM "\"\n"
	"        },\n"
	"        \"checksum\": \"" Q1 "\"\n"
	"      },\n"
	"      {\n"
	"        \"name\": \"unsigned\",\n"
	"        \"url\": \"https://r.example/os/x86_64/unsigned-2-r1.apk\",\n"
	"        \"version\": \"2-r1\",\n"
	"        \"architecture\": \"x86_64\",\n"
	"        \"signature\": {\n"
	"          \"range\": \"\",\n"
	"          \"checksum\": \"\"\n"
	"        },\n"
	"        \"control\": {\n"
	"          \"range\": \"bytes=0-99\",\n"
	"          \"checksum\": \"" CTL_SUM "\"\n"
	"        },\n"
	"        \"data\": {\n"
	"          \"range\": \"bytes=100-100\",\n"
	"          \"checksum\": \"" DATA_SUM "\"\n"
	"        },\n"
	"        \"checksum\": \"" Q1 "\"\n"
	"      }\n"
	"    ]\n"
	"  }\n"
	"}\n";

static const char empty_text[] =
	"{\n"
	"  \"version\": \"v1\",\n"
	"  \"contents\": {\n"
	"    \"keyring\": [],\n"
	"    \"build_repositories\": [],\n"
	"    \"runtime_repositories\": [],\n"
	"    \"repositories\": [],\n"
	"    \"packages\": []\n"
	"  }\n"
	"}\n";

static int parse_text(const char *text, struct mint_lock *l, struct mint_err *err)
{
	return mint_lock_parse(mint_span_str(text), "apko.lock.json", l, err);
}

static void write_ok(const struct mint_lock *l, struct mint_buf *out)
{
	struct mint_err err = { 0 };
	assert_ok(mint_lock_write(l, out, &err), &err);
}

/* Parsing text must fail with code, and the message must contain want. */
static void expect_parse_error(const char *text, int code, const char *want)
{
	struct mint_lock l;
	struct mint_err err = { 0 };
	assert_int_equal(parse_text(text, &l, &err), code);
	if (!strstr(err.msg, want))
		fail_msg("error \"%s\" does not contain \"%s\"", err.msg, want);
	assert_string_equal(err.file, "apko.lock.json");
	assert_null(l.packages);
	assert_null(l.keyring);
}

/* full_text with one piece of text replaced. */
static char *full_with(const char *from, const char *to)
{
	const char *at = strstr(full_text, from);
	assert_non_null(at);
	size_t head = (size_t)(at - full_text), n = strlen(full_text) - strlen(from) + strlen(to);
	char *s = malloc(n + 1);
	assert_non_null(s);
	memcpy(s, full_text, head);
	strcpy(s + head, to);
	strcat(s, at + strlen(from));
	return s;
}

static void expect_full_with_error(const char *from, const char *to, int code, const char *want)
{
	char *text = full_with(from, to);
	expect_parse_error(text, code, want);
	free(text);
}

static void test_write_empty_lock_has_empty_lists_and_a_final_newline(void **state)
{
	(void)state;
	struct mint_lock l = { 0 };
	struct mint_buf out = MINT_BUF_INIT;
	write_ok(&l, &out);
	assert_string_equal(mint_buf_cstr(&out), empty_text);
	mint_buf_free(&out);
}

static void test_write_config_without_name_or_checksum_is_an_empty_object(void **state)
{
	(void)state;
	struct mint_lock l = { .has_config = true };
	struct mint_buf out = MINT_BUF_INIT;
	write_ok(&l, &out);
	assert_non_null(strstr(mint_buf_cstr(&out), "  \"version\": \"v1\",\n  \"config\": {},\n"));
	mint_buf_free(&out);
}

static void test_parse_then_write_gives_the_same_bytes(void **state)
{
	(void)state;
	struct mint_lock l;
	struct mint_err err = { 0 };
	struct mint_buf out = MINT_BUF_INIT;
	assert_ok(parse_text(full_text, &l, &err), &err);
	assert_int_equal(l.form, MINT_LOCK_FORM_CURRENT);
	assert_int_equal(l.n_keyring, 2);
	assert_null(l.keyring[1].content);
	assert_int_equal(l.n_packages, 2);
	assert_int_equal(l.packages[0].control.first, 647);
	assert_int_equal(l.packages[0].control.last, 1628);
	assert_string_equal(l.packages[1].signature.checksum, "");
	assert_string_equal(l.config_checksum, CFG_SUM);
	write_ok(&l, &out);
	assert_string_equal(mint_buf_cstr(&out), full_text);
	mint_lock_free(&l);
	mint_buf_free(&out);
}

static void test_write_escapes_strings_as_go_does(void **state)
{
	(void)state;
	struct mint_lock_repo r = { "<a&b>\"\\/\n\t\b\f\x01\x7f", "\xc3\xa9\xe2\x80\xa8\xff\xc0\xaf",
				    "\xed\xa0\x80\xef\xbf\xbd" };
	struct mint_lock l = { .repositories = &r, .n_repositories = 1 };
	struct mint_buf out = MINT_BUF_INIT;
	write_ok(&l, &out);
	const char *s = mint_buf_cstr(&out);
	assert_non_null(strstr(s, "\"name\": \"\\u003ca\\u0026b\\u003e\\\"\\\\/\\n\\t\\b\\f\\u0001\x7f\""));
	/* é stays, U+2028 is escaped, a stray byte and an overlong form are
	 * U+FFFD each byte, as Go's encoder writes them. */
	assert_non_null(strstr(s, "\"url\": \"\xc3\xa9\\u2028\\ufffd\\ufffd\\ufffd\""));
	/* A surrogate encoded in UTF-8 is invalid (three bytes, three U+FFFD);
	 * a real U+FFFD is kept as it is. */
	assert_non_null(strstr(s, "\"architecture\": \"\\ufffd\\ufffd\\ufffd\xef\xbf\xbd\""));
	mint_buf_free(&out);
}

static void test_write_pre_0_13_form_leaves_out_newer_fields_and_final_newline(void **state)
{
	(void)state;
	struct mint_lock_key k = { "k", "k", NULL };
	struct mint_lock_package p = {
		.name = "a", .url = "u", .version = "1", .architecture = "x86_64",
		.control = { 0, 9, CTL_SUM }, .data = { 10, 19, DATA_SUM },
	};
	struct mint_lock l = { .form = MINT_LOCK_FORM_PRE_0_13, .keyring = &k, .n_keyring = 1,
			       .packages = &p, .n_packages = 1 };
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_lock back;
	struct mint_err err = { 0 };
	write_ok(&l, &out);
	const char *s = mint_buf_cstr(&out);
	assert_null(strstr(s, "build_repositories"));
	assert_null(strstr(s, "runtime_repositories"));
	assert_null(strstr(s, "\"checksum\": \"Q1"));
	assert_non_null(strstr(s, "    \"repositories\": [],\n"));
	assert_true(out.data[out.len - 1] == '}');
	assert_ok(mint_lock_parse(mint_buf_span(&out), "x", &back, &err), &err);
	assert_int_equal(back.form, MINT_LOCK_FORM_PRE_0_13);
	mint_lock_free(&back);
	mint_buf_free(&out);
}

static void test_write_refuses_what_the_lock_form_cannot_hold(void **state)
{
	(void)state;
	struct mint_lock_repo r = { "n", "u", "x86_64" };
	struct mint_lock_key k = { "k", "k", "PEM" };
	struct mint_lock l = { .form = MINT_LOCK_FORM_PRE_0_13, .build_repositories = &r,
			       .n_build_repositories = 1 };
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_int_equal(mint_lock_write(&l, &out, &err), MINT_EINVAL);
	assert_non_null(strstr(err.msg, "pre-0.13"));
	l = (struct mint_lock){ .form = MINT_LOCK_FORM_PRE_0_13, .keyring = &k, .n_keyring = 1 };
	assert_int_equal(mint_lock_write(&l, &out, NULL), MINT_EINVAL);
	l = (struct mint_lock){ .form = (enum mint_lock_form)7 };
	assert_int_equal(mint_lock_write(&l, &out, NULL), MINT_EINVAL);
	assert_int_equal(out.len, 0);
	mint_buf_free(&out);
}

static void test_write_refuses_missing_strings_and_malformed_checksums(void **state)
{
	(void)state;
	struct mint_lock_package p = {
		.name = "a", .url = "u", .version = "1", .architecture = NULL,
		.control = { 0, 9, CTL_SUM }, .data = { 10, 19, DATA_SUM },
	};
	struct mint_lock l = { .packages = &p, .n_packages = 1 };
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_int_equal(mint_lock_write(&l, &out, &err), MINT_EINVAL);
	assert_string_equal(err.msg, "contents.packages[0] has no architecture");
	p.architecture = "x86_64";
	write_ok(&l, &out);
	strcpy(p.data.checksum, "sha256-short");
	assert_int_equal(mint_lock_write(&l, &out, NULL), MINT_EINVAL);
	strcpy(p.data.checksum, DATA_SUM);
	p.data.first = 20;
	assert_int_equal(mint_lock_write(&l, &out, NULL), MINT_EINVAL);
	p.data.first = 10;
	strcpy(p.checksum, "Q1-not-base64");
	assert_int_equal(mint_lock_write(&l, &out, NULL), MINT_EINVAL);
	p.checksum[0] = '\0';
	p.control.checksum[0] = '\0';
	assert_int_equal(mint_lock_write(&l, &out, NULL), MINT_EINVAL);
	struct mint_lock c = { .has_config = true };
	strcpy(c.config_checksum, CTL_SUM);
	assert_int_equal(mint_lock_write(&c, &out, &err), MINT_EINVAL);
	assert_non_null(strstr(err.msg, "config.checksum"));
	mint_buf_free(&out);
}

static void test_parse_syntax_error_has_line_and_column(void **state)
{
	(void)state;
	struct mint_lock l;
	struct mint_err err = { 0 };
	assert_int_equal(parse_text("{\n  \"version\": \"v1\",\n  oops\n}\n", &l, &err),
			 MINT_EFORMAT);
	assert_int_equal(err.line, 3);
	assert_true(err.column > 0);
	assert_string_equal(err.file, "apko.lock.json");
}

static void test_parse_names_the_field_of_an_unknown_key(void **state)
{
	(void)state;
	expect_full_with_error("\"checksum\": \"" Q1 "\"\n      },",
			       "\"checksum\": \"" Q1 "\", \"sha\": 1\n      },", MINT_EFORMAT,
			       "contents.packages[0]: unknown field \"sha\"");
	expect_full_with_error("\"version\": \"v1\",", "\"version\": \"v1\", \"extra\": {},",
			       MINT_EFORMAT, "lock: unknown field \"extra\"");
}

static void test_parse_refuses_an_unknown_or_missing_version(void **state)
{
	(void)state;
	expect_full_with_error("\"v1\"", "\"v2\"", MINT_EUNSUPPORTED, "version: \"v2\" is not");
	expect_full_with_error("\"version\": \"v1\",", "", MINT_EFORMAT, "version: is missing");
	expect_parse_error("{\"version\": \"v1\"}", MINT_EFORMAT, "contents: is missing");
	expect_parse_error("[]", MINT_EFORMAT, "a lock file is a JSON object");
}

static void test_parse_refuses_duplicate_keys(void **state)
{
	(void)state;
	expect_full_with_error("\"version\": \"v1\",", "\"version\": \"v1\", \"version\": \"v1\",",
			       MINT_EFORMAT, "duplicate");
	expect_full_with_error("\"checksum\": \"" Q1 "\"\n      },",
			       "\"checksum\": \"" Q1 "\", \"Checksum\": \"" Q1 "\"\n      },",
			       MINT_EFORMAT, "contents.packages[0].checksum: is given twice");
}

static void test_parse_refuses_malformed_ranges(void **state)
{
	(void)state;
	const char *bad[] = { "bytes=1629-1628", "bytes=01629-2929", "bytes=1629-",
			      "bytes=-2929", "bytes=1629-29-29", "byte=1629-2929",
			      "bytes=1629-18446744073709551616", "bytes= 1629-2929", "" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char to[96];
		snprintf(to, sizeof(to), "\"range\": \"%s\"", bad[i]);
		expect_full_with_error("\"range\": \"bytes=1629-2929\"", to, MINT_EFORMAT,
				       "contents.packages[0].data");
	}
}

static void test_parse_refuses_malformed_checksums(void **state)
{
	(void)state;
	expect_full_with_error(DATA_SUM "\"\n        },\n        \"checksum\": \"" Q1,
			       "sha256-abc\"\n        },\n        \"checksum\": \"" Q1,
			       MINT_EFORMAT, "contents.packages[0].data: checksum \"sha256-abc\"");
	expect_full_with_error("\"checksum\": \"" Q1 "\"", "\"checksum\": \"Q1abc\"", MINT_EFORMAT,
			       "contents.packages[0].checksum: \"Q1abc\" is not Q1");
	expect_full_with_error(CFG_SUM, CTL_SUM, MINT_EFORMAT, "config.checksum");
}

static void test_parse_refuses_an_empty_control_or_data_member(void **state)
{
	(void)state;
	expect_full_with_error("\"range\": \"bytes=0-99\",\n          \"checksum\": \"" CTL_SUM "\"",
			       "\"range\": \"\",\n          \"checksum\": \"\"", MINT_EFORMAT,
			       "contents.packages[1].control: is empty");
	expect_full_with_error("\"range\": \"\",\n          \"checksum\": \"\"",
			       "\"range\": \"\",\n          \"checksum\": \"" SIG_SUM "\"",
			       MINT_EFORMAT, "contents.packages[1].signature: range \"\"");
}

static void test_parse_refuses_wrong_types(void **state)
{
	(void)state;
	expect_full_with_error("\"name\": \"signed\"", "\"name\": 5", MINT_EFORMAT,
			       "contents.packages[0].name: must be a string");
	expect_full_with_error("\"runtime_repositories\": []", "\"runtime_repositories\": {}",
			       MINT_EFORMAT, "contents.runtime_repositories: must be an array");
	expect_full_with_error("\"runtime_repositories\": []", "\"runtime_repositories\": [7]",
			       MINT_EFORMAT, "contents.runtime_repositories[0]: must be an object");
	expect_full_with_error("\"architecture\": \"x86_64\"\n      }\n    ],\n    \"runtime",
			       "\"architecture\": null\n      }\n    ],\n    \"runtime",
			       MINT_EFORMAT, "contents.build_repositories[0].architecture");
	expect_parse_error("{\"version\": \"v1\", \"contents\": {\"keyring\": [{\"name\": \"a\\u0000\", "
			   "\"url\": \"u\"}]}}", MINT_EFORMAT, "");
}

static void test_parse_reads_absent_and_null_lists_as_empty(void **state)
{
	(void)state;
	struct mint_lock l;
	struct mint_err err = { 0 };
	assert_ok(parse_text("{\"version\": \"v1\", \"config\": null, \"contents\": {"
			     "\"keyring\": null, \"build_repositories\": null, \"packages\": null}}",
			     &l, &err), &err);
	assert_false(l.has_config);
	assert_int_equal(l.n_keyring + l.n_repositories + l.n_packages, 0);
	assert_int_equal(l.form, MINT_LOCK_FORM_CURRENT);
	mint_lock_free(&l);
}

static void test_parse_reads_the_capitalised_checksum_apko_0_12_wrote(void **state)
{
	(void)state;
	char *text = full_with("\"checksum\": \"" Q1 "\"\n      },", "\"Checksum\": \"" Q1 "\"\n      },");
	struct mint_lock l;
	struct mint_err err = { 0 };
	assert_ok(parse_text(text, &l, &err), &err);
	assert_string_equal(l.packages[0].checksum, Q1);
	mint_lock_free(&l);
	free(text);
}

static void test_parse_recognises_the_pre_0_13_form(void **state)
{
	(void)state;
	static const char text[] =
		"{\n  \"version\": \"v1\",\n  \"contents\": {\n    \"keyring\": [\n      {\n"
		"        \"name\": \"./k.pub\",\n        \"url\": \"./k.pub\"\n      }\n    ],\n"
		"    \"repositories\": [],\n    \"packages\": [\n      {\n"
		"        \"name\": \"a\",\n        \"url\": \"./a-1.apk\",\n"
		"        \"version\": \"1\",\n        \"architecture\": \"x86_64\",\n"
		"        \"signature\": {\n          \"range\": \"bytes=0-9\",\n"
		"          \"checksum\": \"" SIG_SUM "\"\n        },\n"
		"        \"control\": {\n          \"range\": \"bytes=10-19\",\n"
		"          \"checksum\": \"" CTL_SUM "\"\n        },\n"
		"        \"data\": {\n          \"range\": \"bytes=20-29\",\n"
		"          \"checksum\": \"" DATA_SUM "\"\n        }\n      }\n    ]\n  }\n}";
	struct mint_lock l;
	struct mint_err err = { 0 };
	struct mint_buf out = MINT_BUF_INIT;
	assert_ok(parse_text(text, &l, &err), &err);
	assert_int_equal(l.form, MINT_LOCK_FORM_PRE_0_13);
	assert_string_equal(l.packages[0].checksum, "");
	write_ok(&l, &out);
	assert_string_equal(mint_buf_cstr(&out), text);
	mint_lock_free(&l);
	mint_buf_free(&out);
}

static void test_parse_of_nothing_is_a_syntax_error(void **state)
{
	(void)state;
	struct mint_lock l;
	struct mint_err err = { 0 };
	assert_int_equal(mint_lock_parse(MINT_SPAN_NULL, "empty.json", &l, &err), MINT_EFORMAT);
	assert_string_equal(err.file, "empty.json");
	assert_int_equal(mint_lock_parse(MINT_SPAN_LIT("{}"), "x", NULL, NULL), MINT_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_empty_lock_has_empty_lists_and_a_final_newline),
		cmocka_unit_test(test_write_config_without_name_or_checksum_is_an_empty_object),
		cmocka_unit_test(test_parse_then_write_gives_the_same_bytes),
		cmocka_unit_test(test_write_escapes_strings_as_go_does),
		cmocka_unit_test(test_write_pre_0_13_form_leaves_out_newer_fields_and_final_newline),
		cmocka_unit_test(test_write_refuses_what_the_lock_form_cannot_hold),
		cmocka_unit_test(test_write_refuses_missing_strings_and_malformed_checksums),
		cmocka_unit_test(test_parse_syntax_error_has_line_and_column),
		cmocka_unit_test(test_parse_names_the_field_of_an_unknown_key),
		cmocka_unit_test(test_parse_refuses_an_unknown_or_missing_version),
		cmocka_unit_test(test_parse_refuses_duplicate_keys),
		cmocka_unit_test(test_parse_refuses_malformed_ranges),
		cmocka_unit_test(test_parse_refuses_malformed_checksums),
		cmocka_unit_test(test_parse_refuses_an_empty_control_or_data_member),
		cmocka_unit_test(test_parse_refuses_wrong_types),
		cmocka_unit_test(test_parse_reads_absent_and_null_lists_as_empty),
		cmocka_unit_test(test_parse_reads_the_capitalised_checksum_apko_0_12_wrote),
		cmocka_unit_test(test_parse_recognises_the_pre_0_13_form),
		cmocka_unit_test(test_parse_of_nothing_is_a_syntax_error),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
