/* SPDX-License-Identifier: Apache-2.0 */
/* Tests for lib/oci/json.c (named test_oci_json: "json" is left for core
 * JSON helpers). */
#include "testutil.h"

#include <string.h>

#include "mint/oci.h"

#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void assert_json(int rc, const struct mint_err *err, const struct mint_buf *b,
			const char *want)
{
	assert_ok(rc, err);
	assert_string_equal(mint_buf_cstr(b), want);
}

static struct mint_oci_descriptor descriptor(const char *media_type, uint64_t size)
{
	struct mint_oci_descriptor d = { .media_type = media_type, .size = size };
	strcpy(d.digest, "sha256:" HEX64);
	return d;
}

static void test_config_json_minimal_keeps_the_required_fields(void **state)
{
	(void)state;
	struct mint_oci_image_config c = { .architecture = "amd64", .os = "linux" };
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_json(mint_oci_config_json(&c, &b, &err), &err, &b,
		    "{\"architecture\":\"amd64\",\"os\":\"linux\","
		    "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"config\":{}}");
	mint_buf_free(&b);
}

static void test_config_json_writes_fields_in_go_struct_order(void **state)
{
	(void)state;
	const char *diff_ids[] = { "sha256:" HEX64 };
	const char *cmd[] = { "--help" }, *ep[] = { "/bin/tool" }, *env[] = { "A=1" };
	const char *volumes[] = { "/var", "/data" }, *ports[] = { "8080/tcp", "53/udp" };
	struct mint_oci_kv labels[] = { { "z", "last" }, { "a", "first" } };
	struct mint_oci_history h = { .author = "mint", .created = "1970-01-01T00:00:00Z",
				      .created_by = "mint", .comment = "c", .empty_layer = true };
	struct mint_oci_image_config c = {
		.architecture = "arm", .author = "me", .created = "2024-01-02T03:04:05Z",
		.history = &h, .n_history = 1, .os = "linux",
		.diff_ids = diff_ids, .n_diff_ids = 1,
		.cmd = cmd, .n_cmd = 1, .entrypoint = ep, .n_entrypoint = 1, .env = env, .n_env = 1,
		.labels = labels, .n_labels = 2, .user = "65532", .volumes = volumes, .n_volumes = 2,
		.working_dir = "/w", .exposed_ports = ports, .n_exposed_ports = 2,
		.stop_signal = "SIGQUIT", .os_version = "1", .variant = "v7",
	};
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_json(mint_oci_config_json(&c, &b, &err), &err, &b,
		    "{\"architecture\":\"arm\",\"author\":\"me\",\"created\":\"2024-01-02T03:04:05Z\","
		    "\"history\":[{\"author\":\"mint\",\"created\":\"1970-01-01T00:00:00Z\","
		    "\"created_by\":\"mint\",\"comment\":\"c\",\"empty_layer\":true}],"
		    "\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" HEX64 "\"]},"
		    "\"config\":{\"Cmd\":[\"--help\"],\"Entrypoint\":[\"/bin/tool\"],\"Env\":[\"A=1\"],"
		    "\"Labels\":{\"a\":\"first\",\"z\":\"last\"},\"User\":\"65532\","
		    "\"Volumes\":{\"/data\":{},\"/var\":{}},\"WorkingDir\":\"/w\","
		    "\"ExposedPorts\":{\"53/udp\":{},\"8080/tcp\":{}},\"StopSignal\":\"SIGQUIT\"},"
		    "\"os.version\":\"1\",\"variant\":\"v7\"}");
	mint_buf_free(&b);
}

static void test_manifest_json_sorts_annotations_bytewise(void **state)
{
	(void)state;
	struct mint_oci_descriptor layer = descriptor(MINT_OCI_MEDIA_LAYER_GZIP, 3);
	struct mint_oci_kv ann[] = { { "b", "2" }, { "B", "1" }, { "a", "3" } };
	struct mint_oci_manifest m = { .config = descriptor(MINT_OCI_MEDIA_CONFIG, 10),
				       .layers = &layer, .n_layers = 1,
				       .annotations = ann, .n_annotations = 3 };
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_json(mint_oci_manifest_json(&m, &b, &err), &err, &b,
		    "{\"schemaVersion\":2,\"mediaType\":\"" MINT_OCI_MEDIA_MANIFEST "\","
		    "\"config\":{\"mediaType\":\"" MINT_OCI_MEDIA_CONFIG "\",\"size\":10,"
		    "\"digest\":\"sha256:" HEX64 "\"},"
		    "\"layers\":[{\"mediaType\":\"" MINT_OCI_MEDIA_LAYER_GZIP "\",\"size\":3,"
		    "\"digest\":\"sha256:" HEX64 "\"}],"
		    "\"annotations\":{\"B\":\"1\",\"a\":\"3\",\"b\":\"2\"}}");
	mint_buf_free(&b);
}

static void test_manifest_json_without_layers_has_an_empty_list(void **state)
{
	(void)state;
	struct mint_oci_manifest m = { .config = descriptor(MINT_OCI_MEDIA_CONFIG, 2) };
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_ok(mint_oci_manifest_json(&m, &b, &err), &err);
	assert_non_null(strstr(mint_buf_cstr(&b), "\"layers\":[]}"));
	mint_buf_free(&b);
}

static void test_index_descriptor_has_annotations_platform_then_artifact_type(void **state)
{
	(void)state;
	struct mint_oci_platform p = { .architecture = "arm", .os = "linux", .variant = "v6" };
	struct mint_oci_kv ref = { MINT_OCI_ANNOTATION_REF_NAME, "latest" };
	struct mint_oci_descriptor d = descriptor(MINT_OCI_MEDIA_MANIFEST, 560);
	d.annotations = &ref;
	d.n_annotations = 1;
	d.platform = &p;
	d.artifact_type = MINT_OCI_MEDIA_CONFIG;
	struct mint_oci_index ix = { .manifests = &d, .n_manifests = 1 };
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_json(mint_oci_index_json(&ix, &b, &err), &err, &b,
		    "{\"schemaVersion\":2,\"mediaType\":\"" MINT_OCI_MEDIA_INDEX "\","
		    "\"manifests\":[{\"mediaType\":\"" MINT_OCI_MEDIA_MANIFEST "\",\"size\":560,"
		    "\"digest\":\"sha256:" HEX64 "\","
		    "\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\"},"
		    "\"platform\":{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v6\"},"
		    "\"artifactType\":\"" MINT_OCI_MEDIA_CONFIG "\"}]}");
	mint_buf_free(&b);
}

static void test_json_escapes_strings_as_go_does(void **state)
{
	(void)state;
	struct mint_oci_kv ann[] = { { "k", "a<b>&c\xe2\x80\xa8\xe2\x80\xa9\x01\x1f\t\"\\u0041/\xc3\xa9" } };
	struct mint_oci_index ix = { .annotations = ann, .n_annotations = 1 };
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_json(mint_oci_index_json(&ix, &b, &err), &err, &b,
		    "{\"schemaVersion\":2,\"mediaType\":\"" MINT_OCI_MEDIA_INDEX "\","
		    "\"manifests\":[],\"annotations\":{\"k\":"
		    "\"a\\u003cb\\u003e\\u0026c\\u2028\\u2029\\u0001\\u001f\\t\\\"\\\\u0041/\xc3\xa9\"}}");
	mint_buf_free(&b);
}

static void test_json_rejects_a_repeated_annotation_key(void **state)
{
	(void)state;
	struct mint_oci_kv ann[] = { { "a", "1" }, { "b", "2" }, { "a", "3" } };
	struct mint_oci_index ix = { .annotations = ann, .n_annotations = 3 };
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_int_equal(mint_oci_index_json(&ix, &b, &err), MINT_EDUPLICATE);
	assert_string_equal(err.msg, "image index: annotations: key \"a\" appears twice");
	mint_buf_free(&b);
}

static void test_json_rejects_a_digest_that_is_not_sha256_hex(void **state)
{
	(void)state;
	struct mint_oci_descriptor d = descriptor(MINT_OCI_MEDIA_MANIFEST, 1);
	d.digest[10] = 'A';
	struct mint_oci_index ix = { .manifests = &d, .n_manifests = 1 };
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_int_equal(mint_oci_index_json(&ix, &b, &err), MINT_EINVAL);
	assert_non_null(strstr(err.msg, "is not sha256:<64 lowercase hex>"));
	assert_int_equal(b.len, 0);
	mint_buf_free(&b);
}

static void test_json_rejects_text_that_is_not_utf8(void **state)
{
	(void)state;
	struct mint_oci_image_config c = { .architecture = "amd64", .os = "linux",
					   .user = "\xff" };
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_int_equal(mint_oci_config_json(&c, &b, &err), MINT_EINVAL);
	assert_string_equal(err.msg, "image config: User is not valid UTF-8");
	struct mint_oci_kv bad_key = { "\xc3", "v" };
	c.user = NULL;
	c.labels = &bad_key;
	c.n_labels = 1;
	assert_int_equal(mint_oci_config_json(&c, &b, &err), MINT_EINVAL);
	assert_string_equal(err.msg, "image config: Labels has a key that is not valid UTF-8");
	mint_buf_free(&b);
}

static void test_json_rejects_missing_architecture_media_type_and_huge_size(void **state)
{
	(void)state;
	struct mint_oci_image_config c = { .os = "linux" };
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_int_equal(mint_oci_config_json(&c, &b, &err), MINT_EINVAL);
	struct mint_oci_manifest m = { .config = descriptor(NULL, 1) };
	assert_int_equal(mint_oci_manifest_json(&m, &b, &err), MINT_EINVAL);
	m.config = descriptor(MINT_OCI_MEDIA_CONFIG, (uint64_t)INT64_MAX + 1);
	assert_int_equal(mint_oci_manifest_json(&m, &b, &err), MINT_EINVAL);
	struct mint_oci_platform p = { .architecture = "amd64" };
	struct mint_oci_descriptor d = descriptor(MINT_OCI_MEDIA_MANIFEST, 1);
	d.platform = &p;
	struct mint_oci_index ix = { .manifests = &d, .n_manifests = 1 };
	assert_int_equal(mint_oci_index_json(&ix, &b, &err), MINT_EINVAL);
	mint_buf_free(&b);
}

static void test_oci_time_is_rfc3339_utc(void **state)
{
	(void)state;
	char t[MINT_OCI_TIME_MAX];
	struct mint_err err = { 0 };
	assert_ok(mint_oci_time(0, t, &err), &err);
	assert_string_equal(t, "1970-01-01T00:00:00Z");
	assert_ok(mint_oci_time(1700000000, t, &err), &err);
	assert_string_equal(t, "2023-11-14T22:13:20Z");
	assert_ok(mint_oci_time(-62167219200LL, t, &err), &err);
	assert_string_equal(t, "0000-01-01T00:00:00Z");
	assert_int_equal(mint_oci_time(253402300800LL, t, &err), MINT_EINVAL);
}

static void test_digest_of_and_digest_valid(void **state)
{
	(void)state;
	char d[MINT_OCI_DIGEST_MAX];
	struct mint_err err = { 0 };
	assert_ok(mint_oci_digest_of("", 0, d, &err), &err);
	assert_string_equal(d, "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_true(mint_oci_digest_valid(d));
	assert_false(mint_oci_digest_valid("sha256:"));
	assert_false(mint_oci_digest_valid("sha512:" HEX64));
	assert_false(mint_oci_digest_valid("sha256:" HEX64 "0"));
	assert_false(mint_oci_digest_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_json_minimal_keeps_the_required_fields),
		cmocka_unit_test(test_config_json_writes_fields_in_go_struct_order),
		cmocka_unit_test(test_manifest_json_sorts_annotations_bytewise),
		cmocka_unit_test(test_manifest_json_without_layers_has_an_empty_list),
		cmocka_unit_test(test_index_descriptor_has_annotations_platform_then_artifact_type),
		cmocka_unit_test(test_json_escapes_strings_as_go_does),
		cmocka_unit_test(test_json_rejects_a_repeated_annotation_key),
		cmocka_unit_test(test_json_rejects_a_digest_that_is_not_sha256_hex),
		cmocka_unit_test(test_json_rejects_text_that_is_not_utf8),
		cmocka_unit_test(test_json_rejects_missing_architecture_media_type_and_huge_size),
		cmocka_unit_test(test_oci_time_is_rfc3339_utc),
		cmocka_unit_test(test_digest_of_and_digest_valid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
