/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "mint/sbom.h"
#include "sbom_json_check.h"
#include "sbom_model_fixture.h"

static int setup(void **state)
{
	struct sbom_fixture *fx = calloc(1, sizeof(*fx));
	if (!fx || sbom_fixture_build(fx))
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	sbom_fixture_free(*state);
	free(*state);
	return 0;
}

static json_t *image_doc(const struct mint_sbom_image *img)
{
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_ok(mint_sbom_spdx_image(img, &out, &err), &err);
	json_t *doc = sbom_check_parse(&out);
	assert_non_null(doc);
	mint_buf_free(&out);
	return doc;
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static json_t *package(const json_t *doc, const char *id)
{
	json_t *p = sbom_check_find(json_object_get(doc, "packages"), "SPDXID", id);
	if (!p)
		fail_msg("no package %s", id);
	return p;
}

static void assert_spdx_rules(const json_t *doc)
{
	char why[512];
	const char *bad = sbom_check_spdx(doc, why, sizeof(why));
	if (bad)
		fail_msg("%s", bad);
}

static void test_spdx_ids_are_valid_and_every_relationship_resolves(void **state)
{
	struct sbom_fixture *fx = *state;
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	for (size_t i = 0; i < 2; i++) {
		json_t *doc = image_doc(&fx->img[i]);
		assert_spdx_rules(doc);
		json_decref(doc);
	}
	assert_ok(mint_sbom_spdx_index(&fx->ix, &out, &err), &err);
	json_t *doc = sbom_check_parse(&out);
	assert_spdx_rules(doc);
	json_decref(doc);
	mint_buf_free(&out);
}

static void test_spdx_same_model_writes_the_same_bytes(void **state)
{
	struct sbom_fixture *fx = *state;
	struct mint_buf a = MINT_BUF_INIT, b = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_ok(mint_sbom_spdx_image(&fx->img[0], &a, &err), &err);
	assert_ok(mint_sbom_spdx_image(&fx->img[0], &b, &err), &err);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	assert_int_equal(a.data[a.len - 1], '\n');
	mint_buf_free(&a);
	mint_buf_free(&b);
}

static void test_spdx_names_come_from_the_image_not_the_clock(void **state)
{
	struct sbom_fixture *fx = *state;
	json_t *doc = image_doc(&fx->img[0]);
	char want[160];
	snprintf(want, sizeof(want), "https://mint.invalid/spdx/image/%s/files",
		 fx->img[0].manifest_digest + 7);
	assert_string_equal(str(doc, "documentNamespace"), want);
	snprintf(want, sizeof(want), "sbom-%s", fx->img[0].manifest_digest);
	assert_string_equal(str(doc, "name"), want);
	json_t *info = json_object_get(doc, "creationInfo");
	assert_string_equal(str(info, "created"), "2023-11-14T22:13:20Z");
	assert_string_equal(json_string_value(json_array_get(json_object_get(info, "creators"), 1)),
			    "Organization: mint");
	json_decref(doc);
	doc = image_doc(&fx->img[1]);
	assert_null(strstr(str(doc, "documentNamespace"), "/files"));
	json_decref(doc);
}

static void test_spdx_image_package_has_digest_checksum_and_oci_purl(void **state)
{
	struct sbom_fixture *fx = *state;
	json_t *doc = image_doc(&fx->img[1]);
	char id[160];
	snprintf(id, sizeof(id), "SPDXRef-Package-Image-sha256-%s", fx->img[1].manifest_digest + 7);
	json_t *p = package(doc, id);
	assert_string_equal(str(p, "primaryPackagePurpose"), "CONTAINER");
	assert_string_equal(str(json_array_get(json_object_get(p, "checksums"), 0),
				"checksumValue"), fx->img[1].manifest_digest + 7);
	const char *purl = str(json_array_get(json_object_get(p, "externalRefs"), 0),
			       "referenceLocator");
	assert_true(strncmp(purl, "pkg:oci/app@sha256:", 19) == 0);
	assert_non_null(strstr(purl, "?arch=arm64&mediaType="));
	assert_non_null(strstr(purl, "&repository_url=registry.example%2Forg%2Fapp"));
	assert_true(sbom_check_has_rel(doc, "SPDXRef-DOCUMENT", "DESCRIBES", id));
	json_decref(doc);
}

static void test_spdx_one_layer_contains_the_packages(void **state)
{
	struct sbom_fixture *fx = *state;
	json_t *doc = image_doc(&fx->img[0]);
	char layer[160];
	snprintf(layer, sizeof(layer), "SPDXRef-Package-ImageLayer-sha256-%s",
		 fx->img[0].layers[0].digest + 7);
	assert_true(sbom_check_has_rel(doc, layer, "CONTAINS", "SPDXRef-Package-apk-musl-1.2.4-r0"));
	json_decref(doc);
}

static void test_spdx_many_layers_leave_the_packages_to_the_image(void **state)
{
	struct sbom_fixture *fx = *state;
	json_t *doc = image_doc(&fx->img[1]);
	char image[160];
	snprintf(image, sizeof(image), "SPDXRef-Package-Image-sha256-%s",
		 fx->img[1].manifest_digest + 7);
	assert_true(sbom_check_has_rel(doc, image, "CONTAINS", "SPDXRef-Package-apk-bare-1-r0"));
	for (size_t i = 0; i < 2; i++) {
		char layer[160];
		snprintf(layer, sizeof(layer), "SPDXRef-Package-ImageLayer-sha256-%s",
			 fx->img[1].layers[i].digest + 7);
		assert_true(sbom_check_has_rel(doc, image, "CONTAINS", layer));
	}
	json_decref(doc);
}

static void test_spdx_apk_package_carries_its_metadata(void **state)
{
	struct sbom_fixture *fx = *state;
	json_t *doc = image_doc(&fx->img[0]);
	json_t *p = package(doc, "SPDXRef-Package-apk-musl-1.2.4-r0");
	assert_string_equal(str(p, "name"), "musl");
	assert_string_equal(str(p, "versionInfo"), "1.2.4-r0");
	assert_string_equal(str(p, "licenseDeclared"), "MIT");
	assert_string_equal(str(p, "licenseConcluded"), "NOASSERTION");
	assert_string_equal(str(p, "supplier"), "Organization: Jane Doe (jane@example.org)");
	assert_string_equal(str(p, "homepage"), "https://musl.libc.org/");
	assert_string_equal(str(p, "downloadLocation"), "NOASSERTION");
	assert_string_equal(str(p, "sourceInfo"), "built from origin musl at commit "
			    SBOM_FIXTURE_COMMIT);
	json_t *sum = json_array_get(json_object_get(p, "checksums"), 0);
	assert_string_equal(str(sum, "algorithm"), "SHA1");
	assert_string_equal(str(sum, "checksumValue"), "9bac01d1415e3c637c0ebcfcda90bccb6b808aef");
	assert_string_equal(str(json_array_get(json_object_get(p, "externalRefs"), 0),
				"referenceLocator"), "pkg:apk/mintos/musl@1.2.4-r0?arch=x86_64");
	json_decref(doc);
}

static void test_spdx_package_without_metadata_still_appears(void **state)
{
	struct sbom_fixture *fx = *state;
	json_t *doc = image_doc(&fx->img[0]);
	json_t *p = package(doc, "SPDXRef-Package-apk-bare-1-r0");
	assert_string_equal(str(p, "licenseDeclared"), "NOASSERTION");
	assert_string_equal(str(p, "supplier"), "Organization: Mint Test OS");
	assert_null(json_object_get(p, "checksums"));
	assert_null(json_object_get(p, "homepage"));
	json_decref(doc);
}

static void test_spdx_license_that_is_no_expression_becomes_a_licenseref(void **state)
{
	struct sbom_fixture *fx = *state;
	json_t *doc = image_doc(&fx->img[0]);
	json_t *p = package(doc, "SPDXRef-Package-apk-ca-certs-2024-r0");
	const char *ref = str(p, "licenseDeclared");
	assert_string_equal(ref, "LicenseRef-mint-MPL-2.0-AND-MIT-or-custom");
	json_t *info = sbom_check_find(json_object_get(doc, "hasExtractedLicensingInfos"),
				       "licenseId", ref);
	assert_non_null(info);
	assert_string_equal(str(info, "extractedText"), "MPL-2.0 AND MIT or custom");
	json_decref(doc);
}

static void test_spdx_dependencies_become_depends_on(void **state)
{
	struct sbom_fixture *fx = *state;
	json_t *doc = image_doc(&fx->img[0]);
	assert_true(sbom_check_has_rel(doc, "SPDXRef-Package-apk-busybox-1.36.1-r2", "DEPENDS_ON",
				       "SPDXRef-Package-apk-musl-1.2.4-r0"));
	/* libstdc++: a name with bytes an SPDXID cannot hold; its two D: entries
	 * resolve to musl twice, which is one relationship */
	assert_true(sbom_check_has_rel(doc, "SPDXRef-Package-apk-libstdc---13.2.0-r1",
				       "DEPENDS_ON", "SPDXRef-Package-apk-musl-1.2.4-r0"));
	size_t n = 0, i;
	json_t *r;
	json_array_foreach(json_object_get(doc, "relationships"), i, r)
		n += !strcmp(str(r, "spdxElementId"), "SPDXRef-Package-apk-libstdc---13.2.0-r1");
	assert_int_equal(n, 1);
	json_decref(doc);
}

static void test_spdx_files_belong_to_their_package_or_to_mint(void **state)
{
	struct sbom_fixture *fx = *state;
	json_t *doc = image_doc(&fx->img[0]);
	json_t *files = json_object_get(doc, "files");
	assert_int_equal(json_array_size(files), 5);
	json_t *f = sbom_check_find(files, "fileName", "/bin/busybox");
	assert_non_null(f);
	assert_int_equal(json_array_size(json_object_get(f, "checksums")), 2);
	assert_true(sbom_check_has_rel(doc, "SPDXRef-Package-apk-busybox-1.36.1-r2", "CONTAINS",
				       str(f, "SPDXID")));
	f = sbom_check_find(files, "fileName", "/etc/passwd");
	assert_true(sbom_check_has_rel(doc, "SPDXRef-Package-mint-generated-files", "CONTAINS",
				       str(f, "SPDXID")));
	assert_string_equal(str(package(doc, "SPDXRef-Package-mint-generated-files"), "supplier"),
			    "Organization: mint");
	json_decref(doc);
	doc = image_doc(&fx->img[1]);
	assert_null(json_object_get(doc, "files"));
	json_decref(doc);
}

static void test_spdx_vcs_checkout_is_a_source_package(void **state)
{
	struct sbom_fixture *fx = *state;
	json_t *doc = image_doc(&fx->img[0]);
	json_t *p = package(doc, "SPDXRef-Package-Source-https---github.com-example-app");
	assert_string_equal(str(p, "primaryPackagePurpose"), "SOURCE");
	assert_string_equal(str(p, "versionInfo"), SBOM_FIXTURE_COMMIT);
	assert_string_equal(str(p, "downloadLocation"), "git+https://github.com/example/app@"
			    SBOM_FIXTURE_COMMIT);
	assert_string_equal(str(json_array_get(json_object_get(p, "externalRefs"), 0),
				"referenceLocator"), "pkg:github/example/app@" SBOM_FIXTURE_COMMIT);
	json_decref(doc);
}

static void test_spdx_image_without_os_release_has_an_unknown_os(void **state)
{
	struct sbom_fixture *fx = *state;
	struct mint_sbom_os saved = fx->img[1].os;
	fx->img[1].os = (struct mint_sbom_os){ 0 };
	json_t *doc = image_doc(&fx->img[1]);
	fx->img[1].os = saved;
	json_t *os = package(doc, "SPDXRef-OperatingSystem-unknown");
	assert_string_equal(str(os, "supplier"), "NOASSERTION");
	assert_non_null(strstr(str(os, "comment"), "os-release"));
	assert_string_equal(str(json_array_get(json_object_get(package(doc,
		"SPDXRef-Package-apk-musl-1.2.4-r0"), "externalRefs"), 0), "referenceLocator"),
		"pkg:apk/unknown/musl@1.2.4-r0?arch=aarch64");
	assert_spdx_rules(doc);
	json_decref(doc);
}

static void test_spdx_names_that_sanitize_alike_get_ids_of_their_own(void **state)
{
	struct sbom_fixture *fx = *state;
	struct mint_sbom_image *img = &fx->img[1];
	char *saved = img->packages[0].info.name, *saved2 = img->packages[5].info.name;
	char *saved_v = img->packages[5].info.version;
	img->packages[0].info.name = "a+b";
	img->packages[5].info.name = "a_b";
	img->packages[5].info.version = img->packages[0].info.version;
	json_t *doc = image_doc(img);
	img->packages[0].info.name = saved;
	img->packages[5].info.name = saved2;
	img->packages[5].info.version = saved_v;
	assert_string_equal(str(package(doc, "SPDXRef-Package-apk-a-b-1.2.4-r0"), "name"), "a+b");
	assert_string_equal(str(package(doc, "SPDXRef-Package-apk-a-b-1.2.4-r0-2"), "name"), "a_b");
	assert_spdx_rules(doc);
	json_decref(doc);
}

static void test_spdx_many_files_that_sanitize_alike_get_ids_of_their_own(void **state)
{
	struct sbom_fixture *fx = *state;
	struct mint_sbom_image img = fx->img[1];
	struct mint_sbom_file files[300];
	char paths[300][8];
	for (size_t i = 0; i < 300; i++) {
		snprintf(paths[i], sizeof(paths[i]), "a%c%c", 33 + (int)(i % 15), 58 + (int)(i / 15));
		if (paths[i][2] >= 'A' && paths[i][2] <= 'Z')
			paths[i][2] = '~'; /* keep every path an id of '-'s */
		files[i] = (struct mint_sbom_file){ .path = paths[i], .owner = MINT_SBOM_BY_MINT };
	}
	img.has_files = true;
	img.files = files;
	img.n_files = 300;
	json_t *doc = image_doc(&img);
	assert_spdx_rules(doc);
	assert_int_equal(json_array_size(json_object_get(doc, "files")), 300);
	json_decref(doc);
}

static void test_spdx_refuses_a_manifest_digest_that_is_not_sha256(void **state)
{
	struct sbom_fixture *fx = *state;
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	char saved[MINT_OCI_DIGEST_MAX];
	memcpy(saved, fx->img[0].manifest_digest, sizeof(saved));
	strcpy(fx->img[0].manifest_digest, "sha256:nothex");
	assert_int_equal(mint_sbom_spdx_image(&fx->img[0], &out, &err), MINT_EINVAL);
	assert_non_null(strstr(err.msg, "sha256:nothex"));
	memcpy(fx->img[0].manifest_digest, saved, sizeof(saved));
	mint_buf_free(&out);
}

static void test_spdx_index_is_a_variant_of_each_image(void **state)
{
	struct sbom_fixture *fx = *state;
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_ok(mint_sbom_spdx_index(&fx->ix, &out, &err), &err);
	json_t *doc = sbom_check_parse(&out);
	char index[160], image[160];
	snprintf(index, sizeof(index), "SPDXRef-Package-Index-sha256-%s", fx->ix.digest + 7);
	assert_string_equal(str(package(doc, index), "description"), "Multi-arch image index");
	assert_true(sbom_check_has_rel(doc, "SPDXRef-DOCUMENT", "DESCRIBES", index));
	for (size_t i = 0; i < 2; i++) {
		snprintf(image, sizeof(image), "SPDXRef-Package-Image-sha256-%s",
			 fx->img[i].manifest_digest + 7);
		assert_true(sbom_check_has_rel(doc, index, "VARIANT_OF", image));
	}
	assert_int_equal(json_array_size(json_object_get(doc, "packages")), 3);
	assert_non_null(strstr(str(doc, "documentNamespace"), "/spdx/index/"));
	json_decref(doc);
	mint_buf_free(&out);
}

static void test_spdx_index_without_images_is_refused(void **state)
{
	struct sbom_fixture *fx = *state;
	struct mint_sbom_index ix = fx->ix;
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	ix.n_images = 0;
	assert_int_equal(mint_sbom_spdx_index(&ix, &out, &err), MINT_EINVAL);
	mint_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spdx_ids_are_valid_and_every_relationship_resolves),
		cmocka_unit_test(test_spdx_same_model_writes_the_same_bytes),
		cmocka_unit_test(test_spdx_names_come_from_the_image_not_the_clock),
		cmocka_unit_test(test_spdx_image_package_has_digest_checksum_and_oci_purl),
		cmocka_unit_test(test_spdx_one_layer_contains_the_packages),
		cmocka_unit_test(test_spdx_many_layers_leave_the_packages_to_the_image),
		cmocka_unit_test(test_spdx_apk_package_carries_its_metadata),
		cmocka_unit_test(test_spdx_package_without_metadata_still_appears),
		cmocka_unit_test(test_spdx_license_that_is_no_expression_becomes_a_licenseref),
		cmocka_unit_test(test_spdx_dependencies_become_depends_on),
		cmocka_unit_test(test_spdx_files_belong_to_their_package_or_to_mint),
		cmocka_unit_test(test_spdx_vcs_checkout_is_a_source_package),
		cmocka_unit_test(test_spdx_image_without_os_release_has_an_unknown_os),
		cmocka_unit_test(test_spdx_names_that_sanitize_alike_get_ids_of_their_own),
		cmocka_unit_test(test_spdx_many_files_that_sanitize_alike_get_ids_of_their_own),
		cmocka_unit_test(test_spdx_refuses_a_manifest_digest_that_is_not_sha256),
		cmocka_unit_test(test_spdx_index_is_a_variant_of_each_image),
		cmocka_unit_test(test_spdx_index_without_images_is_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
