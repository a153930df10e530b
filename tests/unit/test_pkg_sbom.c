/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <jansson.h>
#include <regex.h>
#include <string.h>

#include "mint/pkg_sbom.h"

static const struct mint_pkg_sbom_source two_sources[] = {
	{ "https://example.org/dl/hello-2.12.tar.gz",
	  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", NULL },
	{ "https://example.org/dl/hello patch.diff", NULL, "abcd" },
};

static struct mint_pkg_sbom_in hello(void)
{
	return (struct mint_pkg_sbom_in){
		.name = "hello",
		.full_version = "2.12-r3",
		.arch = "x86_64",
		.license = "GPL-3.0-or-later",
		.namespace_ = "wolfi",
		.description = "Says hello",
		.url = "https://www.gnu.org/software/hello/",
		.recipe_name = "hello",
		.recipe_sha256 = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210",
		.sources = two_sources,
		.n_sources = 2,
		.created = 1700000000,
	};
}

static json_t *write_doc(const struct mint_pkg_sbom_in *in, struct mint_buf *text)
{
	struct mint_err err = { 0 };
	json_error_t jerr;
	assert_ok(mint_pkg_sbom_spdx(in, text, &err), &err);
	json_t *doc = json_loadb(text->data, text->len, 0, &jerr);
	if (!doc)
		fail_msg("not JSON: %s at %d", jerr.text, jerr.position);
	return doc;
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static const json_t *package(const json_t *doc, const char *id)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(doc, "packages"), i, p)
		if (!strcmp(str(p, "SPDXID"), id))
			return p;
	fail_msg("no package %s", id);
	return NULL;
}

static const char *purl(const json_t *pkg)
{
	return str(json_array_get(json_object_get(pkg, "externalRefs"), 0), "referenceLocator");
}

static void test_pkg_sbom_describes_the_apk_with_purl_and_license(void **state)
{
	(void)state;
	struct mint_pkg_sbom_in in = hello();
	struct mint_buf text = MINT_BUF_INIT;
	json_t *doc = write_doc(&in, &text);
	assert_string_equal(str(doc, "SPDXID"), "SPDXRef-DOCUMENT");
	assert_string_equal(str(doc, "name"), "apk-hello-2.12-r3");
	assert_string_equal(str(doc, "spdxVersion"), "SPDX-2.3");
	assert_string_equal(str(doc, "dataLicense"), "CC0-1.0");
	assert_string_equal(json_string_value(json_array_get(json_object_get(doc,
		"documentDescribes"), 0)), "SPDXRef-Package-apk-hello-2.12-r3");
	const json_t *apk = package(doc, "SPDXRef-Package-apk-hello-2.12-r3");
	assert_string_equal(str(apk, "name"), "hello");
	assert_string_equal(str(apk, "versionInfo"), "2.12-r3");
	assert_string_equal(str(apk, "licenseDeclared"), "GPL-3.0-or-later");
	assert_string_equal(str(apk, "supplier"), "Organization: Wolfi");
	assert_string_equal(str(apk, "primaryPackagePurpose"), "APPLICATION");
	assert_string_equal(str(apk, "homepage"), "https://www.gnu.org/software/hello/");
	assert_string_equal(purl(apk), "pkg:apk/wolfi/hello@2.12-r3?arch=x86_64&distro=wolfi");
	const json_t *os = package(doc, "SPDXRef-OperatingSystem");
	assert_string_equal(str(os, "name"), "wolfi");
	assert_string_equal(str(os, "primaryPackagePurpose"), "OPERATING_SYSTEM");
	/* Go's HTML escaping of '&', as melange's files have it */
	assert_non_null(strstr(text.data, "x86_64\\u0026distro"));
	json_decref(doc);
	mint_buf_free(&text);
}

static void test_pkg_sbom_created_is_the_source_date_epoch(void **state)
{
	(void)state;
	struct mint_pkg_sbom_in in = hello();
	struct mint_buf text = MINT_BUF_INIT;
	json_t *doc = write_doc(&in, &text);
	assert_string_equal(str(json_object_get(doc, "creationInfo"), "created"),
			    "2023-11-14T22:13:20Z");
	json_decref(doc);
	mint_buf_free(&text);
}

static void test_pkg_sbom_sources_are_generated_from_with_checksums(void **state)
{
	(void)state;
	struct mint_pkg_sbom_in in = hello();
	struct mint_buf text = MINT_BUF_INIT;
	json_t *doc = write_doc(&in, &text);
	const json_t *s0 = package(doc, "SPDXRef-Package-Source-hello-2.12-0");
	const json_t *s1 = package(doc, "SPDXRef-Package-Source-hello-2.12-1");
	assert_string_equal(str(s0, "versionInfo"), "2.12");
	assert_string_equal(str(s0, "downloadLocation"), two_sources[0].uri);
	assert_string_equal(str(s0, "primaryPackagePurpose"), "SOURCE");
	assert_string_equal(str(json_array_get(json_object_get(s0, "checksums"), 0), "algorithm"),
			    "SHA256");
	assert_string_equal(purl(s0), "pkg:generic/hello@2.12?checksum=sha256:"
			    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
			    "&download_url=https:%2F%2Fexample.org%2Fdl%2Fhello-2.12.tar.gz");
	/* a URI with a space is no download location SPDX accepts */
	assert_string_equal(str(s1, "downloadLocation"), "NOASSERTION");
	assert_string_equal(purl(s1), "pkg:generic/hello@2.12?checksum=sha512:abcd");
	json_t *rels = json_object_get(doc, "relationships");
	assert_int_equal(json_array_size(rels), 3);
	assert_string_equal(str(json_array_get(rels, 0), "relationshipType"), "DESCRIBED_BY");
	assert_string_equal(str(json_array_get(rels, 0), "relatedSpdxElement"),
			    "SPDXRef-Package-Melange-hello.yaml-fedcba9876543210fedcba9876543210"
			    "fedcba9876543210fedcba9876543210");
	assert_string_equal(str(json_array_get(rels, 2), "relationshipType"), "GENERATED_FROM");
	assert_string_equal(str(json_array_get(rels, 2), "relatedSpdxElement"),
			    "SPDXRef-Package-Source-hello-2.12-1");
	json_decref(doc);
	mint_buf_free(&text);
}

static void test_pkg_sbom_ids_escape_characters_as_melange_does(void **state)
{
	(void)state;
	struct mint_pkg_sbom_in in = hello();
	in.name = "py3_foo+bar";
	in.recipe_name = "py3_foo";
	in.commit = "c0ffee";
	struct mint_buf text = MINT_BUF_INIT;
	json_t *doc = write_doc(&in, &text);
	package(doc, "SPDXRef-Package-apk-py3C95fooC43bar-2.12-r3");
	const json_t *recipe = package(doc, "SPDXRef-Package-Melange-py3C95foo.yaml-c0ffee");
	assert_string_equal(str(recipe, "name"), "py3_foo.yaml");
	assert_string_equal(str(recipe, "versionInfo"), "c0ffee");
	assert_string_equal(str(recipe, "primaryPackagePurpose"), "INSTALL");
	regex_t re;
	assert_int_equal(regcomp(&re, "^SPDXRef-[A-Za-z0-9.-]+$", REG_EXTENDED | REG_NOSUB), 0);
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(doc, "packages"), i, p)
		assert_int_equal(regexec(&re, str(p, "SPDXID"), 0, NULL, 0), 0);
	regfree(&re);
	json_decref(doc);
	mint_buf_free(&text);
}

static void test_pkg_sbom_same_inputs_same_bytes_other_inputs_other_namespace(void **state)
{
	(void)state;
	struct mint_pkg_sbom_in in = hello();
	struct mint_buf a = MINT_BUF_INIT, b = MINT_BUF_INIT, c = MINT_BUF_INIT;
	json_t *da = write_doc(&in, &a), *db = write_doc(&in, &b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	in.recipe_sha256 = "00";
	json_t *dc = write_doc(&in, &c);
	const char *ns = str(da, "documentNamespace");
	assert_true(!strncmp(ns, "https://mint.invalid/spdx/package/", 34));
	assert_string_not_equal(ns, str(dc, "documentNamespace"));
	json_decref(da);
	json_decref(db);
	json_decref(dc);
	mint_buf_free(&a);
	mint_buf_free(&b);
	mint_buf_free(&c);
}

static void test_pkg_sbom_license_absent_is_noassertion_and_text_gets_a_ref(void **state)
{
	(void)state;
	struct mint_pkg_sbom_in in = hello();
	struct mint_buf text = MINT_BUF_INIT;
	in.license = NULL;
	in.namespace_ = NULL;
	json_t *doc = write_doc(&in, &text);
	const json_t *apk = package(doc, "SPDXRef-Package-apk-hello-2.12-r3");
	assert_string_equal(str(apk, "licenseDeclared"), "NOASSERTION");
	assert_string_equal(purl(apk), "pkg:apk/unknown/hello@2.12-r3?arch=x86_64&distro=unknown");
	assert_null(json_object_get(doc, "hasExtractedLicensingInfos"));
	json_decref(doc);
	mint_buf_reset(&text);
	in.license = "Some custom terms";
	doc = write_doc(&in, &text);
	apk = package(doc, "SPDXRef-Package-apk-hello-2.12-r3");
	assert_string_equal(str(apk, "licenseDeclared"), "LicenseRef-mint-Some-custom-terms");
	json_t *info = json_array_get(json_object_get(doc, "hasExtractedLicensingInfos"), 0);
	assert_string_equal(str(info, "licenseId"), "LicenseRef-mint-Some-custom-terms");
	assert_string_equal(str(info, "extractedText"), "Some custom terms");
	json_decref(doc);
	mint_buf_free(&text);
}

static void test_pkg_sbom_appends_to_the_buffer(void **state)
{
	(void)state;
	struct mint_pkg_sbom_in in = hello();
	struct mint_buf text = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	mint_buf_puts(&text, "before");
	assert_ok(mint_pkg_sbom_spdx(&in, &text, &err), &err);
	assert_true(!strncmp(text.data, "before{\n  \"SPDXID\"", 18));
	assert_int_equal(text.data[text.len - 1], '\n');
	mint_buf_free(&text);
}

static void test_pkg_sbom_missing_name_or_bad_time_is_an_error(void **state)
{
	(void)state;
	struct mint_pkg_sbom_in in = hello();
	struct mint_buf text = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	in.arch = "";
	assert_int_equal(mint_pkg_sbom_spdx(&in, &text, &err), MINT_EINVAL);
	assert_non_null(strstr(err.msg, "arch"));
	in = hello();
	in.created = -100000000000LL;
	assert_int_equal(mint_pkg_sbom_spdx(&in, &text, &err), MINT_EINVAL);
	assert_int_equal(text.len, 0);
	mint_buf_free(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pkg_sbom_describes_the_apk_with_purl_and_license),
		cmocka_unit_test(test_pkg_sbom_created_is_the_source_date_epoch),
		cmocka_unit_test(test_pkg_sbom_sources_are_generated_from_with_checksums),
		cmocka_unit_test(test_pkg_sbom_ids_escape_characters_as_melange_does),
		cmocka_unit_test(test_pkg_sbom_same_inputs_same_bytes_other_inputs_other_namespace),
		cmocka_unit_test(test_pkg_sbom_license_absent_is_noassertion_and_text_gets_a_ref),
		cmocka_unit_test(test_pkg_sbom_appends_to_the_buffer),
		cmocka_unit_test(test_pkg_sbom_missing_name_or_bad_time_is_an_error),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
