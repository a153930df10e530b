/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "audit_image_fixture.h"
#include "lib/audit/audit_internal.h"
#include "mint/apk_cache.h"

#define LOCKED \
	"{\"contents\":{\"packages\":[\"a=1.0-r0\"]},\"accounts\":{},\"archs\":[\"amd64\"]}\n"
#define SIDECAR "etc/ssl/certs/.ca-certificates.crt.sha256"
#define ADDED_CERT "usr/local/share/ca-certificates/corp-" \
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.crt"

struct origin_case {
	char *tmp;
	struct mint_oci_image *img;
	struct audit_origin origin;
};

/* An image whose one platform holds files, labelled with labels. */
static void image_with(struct origin_case *c, const struct fx_file *files, size_t n,
		       const struct mint_oci_kv *labels, size_t n_labels)
{
	memset(c, 0, sizeof(*c));
	c->tmp = make_tmpdir();
	char *dir = fx_subdir(c->tmp, "image");
	struct fx_image spec = { .files = files, .n_files = n, .labels = labels,
				 .n_labels = n_labels };
	fx_build(dir, &spec, NULL);
	c->img = fx_open(dir);
	free(dir);
}

static void read_origin(struct origin_case *c, const struct fx_file *files, size_t n,
			const struct mint_oci_kv *labels, size_t n_labels)
{
	image_with(c, files, n, labels, n_labels);
	struct mint_err err = { 0 };
	assert_ok(audit_origin_read(c->img, mint_oci_image_get(c->img, 0), &c->origin, &err),
		  &err);
}

static void case_free(struct origin_case *c)
{
	audit_origin_free(&c->origin);
	mint_oci_image_free(c->img);
	cleanup_tmpdir(c->tmp);
}

static bool dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	assert_non_null(d);
	struct dirent *e;
	bool empty = true;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = false;
	closedir(d);
	return empty;
}

static void test_rebuild_parse_time_reads_rfc3339(void **state)
{
	(void)state;
	int64_t t;
	assert_true(mint_oci_time_parse("2023-11-14T22:13:20Z", &t));
	assert_int_equal(t, 1700000000);
	assert_true(mint_oci_time_parse("2023-11-14T23:13:20+01:00", &t));
	assert_int_equal(t, 1700000000);
	assert_true(mint_oci_time_parse("2023-11-14T22:13:20.999999Z", &t));
	assert_int_equal(t, 1700000000);
	assert_true(mint_oci_time_parse("1969-12-31T23:59:59Z", &t));
	assert_int_equal(t, -1);
	assert_true(mint_oci_time_parse("2024-02-29T00:00:00Z", &t));
	assert_int_equal(t, 1709164800);
}

static void test_rebuild_parse_time_refuses_other_forms(void **state)
{
	(void)state;
	int64_t t;
	assert_false(mint_oci_time_parse("2023-11-14 22:13:20Z", &t));
	assert_false(mint_oci_time_parse("2023-13-01T00:00:00Z", &t));
	assert_false(mint_oci_time_parse("2023-11-14T22:13:20", &t));
	assert_false(mint_oci_time_parse("2023-11-14T22:13:20+0100", &t));
	assert_false(mint_oci_time_parse("2023-11-14T22:13:20.Z", &t));
	assert_false(mint_oci_time_parse("2023-11-14T22:13:20Zjunk", &t));
	assert_false(mint_oci_time_parse("", &t));
}

static void test_rebuild_origin_reads_config_created_sidecar_and_labels(void **state)
{
	(void)state;
	const struct fx_file files[] = {
		{ .path = "etc/apko.json", .content = LOCKED, .mode = 0444 },
		{ .path = SIDECAR, .content = "x", .mtime = 1600000000 },
		{ .path = ADDED_CERT, .content = "pem" },
	};
	const struct mint_oci_kv labels[] = {
		{ "org.opencontainers.image.revision", "abc123" },
		{ "org.opencontainers.image.source", "https://example.com/repo" },
	};
	struct origin_case c;
	read_origin(&c, files, 3, labels, 2);
	assert_int_equal(c.origin.arch, MINT_ARCH_AMD64);
	assert_string_equal(c.origin.platform, "linux/amd64");
	assert_string_equal(mint_buf_cstr(&c.origin.locked_config), LOCKED);
	assert_int_equal(c.origin.created, 1700000000);
	assert_true(c.origin.has_sidecar);
	assert_int_equal(c.origin.sidecar_mtime, 1600000000);
	assert_true(c.origin.added_certificates);
	assert_string_equal(c.origin.label_source, "https://example.com/repo");
	assert_string_equal(c.origin.label_revision, "abc123");
	case_free(&c);
}

static void test_rebuild_origin_without_locked_config_is_not_found(void **state)
{
	(void)state;
	const struct fx_file files[] = { { .path = "etc/motd", .content = "hi\n" } };
	struct origin_case c;
	image_with(&c, files, 1, NULL, 0);
	struct mint_err err = { 0 };
	assert_int_equal(audit_origin_read(c.img, mint_oci_image_get(c.img, 0), &c.origin, &err),
			 MINT_ENOTFOUND);
	assert_non_null(strstr(err.msg, "linux/amd64: no etc/apko.json"));
	case_free(&c);
}

static void test_rebuild_origin_locked_config_symlink_is_refused(void **state)
{
	(void)state;
	const struct fx_file files[] = {
		{ .path = "etc/apko.json", .type = MINT_TAR_SYMLINK, .link = "/etc/shadow" },
	};
	struct origin_case c;
	image_with(&c, files, 1, NULL, 0);
	struct mint_err err = { 0 };
	assert_int_equal(audit_origin_read(c.img, mint_oci_image_get(c.img, 0), &c.origin, &err),
			 MINT_EFORMAT);
	assert_non_null(strstr(err.msg, "not a regular file"));
	case_free(&c);
}

static void test_rebuild_config_uses_created_as_source_date_epoch(void **state)
{
	(void)state;
	const struct fx_file files[] = {
		{ .path = "etc/apko.json", .content = LOCKED },
		{ .path = SIDECAR, .content = "x", .mtime = 1700000000 },
	};
	struct origin_case c;
	read_origin(&c, files, 2, NULL, 0);
	struct mint_image_config cfg;
	struct mint_image_rootfs_opts dates = { 0 };
	unsigned notes = 0;
	struct mint_err err = { 0 };
	assert_ok(audit_origin_config(&c.origin, "linux/amd64", &cfg, &dates, &notes, &err), &err);
	assert_true(dates.source_date_epoch);
	assert_int_equal(dates.build_date, 1700000000);
	assert_int_equal(notes, 0);
	assert_int_equal(cfg.contents.packages.n, 1);
	assert_string_equal(cfg.contents.packages.v[0], "a=1.0-r0");
	assert_null(cfg.vcs_url);
	mint_image_config_free(&cfg);
	case_free(&c);
}

static void test_rebuild_config_older_sidecar_is_the_build_date(void **state)
{
	(void)state;
	const struct fx_file files[] = {
		{ .path = "etc/apko.json", .content = LOCKED },
		{ .path = SIDECAR, .content = "x", .mtime = 0 },
		{ .path = ADDED_CERT, .content = "pem" },
	};
	struct origin_case c;
	read_origin(&c, files, 3, NULL, 0);
	struct mint_image_config cfg;
	struct mint_image_rootfs_opts dates = { 0 };
	unsigned notes = 0;
	struct mint_err err = { 0 };
	assert_ok(audit_origin_config(&c.origin, "linux/amd64", &cfg, &dates, &notes, &err), &err);
	assert_false(dates.source_date_epoch);
	assert_int_equal(dates.build_date, 0);
	assert_int_equal(notes, MINT_REBUILD_DATE_FROM_SIDECAR | MINT_REBUILD_CERTIFICATES);
	mint_image_config_free(&cfg);
	case_free(&c);
}

static void test_rebuild_config_vcs_url_comes_back_from_the_labels(void **state)
{
	(void)state;
	const struct fx_file files[] = { { .path = "etc/apko.json", .content = LOCKED } };
	const struct mint_oci_kv labels[] = {
		{ "org.opencontainers.image.revision", "abc123" },
		{ "org.opencontainers.image.source", "git@example.com:repo" },
	};
	struct origin_case c;
	read_origin(&c, files, 1, labels, 2);
	struct mint_image_config cfg;
	struct mint_image_rootfs_opts dates = { 0 };
	unsigned notes = 0;
	struct mint_err err = { 0 };
	assert_ok(audit_origin_config(&c.origin, "linux/amd64", &cfg, &dates, &notes, &err), &err);
	assert_string_equal(cfg.vcs_url, "git@example.com:repo@abc123");
	assert_int_equal(notes, MINT_REBUILD_VCS_FROM_LABELS);
	mint_image_config_free(&cfg);
	case_free(&c);
}

static void test_rebuild_config_labels_from_annotations_are_not_a_vcs_url(void **state)
{
	(void)state;
	const char *locked = "{\"contents\":{\"packages\":[\"a\"]},\"accounts\":{},"
			     "\"archs\":[\"amd64\"],\"annotations\":"
			     "{\"org.opencontainers.image.source\":\"s\"}}";
	const struct fx_file files[] = { { .path = "etc/apko.json", .content = locked } };
	const struct mint_oci_kv labels[] = {
		{ "org.opencontainers.image.revision", "r" },
		{ "org.opencontainers.image.source", "s" },
	};
	struct origin_case c;
	read_origin(&c, files, 1, labels, 2);
	struct mint_image_config cfg;
	struct mint_image_rootfs_opts dates = { 0 };
	unsigned notes = 0;
	struct mint_err err = { 0 };
	assert_ok(audit_origin_config(&c.origin, "linux/amd64", &cfg, &dates, &notes, &err), &err);
	assert_null(cfg.vcs_url);
	assert_int_equal(notes, 0);
	mint_image_config_free(&cfg);
	case_free(&c);
}

static void test_rebuild_config_for_another_arch_is_refused(void **state)
{
	(void)state;
	const char *locked = "{\"contents\":{\"packages\":[\"a\"]},\"archs\":[\"arm64\"]}";
	const struct fx_file files[] = { { .path = "etc/apko.json", .content = locked } };
	struct origin_case c;
	read_origin(&c, files, 1, NULL, 0);
	struct mint_image_config cfg;
	struct mint_image_rootfs_opts dates = { 0 };
	unsigned notes = 0;
	struct mint_err err = { 0 };
	assert_int_equal(audit_origin_config(&c.origin, "linux/amd64", &cfg, &dates, &notes, &err),
			 MINT_EFORMAT);
	assert_non_null(strstr(err.msg, "linux/amd64"));
	case_free(&c);
}

static void test_rebuild_config_with_include_is_refused(void **state)
{
	(void)state;
	const char *locked = "{\"include\":\"/etc/passwd\",\"archs\":[\"amd64\"]}";
	const struct fx_file files[] = { { .path = "etc/apko.json", .content = locked } };
	struct origin_case c;
	read_origin(&c, files, 1, NULL, 0);
	struct mint_image_config cfg;
	struct mint_image_rootfs_opts dates = { 0 };
	unsigned notes = 0;
	struct mint_err err = { 0 };
	assert_true(audit_origin_config(&c.origin, "linux/amd64", &cfg, &dates, &notes, &err) < 0);
	case_free(&c);
}

/* mint_image_rebuild with a cache in the case's directory and temporaries
 * in tmp; returns the rc. */
static int rebuild_in(struct origin_case *c, const char *tmp,
		      struct mint_image_rebuild_result *res, struct mint_err *err)
{
	char *cache_dir = fx_subdir(c->tmp, "cache");
	struct mint_apk_cache cache;
	assert_ok(mint_apk_cache_open(&cache, cache_dir, err), err);
	cache.offline = true;
	struct mint_image_rebuild_opts o = { .source = { .cache = &cache }, .tmpdir = tmp };
	int rc = mint_image_rebuild(c->img, &o, res, err);
	mint_apk_cache_close(&cache);
	free(cache_dir);
	return rc;
}

static void test_rebuild_image_without_locked_config_leaves_no_temporaries(void **state)
{
	(void)state;
	const struct fx_file files[] = { { .path = "etc/motd", .content = "hi\n" } };
	struct origin_case c;
	image_with(&c, files, 1, NULL, 0);
	char *tmp = fx_subdir(c.tmp, "tmp");
	assert_int_equal(mkdir(tmp, 0700), 0);
	struct mint_image_rebuild_result res;
	struct mint_err err = { 0 };
	assert_int_equal(rebuild_in(&c, tmp, &res, &err), MINT_ENOTFOUND);
	assert_false(res.match);
	assert_true(dir_is_empty(tmp));
	free(tmp);
	case_free(&c);
}

static void test_rebuild_unresolvable_packages_fail_and_clean_up(void **state)
{
	(void)state;
	const char *locked = "{\"contents\":{\"repositories\":[\"/nonexistent/mint-repo\"],"
			     "\"packages\":[\"a=1.0-r0\"]},\"accounts\":{},\"archs\":[\"amd64\"]}";
	const struct fx_file files[] = { { .path = "etc/apko.json", .content = locked } };
	struct origin_case c;
	image_with(&c, files, 1, NULL, 0);
	char *tmp = fx_subdir(c.tmp, "tmp");
	assert_int_equal(mkdir(tmp, 0700), 0);
	struct mint_image_rebuild_result res;
	struct mint_err err = { 0 };
	assert_true(rebuild_in(&c, tmp, &res, &err) < 0);
	assert_non_null(strstr(err.msg, "linux/amd64"));
	assert_true(dir_is_empty(tmp));
	mint_image_rebuild_result_free(&res);
	free(tmp);
	case_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rebuild_parse_time_reads_rfc3339),
		cmocka_unit_test(test_rebuild_parse_time_refuses_other_forms),
		cmocka_unit_test(test_rebuild_origin_reads_config_created_sidecar_and_labels),
		cmocka_unit_test(test_rebuild_origin_without_locked_config_is_not_found),
		cmocka_unit_test(test_rebuild_origin_locked_config_symlink_is_refused),
		cmocka_unit_test(test_rebuild_config_uses_created_as_source_date_epoch),
		cmocka_unit_test(test_rebuild_config_older_sidecar_is_the_build_date),
		cmocka_unit_test(test_rebuild_config_vcs_url_comes_back_from_the_labels),
		cmocka_unit_test(test_rebuild_config_labels_from_annotations_are_not_a_vcs_url),
		cmocka_unit_test(test_rebuild_config_for_another_arch_is_refused),
		cmocka_unit_test(test_rebuild_config_with_include_is_refused),
		cmocka_unit_test(test_rebuild_image_without_locked_config_leaves_no_temporaries),
		cmocka_unit_test(test_rebuild_unresolvable_packages_fail_and_clean_up),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
