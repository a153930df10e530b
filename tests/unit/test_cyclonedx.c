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

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static json_t *image_doc(const struct mint_sbom_image *img)
{
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_ok(mint_sbom_cdx_image(img, &out, &err), &err);
	json_t *doc = sbom_check_parse(&out);
	assert_non_null(doc);
	mint_buf_free(&out);
	return doc;
}

static json_t *component(const json_t *doc, const char *name)
{
	json_t *c = sbom_check_find(json_object_get(doc, "components"), "name", name);
	if (!c)
		fail_msg("no component %s", name);
	return c;
}

static json_t *dependency(const json_t *doc, const char *ref)
{
	return sbom_check_find(json_object_get(doc, "dependencies"), "ref", ref);
}

static bool depends_on(const json_t *doc, const char *a, const char *b)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(dependency(doc, a), "dependsOn"), i, v)
		if (!strcmp(json_string_value(v), b))
			return true;
	return false;
}

static void test_cyclonedx_serial_number_is_a_uuid5_of_the_manifest(void **state)
{
	struct sbom_fixture *fx = *state;
	json_t *a = image_doc(&fx->img[0]), *b = image_doc(&fx->img[1]);
	const char *sa = str(a, "serialNumber"), *sb = str(b, "serialNumber");
	assert_int_equal(strlen(sa), 45);
	assert_true(strncmp(sa, "urn:uuid:", 9) == 0);
	assert_int_equal(sa[9 + 14], '5');
	assert_non_null(strchr("89ab", sa[9 + 19]));
	assert_string_not_equal(sa, sb);
	assert_string_equal(str(a, "specVersion"), "1.6");
	assert_string_equal(str(json_object_get(a, "metadata"), "timestamp"),
			    "2023-11-14T22:13:20Z");
	json_decref(a);
	json_decref(b);
}

static void test_cyclonedx_same_model_writes_the_same_bytes(void **state)
{
	struct sbom_fixture *fx = *state;
	struct mint_buf a = MINT_BUF_INIT, b = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_ok(mint_sbom_cdx_image(&fx->img[0], &a, &err), &err);
	assert_ok(mint_sbom_cdx_image(&fx->img[0], &b, &err), &err);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	mint_buf_free(&a);
	mint_buf_free(&b);
}

static void test_cyclonedx_image_is_the_metadata_component_with_its_layers(void **state)
{
	struct sbom_fixture *fx = *state;
	json_t *doc = image_doc(&fx->img[1]);
	json_t *image = json_object_get(json_object_get(doc, "metadata"), "component");
	assert_string_equal(str(image, "type"), "container");
	assert_string_equal(str(image, "name"), "app");
	assert_string_equal(str(image, "version"), fx->img[1].manifest_digest);
	assert_string_equal(str(image, "bom-ref"), str(image, "purl"));
	json_t *layers = json_object_get(image, "components");
	assert_int_equal(json_array_size(layers), 2);
	assert_string_equal(str(json_array_get(layers, 1), "name"), fx->img[1].layers[1].digest);
	json_t *tool = json_array_get(json_object_get(json_object_get(json_object_get(doc,
		"metadata"), "tools"), "components"), 0);
	assert_string_equal(str(tool, "name"), "mint");
	json_decref(doc);
}

static void test_cyclonedx_apk_component_carries_its_metadata(void **state)
{
	struct sbom_fixture *fx = *state;
	json_t *doc = image_doc(&fx->img[0]);
	json_t *musl = component(doc, "musl");
	assert_string_equal(str(musl, "type"), "library");
	assert_string_equal(str(musl, "purl"), "pkg:apk/mintos/musl@1.2.4-r0?arch=x86_64");
	assert_string_equal(str(musl, "bom-ref"), str(musl, "purl"));
	assert_string_equal(str(json_array_get(json_object_get(musl, "hashes"), 0), "content"),
			    "9bac01d1415e3c637c0ebcfcda90bccb6b808aef");
	assert_string_equal(str(json_array_get(json_object_get(musl, "licenses"), 0),
				"expression"), "MIT");
	json_t *supplier = json_object_get(musl, "supplier");
	assert_string_equal(str(supplier, "name"), "Jane Doe");
	assert_string_equal(str(json_array_get(json_object_get(supplier, "contact"), 0), "email"),
			    "jane@example.org");
	json_t *site = json_array_get(json_object_get(musl, "externalReferences"), 0);
	assert_string_equal(str(site, "type"), "website");
	json_t *props = json_object_get(musl, "properties");
	assert_string_equal(str(sbom_check_find(props, "name", "mint:apk:origin"), "value"), "musl");
	assert_string_equal(str(sbom_check_find(props, "name", "mint:apk:commit"), "value"),
			    SBOM_FIXTURE_COMMIT);
	json_decref(doc);
}

static void test_cyclonedx_license_that_is_no_expression_is_a_name(void **state)
{
	struct sbom_fixture *fx = *state;
	json_t *doc = image_doc(&fx->img[0]);
	json_t *lic = json_array_get(json_object_get(component(doc, "ca-certs"), "licenses"), 0);
	assert_string_equal(str(json_object_get(lic, "license"), "name"),
			    "MPL-2.0 AND MIT or custom");
	assert_null(json_object_get(component(doc, "bare"), "licenses"));
	/* no address in the maintainer field: a supplier without contact */
	assert_null(json_object_get(json_object_get(component(doc, "libstdc++"), "supplier"),
				    "contact"));
	assert_null(json_object_get(component(doc, "ca-certs"), "externalReferences"));
	json_decref(doc);
}

static void test_cyclonedx_dependencies_are_the_package_graph(void **state)
{
	struct sbom_fixture *fx = *state;
	json_t *doc = image_doc(&fx->img[0]);
	const char *image = str(json_object_get(json_object_get(doc, "metadata"), "component"),
				"bom-ref");
	const char *musl = str(component(doc, "musl"), "bom-ref");
	const char *busybox = str(component(doc, "busybox"), "bom-ref");
	const char *libstdcxx = str(component(doc, "libstdc++"), "bom-ref");
	assert_true(depends_on(doc, image, musl));
	assert_true(depends_on(doc, image, "mint:os"));
	assert_true(depends_on(doc, busybox, musl));
	assert_int_equal(json_array_size(json_object_get(dependency(doc, libstdcxx), "dependsOn")),
			 1);
	assert_int_equal(json_array_size(json_object_get(dependency(doc, musl), "dependsOn")), 0);
	json_decref(doc);
}

static void test_cyclonedx_files_nest_in_their_owner(void **state)
{
	struct sbom_fixture *fx = *state;
	json_t *doc = image_doc(&fx->img[0]);
	json_t *files = json_object_get(component(doc, "busybox"), "components");
	assert_int_equal(json_array_size(files), 1);
	json_t *f = json_array_get(files, 0);
	assert_string_equal(str(f, "name"), "/bin/busybox");
	assert_string_equal(str(f, "bom-ref"), "file:/bin/busybox");
	assert_int_equal(json_array_size(json_object_get(f, "hashes")), 2);
	json_t *gen = component(doc, "mint-generated-files");
	assert_int_equal(json_array_size(json_object_get(gen, "components")), 2);
	json_decref(doc);
	doc = image_doc(&fx->img[1]);
	assert_null(json_object_get(component(doc, "busybox"), "components"));
	assert_null(sbom_check_find(json_object_get(doc, "components"), "name",
				    "mint-generated-files"));
	json_decref(doc);
}

static void test_cyclonedx_bom_refs_are_unique(void **state)
{
	struct sbom_fixture *fx = *state;
	struct mint_sbom_image *img = &fx->img[0];
	char *saved = img->packages[5].info.name, *saved_v = img->packages[5].info.version;
	img->packages[5].info.name = "MUSL"; /* the same purl as musl's */
	img->packages[5].info.version = img->packages[0].info.version;
	json_t *doc = image_doc(img);
	img->packages[5].info.name = saved;
	img->packages[5].info.version = saved_v;
	const char *a = str(component(doc, "musl"), "bom-ref");
	const char *b = str(component(doc, "MUSL"), "bom-ref");
	assert_string_not_equal(a, b);
	assert_non_null(strstr(b, "#dup-2"));
	json_decref(doc);
}

static void test_cyclonedx_index_lists_its_images(void **state)
{
	struct sbom_fixture *fx = *state;
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_ok(mint_sbom_cdx_index(&fx->ix, &out, &err), &err);
	json_t *doc = sbom_check_parse(&out);
	json_t *index = json_object_get(json_object_get(doc, "metadata"), "component");
	assert_string_equal(str(index, "version"), fx->ix.digest);
	assert_non_null(strstr(str(index, "purl"), "mediaType=application%2Fvnd.oci.image.index"));
	json_t *images = json_object_get(doc, "components");
	assert_int_equal(json_array_size(images), 2);
	for (size_t i = 0; i < 2; i++)
		assert_true(depends_on(doc, str(index, "bom-ref"),
				       str(json_array_get(images, i), "bom-ref")));
	json_decref(doc);
	mint_buf_free(&out);
}

static void test_cyclonedx_refuses_a_layer_digest_that_is_not_sha256(void **state)
{
	struct sbom_fixture *fx = *state;
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	char saved[MINT_OCI_DIGEST_MAX];
	memcpy(saved, fx->img[1].layers[1].digest, sizeof(saved));
	strcpy(fx->img[1].layers[1].digest, "md5:x");
	assert_int_equal(mint_sbom_cdx_image(&fx->img[1], &out, &err), MINT_EINVAL);
	assert_non_null(strstr(err.msg, "layer 1"));
	memcpy(fx->img[1].layers[1].digest, saved, sizeof(saved));
	mint_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cyclonedx_serial_number_is_a_uuid5_of_the_manifest),
		cmocka_unit_test(test_cyclonedx_same_model_writes_the_same_bytes),
		cmocka_unit_test(test_cyclonedx_image_is_the_metadata_component_with_its_layers),
		cmocka_unit_test(test_cyclonedx_apk_component_carries_its_metadata),
		cmocka_unit_test(test_cyclonedx_license_that_is_no_expression_is_a_name),
		cmocka_unit_test(test_cyclonedx_dependencies_are_the_package_graph),
		cmocka_unit_test(test_cyclonedx_files_nest_in_their_owner),
		cmocka_unit_test(test_cyclonedx_bom_refs_are_unique),
		cmocka_unit_test(test_cyclonedx_index_lists_its_images),
		cmocka_unit_test(test_cyclonedx_refuses_a_layer_digest_that_is_not_sha256),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
