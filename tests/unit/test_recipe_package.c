/* SPDX-License-Identifier: Apache-2.0 */
/* lib/recipe/recipe_package.c: package: and the fields subpackages share. */
#include "recipe_testlib.h"

static void test_package_reads_every_kept_field(void **state)
{
	(void)state;
	struct mint_recipe r;
	recipe_ok("package:\n  name: hello\n  version: 2.12\n  epoch: 3\n"
		  "  description: hi\n  url: https://example.org\n  commit: abc\n"
		  "  annotations:\n    b: 2\n    a: 1\n"
		  "  target-architecture: [x86_64, aarch64]\n  timeout: 1h\n"
		  "  copyright:\n    - license: MIT\n      paths: ['*']\n"
		  "      license-path: COPYING\n      attestation: me\n"
		  "      detection-override: X\n    - license: GPL-2.0-only\n", &r);
	const struct mint_recipe_package *p = &r.package;
	assert_string_equal(p->meta.description, "hi");
	assert_string_equal(p->meta.url, "https://example.org");
	assert_string_equal(p->meta.commit, "abc");
	assert_int_equal(p->annotations.n, 2);
	assert_string_equal(p->annotations.v[0].key, "a");
	assert_int_equal(p->target_architecture.n, 2);
	assert_string_equal(p->timeout, "1h");
	assert_int_equal(p->n_copyright, 2);
	assert_string_equal(p->copyright[0].license_path, "COPYING");
	assert_string_equal(p->copyright[0].paths.v[0], "*");
	assert_string_equal(p->copyright[1].license, "GPL-2.0-only");
	mint_recipe_free(&r);
}

static void test_package_dependencies_and_priorities(void **state)
{
	(void)state;
	struct mint_recipe r;
	recipe_ok(PKG "  dependencies:\n    runtime: [a, b>1]\n    provides: [c=1]\n"
		      "    replaces: [d]\n    provider-priority: 10\n"
		      "    replaces-priority: \"-5\"\n", &r);
	const struct mint_recipe_dependencies *d = &r.package.meta.dependencies;
	assert_int_equal(d->runtime.n, 2);
	assert_string_equal(d->provides.v[0], "c=1");
	assert_string_equal(d->replaces.v[0], "d");
	assert_true(d->has_provider_priority);
	assert_int_equal(d->provider_priority, 10);
	assert_true(d->has_replaces_priority);
	assert_int_equal(d->replaces_priority, -5);
	mint_recipe_free(&r);
	assert_contains(recipe_fails(PKG "  dependencies:\n    provider-priority: high\n",
				     MINT_EFORMAT),
			"r.yaml:6:24: 'package.dependencies.provider-priority' must be an integer");
}

static void test_package_options_scriptlets_checks(void **state)
{
	(void)state;
	struct mint_recipe r;
	recipe_ok(PKG "  options:\n    no-provides: true\n    no-depends: yes\n"
		      "    no-commands: false\n    no-versioned-shlib-deps: true\n"
		      "  scriptlets:\n    post-install: echo hi\n    pre-deinstall: x\n"
		      "    trigger:\n      paths: [/usr/lib]\n      script: ldconfig\n"
		      "  checks:\n    disabled: [usrlocal]\n", &r);
	const struct mint_recipe_meta *m = &r.package.meta;
	assert_true(m->options.no_provides);
	assert_true(m->options.no_depends);
	assert_false(m->options.no_commands);
	assert_true(m->options.no_versioned_shlib_deps);
	assert_string_equal(m->scriptlets.post_install, "echo hi");
	assert_string_equal(m->scriptlets.trigger_paths.v[0], "/usr/lib");
	assert_string_equal(m->scriptlets.trigger_script, "ldconfig");
	assert_string_equal(m->checks_disabled.v[0], "usrlocal");
	mint_recipe_free(&r);
}

static void test_package_fields_not_acted_on_are_checked(void **state)
{
	(void)state;
	struct mint_recipe r;
	recipe_ok(PKG "  resources:\n    cpu: 4\n    memory: 8Gi\n"
		      "  test-resources:\n    disk: 10Gi\n    cpumodel: x\n"
		      "  cpe:\n    vendor: gnu\n    product: hello\n"
		      "  setcap:\n    - path: /usr/bin/ping\n      add:\n"
		      "        cap_net_raw: +ep\n      reason: ping\n", &r);
	mint_recipe_free(&r);
	assert_contains(recipe_fails(PKG "  resources:\n    gpus: 1\n", MINT_EFORMAT),
			"unknown field 'gpus' in 'package.resources'");
	assert_contains(recipe_fails(PKG "  setcap:\n    - paths: x\n", MINT_EFORMAT),
			"package.setcap[0]");
}

static void test_package_unknown_field_suggests_the_near_name(void **state)
{
	(void)state;
	const char *msg = recipe_fails(PKG "  descripton: x\n", MINT_EFORMAT);
	assert_contains(msg, "r.yaml:5:3");
	assert_contains(msg, "descripton");
	assert_contains(msg, "description");
}

static void test_package_test_reads_environment_and_pipeline(void **state)
{
	(void)state;
	struct mint_recipe r;
	recipe_ok(PKG "test:\n  environment:\n    contents:\n      packages: [busybox]\n"
		      "  pipeline:\n    - runs: hello --version\n", &r);
	const struct mint_recipe_test *t = &r.package.meta.test;
	assert_true(t->present);
	assert_true(t->has_environment);
	assert_string_equal(t->environment.contents.packages.v[0], "busybox");
	assert_int_equal(t->n_pipeline, 1);
	assert_string_equal(t->pipeline[0].runs, "hello --version");
	mint_recipe_free(&r);
	assert_contains(recipe_fails(PKG "test:\n  environment:\n    cmd: [x]\n", MINT_EFORMAT),
			"r.yaml:7:10");
}

static void test_package_epoch_must_be_a_small_integer(void **state)
{
	(void)state;
	assert_contains(recipe_fails("package:\n  name: a\n  version: 1\n  epoch: -1\n",
				     MINT_EFORMAT),
			"package.epoch");
	assert_contains(recipe_fails("package:\n  name: a\n  version: 1\n  epoch: x\n",
				     MINT_EFORMAT),
			"package.epoch");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_package_reads_every_kept_field),
		cmocka_unit_test(test_package_dependencies_and_priorities),
		cmocka_unit_test(test_package_options_scriptlets_checks),
		cmocka_unit_test(test_package_fields_not_acted_on_are_checked),
		cmocka_unit_test(test_package_unknown_field_suggests_the_near_name),
		cmocka_unit_test(test_package_test_reads_environment_and_pipeline),
		cmocka_unit_test(test_package_epoch_must_be_a_small_integer),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
