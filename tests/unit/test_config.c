/* SPDX-License-Identifier: Apache-2.0 */
/* lib/image/config.c: the fields of an apko config, the rules across them,
 * merging, defaults and freeing. */
#include "image_config_fixture.h"

static void test_config_empty_document_start_is_an_empty_config(void **state)
{
	(void)state;
	assert_cfg_json("---\n", "{\"contents\":{},\"entrypoint\":{},\"accounts\":{}}");
}

static void test_config_no_document_is_an_error(void **state)
{
	(void)state;
	assert_string_equal(cfg_error("# nothing\n"),
			    "image.yaml: no YAML document: an image configuration needs at least "
			    "contents");
}

static void test_config_document_must_be_a_mapping(void **state)
{
	(void)state;
	assert_string_equal(cfg_error("- contents\n"),
			    "image.yaml:1:1: the document must be a mapping, not a sequence");
}

static void test_config_unknown_top_level_field_lists_known_fields(void **state)
{
	(void)state;
	assert_string_equal(
		cfg_error("contents:\n  packages: [a]\nos-release:\n  id: x\n"),
		"image.yaml:3:1: unknown field 'os-release' (known fields: contents, entrypoint, cmd, "
		"stop-signal, work-dir, accounts, archs, environment, paths, vcs-url, annotations, "
		"include, volumes, layering, format, certificates)");
}

static void test_config_unknown_contents_field_suggests_the_near_one(void **state)
{
	(void)state;
	assert_string_equal(cfg_error("contents:\n  pakages: [a]\n"),
			    "image.yaml:2:3: unknown field 'pakages' in 'contents' (known fields: "
			    "build_repositories, runtime_repositories, repositories, keyring, "
			    "runtime_keyring, packages, baseimage); did you mean 'packages'?");
}

static void test_config_contents_lists_keep_their_order(void **state)
{
	(void)state;
	struct mint_image_config cfg;
	cfg_ok("contents:\n  repositories: [r1, '@local ./pkgs']\n  keyring: [k1]\n"
	       "  packages: [b, a=1.0-r0, 'c>2']\n  build_repositories: [./build/]\n"
	       "  runtime_repositories: [https://x/os/]\n",
	       &cfg);
	assert_int_equal(cfg.contents.repositories.n, 2);
	assert_string_equal(cfg.contents.repositories.v[1], "@local ./pkgs");
	assert_string_equal(cfg.contents.packages.v[0], "b");
	assert_string_equal(cfg.contents.packages.v[2], "c>2");
	/* apko trims build and runtime repositories, not repositories. */
	assert_string_equal(cfg.contents.build_repositories.v[0], "./build");
	assert_string_equal(cfg.contents.runtime_repositories.v[0], "https://x/os");
	mint_image_config_free(&cfg);
}

static void test_config_empty_package_is_refused_where_written(void **state)
{
	(void)state;
	assert_string_equal(cfg_error("contents:\n  packages:\n    - a\n    -\n"),
			    "image.yaml:4:6: 'contents.packages[1]' is empty");
}

static void test_config_list_field_given_a_scalar_names_the_type(void **state)
{
	(void)state;
	assert_string_equal(cfg_error("contents:\n  packages: busybox\n"),
			    "image.yaml:2:13: field 'contents.packages' must be a sequence, not a "
			    "string 'busybox'");
}

static void test_config_scalar_fields_take_any_scalar_as_text(void **state)
{
	(void)state;
	assert_cfg_json("cmd: 123\nstop-signal: SIGTERM\nwork-dir: /w\nvcs-url: u@c\n",
			"{\"contents\":{},\"entrypoint\":{},\"cmd\":\"123\",\"stop-signal\":"
			"\"SIGTERM\",\"work-dir\":\"/w\",\"accounts\":{},\"vcs-url\":\"u@c\"}");
}

static void test_config_entrypoint_type_must_be_service_bundle(void **state)
{
	(void)state;
	assert_string_equal(cfg_error("entrypoint:\n  type: oneshot\n"),
			    "image.yaml:2:9: 'entrypoint.type' must be 'service-bundle' (the only "
			    "type apko has) or absent: got 'oneshot'");
	assert_cfg_json("entrypoint:\n  type: service-bundle\n  services:\n    b: run-b\n"
			"    a: run-a\n",
			"{\"contents\":{},\"entrypoint\":{\"type\":\"service-bundle\",\"services\":"
			"{\"a\":\"run-a\",\"b\":\"run-b\"}},\"accounts\":{}}");
}

static void test_config_archs_are_normalised_deduplicated_and_sorted(void **state)
{
	(void)state;
	assert_cfg_json("archs: [x86_64, aarch64, amd64, armv7, armhf, arm64, x86]\n",
			"{\"contents\":{},\"entrypoint\":{},\"accounts\":{},\"archs\":[\"386\","
			"\"amd64\",\"arm/v6\",\"arm/v7\",\"arm64\"]}");
}

static void test_config_unknown_arch_is_reported_at_the_item(void **state)
{
	(void)state;
	const char *msg = cfg_error("archs:\n  - x86_64\n  - mips\n");
	assert_true(starts_with(msg, "image.yaml:3:5: 'archs[1]' is 'mips', not an architecture"));
	msg = cfg_error("archs: [all]\n");
	assert_non_null(strstr(msg, "'all' and 'host' work only on the command line"));
}

static void test_config_environment_is_order_independent(void **state)
{
	(void)state;
	struct mint_image_config a, b;
	cfg_ok("environment:\n  B: two\n  A: 1\n  C:\n", &a);
	cfg_ok("environment: {C: '', A: '1', B: two}\n", &b);
	char *ja = cfg_json(&a), *jb = cfg_json(&b);
	assert_string_equal(ja, jb);
	assert_non_null(strstr(ja, "\"environment\":{\"A\":\"1\",\"B\":\"two\",\"C\":\"\"}"));
	free(ja);
	free(jb);
	mint_image_config_free(&a);
	mint_image_config_free(&b);
}

static void test_config_map_keys_must_be_scalars(void **state)
{
	(void)state;
	assert_string_equal(cfg_error("annotations:\n  ? [a]\n  : b\n"),
			    "image.yaml:2:5: keys of 'annotations' must be strings, not a sequence");
}

static void test_config_runtime_keyring_name_follows_apko_pattern(void **state)
{
	(void)state;
	assert_string_equal(cfg_error("contents:\n  runtime_keyring:\n    - name: .hidden\n"
				      "      content: PEM\n"),
			    "image.yaml:3:13: 'contents.runtime_keyring[0].name' must be a key file "
			    "name matching ^[a-zA-Z0-9_-]+[a-zA-Z0-9_.-]*$ (like example.rsa.pub): "
			    "got '.hidden'");
	assert_string_equal(cfg_error("contents:\n  runtime_keyring:\n    - name: k.rsa.pub\n"),
			    "image.yaml:3:7: 'contents.runtime_keyring[0]' (k.rsa.pub) has no "
			    "content: give the PEM public key");
}

static void test_config_runtime_keyring_refuses_scalars_and_unknown_keys(void **state)
{
	(void)state;
	assert_string_equal(cfg_error("contents:\n  runtime_keyring:\n    - https://x/k.pub\n"),
			    "image.yaml:3:7: field 'contents.runtime_keyring[0]' must be a mapping, "
			    "not a string 'https://x/k.pub'");
	const char *msg = cfg_error("contents:\n  runtime_keyring:\n    - {name: a, content: b, "
				    "uri: c}\n");
	assert_string_equal(msg, "image.yaml:3:29: unknown field 'uri' in "
				 "'contents.runtime_keyring[0]' (known fields: name, content)");
}

static void test_config_runtime_keyring_duplicates_and_collisions(void **state)
{
	(void)state;
	assert_string_equal(cfg_error("contents:\n  runtime_keyring:\n    - {name: a, content: x}\n"
				      "    - {name: a, content: y}\n"),
			    "contents.runtime_keyring names 'a' twice (entries 0 and 1)");
	assert_string_equal(cfg_error("contents:\n  keyring: [https://x/os/w.rsa.pub]\n"
				      "  runtime_keyring:\n    - {name: w.rsa.pub, content: x}\n"),
			    "contents.runtime_keyring entry 'w.rsa.pub' would replace keyring file "
			    "'https://x/os/w.rsa.pub' in /etc/apk/keys: rename one");
}

static void test_config_baseimage_needs_image_and_apkindex(void **state)
{
	(void)state;
	assert_string_equal(cfg_error("contents:\n  baseimage:\n    image: ./img\n"),
			    "image.yaml:3:5: 'contents.baseimage' needs both image (an OCI layout "
			    "directory) and apkindex (a directory with <arch>/APKINDEX)");
}

static void test_config_baseimage_allows_only_contents_archs_include(void **state)
{
	(void)state;
	assert_string_equal(cfg_error("contents:\n  baseimage: {image: a, apkindex: b}\n"
				      "environment:\n  A: b\n"),
			    "image.yaml:3:1: 'environment' cannot be used with contents.baseimage: "
			    "a config on a base image may set only contents, archs and include");
	struct mint_image_config cfg;
	cfg_ok("contents:\n  baseimage: {image: a, apkindex: b}\nenvironment: {}\n"
	       "archs: [x86_64]\n",
	       &cfg);
	assert_true(cfg.contents.has_baseimage);
	mint_image_config_free(&cfg);
}

static void test_config_layering_strategy_must_be_origin(void **state)
{
	(void)state;
	assert_string_equal(cfg_error("layering:\n  strategy: size\n"),
			    "image.yaml:2:13: 'layering.strategy' must be 'origin' (the only "
			    "strategy apko has): got 'size'");
	assert_string_equal(cfg_error("layering:\n  budget: 3\n"),
			    "image.yaml:2:3: 'layering' sets a budget but no strategy: add "
			    "`strategy: origin`, or remove layering for a single layer");
	assert_string_equal(cfg_error("layering: {strategy: origin, budget: -1}\n"),
			    "image.yaml:1:38: field 'layering.budget' is out of range '-1': want 0 "
			    "to 9223372036854775807");
}

static void test_config_empty_layering_is_kept_as_present(void **state)
{
	(void)state;
	assert_cfg_json("layering: {}\n",
			"{\"contents\":{},\"entrypoint\":{},\"accounts\":{},\"layering\":{}}");
	assert_cfg_json("layering:\n",
			"{\"contents\":{},\"entrypoint\":{},\"accounts\":{}}");
}

static void test_config_format_is_tar_or_erofs(void **state)
{
	(void)state;
	assert_cfg_json("format: erofs\n", "{\"contents\":{},\"entrypoint\":{},\"accounts\":{},"
					   "\"format\":\"erofs\"}");
	assert_string_equal(cfg_error("format: squashfs\n"),
			    "image.yaml:1:9: 'format' must be 'tar' (the default) or 'erofs': got "
			    "'squashfs'");
	assert_string_equal(cfg_error("format: erofs\nlayering: {strategy: origin}\n"),
			    "format 'erofs' makes a single-layer image: remove layering");
}

static void test_config_certificates_hold_exactly_one_pem_each(void **state)
{
	(void)state;
	assert_cfg_json("certificates:\n  providers: [ca-provider]\n  additional:\n"
			"    - name: a\n      content: |\n        -----BEGIN CERTIFICATE-----\n"
			"        QUJD\n        -----END CERTIFICATE-----\n",
			"{\"contents\":{},\"entrypoint\":{},\"accounts\":{},\"certificates\":{"
			"\"additional\":[{\"name\":\"a\",\"content\":\"-----BEGIN CERTIFICATE-----\\n"
			"QUJD\\n-----END CERTIFICATE-----\\n\"}],\"providers\":[\"ca-provider\"]}}");
	assert_string_equal(cfg_error("certificates:\n  additional:\n    - name: a\n"
				      "      content: not a pem\n"),
			    "image.yaml:4:16: 'certificates.additional[0]' (a) must hold exactly "
			    "one PEM certificate, not 0");
	assert_cfg_json("certificates: {}\n", "{\"contents\":{},\"entrypoint\":{},\"accounts\":{},"
					      "\"certificates\":{}}");
}

static void test_config_merge_into_follows_apko_precedence(void **state)
{
	(void)state;
	struct mint_image_config inc, top;
	cfg_ok("contents: {repositories: [r-inc], packages: [p-inc], keyring: [k-inc]}\n"
	       "entrypoint: {command: inc-cmd}\ncmd: inc\nwork-dir: /inc\narchs: [x86_64]\n"
	       "environment: {A: inc, B: inc}\nannotations: {x: inc}\nvolumes: [/v-inc]\n"
	       "paths: [{path: /inc, type: directory, permissions: 0o755}]\n"
	       "accounts: {run-as: inc, users: [{username: inc, uid: 1}]}\n",
	       &inc);
	cfg_ok("contents: {packages: [p-top]}\ncmd: top\nenvironment: {B: top}\n"
	       "volumes: [/v-top]\naccounts: {users: [{username: top, uid: 2}]}\n"
	       "vcs-url: top-url\n",
	       &top);
	struct mint_err err = { 0 };
	assert_ok(mint_image_config_merge_into(&inc, &top, &err), &err);
	char *got = cfg_json(&top);
	assert_string_equal(
		got,
		"{\"contents\":{\"repositories\":[\"r-inc\"],\"keyring\":[\"k-inc\"],\"packages\":"
		"[\"p-inc\",\"p-top\"]},\"entrypoint\":{\"command\":\"inc-cmd\"},\"cmd\":\"top\","
		"\"work-dir\":\"/inc\",\"accounts\":{\"run-as\":\"inc\",\"users\":[{\"username\":"
		"\"inc\",\"uid\":1},{\"username\":\"top\",\"uid\":2}]},\"archs\":[\"amd64\"],"
		"\"environment\":{\"A\":\"inc\",\"B\":\"top\"},\"paths\":[{\"path\":\"/inc\","
		"\"type\":\"directory\",\"permissions\":493}],\"vcs-url\":\"top-url\","
		"\"annotations\":{\"x\":\"inc\"},\"volumes\":[\"/v-inc\",\"/v-top\"]}");
	free(got);
	mint_image_config_free(&inc);
	mint_image_config_free(&top);
}

static void test_config_merge_into_empty_copies_what_apko_copies(void **state)
{
	(void)state;
	struct mint_image_config src, copy = { 0 };
	cfg_ok("contents: {runtime_keyring: [{name: k, content: c}]}\nlayering: {}\n"
	       "format: tar\nvcs-url: u\n",
	       &src);
	struct mint_err err = { 0 };
	assert_ok(mint_image_config_merge_into(&src, &copy, &err), &err);
	assert_int_equal(copy.contents.n_runtime_keyring, 1);
	assert_string_equal(copy.contents.runtime_keyring[0].name, "k");
	/* apko's MergeInto leaves layering, format and vcs-url behind. */
	assert_false(copy.has_layering);
	assert_null(copy.format);
	assert_null(copy.vcs_url);
	mint_image_config_free(&src);
	mint_image_config_free(&copy);
}

static void test_config_apply_defaults_as_apko_validate(void **state)
{
	(void)state;
	struct mint_image_config cfg;
	cfg_ok("contents: {packages: [nginx]}\nentrypoint:\n  type: service-bundle\n"
	       "  services: {nginx: /usr/sbin/nginx}\naccounts:\n  users:\n"
	       "    - {username: a, uid: 10, homedir: /srv/a}\n    - {username: b, uid: 11}\n",
	       &cfg);
	struct mint_err err = { 0 };
	assert_ok(mint_image_config_apply_defaults(&cfg, &err), &err);
	assert_string_equal(cfg.entrypoint.command, "/bin/s6-svscan /sv");
	assert_int_equal(cfg.contents.packages.n, 2);
	assert_string_equal(cfg.contents.packages.v[1], "s6");
	assert_string_equal(cfg.accounts.users[0].homedir, "/srv/a");
	assert_string_equal(cfg.accounts.users[1].homedir, "/home/b");
	mint_image_config_free(&cfg);
}

static void test_config_default_archs_are_all_nine_sorted(void **state)
{
	(void)state;
	struct mint_image_config cfg;
	cfg_ok("cmd: x\n", &cfg);
	assert_int_equal(cfg.n_archs, 0);
	assert_int_equal(mint_image_config_default_archs(&cfg, NULL), 0);
	assert_int_equal(cfg.n_archs, MINT_ARCH_COUNT);
	char *got = cfg_json(&cfg);
	assert_non_null(strstr(got, "\"archs\":[\"386\",\"amd64\",\"arm/v6\",\"arm/v7\",\"arm64\","
				    "\"loong64\",\"ppc64le\",\"riscv64\",\"s390x\"]"));
	free(got);
	/* A config that names archs keeps them. */
	mint_image_config_free(&cfg);
	cfg_ok("archs: [s390x]\n", &cfg);
	assert_int_equal(mint_image_config_default_archs(&cfg, NULL), 0);
	assert_int_equal(cfg.n_archs, 1);
	mint_image_config_free(&cfg);
}

static void test_config_free_is_safe_twice_and_on_zero(void **state)
{
	(void)state;
	struct mint_image_config cfg = { 0 };
	mint_image_config_free(&cfg);
	mint_image_config_free(NULL);
	cfg_ok("contents: {packages: [a]}\n", &cfg);
	mint_image_config_free(&cfg);
	mint_image_config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_empty_document_start_is_an_empty_config),
		cmocka_unit_test(test_config_no_document_is_an_error),
		cmocka_unit_test(test_config_document_must_be_a_mapping),
		cmocka_unit_test(test_config_unknown_top_level_field_lists_known_fields),
		cmocka_unit_test(test_config_unknown_contents_field_suggests_the_near_one),
		cmocka_unit_test(test_config_contents_lists_keep_their_order),
		cmocka_unit_test(test_config_empty_package_is_refused_where_written),
		cmocka_unit_test(test_config_list_field_given_a_scalar_names_the_type),
		cmocka_unit_test(test_config_scalar_fields_take_any_scalar_as_text),
		cmocka_unit_test(test_config_entrypoint_type_must_be_service_bundle),
		cmocka_unit_test(test_config_archs_are_normalised_deduplicated_and_sorted),
		cmocka_unit_test(test_config_unknown_arch_is_reported_at_the_item),
		cmocka_unit_test(test_config_environment_is_order_independent),
		cmocka_unit_test(test_config_map_keys_must_be_scalars),
		cmocka_unit_test(test_config_runtime_keyring_name_follows_apko_pattern),
		cmocka_unit_test(test_config_runtime_keyring_refuses_scalars_and_unknown_keys),
		cmocka_unit_test(test_config_runtime_keyring_duplicates_and_collisions),
		cmocka_unit_test(test_config_baseimage_needs_image_and_apkindex),
		cmocka_unit_test(test_config_baseimage_allows_only_contents_archs_include),
		cmocka_unit_test(test_config_layering_strategy_must_be_origin),
		cmocka_unit_test(test_config_empty_layering_is_kept_as_present),
		cmocka_unit_test(test_config_format_is_tar_or_erofs),
		cmocka_unit_test(test_config_certificates_hold_exactly_one_pem_each),
		cmocka_unit_test(test_config_merge_into_follows_apko_precedence),
		cmocka_unit_test(test_config_merge_into_empty_copies_what_apko_copies),
		cmocka_unit_test(test_config_apply_defaults_as_apko_validate),
		cmocka_unit_test(test_config_default_archs_are_all_nine_sorted),
		cmocka_unit_test(test_config_free_is_safe_twice_and_on_zero),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
