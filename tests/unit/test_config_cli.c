/* SPDX-License-Identifier: Apache-2.0 */
/* lib/image/config_cli.c: apko's command-line overrides. */
#include "image_config_fixture.h"

static const char *err_text(const struct mint_err *err)
{
	static char msg[1024];
	mint_err_format(err, msg, sizeof(msg));
	return msg;
}

static void test_config_cli_appends_after_config_and_skips_duplicates(void **state)
{
	(void)state;
	struct mint_image_config cfg;
	struct mint_err err = { 0 };
	cfg_ok("contents: {packages: [a], repositories: [r1], keyring: [k1], "
	       "build_repositories: [b1]}\n",
	       &cfg);
	const char *pkgs[] = { "b", "a", "b" }, *repos[] = { "r2" }, *keys[] = { "k1", "k2" },
		   *build[] = { "b2" };
	assert_ok(mint_image_config_append_packages(&cfg, pkgs, 3, &err), &err);
	assert_ok(mint_image_config_append_repositories(&cfg, repos, 1, &err), &err);
	assert_ok(mint_image_config_append_keyring(&cfg, keys, 2, &err), &err);
	assert_ok(mint_image_config_append_build_repositories(&cfg, build, 1, &err), &err);
	char *json = cfg_json(&cfg);
	assert_string_equal(json, "{\"contents\":{\"build_repositories\":[\"b1\",\"b2\"],"
				  "\"repositories\":[\"r1\",\"r2\"],\"keyring\":[\"k1\",\"k2\"],"
				  "\"packages\":[\"a\",\"b\"]},\"entrypoint\":{},\"accounts\":{}}");
	free(json);
	mint_image_config_free(&cfg);
}

static void test_config_cli_refuses_empty_values(void **state)
{
	(void)state;
	struct mint_image_config cfg = { 0 };
	struct mint_err err = { 0 };
	const char *v[] = { "" };
	assert_int_equal(mint_image_config_append_packages(&cfg, v, 1, &err), MINT_EINVAL);
	assert_string_equal(err_text(&err), "a package to append is empty");
	mint_image_config_free(&cfg);
}

static void test_config_cli_archs_replace_and_split_commas(void **state)
{
	(void)state;
	struct mint_image_config cfg;
	struct mint_err err = { 0 };
	cfg_ok("archs: [s390x]\n", &cfg);
	const char *v[] = { "x86_64,aarch64", "amd64" };
	assert_ok(mint_image_config_set_archs(&cfg, v, 2, &err), &err);
	assert_int_equal(cfg.n_archs, 2);
	assert_int_equal(cfg.archs[0], MINT_ARCH_AMD64);
	assert_int_equal(cfg.archs[1], MINT_ARCH_ARM64);
	assert_ok(mint_image_config_set_archs(&cfg, NULL, 0, &err), &err);
	assert_int_equal(cfg.n_archs, 2);
	mint_image_config_free(&cfg);
}

static void test_config_cli_archs_all_and_host(void **state)
{
	(void)state;
	struct mint_image_config cfg = { 0 };
	const char *all[] = { "all" }, *host[] = { "host" };
	assert_int_equal(mint_image_config_set_archs(&cfg, all, 1, NULL), 0);
	assert_int_equal(cfg.n_archs, MINT_ARCH_COUNT);
	assert_int_equal(cfg.archs[0], MINT_ARCH_386);
	assert_int_equal(cfg.archs[2], MINT_ARCH_ARMV6);
	enum mint_arch here;
	if (mint_arch_host(&here)) {
		assert_int_equal(mint_image_config_set_archs(&cfg, host, 1, NULL), 0);
		assert_int_equal(cfg.n_archs, 1);
		assert_int_equal(cfg.archs[0], here);
	}
	mint_image_config_free(&cfg);
}

static void test_config_cli_archs_refuse_unknown_and_empty(void **state)
{
	(void)state;
	struct mint_image_config cfg = { 0 };
	struct mint_err err = { 0 };
	const char *bad[] = { "x86_64,mips" }, *empty[] = { "x86_64," }, *mixed[] = { "all", "x86" };
	assert_int_equal(mint_image_config_set_archs(&cfg, bad, 1, &err), MINT_EINVAL);
	assert_true(starts_with(err_text(&err), "--arch 'mips' is not an architecture apko builds"));
	mint_err_clear(&err);
	assert_int_equal(mint_image_config_set_archs(&cfg, empty, 1, &err), MINT_EINVAL);
	assert_string_equal(err_text(&err), "--arch '' is not an architecture");
	/* "all" means all only on its own, as in apko. */
	assert_int_equal(mint_image_config_set_archs(&cfg, mixed, 2, NULL), MINT_EINVAL);
	assert_int_equal(cfg.n_archs, 0);
	mint_image_config_free(&cfg);
}

static void test_config_cli_annotations_override_per_key(void **state)
{
	(void)state;
	struct mint_image_config cfg;
	cfg_ok("annotations: {a: config, b: config}\n", &cfg);
	const char *v[] = { "b:cli:with:colons", "c.d-e:" };
	assert_int_equal(mint_image_config_set_annotations(&cfg, v, 2, NULL), 0);
	char *json = cfg_json(&cfg);
	assert_non_null(strstr(json, "\"annotations\":{\"a\":\"config\",\"b\":\"cli:with:colons\","
				     "\"c.d-e\":\"\"}"));
	free(json);
	mint_image_config_free(&cfg);
}

static void test_config_cli_annotation_key_pattern(void **state)
{
	(void)state;
	struct mint_image_config cfg = { 0 };
	struct mint_err err = { 0 };
	const char *upper[] = { "Org:x" }, *nocolon[] = { "org" }, *emptykey[] = { ":v" };
	assert_int_equal(mint_image_config_set_annotations(&cfg, upper, 1, &err), MINT_EINVAL);
	assert_string_equal(err_text(&err),
			    "--annotations 'Org:x': the key must match ^[a-z0-9-.]+$");
	mint_err_clear(&err);
	assert_int_equal(mint_image_config_set_annotations(&cfg, nocolon, 1, &err), MINT_EINVAL);
	assert_string_equal(err_text(&err), "--annotations 'org' is not key:value");
	assert_int_equal(mint_image_config_set_annotations(&cfg, emptykey, 1, NULL), MINT_EINVAL);
	mint_image_config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_cli_appends_after_config_and_skips_duplicates),
		cmocka_unit_test(test_config_cli_refuses_empty_values),
		cmocka_unit_test(test_config_cli_archs_replace_and_split_commas),
		cmocka_unit_test(test_config_cli_archs_all_and_host),
		cmocka_unit_test(test_config_cli_archs_refuse_unknown_and_empty),
		cmocka_unit_test(test_config_cli_annotations_override_per_key),
		cmocka_unit_test(test_config_cli_annotation_key_pattern),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
