/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <string.h>

#include "lib/sbom/writer.h"

static void test_meta_identity_gives_the_sha1_in_hex(void **state)
{
	(void)state;
	char hex[41];
	assert_true(sbom_identity_sha1_hex("Q1m6wB0UFePGN8Drz82pC8y2uAiu8=", hex));
	assert_string_equal(hex, "9bac01d1415e3c637c0ebcfcda90bccb6b808aef");
	assert_false(sbom_identity_sha1_hex(NULL, hex));
	assert_false(sbom_identity_sha1_hex("Q2m6wB0UFePGN8Drz82pC8y2uAiu8=", hex));
	assert_false(sbom_identity_sha1_hex("Q1m6wB0UFePGN8Drz82pC8y2uAi=", hex));
	assert_false(sbom_identity_sha1_hex("Q1!!!!", hex));
}

static void split_is(const char *m, const char *name, const char *email)
{
	struct mint_span n, e;
	sbom_split_maintainer(m, &n, &e);
	assert_true(mint_span_eq_str(n, name));
	assert_true(mint_span_eq_str(e, email));
}

static void test_meta_maintainer_splits_into_name_and_address(void **state)
{
	(void)state;
	split_is("Natanael Copa <ncopa@alpinelinux.org>", "Natanael Copa", "ncopa@alpinelinux.org");
	split_is("  Wolfi  ", "Wolfi", "");
	split_is("Builders <not an address>", "Builders", "");
	split_is("<a@b.example>", "", "a@b.example");
	split_is(NULL, "", "");
}

static void test_meta_email_needs_dot_atom_and_a_dotted_domain(void **state)
{
	(void)state;
	assert_true(sbom_email_ok(MINT_SPAN_LIT("a.b+c@mail.example.org")));
	assert_false(sbom_email_ok(MINT_SPAN_LIT("a@localhost")));
	assert_false(sbom_email_ok(MINT_SPAN_LIT("a..b@x.org")));
	assert_false(sbom_email_ok(MINT_SPAN_LIT("@x.org")));
	assert_false(sbom_email_ok(MINT_SPAN_LIT("a@-x.org")));
	assert_false(sbom_email_ok(MINT_SPAN_LIT("a@x.org.")));
	assert_false(sbom_email_ok(MINT_SPAN_LIT("a b@x.org")));
}

static void test_meta_license_expressions_valid(void **state)
{
	(void)state;
	static const char *const ok[] = {
		"MIT", "GPL-2.0+", "LicenseRef-ubuntu-font", "MIT OR Apache-2.0",
		"GPL-2.0-or-later WITH Classpath-exception-2.0",
		"(MIT OR Apache-2.0) AND BSD-3-Clause", " ( MIT ) ",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		assert_true(sbom_license_expr_valid(ok[i]));
}

static void test_meta_license_fields_that_are_no_expression(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "custom license", "MIT and GPL", "MIT OR", "(MIT", "MIT)", "AND",
		"DocumentRef-x:LicenseRef-y", "NONE", "NOASSERTION", "MIT WITH", "LicenseRef-",
		"GPL/2", "MIT WITH (X)", "LicenseRef-a+",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(sbom_license_expr_valid(bad[i]));
	char deep[300];
	memset(deep, '(', 100);
	strcpy(deep + 100, "MIT");
	memset(deep + 103, ')', 100);
	deep[203] = '\0';
	assert_false(sbom_license_expr_valid(deep));
}

static int collect(void *ctx, struct mint_span ref)
{
	return mint_buf_append_span(ctx, ref) || mint_buf_putc(ctx, ',');
}

static void test_meta_license_refs_lists_each_licenseref(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	assert_int_equal(sbom_license_refs("(LicenseRef-a OR MIT) AND LicenseRef-b.c", collect,
					   &out), 0);
	assert_string_equal(out.data, "LicenseRef-a,LicenseRef-b.c,");
	mint_buf_free(&out);
}

static void test_meta_url_ok_only_for_plain_http_urls(void **state)
{
	(void)state;
	assert_true(sbom_url_ok("https://musl.libc.org/"));
	assert_true(sbom_url_ok("http://x.example/a%20b?q=1#f"));
	assert_false(sbom_url_ok("ftp://x.example/"));
	assert_false(sbom_url_ok("https://"));
	assert_false(sbom_url_ok("https://x.example/a b"));
	assert_false(sbom_url_ok("https://x.example/<x>"));
	assert_false(sbom_url_ok("https://x.example/%zz"));
	assert_false(sbom_url_ok(NULL));
}

static void test_meta_uuid5_matches_rfc4122_name_based_uuid(void **state)
{
	(void)state;
	char uuid[37];
	/* python3 -c 'import uuid; print(uuid.uuid5(uuid.NAMESPACE_URL, "..."))' */
	assert_int_equal(sbom_uuid5_url("https://mint.invalid/cyclonedx/image/ab", uuid), 0);
	assert_string_equal(uuid, "669eb063-b56d-53d5-ae30-4591d2241e15");
}

static void test_meta_document_uri_from_digest(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	char d[80] = "sha256:";
	memset(d + 7, 'a', 64);
	d[71] = '\0';
	assert_ok(sbom_document_uri("spdx", "image", d, true, &out, &err), &err);
	assert_string_equal(out.data, "https://mint.invalid/spdx/image/"
			    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/files");
	assert_int_equal(sbom_document_uri("spdx", "image", "sha256:AB", false, &out, &err),
			 MINT_EINVAL);
	assert_non_null(strstr(err.msg, "sha256:AB"));
	mint_buf_free(&out);
}

static void test_meta_vcs_url_splits_at_a_trailing_commit(void **state)
{
	(void)state;
	struct mint_span url, commit;
	sbom_split_vcs("https://github.com/a/b@0123abc", &url, &commit);
	assert_true(mint_span_eq_str(url, "https://github.com/a/b"));
	assert_true(mint_span_eq_str(commit, "0123abc"));
	sbom_split_vcs("https://x.example/a@branch", &url, &commit);
	assert_true(mint_span_eq_str(url, "https://x.example/a@branch"));
	assert_int_equal(commit.len, 0);
	sbom_split_vcs("https://x.example/a@", &url, &commit);
	assert_int_equal(commit.len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_meta_identity_gives_the_sha1_in_hex),
		cmocka_unit_test(test_meta_maintainer_splits_into_name_and_address),
		cmocka_unit_test(test_meta_email_needs_dot_atom_and_a_dotted_domain),
		cmocka_unit_test(test_meta_license_expressions_valid),
		cmocka_unit_test(test_meta_license_fields_that_are_no_expression),
		cmocka_unit_test(test_meta_license_refs_lists_each_licenseref),
		cmocka_unit_test(test_meta_url_ok_only_for_plain_http_urls),
		cmocka_unit_test(test_meta_uuid5_matches_rfc4122_name_based_uuid),
		cmocka_unit_test(test_meta_document_uri_from_digest),
		cmocka_unit_test(test_meta_vcs_url_splits_at_a_trailing_commit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
