/* SPDX-License-Identifier: Apache-2.0 */
/* lib/image/config_load.c: loading files, following include, the lock
 * checksum. */
#include "image_config_fixture.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mint/encode.h"
#include "mint/fs.h"
#include "mint/yaml.h"
#include "mint/hash.h"

static char *dir;

static int setup(void **state)
{
	(void)state;
	dir = make_tmpdir();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cleanup_tmpdir(dir);
	return 0;
}

/* Writes dir/name with text; returns the malloc'd path. */
static char *put(const char *name, const char *text)
{
	char *path = malloc(strlen(dir) + strlen(name) + 2);
	assert_non_null(path);
	sprintf(path, "%s/%s", dir, name);
	assert_int_equal(mint_file_write_atomic(path, text, strlen(text), 0644, NULL), 0);
	return path;
}

/* Loads dir/name with dir as the include path; the error text on failure. */
static int load(const char *name, struct mint_image_config *cfg, char *msg)
{
	char path[1024];
	const char *paths[] = { dir };
	struct mint_image_config_opts opts = { .include_paths = paths, .n_include_paths = 1 };
	struct mint_err err = { 0 };
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int rc = mint_image_config_load(path, &opts, cfg, &err);
	msg[0] = '\0';
	if (rc)
		mint_err_format(&err, msg, 1024);
	return rc;
}

/* The message with the temporary directory shown as "$D". */
static const char *masked(const char *msg)
{
	static char out[1024];
	size_t n = strlen(dir), k = 0;
	for (const char *p = msg; *p && k + 3 < sizeof(out);) {
		if (!strncmp(p, dir, n)) {
			out[k++] = '$';
			out[k++] = 'D';
			p += n;
		} else {
			out[k++] = *p++;
		}
	}
	out[k] = '\0';
	return out;
}

static void sha256_checksum(const char *text, char *out)
{
	unsigned char d[MINT_HASH_MAX_BYTES];
	assert_int_equal(mint_hash_bytes(MINT_HASH_SHA256, text, strlen(text), d), 0);
	strcpy(out, "sha256-");
	mint_base64_encode(d, 32, out + 7);
}

static void test_config_load_include_merges_under_the_includer(void **state)
{
	(void)state;
	const char *base = "contents:\n  repositories: [r-base]\n  packages: [base]\n"
			   "cmd: base-cmd\narchs: [x86_64]\n";
	const char *top = "include: base.yaml\ncontents:\n  packages: [top]\n";
	free(put("base.yaml", base));
	free(put("top.yaml", top));
	struct mint_image_config cfg;
	char msg[1024];
	assert_int_equal(load("top.yaml", &cfg, msg), 0);
	char *json = cfg_json(&cfg);
	assert_string_equal(json, "{\"contents\":{\"repositories\":[\"r-base\"],\"packages\":"
				  "[\"base\",\"top\"]},\"entrypoint\":{},\"cmd\":\"base-cmd\","
				  "\"accounts\":{},\"archs\":[\"amd64\"],\"include\":\"base.yaml\"}");
	free(json);
	/* The checksum covers the includer's bytes, then the included file's. */
	char both[1024], want[64];
	snprintf(both, sizeof(both), "%s%s", top, base);
	sha256_checksum(both, want);
	assert_string_equal(cfg.checksum, want);
	mint_image_config_free(&cfg);
}

static void test_config_load_nested_includes_apply_innermost_first(void **state)
{
	(void)state;
	free(put("a.yaml", "contents: {packages: [a]}\nwork-dir: /a\n"));
	free(put("b.yaml", "include: a.yaml\ncontents: {packages: [b]}\nwork-dir: /b\n"));
	free(put("c.yaml", "include: b.yaml\ncontents: {packages: [c]}\n"));
	struct mint_image_config cfg;
	char msg[1024];
	assert_int_equal(load("c.yaml", &cfg, msg), 0);
	assert_int_equal(cfg.contents.packages.n, 3);
	assert_string_equal(cfg.contents.packages.v[0], "a");
	assert_string_equal(cfg.contents.packages.v[2], "c");
	assert_string_equal(cfg.work_dir, "/b");
	mint_image_config_free(&cfg);
}

static void test_config_load_error_in_included_file_names_both(void **state)
{
	(void)state;
	free(put("bad.yaml", "contents:\n  pkgs: [x]\n"));
	free(put("uses-bad.yaml", "cmd: x\ninclude: bad.yaml\n"));
	struct mint_image_config cfg;
	char msg[1024];
	assert_int_equal(load("uses-bad.yaml", &cfg, msg), MINT_EFORMAT);
	assert_string_equal(masked(msg),
			    "$D/bad.yaml:2:3: included from $D/uses-bad.yaml:2:10: unknown field "
			    "'pkgs' in 'contents' (known fields: build_repositories, "
			    "runtime_repositories, repositories, keyring, runtime_keyring, packages, "
			    "baseimage)");
}

static void test_config_load_include_cycle_is_named(void **state)
{
	(void)state;
	free(put("x.yaml", "include: y.yaml\n"));
	free(put("y.yaml", "include: x.yaml\n"));
	struct mint_image_config cfg;
	char msg[1024];
	assert_int_equal(load("x.yaml", &cfg, msg), MINT_EFORMAT);
	assert_non_null(strstr(masked(msg), "include 'x.yaml' leads back to "));
	assert_non_null(strstr(msg, "(an include cycle)"));
	assert_true(starts_with(masked(msg), "$D/y.yaml:1:10: included from $D/x.yaml:1:10: "));
}

static void test_config_load_include_depth_is_bounded(void **state)
{
	(void)state;
	char name[32], text[64];
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "d%d.yaml", i);
		snprintf(text, sizeof(text), "include: d%d.yaml\n", i + 1);
		free(put(name, text));
	}
	free(put("d20.yaml", "cmd: end\n"));
	struct mint_image_config cfg;
	char msg[1024];
	assert_int_equal(load("d0.yaml", &cfg, msg), MINT_ELIMIT);
	assert_string_equal(masked(msg), "$D/d16.yaml:1:10: included from $D/d15.yaml:1:10: "
					 "includes nest more than 16 files deep");
}

static void test_config_load_missing_and_remote_includes(void **state)
{
	(void)state;
	free(put("missing.yaml", "include: nowhere.yaml\n"));
	free(put("remote.yaml", "include: github.com/chainguard-dev/apko/examples/a.yaml@main\n"));
	struct mint_image_config cfg;
	char msg[1024];
	assert_int_equal(load("missing.yaml", &cfg, msg), MINT_ENOTFOUND);
	assert_string_equal(masked(msg), "$D/missing.yaml:1:10: include 'nowhere.yaml': no such "
					 "file relative to the current directory (include paths: "
					 "$D)");
	assert_int_equal(load("remote.yaml", &cfg, msg), MINT_EUNSUPPORTED);
	assert_non_null(strstr(msg, "is remote: apko documents remote includes but does not "
				    "implement them"));
}

static void test_config_load_refuses_fields_apko_drops_from_includes(void **state)
{
	(void)state;
	free(put("inc-layering.yaml", "contents: {packages: [a]}\nlayering: {strategy: origin}\n"));
	free(put("uses-layering.yaml", "include: inc-layering.yaml\n"));
	struct mint_image_config cfg;
	char msg[1024];
	assert_int_equal(load("uses-layering.yaml", &cfg, msg), MINT_EFORMAT);
	assert_string_equal(masked(msg), "$D/inc-layering.yaml:2:1: included from "
					 "$D/uses-layering.yaml:1:10: 'layering' in an included "
					 "file is ignored by apko: move it to the file that includes "
					 "this one");
}

static void test_config_load_include_refused_when_not_allowed(void **state)
{
	(void)state;
	assert_string_equal(cfg_error("cmd: x\ninclude: base.yaml\n"),
			    "image.yaml:2:10: include is not allowed here");
}

static void test_config_load_missing_file(void **state)
{
	(void)state;
	struct mint_image_config cfg;
	char msg[1024];
	assert_int_equal(load("absent.yaml", &cfg, msg), MINT_EIO);
	assert_true(starts_with(masked(msg), "$D/absent.yaml: "));
}

static void test_config_parse_checksum_is_sha256_of_the_text(void **state)
{
	(void)state;
	const char *text = "contents:\n  packages: [a]\n";
	struct mint_image_config cfg;
	char want[64];
	cfg_ok(text, &cfg);
	sha256_checksum(text, want);
	assert_string_equal(cfg.checksum, want);
	mint_image_config_free(&cfg);
}

static void test_config_load_json_config(void **state)
{
	(void)state;
	free(put("img.json", "{\"contents\": {\"packages\": [\"busybox\"]},\n"
			     " \"paths\": [{\"path\": \"/x\", \"type\": \"directory\", "
			     "\"permissions\": 493}],\n \"archs\": [\"arm64\"]}\n"));
	struct mint_image_config cfg;
	char msg[1024];
	assert_int_equal(load("img.json", &cfg, msg), 0);
	assert_int_equal(cfg.paths[0].permissions, 0755);
	assert_int_equal(cfg.archs[0], MINT_ARCH_ARM64);
	mint_image_config_free(&cfg);
}

static void test_config_decode_node_nested_with_positions(void **state)
{
	(void)state;
	const char *text = "env:\n  contents:\n    packages: [a]\n    build_repositories: [r/]\n"
			   "bad:\n  contents:\n    pakages: [a]\n"
			   "inc:\n  include: other.yaml\n";
	struct mint_yaml_doc doc;
	struct mint_image_config cfg;
	struct mint_err err = { 0 };
	assert_ok(mint_yaml_parse(mint_span_str(text), "r.yaml", NULL, &doc, &err), &err);
	assert_ok(mint_image_config_decode_node(&doc, mint_yaml_map_get(doc.root, "env"), "env",
						&cfg, &err),
		  &err);
	assert_string_equal(cfg.contents.packages.v[0], "a");
	assert_string_equal(cfg.contents.build_repositories.v[0], "r");
	mint_image_config_free(&cfg);
	assert_int_equal(mint_image_config_decode_node(&doc, mint_yaml_map_get(doc.root, "bad"),
						       "bad", &cfg, &err),
			 MINT_EFORMAT);
	assert_int_equal(err.line, 7);
	assert_int_equal(err.column, 5);
	assert_non_null(strstr(err.msg, "'bad.contents'"));
	mint_err_clear(&err);
	assert_int_equal(mint_image_config_decode_node(&doc, mint_yaml_map_get(doc.root, "inc"),
						       "inc", &cfg, &err),
			 MINT_EUNSUPPORTED);
	mint_yaml_doc_free(&doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_load_include_merges_under_the_includer),
		cmocka_unit_test(test_config_load_nested_includes_apply_innermost_first),
		cmocka_unit_test(test_config_load_error_in_included_file_names_both),
		cmocka_unit_test(test_config_load_include_cycle_is_named),
		cmocka_unit_test(test_config_load_include_depth_is_bounded),
		cmocka_unit_test(test_config_load_missing_and_remote_includes),
		cmocka_unit_test(test_config_load_refuses_fields_apko_drops_from_includes),
		cmocka_unit_test(test_config_load_include_refused_when_not_allowed),
		cmocka_unit_test(test_config_load_missing_file),
		cmocka_unit_test(test_config_parse_checksum_is_sha256_of_the_text),
		cmocka_unit_test(test_config_load_json_config),
		cmocka_unit_test(test_config_decode_node_nested_with_positions),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
