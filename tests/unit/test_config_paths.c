/* SPDX-License-Identifier: Apache-2.0 */
/* lib/image/config_paths.c: path mutations, their owners and octal modes. */
#include "image_config_fixture.h"

static void test_config_paths_modes_in_every_octal_spelling(void **state)
{
	(void)state;
	struct mint_image_config cfg;
	cfg_ok("paths:\n"
	       "  - {path: /a, type: directory, permissions: 0o755}\n"
	       "  - {path: /b, type: directory, permissions: 0755}\n"
	       "  - {path: /c, type: directory, permissions: 493}\n"
	       "  - {path: /d, type: directory, permissions: 0o4755}\n"
	       "  - {path: /e, type: permissions, permissions: 0o7777, recursive: true}\n",
	       &cfg);
	assert_int_equal(cfg.n_paths, 5);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(cfg.paths[i].permissions, 0755);
	assert_int_equal(cfg.paths[3].permissions, 04755);
	assert_int_equal(cfg.paths[4].permissions, 07777);
	assert_true(cfg.paths[4].recursive);
	assert_int_equal(cfg.paths[4].type, MINT_IMAGE_PATH_PERMISSIONS);
	mint_image_config_free(&cfg);
}

static void test_config_paths_mode_above_7777_names_it_in_octal(void **state)
{
	(void)state;
	assert_string_equal(cfg_error("paths:\n  - path: /x\n    type: directory\n"
				      "    permissions: 0o10000\n"),
			    "image.yaml:4:18: 'paths[0].permissions' is 0o10000 (4096), more than "
			    "the largest mode 0o7777; write modes in octal, like 0o755 or 0755");
}

static void test_config_paths_quoted_mode_is_not_a_number(void **state)
{
	(void)state;
	assert_string_equal(cfg_error("paths:\n  - path: /x\n    type: directory\n"
				      "    permissions: \"0755\"\n"),
			    "image.yaml:4:18: field 'paths[0].permissions' must be an integer, not a "
			    "string '0755' (write it without quotes)");
	assert_string_equal(cfg_error("paths:\n  - {path: /x, type: directory, permissions: "
				      "rwxr-xr-x}\n"),
			    "image.yaml:2:46: field 'paths[0].permissions' must be an integer, not "
			    "a string 'rwxr-xr-x'");
}

static void test_config_paths_owner_set_only_when_written(void **state)
{
	(void)state;
	struct mint_image_config cfg;
	cfg_ok("paths:\n  - {path: /a, type: empty-file, uid: 0, permissions: 0o644}\n"
	       "  - {path: /b, type: empty-file, gid: 7}\n  - {path: /c, type: empty-file}\n",
	       &cfg);
	assert_true(cfg.paths[0].has_uid);
	assert_false(cfg.paths[0].has_gid);
	assert_int_equal(cfg.paths[0].uid, 0);
	assert_false(cfg.paths[1].has_uid);
	assert_true(cfg.paths[1].has_gid);
	assert_int_equal(cfg.paths[1].gid, 7);
	assert_false(cfg.paths[2].has_uid || cfg.paths[2].has_gid);
	char *json = cfg_json(&cfg);
	assert_non_null(strstr(json, "{\"path\":\"/a\",\"type\":\"empty-file\",\"uid\":0,"
				     "\"permissions\":420}"));
	assert_non_null(strstr(json, "{\"path\":\"/c\",\"type\":\"empty-file\"}"));
	free(json);
	mint_image_config_free(&cfg);
}

static void test_config_paths_links_need_a_source(void **state)
{
	(void)state;
	assert_string_equal(cfg_error("paths:\n  - path: /etc/x\n    type: hardlink\n"),
			    "image.yaml:2:5: 'paths[0]' (/etc/x) is a hardlink and needs a source");
	struct mint_image_config cfg;
	cfg_ok("paths:\n  - {path: /l, type: symlink, source: /target, permissions: 0o777}\n",
	       &cfg);
	assert_string_equal(cfg.paths[0].source, "/target");
	mint_image_config_free(&cfg);
}

static void test_config_paths_type_is_required_and_known(void **state)
{
	(void)state;
	assert_string_equal(cfg_error("paths:\n  - path: /x\n    type: dir\n"),
			    "image.yaml:3:11: 'paths[0].type' must be one of directory, empty-file, "
			    "hardlink, symlink, permissions: got 'dir'");
	assert_string_equal(cfg_error("paths:\n  - path: /x\n"),
			    "image.yaml:2:5: 'paths[0]' (/x) has no type: one of directory, "
			    "empty-file, hardlink, symlink, permissions");
	assert_string_equal(cfg_error("paths:\n  - type: directory\n"),
			    "image.yaml:2:5: 'paths[0]' has no path");
}

static void test_config_paths_unknown_field_and_bad_recursive(void **state)
{
	(void)state;
	assert_string_equal(cfg_error("paths:\n  - {path: /x, type: directory, mode: 0o755}\n"),
			    "image.yaml:2:33: unknown field 'mode' in 'paths[0]' (known fields: path, "
			    "type, uid, gid, permissions, source, recursive)");
	assert_string_equal(cfg_error("paths:\n  - {path: /x, type: directory, recursive: 2}\n"),
			    "image.yaml:2:44: field 'paths[0].recursive' must be true or false, not "
			    "an integer '2'");
}

static void test_config_paths_uid_out_of_range(void **state)
{
	(void)state;
	assert_string_equal(cfg_error("paths:\n  - {path: /x, type: directory, uid: 4294967296}\n"),
			    "image.yaml:2:38: field 'paths[0].uid' is out of range '4294967296': "
			    "want 0 to 4294967295");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_paths_modes_in_every_octal_spelling),
		cmocka_unit_test(test_config_paths_mode_above_7777_names_it_in_octal),
		cmocka_unit_test(test_config_paths_quoted_mode_is_not_a_number),
		cmocka_unit_test(test_config_paths_owner_set_only_when_written),
		cmocka_unit_test(test_config_paths_links_need_a_source),
		cmocka_unit_test(test_config_paths_type_is_required_and_known),
		cmocka_unit_test(test_config_paths_unknown_field_and_bad_recursive),
		cmocka_unit_test(test_config_paths_uid_out_of_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
