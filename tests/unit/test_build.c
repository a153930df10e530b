/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/image/build.c: packages read by hand (tests/repobuild.h) built into
 * an OCI layout, and the documents read back: index.json, the image index
 * over both arches, and each image config as apko fills it. The same
 * inputs give the same digest whatever the directory or thread count; a
 * bad input fails without an index.json.
 */
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mint/image_build.h"
#include "mint/oci.h"
#include "repobuild.h"

#define PKGINFO(arch) "pkgname = app\npkgver = 1.2-r3\narch = " arch "\nbuilddate = 1700000100\n"

static const struct test_file app_files[] = {
	{ .name = "usr", .type = MINT_TAR_DIR },
	{ .name = "usr/bin", .type = MINT_TAR_DIR },
	{ .name = "usr/bin/app", .content = "#!/bin/sh\necho app\n" },
};

static const struct test_apk app_amd64[] = {
	{ .pkginfo = PKGINFO("x86_64"), .files = app_files, .n_files = 3 },
};

static const struct test_apk app_arm64[] = {
	{ .pkginfo = PKGINFO("aarch64"), .files = app_files, .n_files = 3 },
};

static const char full_yaml[] =
	"contents:\n"
	"  packages: [app]\n"
	"entrypoint:\n"
	"  command: /usr/bin/app --flag 'two words'\n"
	"cmd: serve \"a b\" # a comment\n"
	"work-dir: /srv\n"
	"stop-signal: SIGQUIT\n"
	"accounts:\n"
	"  run-as: app\n"
	"  users: [{username: app, uid: 1000}]\n"
	"environment:\n"
	"  ZED: last\n"
	"  ALPHA: first\n"
	"annotations:\n"
	"  org.opencontainers.image.title: Test\n"
	"  org.opencontainers.image.vendor: Mint\n"
	"vcs-url: https://github.com/example/repo@abc123\n"
	"volumes: [/data, /cache]\n"
	"archs: [aarch64, x86_64]\n";

struct fixture {
	char *dir;
	struct mint_image_config cfg;
	struct mint_image_packages pkgs;
	struct mint_image_build_opts opts;
	char layout[4096];
};

static void fixture_open(struct fixture *f, const char *yaml)
{
	struct mint_err err = { 0 };
	memset(f, 0, sizeof(*f));
	f->dir = make_tmpdir();
	assert_ok(mint_image_config_parse(mint_span_str(yaml), "test.yaml", NULL, &f->cfg, &err),
		  &err);
	assert_ok(mint_image_config_apply_defaults(&f->cfg, &err), &err);
	/* packages in cfg->archs order, which is sorted by OCI name */
	for (size_t a = 0; a < f->cfg.n_archs; a++) {
		bool amd64 = f->cfg.archs[a] == MINT_ARCH_AMD64;
		repo_packages_add_arch(&f->pkgs, f->dir, f->cfg.archs[a],
				       amd64 ? app_amd64 : app_arm64, 1);
	}
	snprintf(f->layout, sizeof(f->layout), "%s/layout", f->dir);
	f->opts = (struct mint_image_build_opts){
		.cfg = &f->cfg, .packages = &f->pkgs, .layout_dir = f->layout, .ref_name = "v1",
		.rootfs = { .tmpdir = f->dir }, .threads = 2,
	};
}

static void fixture_close(struct fixture *f)
{
	mint_image_packages_free(&f->pkgs);
	mint_image_config_free(&f->cfg);
	cleanup_tmpdir(f->dir);
}

static void build_ok(struct fixture *f, struct mint_image_build_result *res)
{
	struct mint_err err = { 0 };
	assert_ok(mint_image_build(&f->opts, res, &err), &err);
}

static json_t *load_json(const char *path)
{
	json_error_t jerr;
	json_t *j = json_load_file(path, 0, &jerr);
	if (!j)
		fail_msg("%s: %s", path, jerr.text);
	return j;
}

static json_t *load_blob(const char *layout, const char *digest)
{
	char *path = mint_oci_blob_path(layout, digest);
	assert_non_null(path);
	json_t *j = load_json(path);
	free(path);
	return j;
}

static const char *str_at(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_string(v))
		fail_msg("%s is not a string", key);
	return json_string_value(v);
}

static void assert_strings(json_t *arr, const char *const *want)
{
	size_t n = 0;
	while (want[n])
		n++;
	assert_true(json_is_array(arr));
	assert_int_equal(json_array_size(arr), n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(json_string_value(json_array_get(arr, i)), want[i]);
}

/* The image config of manifest i of the index the build wrote. */
static json_t *image_config(const struct fixture *f, const struct mint_image_build_result *res,
			    size_t i)
{
	json_t *manifest = load_blob(f->layout, res->manifests[i].digest);
	json_t *cfg = load_blob(f->layout, str_at(json_object_get(manifest, "config"), "digest"));
	json_decref(manifest);
	return cfg;
}

static void test_build_index_json_has_one_descriptor_with_ref_name(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_image_build_result res;
	char path[4200];
	fixture_open(&f, full_yaml);
	build_ok(&f, &res);
	snprintf(path, sizeof(path), "%s/index.json", f.layout);
	json_t *top = load_json(path);
	json_t *m = json_object_get(top, "manifests");
	assert_int_equal(json_array_size(m), 1);
	json_t *d = json_array_get(m, 0);
	assert_string_equal(str_at(d, "mediaType"), MINT_OCI_MEDIA_INDEX);
	assert_string_equal(str_at(d, "digest"), res.index.digest);
	assert_string_equal(str_at(json_object_get(d, "annotations"), MINT_OCI_ANNOTATION_REF_NAME),
			    "v1");
	json_decref(top);
	mint_image_build_result_free(&res);
	fixture_close(&f);
}

static void test_build_index_lists_both_arches_sorted(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_image_build_result res;
	fixture_open(&f, full_yaml);
	build_ok(&f, &res);
	assert_int_equal(res.n_manifests, 2);
	json_t *ix = load_blob(f.layout, res.index.digest);
	json_t *m = json_object_get(ix, "manifests");
	assert_int_equal(json_array_size(m), 2);
	const char *want[] = { "amd64", "arm64" };
	for (size_t i = 0; i < 2; i++) {
		json_t *d = json_array_get(m, i);
		assert_string_equal(str_at(d, "mediaType"), MINT_OCI_MEDIA_MANIFEST);
		assert_string_equal(str_at(d, "digest"), res.manifests[i].digest);
		json_t *platform = json_object_get(d, "platform");
		assert_string_equal(str_at(platform, "architecture"), want[i]);
		assert_string_equal(str_at(platform, "os"), "linux");
		json_t *cfg = image_config(&f, &res, i);
		assert_string_equal(str_at(cfg, "architecture"), want[i]);
		json_decref(cfg);
	}
	json_decref(ix);
	mint_image_build_result_free(&res);
	fixture_close(&f);
}

static void test_build_config_follows_apko(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_image_build_result res;
	char created[MINT_OCI_TIME_MAX];
	fixture_open(&f, full_yaml);
	build_ok(&f, &res);
	assert_int_equal(res.created, 1700000100);
	assert_ok(mint_oci_time(1700000100, created, NULL), NULL);
	json_t *doc = image_config(&f, &res, 0);
	json_t *c = json_object_get(doc, "config");
	/* sorted, with apko's defaults as its golden image config has them */
	const char *env[] = {
		"ALPHA=first",
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/bin:/usr/sbin:/sbin:/bin",
		"SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
		"ZED=last",
		NULL,
	};
	assert_strings(json_object_get(c, "Env"), env);
	assert_strings(json_object_get(c, "Entrypoint"),
		       (const char *[]){ "/usr/bin/app", "--flag", "two words", NULL });
	assert_strings(json_object_get(c, "Cmd"), (const char *[]){ "serve", "a b", NULL });
	assert_string_equal(str_at(c, "User"), "app");
	assert_string_equal(str_at(c, "WorkingDir"), "/srv");
	assert_string_equal(str_at(c, "StopSignal"), "SIGQUIT");
	json_t *vol = json_object_get(c, "Volumes");
	assert_int_equal(json_object_size(vol), 2);
	assert_non_null(json_object_get(vol, "/data"));
	assert_non_null(json_object_get(vol, "/cache"));
	json_t *labels = json_object_get(c, "Labels");
	assert_int_equal(json_object_size(labels), 5);
	assert_string_equal(str_at(labels, "org.opencontainers.image.title"), "Test");
	assert_string_equal(str_at(labels, "org.opencontainers.image.vendor"), "Mint");
	assert_string_equal(str_at(labels, "org.opencontainers.image.source"),
			    "https://github.com/example/repo");
	assert_string_equal(str_at(labels, "org.opencontainers.image.revision"), "abc123");
	assert_string_equal(str_at(labels, MINT_OCI_ANNOTATION_CREATED), created);
	assert_string_equal(str_at(doc, "created"), created);
	json_decref(doc);
	mint_image_build_result_free(&res);
	fixture_close(&f);
}

static void test_build_env_keeps_configured_path_and_certs(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_image_build_result res;
	fixture_open(&f, "environment: {PATH: /bin, SSL_CERT_FILE: /certs.pem}\narchs: [x86_64]\n");
	build_ok(&f, &res);
	json_t *doc = image_config(&f, &res, 0);
	json_t *c = json_object_get(doc, "config");
	assert_strings(json_object_get(c, "Env"),
		       (const char *[]){ "PATH=/bin", "SSL_CERT_FILE=/certs.pem", NULL });
	/* nothing configured: no entrypoint, cmd, user or labels but created */
	assert_null(json_object_get(c, "Entrypoint"));
	assert_null(json_object_get(c, "Cmd"));
	assert_null(json_object_get(c, "User"));
	assert_int_equal(json_object_size(json_object_get(c, "Labels")), 1);
	json_decref(doc);
	mint_image_build_result_free(&res);
	fixture_close(&f);
}

static void test_build_shell_fragment_runs_under_bin_sh_c(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_image_build_result res;
	fixture_open(&f,
		     "entrypoint: {shell-fragment: 'echo \"$HOME\" # kept'}\narchs: [x86_64]\n");
	build_ok(&f, &res);
	json_t *doc = image_config(&f, &res, 0);
	assert_strings(json_object_get(json_object_get(doc, "config"), "Entrypoint"),
		       (const char *[]){ "/bin/sh", "-c", "echo \"$HOME\" # kept", NULL });
	json_decref(doc);
	mint_image_build_result_free(&res);
	fixture_close(&f);
}

static void test_build_same_inputs_give_same_digest(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_image_build_result a, b;
	fixture_open(&f, full_yaml);
	build_ok(&f, &a);
	snprintf(f.layout, sizeof(f.layout), "%s/elsewhere", f.dir);
	build_ok(&f, &b);
	assert_string_equal(a.index.digest, b.index.digest);
	mint_image_build_result_free(&a);
	mint_image_build_result_free(&b);
	fixture_close(&f);
}

static void test_build_thread_count_does_not_change_digest(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_image_build_result one, four;
	fixture_open(&f, full_yaml);
	f.opts.threads = 1;
	build_ok(&f, &one);
	snprintf(f.layout, sizeof(f.layout), "%s/four", f.dir);
	f.opts.threads = 4;
	build_ok(&f, &four);
	assert_string_equal(one.index.digest, four.index.digest);
	for (size_t i = 0; i < 2; i++)
		assert_string_equal(one.manifests[i].digest, four.manifests[i].digest);
	mint_image_build_result_free(&one);
	mint_image_build_result_free(&four);
	fixture_close(&f);
}

static void test_build_source_date_epoch_sets_created(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_image_build_result res;
	fixture_open(&f, full_yaml);
	f.opts.rootfs.build_date = 1234567890;
	f.opts.rootfs.source_date_epoch = true;
	build_ok(&f, &res);
	assert_int_equal(res.created, 1234567890);
	json_t *doc = image_config(&f, &res, 1);
	assert_string_equal(str_at(doc, "created"), "2009-02-13T23:31:30Z");
	json_decref(doc);
	mint_image_build_result_free(&res);
	fixture_close(&f);
}

/* The build fails with code, naming every needle, and writes no index.json. */
static void build_fails(struct fixture *f, int code, const char *const *needles)
{
	struct mint_image_build_result res;
	struct mint_err err = { 0 };
	char text[2048], path[4200];
	struct stat st;
	int rc = mint_image_build(&f->opts, &res, &err);
	mint_err_format(&err, text, sizeof(text));
	if (rc != code)
		fail_msg("got %d (%s), want %d", rc, text, code);
	for (size_t i = 0; needles[i]; i++)
		if (!strstr(text, needles[i]))
			fail_msg("error '%s' does not say '%s'", text, needles[i]);
	assert_null(res.manifests);
	snprintf(path, sizeof(path), "%s/index.json", f->layout);
	assert_int_equal(stat(path, &st), -1);
}

static void test_build_run_as_naming_no_user_fails_without_index(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f, "accounts: {run-as: nobody-here}\narchs: [aarch64, x86_64]\n");
	build_fails(&f, MINT_ENOTFOUND, (const char *[]){ "nobody-here", NULL });
	fixture_close(&f);
}

static void test_build_bad_package_fails_without_index(void **state)
{
	(void)state;
	static const struct test_file escaper_files[] = {
		{ .name = "up", .type = MINT_TAR_SYMLINK, .link = ".." },
		{ .name = "up/pwned", .content = "outside\n" },
	};
	static const struct test_apk escaper[] = {
		{ .pkginfo = "pkgname = escaper\npkgver = 1-r0\narch = x86_64\n",
		  .files = escaper_files, .n_files = 2 },
	};
	struct fixture f;
	fixture_open(&f, "archs: [x86_64]\n");
	mint_image_packages_free(&f.pkgs);
	repo_packages_add_arch(&f.pkgs, f.dir, MINT_ARCH_AMD64, escaper, 1);
	build_fails(&f, MINT_EUNSAFE, (const char *[]){ "escaper", "escapes the root", NULL });
	fixture_close(&f);
}

static void test_build_unsplittable_command_fails_naming_the_field(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f, "cmd: \"echo 'unterminated\"\narchs: [x86_64]\n");
	build_fails(&f, MINT_EFORMAT, (const char *[]){ "cmd", "unterminated", NULL });
	fixture_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_index_json_has_one_descriptor_with_ref_name),
		cmocka_unit_test(test_build_index_lists_both_arches_sorted),
		cmocka_unit_test(test_build_config_follows_apko),
		cmocka_unit_test(test_build_env_keeps_configured_path_and_certs),
		cmocka_unit_test(test_build_shell_fragment_runs_under_bin_sh_c),
		cmocka_unit_test(test_build_same_inputs_give_same_digest),
		cmocka_unit_test(test_build_thread_count_does_not_change_digest),
		cmocka_unit_test(test_build_source_date_epoch_sets_created),
		cmocka_unit_test(test_build_run_as_naming_no_user_fails_without_index),
		cmocka_unit_test(test_build_bad_package_fails_without_index),
		cmocka_unit_test(test_build_unsplittable_command_fails_naming_the_field),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
