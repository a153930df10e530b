/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <string.h>

#include "lib/sbom/writer.h"
#include "mint/oci.h"

static void apk_purl_is(const char *os_id, const char *name, const char *version,
			const char *arch, const char *want)
{
	struct mint_sbom_image img = { .apk_arch = "x86_64" };
	struct mint_sbom_package p = { 0 };
	struct mint_buf out = MINT_BUF_INIT;
	img.os.present = os_id != NULL;
	img.os.id = (char *)os_id;
	p.info.name = (char *)name;
	p.info.version = (char *)version;
	p.info.arch = (char *)arch;
	assert_int_equal(mint_sbom_apk_purl(&img, &p, &out), 0);
	assert_string_equal(out.data, want);
	mint_buf_free(&out);
}

static void test_purl_apk_lowercases_namespace_and_name_and_escapes_plus(void **state)
{
	(void)state;
	apk_purl_is("Wolfi", "LibStdC++", "13.2.0_p1-r1", "aarch64",
		    "pkg:apk/wolfi/libstdc%2B%2B@13.2.0_p1-r1?arch=aarch64");
}

static void test_purl_apk_without_os_release_is_in_namespace_unknown(void **state)
{
	(void)state;
	apk_purl_is(NULL, "busybox", "1.36.1-r2", "x86_64",
		    "pkg:apk/unknown/busybox@1.36.1-r2?arch=x86_64");
}

static void test_purl_apk_without_package_arch_takes_the_image_arch(void **state)
{
	(void)state;
	apk_purl_is("alpine", "musl", "1.2.4-r0", NULL, "pkg:apk/alpine/musl@1.2.4-r0?arch=x86_64");
}

static void test_purl_apk_refuses_a_package_without_version(void **state)
{
	(void)state;
	struct mint_sbom_image img = { 0 };
	struct mint_sbom_package p = { 0 };
	struct mint_buf out = MINT_BUF_INIT;
	p.info.name = "x";
	assert_int_equal(mint_sbom_apk_purl(&img, &p, &out), MINT_EINVAL);
	mint_buf_free(&out);
}

static void test_purl_oci_sorts_qualifiers_and_escapes_values_as_apko(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	const char *d = "sha256:69f0237c7f8cf0b8a329d1bf1d6870c870c4ec323e39d3a6da59596632d0f2f4";
	struct sbom_oci_purl p = {
		.name = "golden", .digest = d, .variant = "v7", .os = "linux", .arch = "arm",
		.media_type = MINT_OCI_MEDIA_MANIFEST,
	};
	assert_int_equal(sbom_oci_purl(&p, &out), 0);
	assert_string_equal(out.data, "pkg:oci/golden@sha256:69f0237c7f8cf0b8a329d1bf1d6870c870c4"
			    "ec323e39d3a6da59596632d0f2f4?arch=arm&mediaType=application%2Fvnd.oci."
			    "image.manifest.v1%2Bjson&os=linux&variant=v7");
	mint_buf_free(&out);
}

static void test_purl_escape_keeps_unreserved_and_colon(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	assert_int_equal(sbom_purl_escape(&out, MINT_SPAN_LIT("aZ0.-_~:/ @?#%\xc3\xa9")), 0);
	assert_string_equal(out.data, "aZ0.-_~:%2F%20%40%3F%23%25%C3%A9");
	mint_buf_free(&out);
}

static void test_purl_repo_with_registry_has_repository_url_without_tag(void **state)
{
	(void)state;
	struct sbom_repo r;
	sbom_repo_parse("registry.example:5000/Org/App:1.0@sha256:abc", "image", &r);
	assert_string_equal(r.name, "app");
	assert_string_equal(r.repository_url, "registry.example:5000/Org/App");
	sbom_repo_parse("localhost/app", "image", &r);
	assert_string_equal(r.repository_url, "localhost/app");
}

static void test_purl_repo_without_registry_has_no_repository_url(void **state)
{
	(void)state;
	struct sbom_repo r;
	sbom_repo_parse("org/app:latest", "image", &r);
	assert_string_equal(r.name, "app");
	assert_string_equal(r.repository_url, "");
	sbom_repo_parse(NULL, "index", &r);
	assert_string_equal(r.name, "index");
	sbom_repo_parse("example.org/", "image", &r);
	assert_string_equal(r.name, "image");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_purl_apk_lowercases_namespace_and_name_and_escapes_plus),
		cmocka_unit_test(test_purl_apk_without_os_release_is_in_namespace_unknown),
		cmocka_unit_test(test_purl_apk_without_package_arch_takes_the_image_arch),
		cmocka_unit_test(test_purl_apk_refuses_a_package_without_version),
		cmocka_unit_test(test_purl_oci_sorts_qualifiers_and_escapes_values_as_apko),
		cmocka_unit_test(test_purl_escape_keeps_unreserved_and_colon),
		cmocka_unit_test(test_purl_repo_with_registry_has_repository_url_without_tag),
		cmocka_unit_test(test_purl_repo_without_registry_has_no_repository_url),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
