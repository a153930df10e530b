/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "mint/sbom.h"
#include "sbom_json_check.h"
#include "sbom_model_fixture.h"

static int setup(void **state)
{
	struct mint_sbom_image *img = calloc(1, sizeof(*img));
	if (!img || sbom_fixture_image(img, 1))
		return -1;
	*state = img;
	return 0;
}

static int teardown(void **state)
{
	sbom_fixture_image_free(*state);
	free(*state);
	return 0;
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static json_t *write_doc(const struct mint_sbom_image *img)
{
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	char why[512];
	assert_ok(mint_sbom_spdx_image(img, &out, &err), &err);
	json_t *doc = sbom_check_parse(&out);
	assert_non_null(doc);
	if (sbom_check_spdx(doc, why, sizeof(why)))
		fail_msg("%s", why);
	mint_buf_free(&out);
	return doc;
}

/* Package i ships text as its SBOM (replacing what it shipped). */
static void ships(struct mint_sbom_image *img, size_t i, const char *text)
{
	mint_buf_reset(&img->packages[i].shipped_sbom);
	if (text)
		assert_int_equal(mint_buf_puts(&img->packages[i].shipped_sbom, text), 0);
}

static json_t *package(const json_t *doc, const char *id)
{
	return sbom_check_find(json_object_get(doc, "packages"), "SPDXID", id);
}

#define FONT "SPDXRef-Package-apk-fontpkg-0.869-r1"

static void test_spdx_merge_described_package_becomes_the_apk(void **state)
{
	json_t *doc = write_doc(*state);
	assert_null(package(doc, "SPDXRef-Package-fontpkg-0.869-r1"));
	json_t *p = package(doc, FONT);
	assert_string_equal(str(p, "copyrightText"), "Copyright 2024 Font Makers <fonts>");
	assert_true(sbom_check_has_rel(doc, FONT, "DESCRIBED_BY", "SPDXRef-Package-fontpkg.yaml-abc"));
	json_t *yaml = package(doc, "SPDXRef-Package-fontpkg.yaml-abc");
	assert_string_equal(str(yaml, "supplier"), "Organization: Font Makers");
	assert_false(json_is_true(json_object_get(yaml, "filesAnalyzed")));
	json_decref(doc);
}

static void test_spdx_merge_takes_the_shipped_license_text(void **state)
{
	json_t *doc = write_doc(*state);
	json_t *info = sbom_check_find(json_object_get(doc, "hasExtractedLicensingInfos"),
				       "licenseId", "LicenseRef-font");
	assert_non_null(info);
	assert_string_equal(str(info, "extractedText"), "Fonts may be used & shared <freely>.");
	assert_string_equal(str(package(doc, FONT), "licenseDeclared"), "LicenseRef-font");
	json_decref(doc);
}

static void test_spdx_merge_drops_files_and_what_is_not_spdx(void **state)
{
	json_t *doc = write_doc(*state);
	assert_null(json_object_get(doc, "files"));
	assert_null(package(doc, "SPDXRef-Unreached"));
	json_t *yaml = package(doc, "SPDXRef-Package-fontpkg.yaml-abc");
	assert_int_equal(json_array_size(json_object_get(yaml, "externalRefs")), 1);
	json_t *up = package(doc, "SPDXRef-Merged-OperatingSystem-mintos");
	assert_non_null(up);
	assert_null(json_object_get(up, "primaryPackagePurpose"));
	assert_int_equal(json_array_size(json_object_get(up, "checksums")), 1);
	json_decref(doc);
}

static void test_spdx_merge_renames_ids_that_clash_with_mints_own(void **state)
{
	json_t *doc = write_doc(*state);
	assert_string_equal(str(package(doc, "SPDXRef-OperatingSystem-mintos"), "name"), "mintos");
	assert_string_equal(str(package(doc, "SPDXRef-Merged-OperatingSystem-mintos"), "name"),
			    "upstream-font");
	assert_true(sbom_check_has_rel(doc, FONT, "GENERATED_FROM",
				       "SPDXRef-Merged-OperatingSystem-mintos"));
	json_decref(doc);
}

static void test_spdx_merge_maps_installed_apks_to_their_own_packages(void **state)
{
	json_t *doc = write_doc(*state);
	assert_null(package(doc, "SPDXRef-Package-musl-1.2.4-r0"));
	assert_true(sbom_check_has_rel(doc, FONT, "DEPENDS_ON", "SPDXRef-Package-apk-musl-1.2.4-r0"));
	json_decref(doc);
}

static void test_spdx_merge_packages_two_documents_share_are_one(void **state)
{
	struct mint_sbom_image *img = *state;
	static const char other[] =
		"{\"documentDescribes\": [\"SPDXRef-Package-bare\"],\n"
		" \"packages\": [{\"SPDXID\": \"SPDXRef-Package-bare\", \"name\": \"bare\"},\n"
		"  {\"SPDXID\": \"SPDXRef-Package-fontpkg.yaml-abc\", \"name\": \"fontpkg.yaml\"}],\n"
		" \"relationships\": [{\"spdxElementId\": \"SPDXRef-Package-bare\",\n"
		"   \"relationshipType\": \"DESCRIBED_BY\",\n"
		"   \"relatedSpdxElement\": \"SPDXRef-Package-fontpkg.yaml-abc\"}]}";
	ships(img, 5, other);
	json_t *doc = write_doc(img);
	ships(img, 5, NULL);
	size_t n = 0, i;
	json_t *p;
	json_array_foreach(json_object_get(doc, "packages"), i, p)
		n += !strcmp(str(p, "name"), "fontpkg.yaml");
	assert_int_equal(n, 1);
	assert_true(sbom_check_has_rel(doc, "SPDXRef-Package-apk-bare-1-r0", "DESCRIBED_BY",
				       "SPDXRef-Package-fontpkg.yaml-abc"));
	json_decref(doc);
}

static void test_spdx_merge_describes_relationship_counts_as_describing(void **state)
{
	struct mint_sbom_image *img = *state;
	static const char text[] =
		"{\"packages\": [{\"SPDXID\": \"SPDXRef-B\", \"name\": \"bare\"},\n"
		"  {\"SPDXID\": \"SPDXRef-Dep\", \"name\": \"dep\", \"supplier\": \"bogus\"}],\n"
		" \"relationships\": [\n"
		"  {\"spdxElementId\": \"SPDXRef-DOCUMENT\", \"relationshipType\": \"DESCRIBES\",\n"
		"   \"relatedSpdxElement\": \"SPDXRef-B\"},\n"
		"  {\"spdxElementId\": \"SPDXRef-B\", \"relationshipType\": \"DEPENDS_ON\",\n"
		"   \"relatedSpdxElement\": \"SPDXRef-Dep\"},\n"
		"  {\"spdxElementId\": \"SPDXRef-Dep\", \"relationshipType\": \"DEPENDS_ON\",\n"
		"   \"relatedSpdxElement\": \"SPDXRef-B\"}]}";
	ships(img, 5, text);
	json_t *doc = write_doc(img);
	ships(img, 5, NULL);
	assert_true(sbom_check_has_rel(doc, "SPDXRef-Package-apk-bare-1-r0", "DEPENDS_ON",
				       "SPDXRef-Dep"));
	assert_true(sbom_check_has_rel(doc, "SPDXRef-Dep", "DEPENDS_ON",
				       "SPDXRef-Package-apk-bare-1-r0"));
	/* a supplier that is no SPDX agent is the OS, as apko fills it in */
	assert_string_equal(str(package(doc, "SPDXRef-Dep"), "supplier"),
			    "Organization: Mint Test OS");
	json_decref(doc);
}

static void test_spdx_merge_sanitizes_shipped_ids(void **state)
{
	struct mint_sbom_image *img = *state;
	static const char text[] =
		"{\"documentDescribes\": [\"x\"], \"packages\": [{\"SPDXID\": \"x\", \"name\": \"bare\"},\n"
		"  {\"SPDXID\": \"SPDXRef-a b/c\", \"name\": \"odd\", \"licenseDeclared\": \"weird one\"}],\n"
		" \"relationships\": [{\"spdxElementId\": \"x\", \"relationshipType\": \"CONTAINS\",\n"
		"   \"relatedSpdxElement\": \"SPDXRef-a b/c\"}]}";
	ships(img, 5, text);
	json_t *doc = write_doc(img);
	ships(img, 5, NULL);
	json_t *odd = package(doc, "SPDXRef-a-b-c");
	assert_non_null(odd);
	assert_string_equal(str(odd, "licenseDeclared"), "LicenseRef-mint-weird-one");
	assert_true(sbom_check_has_rel(doc, "SPDXRef-Package-apk-bare-1-r0", "CONTAINS",
				       "SPDXRef-a-b-c"));
	json_decref(doc);
}

static void test_spdx_merge_notes_a_document_it_cannot_read(void **state)
{
	struct mint_sbom_image *img = *state;
	ships(img, 5, "{\"packages\": [");
	json_t *doc = write_doc(img);
	ships(img, 5, "[1, 2]");
	json_t *doc2 = write_doc(img);
	ships(img, 5, NULL);
	const char *c = str(package(doc, "SPDXRef-Package-apk-bare-1-r0"), "comment");
	assert_non_null(c);
	assert_non_null(strstr(c, "was not merged: 1:"));
	c = str(package(doc2, "SPDXRef-Package-apk-bare-1-r0"), "comment");
	assert_non_null(strstr(c, "not a JSON object"));
	json_decref(doc);
	json_decref(doc2);
}

static void test_spdx_merge_notes_a_document_about_another_package(void **state)
{
	struct mint_sbom_image *img = *state;
	ships(img, 5, "{\"documentDescribes\": [\"SPDXRef-X\"],"
		      " \"packages\": [{\"SPDXID\": \"SPDXRef-X\", \"name\": \"other\"}]}");
	json_t *doc = write_doc(img);
	ships(img, 5, NULL);
	assert_null(package(doc, "SPDXRef-X"));
	assert_non_null(strstr(str(package(doc, "SPDXRef-Package-apk-bare-1-r0"), "comment"),
			       "describes no package of that name"));
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spdx_merge_described_package_becomes_the_apk),
		cmocka_unit_test(test_spdx_merge_takes_the_shipped_license_text),
		cmocka_unit_test(test_spdx_merge_drops_files_and_what_is_not_spdx),
		cmocka_unit_test(test_spdx_merge_renames_ids_that_clash_with_mints_own),
		cmocka_unit_test(test_spdx_merge_maps_installed_apks_to_their_own_packages),
		cmocka_unit_test(test_spdx_merge_packages_two_documents_share_are_one),
		cmocka_unit_test(test_spdx_merge_describes_relationship_counts_as_describing),
		cmocka_unit_test(test_spdx_merge_sanitizes_shipped_ids),
		cmocka_unit_test(test_spdx_merge_notes_a_document_it_cannot_read),
		cmocka_unit_test(test_spdx_merge_notes_a_document_about_another_package),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
