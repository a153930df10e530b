/* SPDX-License-Identifier: Apache-2.0 */
/* lib/image/config_json.c: the bytes of /etc/apko.json. */
#include "image_config_fixture.h"

static void test_config_json_every_field_in_go_struct_order(void **state)
{
	(void)state;
	assert_cfg_json(
		"certificates: {providers: [p]}\nformat: tar\nlayering: {strategy: origin, "
		"budget: 2}\nvolumes: [/data]\ninclude: ''\nannotations: {b: '2', a: '1'}\n"
		"vcs-url: https://g/r@c\npaths: [{path: /p, type: directory, permissions: 0o700, "
		"recursive: true}]\nenvironment: {K: V}\narchs: [aarch64]\naccounts: {run-as: '1'}\n"
		"work-dir: /w\nstop-signal: TERM\ncmd: c\nentrypoint: {command: e, shell-fragment: "
		"f}\ncontents:\n  packages: [p]\n"
		"  runtime_keyring: [{content: C, name: n}]\n  keyring: [k]\n  repositories: [r]\n"
		"  runtime_repositories: [rr]\n  build_repositories: [br]\n",
		"{\"contents\":{\"build_repositories\":[\"br\"],\"runtime_repositories\":[\"rr\"],"
		"\"repositories\":[\"r\"],\"keyring\":[\"k\"],\"runtime_keyring\":[{\"name\":\"n\","
		"\"content\":\"C\"}],\"packages\":[\"p\"]},\"entrypoint\":{\"command\":\"e\",\"shell-fragment\":\"f\"},\"cmd\":\"c\","
		"\"stop-signal\":\"TERM\",\"work-dir\":\"/w\",\"accounts\":{\"run-as\":\"1\"},"
		"\"archs\":[\"arm64\"],\"environment\":{\"K\":\"V\"},\"paths\":[{\"path\":\"/p\","
		"\"type\":\"directory\",\"permissions\":448,\"recursive\":true}],\"vcs-url\":"
		"\"https://g/r@c\",\"annotations\":{\"a\":\"1\",\"b\":\"2\"},\"volumes\":[\"/data\"],"
		"\"layering\":{\"strategy\":\"origin\",\"budget\":2},\"format\":\"tar\","
		"\"certificates\":{\"providers\":[\"p\"]}}");
}

static void test_config_json_baseimage_is_an_object_with_image_first(void **state)
{
	(void)state;
	assert_cfg_json("contents:\n  baseimage: {apkindex: i, image: m}\narchs: [x86_64]\n",
			"{\"contents\":{\"baseimage\":{\"image\":\"m\",\"apkindex\":\"i\"}},"
			"\"entrypoint\":{},\"accounts\":{},\"archs\":[\"amd64\"]}");
}

static void test_config_json_matches_the_golden_shape(void **state)
{
	(void)state;
	/* The shape of /etc/apko.json in apko's golden image, built from its
	 * testdata/apko.yaml (see tests/conformance/conf_image_config.c). */
	struct mint_image_config cfg;
	cfg_ok("contents:\n  keyring:\n    - ./testdata/melange.rsa.pub\n  repositories:\n"
	       "    - ./testdata/packages\n  packages:\n    - replayout\n\nentrypoint:\n"
	       "  command: /bin/sh -l\n\narchs:\n- x86_64\n",
	       &cfg);
	const char *ann[] = { "org.opencontainers.image.vendor:Vendor",
			      "org.opencontainers.image.title:Title" };
	assert_int_equal(mint_image_config_set_annotations(&cfg, ann, 2, NULL), 0);
	struct mint_buf b = MINT_BUF_INIT;
	assert_int_equal(mint_image_config_to_json(&cfg, &b), 0);
	assert_string_equal(mint_buf_cstr(&b),
			    "{\"contents\":{\"repositories\":[\"./testdata/packages\"],\"keyring\":"
			    "[\"./testdata/melange.rsa.pub\"],\"packages\":[\"replayout\"]},"
			    "\"entrypoint\":{\"command\":\"/bin/sh -l\"},\"accounts\":{},\"archs\":"
			    "[\"amd64\"],\"annotations\":{\"org.opencontainers.image.title\":\"Title\","
			    "\"org.opencontainers.image.vendor\":\"Vendor\"}}\n");
	mint_buf_free(&b);
	mint_image_config_free(&cfg);
}

static void test_config_json_escapes_as_go_does(void **state)
{
	(void)state;
	assert_cfg_json("cmd: \"a\\\"b\\\\c\\n\\t\\r\\b\\f\\x01<>&\\u2028\\u2029\\u00e9\\x7f\"\n",
			"{\"contents\":{},\"entrypoint\":{},\"cmd\":\"a\\\"b\\\\c\\n\\t\\r\\b\\f"
			"\\u0001\\u003c\\u003e\\u0026\\u2028\\u2029\xc3\xa9\x7f\",\"accounts\":{}}");
}

static void test_config_json_replaces_invalid_utf8_per_byte(void **state)
{
	(void)state;
	struct mint_image_config cfg = { 0 };
	const char *ann[] = { "k:\xff\xc3(\xed\xa0\x80z" };
	assert_int_equal(mint_image_config_set_annotations(&cfg, ann, 1, NULL), 0);
	char *got = cfg_json(&cfg);
	assert_string_equal(got, "{\"contents\":{},\"entrypoint\":{},\"accounts\":{},\"annotations\":"
				 "{\"k\":\"\\ufffd\\ufffd(\\ufffd\\ufffd\\ufffdz\"}}");
	free(got);
	mint_image_config_free(&cfg);
}

static void test_config_json_empty_strings_and_lists_are_omitted(void **state)
{
	(void)state;
	assert_cfg_json("cmd: ''\nvolumes: []\nenvironment: {}\naccounts: {users: []}\n"
			"contents: {packages: []}\nentrypoint: {services: {}}\n",
			"{\"contents\":{},\"entrypoint\":{},\"accounts\":{}}");
}

static void test_config_json_keeps_empty_items_inside_lists(void **state)
{
	(void)state;
	assert_cfg_json("volumes: ['', /v]\n", "{\"contents\":{},\"entrypoint\":{},\"accounts\":{},"
						   "\"volumes\":[\"\",\"/v\"]}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_json_every_field_in_go_struct_order),
		cmocka_unit_test(test_config_json_baseimage_is_an_object_with_image_first),
		cmocka_unit_test(test_config_json_matches_the_golden_shape),
		cmocka_unit_test(test_config_json_escapes_as_go_does),
		cmocka_unit_test(test_config_json_replaces_invalid_utf8_per_byte),
		cmocka_unit_test(test_config_json_empty_strings_and_lists_are_omitted),
		cmocka_unit_test(test_config_json_keeps_empty_items_inside_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
