/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "mint/apk_dep.h"

#define S(x) mint_span_str(x)

static void parse_ok(const char *text, struct mint_apk_dep *d)
{
	struct mint_err err = { 0 };
	assert_ok(mint_apk_dep_parse(S(text), d, &err), &err);
}

/* Parses text, expects a format error, returns its formatted line. */
static void parse_fails(const char *text, char *line, size_t cap)
{
	struct mint_err err = { 0 };
	struct mint_apk_dep d;
	assert_int_equal(mint_apk_dep_parse(S(text), &d, &err), MINT_EFORMAT);
	assert_null(d.name);
	mint_err_format(&err, line, cap);
}

static void assert_dep(const struct mint_apk_dep *d, const char *name, const char *tag,
		       unsigned op, const char *version)
{
	assert_string_equal(d->name, name);
	if (tag)
		assert_string_equal(d->tag, tag);
	else
		assert_null(d->tag);
	assert_int_equal(d->op, op);
	if (version)
		assert_string_equal(d->version, version);
	else
		assert_null(d->version);
}

static void test_dep_op_bits_have_apk_values(void **state)
{
	(void)state;
	assert_int_equal(MINT_APK_DEP_EQUAL, 1);
	assert_int_equal(MINT_APK_DEP_LESS, 2);
	assert_int_equal(MINT_APK_DEP_GREATER, 4);
	assert_int_equal(MINT_APK_DEP_FUZZY, 8);
	assert_int_equal(MINT_APK_DEP_CONFLICT, 16);
	assert_int_equal(MINT_APK_DEP_ANY, 7);
	assert_int_equal(MINT_APK_DEP_CHECKSUM, 6);
}

static void test_dep_parse_every_operator(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		unsigned op;
		const char *canonical;
	} cases[] = {
		{ "foo=1.2", MINT_APK_DEP_EQUAL, "foo=1.2" },
		{ "foo<1.2", MINT_APK_DEP_LESS, "foo<1.2" },
		{ "foo>1.2", MINT_APK_DEP_GREATER, "foo>1.2" },
		{ "foo<=1.2", MINT_APK_DEP_LESS | MINT_APK_DEP_EQUAL, "foo<=1.2" },
		{ "foo>=1.2", MINT_APK_DEP_GREATER | MINT_APK_DEP_EQUAL, "foo>=1.2" },
		{ "foo~1.2", MINT_APK_DEP_FUZZY | MINT_APK_DEP_EQUAL, "foo~1.2" },
		{ "foo=~1.2", MINT_APK_DEP_FUZZY | MINT_APK_DEP_EQUAL, "foo~1.2" },
		{ "foo<~1.2", MINT_APK_DEP_LESS | MINT_APK_DEP_EQUAL | MINT_APK_DEP_FUZZY,
		  "foo<~1.2" },
		{ "foo>~1.2", MINT_APK_DEP_GREATER | MINT_APK_DEP_EQUAL | MINT_APK_DEP_FUZZY,
		  "foo>~1.2" },
		{ "foo><Q1abc+/=", MINT_APK_DEP_CHECKSUM, "foo><Q1abc+/=" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mint_apk_dep d;
		struct mint_buf out = MINT_BUF_INIT;
		parse_ok(cases[i].text, &d);
		assert_int_equal(d.op, cases[i].op);
		assert_int_equal(mint_apk_dep_format(&d, &out), 0);
		assert_string_equal(mint_buf_cstr(&out), cases[i].canonical);
		mint_buf_free(&out);
		mint_apk_dep_free(&d);
	}
}

static void test_dep_parse_unversioned_is_any_without_version(void **state)
{
	(void)state;
	struct mint_apk_dep d;
	parse_ok("busybox", &d);
	assert_dep(&d, "busybox", NULL, MINT_APK_DEP_ANY, NULL);
	mint_apk_dep_free(&d);
}

static void test_dep_parse_conflict_and_tag(void **state)
{
	(void)state;
	struct mint_apk_dep d;
	parse_ok("!foo", &d);
	assert_dep(&d, "foo", NULL, MINT_APK_DEP_ANY | MINT_APK_DEP_CONFLICT, NULL);
	mint_apk_dep_free(&d);
	parse_ok("foo@edge", &d);
	assert_dep(&d, "foo", "edge", MINT_APK_DEP_ANY, NULL);
	mint_apk_dep_free(&d);
	parse_ok("!foo@testing<2.0_rc1-r3", &d);
	assert_dep(&d, "foo", "testing", MINT_APK_DEP_LESS | MINT_APK_DEP_CONFLICT,
		   "2.0_rc1-r3");
	struct mint_buf out = MINT_BUF_INIT;
	assert_int_equal(mint_apk_dep_format(&d, &out), 0);
	assert_string_equal(mint_buf_cstr(&out), "!foo@testing<2.0_rc1-r3");
	mint_buf_free(&out);
	mint_apk_dep_free(&d);
}

static void test_dep_parse_prefixed_and_path_names(void **state)
{
	(void)state;
	const char *names[] = { "so:libc.musl-x86_64.so.1", "cmd:ls", "pc:zlib", "/bin/sh",
				"so-ver:libfoo.so.1", "py3.12-pip", "gtk+3.0", "a,b[c]" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct mint_apk_dep d;
		parse_ok(names[i], &d);
		assert_dep(&d, names[i], NULL, MINT_APK_DEP_ANY, NULL);
		mint_apk_dep_free(&d);
	}
	struct mint_apk_dep d;
	parse_ok("so:libc.musl-x86_64.so.1=1", &d);
	assert_dep(&d, "so:libc.musl-x86_64.so.1", NULL, MINT_APK_DEP_EQUAL, "1");
	mint_apk_dep_free(&d);
}

static void test_dep_parse_empty_name_error_text(void **state)
{
	(void)state;
	char line[1024];
	parse_fails(">=1.0", line, sizeof(line));
	assert_string_equal(line, "at offset 0: dependency '>=1.0': missing package name");
	parse_fails("!", line, sizeof(line));
	assert_string_equal(line, "at offset 1: dependency '!': missing package name");
	parse_fails("! foo", line, sizeof(line));
	assert_string_equal(line, "at offset 1: dependency '! foo': missing package name");
	parse_fails("@edge", line, sizeof(line));
	assert_string_equal(line, "at offset 0: dependency '@edge': missing package name");
	parse_fails("", line, sizeof(line));
	assert_string_equal(line, "at offset 0: dependency '': empty dependency");
}

static void test_dep_parse_bad_operator_error_text(void **state)
{
	(void)state;
	char line[1024];
	parse_fails("foo=>1.0", line, sizeof(line));
	assert_string_equal(line, "at offset 3: dependency 'foo=>1.0': unknown operator '=>'");
	parse_fails("foo<>1.0", line, sizeof(line));
	assert_string_equal(line, "at offset 3: dependency 'foo<>1.0': unknown operator '<>'");
}

static void test_dep_parse_bad_version_error_text(void **state)
{
	(void)state;
	char line[1024];
	parse_fails("foo>=1.0-x", line, sizeof(line));
	assert_string_equal(line,
			    "at offset 5: dependency 'foo>=1.0-x': invalid version '1.0-x'");
	parse_fails("foo>=", line, sizeof(line));
	assert_string_equal(line, "at offset 5: dependency 'foo>=': missing version after '>='");
	parse_fails("foo><1.0", line, sizeof(line));
	assert_non_null(strstr(line, "'><' wants a package identity"));
}

static void test_dep_parse_trailing_junk_and_bad_bytes(void **state)
{
	(void)state;
	char line[1024];
	parse_fails("foo=1.0 bar", line, sizeof(line));
	assert_string_equal(line,
			    "at offset 7: dependency 'foo=1.0 bar': unexpected text after the dependency");
	parse_fails("foo bar", line, sizeof(line));
	assert_string_equal(line,
			    "at offset 3: dependency 'foo bar': unexpected text after the dependency");
	parse_fails("fo*o", line, sizeof(line));
	assert_string_equal(line, "at offset 2: dependency 'fo*o': invalid character '*' in package name");
	parse_fails("fo\x01", line, sizeof(line));
	assert_string_equal(line,
			    "at offset 2: dependency 'fo\\x01': invalid character '\\x01' in package name");
	parse_fails("foo@", line, sizeof(line));
	assert_string_equal(line, "at offset 4: dependency 'foo@': empty repository tag after '@'");
	parse_fails("foo@a@b", line, sizeof(line));
	assert_non_null(strstr(line, "invalid character '@' in repository tag"));
	parse_fails("!!foo", line, sizeof(line));
	parse_fails("foo=1.0=2", line, sizeof(line));
}

static void test_dep_parse_error_quotes_long_items_cut_short(void **state)
{
	(void)state;
	char text[300], line[2048];
	memset(text, 'a', sizeof(text) - 2);
	text[sizeof(text) - 2] = '*';
	text[sizeof(text) - 1] = '\0';
	parse_fails(text, line, sizeof(line));
	assert_non_null(strstr(line, "...': invalid character '*'"));
	assert_non_null(strstr(line, "at offset 298:"));
}

static void test_deps_parse_list_with_offsets(void **state)
{
	(void)state;
	struct mint_err err = { 0 };
	struct mint_apk_dep *deps;
	size_t n;
	const char *list = "  musl>=1.2\n so:libc.musl-x86_64.so.1\t!foo /bin/sh \n";
	assert_ok(mint_apk_deps_parse(S(list), &deps, &n, &err), &err);
	assert_int_equal(n, 4);
	assert_dep(&deps[0], "musl", NULL, MINT_APK_DEP_GREATER | MINT_APK_DEP_EQUAL, "1.2");
	assert_dep(&deps[1], "so:libc.musl-x86_64.so.1", NULL, MINT_APK_DEP_ANY, NULL);
	assert_dep(&deps[2], "foo", NULL, MINT_APK_DEP_ANY | MINT_APK_DEP_CONFLICT, NULL);
	assert_dep(&deps[3], "/bin/sh", NULL, MINT_APK_DEP_ANY, NULL);
	mint_apk_deps_free(deps, n);

	assert_ok(mint_apk_deps_parse(S(" \n "), &deps, &n, &err), &err);
	assert_int_equal(n, 0);
	assert_null(deps);

	char line[1024];
	assert_int_equal(mint_apk_deps_parse(S("a b>=1 c>=x d"), &deps, &n, &err), MINT_EFORMAT);
	assert_int_equal(n, 0);
	assert_null(deps);
	mint_err_format(&err, line, sizeof(line));
	assert_string_equal(line, "at offset 10: dependency 'c>=x': invalid version 'x'");
}

static void test_dep_satisfied_by_name_and_version(void **state)
{
	(void)state;
	struct mint_apk_dep d;
	parse_ok("foo>=1.2", &d);
	assert_true(mint_apk_dep_satisfied_by(&d, S("foo"), S("1.2")));
	assert_true(mint_apk_dep_satisfied_by(&d, S("foo"), S("1.10-r0")));
	assert_false(mint_apk_dep_satisfied_by(&d, S("foo"), S("1.1")));
	assert_false(mint_apk_dep_satisfied_by(&d, S("foobar"), S("1.2")));
	mint_apk_dep_free(&d);

	parse_ok("foo~1.6", &d);
	assert_true(mint_apk_dep_satisfied_by(&d, S("foo"), S("1.6.0_pre1")));
	assert_true(mint_apk_dep_satisfied_by(&d, S("foo"), S("1.6.9_p1")));
	assert_false(mint_apk_dep_satisfied_by(&d, S("foo"), S("1.7")));
	mint_apk_dep_free(&d);

	parse_ok("foo", &d);
	assert_true(mint_apk_dep_satisfied_by(&d, S("foo"), S("0.1")));
	mint_apk_dep_free(&d);
}

static void test_dep_satisfied_by_conflict_inverts(void **state)
{
	(void)state;
	struct mint_apk_dep d;
	parse_ok("!foo<2", &d);
	assert_false(mint_apk_dep_satisfied_by(&d, S("foo"), S("1.9")));
	assert_true(mint_apk_dep_satisfied_by(&d, S("foo"), S("2.0")));
	mint_apk_dep_free(&d);
	parse_ok("!foo", &d);
	assert_false(mint_apk_dep_satisfied_by(&d, S("foo"), S("1.0")));
	mint_apk_dep_free(&d);
}

static void test_dep_satisfied_by_checksum_compares_identity(void **state)
{
	(void)state;
	struct mint_apk_dep d;
	parse_ok("foo><Q1abcd=", &d);
	assert_true(mint_apk_dep_satisfied_by(&d, S("foo"), S("Q1abcd=")));
	assert_false(mint_apk_dep_satisfied_by(&d, S("foo"), S("Q1abce=")));
	mint_apk_dep_free(&d);
}

static void test_dep_format_appends_and_rejects_unknown_op(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_apk_dep d = { .name = "foo", .op = MINT_APK_DEP_FUZZY, .version = "1" };
	assert_int_equal(mint_buf_puts(&out, "x "), 0);
	assert_int_equal(mint_apk_dep_format(&d, &out), MINT_EINVAL);
	d.op = MINT_APK_DEP_EQUAL;
	assert_int_equal(mint_apk_dep_format(&d, &out), 0);
	assert_string_equal(mint_buf_cstr(&out), "x foo=1");
	d.version = NULL;
	assert_int_equal(mint_apk_dep_format(&d, &out), MINT_EINVAL);
	mint_buf_free(&out);
	assert_string_equal(mint_apk_dep_op_string(MINT_APK_DEP_ANY | MINT_APK_DEP_CONFLICT), "");
	assert_null(mint_apk_dep_op_string(MINT_APK_DEP_FUZZY));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dep_op_bits_have_apk_values),
		cmocka_unit_test(test_dep_parse_every_operator),
		cmocka_unit_test(test_dep_parse_unversioned_is_any_without_version),
		cmocka_unit_test(test_dep_parse_conflict_and_tag),
		cmocka_unit_test(test_dep_parse_prefixed_and_path_names),
		cmocka_unit_test(test_dep_parse_empty_name_error_text),
		cmocka_unit_test(test_dep_parse_bad_operator_error_text),
		cmocka_unit_test(test_dep_parse_bad_version_error_text),
		cmocka_unit_test(test_dep_parse_trailing_junk_and_bad_bytes),
		cmocka_unit_test(test_dep_parse_error_quotes_long_items_cut_short),
		cmocka_unit_test(test_deps_parse_list_with_offsets),
		cmocka_unit_test(test_dep_satisfied_by_name_and_version),
		cmocka_unit_test(test_dep_satisfied_by_conflict_inverts),
		cmocka_unit_test(test_dep_satisfied_by_checksum_compares_identity),
		cmocka_unit_test(test_dep_format_appends_and_rejects_unknown_op),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
