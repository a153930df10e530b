/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Repositories and the cache end to end: apko's melange-signed test
 * repository (x86_64 and aarch64, key melange.rsa.pub) copied to a temporary
 * directory and served by a real HTTP server on 127.0.0.1
 * (tests/http_server.py), which fails, cuts, stalls and tampers on command.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "httpserver.h"
#include "mint/apk_cache.h"
#include "mint/apk_package.h"
#include "mint/apk_repo.h"
#include "mint/fs.h"

#define REPO "apko/internal/cli/testdata/packages"
#define INDEX_X86 "/x86_64/APKINDEX.tar.gz"
#define N_X86 4

static char *served;      /* the temporary copy of the repository */
static struct test_server server;
static struct mint_apk_keyring keyring;
static unsigned scenarios_passed;

static int setup(void **state)
{
	(void)state;
	char *fixture = fixture_path(REPO);
	if (!fixture)
		return 0;
	served = make_tmpdir();
	char cmd[1500];
	snprintf(cmd, sizeof(cmd), "cp -R '%s'/. '%s' && chmod -R u+w '%s'", fixture, served,
		 served);
	int rc = system(cmd);
	snprintf(cmd, sizeof(cmd), "%s/melange.rsa.pub", fixture);
	struct mint_err err = { 0 };
	if (!rc)
		rc = mint_apk_keyring_add_file(&keyring, cmd, &err);
	free(fixture);
	if (rc)
		return -1;
	test_server_start(&server, served, NULL, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_server_stop(&server);
	cleanup_tmpdir(served);
	mint_apk_keyring_free(&keyring);
	return 0;
}

/* One test's view: the served repository, a fresh cache, what was loaded. */
struct run {
	char *cache_dir;
	struct mint_apk_repo repo;
	struct mint_apk_cache cache;
	struct mint_apk_repo_set set;
};

static void run_open(struct run *r)
{
	free(fixture_or_skip(REPO));
	memset(r, 0, sizeof(*r));
	r->cache_dir = make_tmpdir();
	struct mint_err err = { 0 };
	char spec[128];
	snprintf(spec, sizeof(spec), "@fixture %s/", server.url);
	assert_ok(mint_apk_repo_parse(mint_span_str(spec), &r->repo, &err), &err);
	assert_ok(mint_apk_cache_open(&r->cache, r->cache_dir, &err), &err);
	r->cache.http.backoff_base_ms = 5;
	r->cache.http.backoff_max_ms = 20;
	test_server_cmd(&server, "clear");
}

static int run_load(struct run *r, const char *arch, struct mint_err *err)
{
	mint_apk_repo_set_free(&r->set);
	mint_err_clear(err);
	return mint_apk_repo_set_load(&r->set, &r->repo, 1, arch, &r->cache, &keyring, 0, err);
}

static const struct mint_apk_repo_pkg **all_pkgs(struct run *r)
{
	static const struct mint_apk_repo_pkg *pkgs[16];
	assert_true(r->set.n <= 16);
	for (size_t i = 0; i < r->set.n; i++)
		pkgs[i] = &r->set.pkgs[i];
	return pkgs;
}

static int run_fetch(struct run *r, const char *out_dir, struct mint_err *err)
{
	mint_err_clear(err);
	return mint_apk_cache_fetch(&r->cache, all_pkgs(r), r->set.n, &keyring, out_dir, err);
}

static void run_close(struct run *r)
{
	mint_apk_repo_set_free(&r->set);
	mint_apk_repo_free(&r->repo);
	mint_apk_cache_close(&r->cache);
	cleanup_tmpdir(r->cache_dir);
	scenarios_passed++;
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

static bool index_cached(struct run *r, const char *arch)
{
	char url[256];
	struct mint_buf path = MINT_BUF_INIT;
	snprintf(url, sizeof(url), "%s/%s/APKINDEX.tar.gz", server.url, arch);
	assert_int_equal(mint_apk_cache_index_path(&r->cache, url, &path, NULL), 0);
	bool yes = exists(mint_buf_cstr(&path));
	mint_buf_free(&path);
	return yes;
}

static char *package_cache_path(struct run *r, const struct mint_apk_repo_pkg *p)
{
	struct mint_buf path = MINT_BUF_INIT;
	assert_int_equal(mint_apk_cache_package_path(&r->cache, p->pkg.identity, &path, NULL), 0);
	return mint_buf_detach(&path, NULL);
}

static const struct mint_apk_repo_pkg *find(struct run *r, const char *name)
{
	for (size_t i = 0; i < r->set.n; i++)
		if (!strcmp(r->set.pkgs[i].pkg.name, name))
			return &r->set.pkgs[i];
	fail_msg("package %s not loaded", name);
	return NULL;
}

static void assert_msg_contains(const struct mint_err *err, const char *needle)
{
	char text[2048];
	mint_err_format(err, text, sizeof(text));
	if (!strstr(text, needle))
		fail_msg("error '%s' does not contain '%s'", text, needle);
}

static void test_repo_http_loads_signed_index_and_fetches_every_package(void **state)
{
	(void)state;
	struct run r;
	struct mint_err err = { 0 };
	run_open(&r);
	const char *arches[] = { "x86_64", "aarch64" };
	for (int a = 0; a < 2; a++) {
		assert_ok(run_load(&r, arches[a], &err), &err);
		assert_int_equal(r.set.n, N_X86);
		assert_int_equal(r.set.repos[0].trust, MINT_APK_TRUST_VERIFIED);
		assert_string_equal(r.set.pkgs[0].repo->tag, "fixture");
		char *out = make_tmpdir();
		assert_ok(run_fetch(&r, out, &err), &err);
		const struct mint_apk_repo_pkg *p = find(&r, "replayout");
		char path[700];
		snprintf(path, sizeof(path), "%s/replayout-1.0.0-r0.apk", out);
		struct mint_apk_package pkg;
		assert_ok(mint_apk_package_read(path, &keyring, NULL, MINT_APK_REQUIRE_TRUST, &pkg,
						&err), &err);
		assert_string_equal(pkg.identity, p->pkg.identity);
		assert_string_equal(pkg.info.arch, arches[a]);
		mint_apk_package_free(&pkg);
		cleanup_tmpdir(out);
	}
	assert_int_equal(r.cache.stats.indexes_downloaded, 2);
	assert_int_equal(r.cache.stats.packages_downloaded, 2 * N_X86);
	run_close(&r);
}

static void test_repo_http_500s_then_success_are_retried(void **state)
{
	(void)state;
	struct run r;
	struct mint_err err = { 0 };
	run_open(&r);
	test_server_cmd(&server, "rule %s fail500 2", INDEX_X86);
	test_server_cmd(&server, "rule /x86_64/replayout-1.0.0-r0.apk fail429 1");
	assert_ok(run_load(&r, "x86_64", &err), &err);
	assert_int_equal(test_server_count(&server, INDEX_X86), 3);
	assert_ok(run_fetch(&r, NULL, &err), &err);
	assert_int_equal(test_server_count(&server, "/x86_64/replayout-1.0.0-r0.apk"), 2);
	run_close(&r);
}

static void test_repo_http_connection_cut_mid_body_fails_and_caches_nothing(void **state)
{
	(void)state;
	struct run r;
	struct mint_err err = { 0 };
	run_open(&r);
	r.cache.http.retries = 1;
	test_server_cmd(&server, "rule %s cut -1", INDEX_X86);
	assert_int_equal(run_load(&r, "x86_64", &err), MINT_EIO);
	assert_msg_contains(&err, INDEX_X86);
	assert_msg_contains(&err, "bytes remaining");
	assert_false(index_cached(&r, "x86_64"));
	test_server_cmd(&server, "clear");
	assert_ok(run_load(&r, "x86_64", &err), &err);
	const struct mint_apk_repo_pkg *p = find(&r, "custom-ca-certs-1");
	test_server_cmd(&server, "rule /x86_64/custom-ca-certs-1-1.0.0-r0.apk cut -1");
	char *out = make_tmpdir();
	assert_int_equal(run_fetch(&r, out, &err), MINT_EIO);
	assert_msg_contains(&err, "custom-ca-certs-1-1.0.0-r0.apk");
	char *path = package_cache_path(&r, p);
	char copied[700];
	snprintf(copied, sizeof(copied), "%s/custom-ca-certs-1-1.0.0-r0.apk", out);
	assert_false(exists(path));
	assert_false(exists(copied));
	free(path);
	cleanup_tmpdir(out);
	run_close(&r);
}

static void test_repo_http_etag_revalidation_reuses_cache_and_refetches_on_change(void **state)
{
	(void)state;
	struct run r;
	struct mint_err err = { 0 };
	run_open(&r);
	assert_ok(run_load(&r, "x86_64", &err), &err);
	assert_ok(run_load(&r, "x86_64", &err), &err);
	assert_int_equal(r.set.n, N_X86);
	assert_int_equal(r.cache.stats.indexes_downloaded, 1);
	assert_int_equal(r.cache.stats.indexes_not_modified, 1);
	assert_int_equal(test_server_count304(&server, INDEX_X86), 1);
	test_server_cmd(&server, "rule %s etag \"changed\"", INDEX_X86);
	assert_ok(run_load(&r, "x86_64", &err), &err);
	assert_int_equal(r.cache.stats.indexes_downloaded, 2);
	assert_int_equal(test_server_count304(&server, INDEX_X86), 1);
	char url[256];
	struct mint_buf path = MINT_BUF_INIT, etag = MINT_BUF_INIT;
	snprintf(url, sizeof(url), "%s%s", server.url, INDEX_X86);
	assert_int_equal(mint_apk_cache_index_path(&r.cache, url, &path, NULL), 0);
	path.len -= strlen(".tar.gz");
	mint_buf_puts(&path, ".etag");
	read_file_or_fail(mint_buf_cstr(&path), &etag);
	assert_string_equal(mint_buf_cstr(&etag), "\"changed\"");
	assert_ok(run_load(&r, "x86_64", &err), &err);
	assert_int_equal(r.cache.stats.indexes_not_modified, 2);
	mint_buf_free(&path);
	mint_buf_free(&etag);
	run_close(&r);
}

/* Flips a byte of the control member's gzip header (its mtime): the package
 * still reads, but its identity is no longer the one the index lists. */
static void retime_control_member(const char *path, struct mint_buf *original)
{
	struct mint_apk_package p;
	struct mint_err err = { 0 };
	read_file_or_fail(path, original);
	assert_ok(mint_apk_package_read_mem(mint_buf_span(original), NULL, NULL, 0, &p, &err),
		  &err);
	struct mint_buf changed = MINT_BUF_INIT;
	mint_buf_append(&changed, original->data, original->len);
	changed.data[p.control_member.offset + 4] ^= 0x01;
	assert_ok(mint_file_write_atomic(path, changed.data, changed.len, 0644, &err), &err);
	mint_apk_package_free(&p);
	mint_buf_free(&changed);
}

static void test_repo_http_tampered_package_is_rejected_and_not_cached(void **state)
{
	(void)state;
	struct run r;
	struct mint_err err = { 0 };
	run_open(&r);
	assert_ok(run_load(&r, "x86_64", &err), &err);
	char served_path[700];
	struct mint_buf original = MINT_BUF_INIT;
	snprintf(served_path, sizeof(served_path), "%s/x86_64/pretend-baselayout-1.0.0-r0.apk",
		 served);
	retime_control_member(served_path, &original);
	const struct mint_apk_repo_pkg *p = find(&r, "pretend-baselayout");
	int rc = run_fetch(&r, NULL, &err);
	struct mint_err restore_err = { 0 };
	assert_ok(mint_file_write_atomic(served_path, original.data, original.len, 0644,
					 &restore_err), &restore_err);
	assert_int_equal(rc, MINT_EINTEGRITY);
	assert_msg_contains(&err, "identity");
	assert_msg_contains(&err, "pretend-baselayout-1.0.0-r0.apk");
	char *path = package_cache_path(&r, p);
	assert_false(exists(path));
	free(path);
	/* The packages that verified were kept. Now bytes flipped in transit
	 * are caught by the reader's own checks. */
	assert_int_equal(r.cache.stats.packages_downloaded, N_X86 - 1);
	path = package_cache_path(&r, find(&r, "replayout"));
	assert_int_equal(unlink(path), 0);
	test_server_cmd(&server, "rule /x86_64/replayout-1.0.0-r0.apk tamper");
	assert_true(run_fetch(&r, NULL, &err) != 0);
	assert_msg_contains(&err, "replayout-1.0.0-r0.apk");
	assert_false(exists(path));
	free(path);
	test_server_cmd(&server, "clear");
	assert_ok(run_fetch(&r, NULL, &err), &err);
	mint_buf_free(&original);
	run_close(&r);
}

static void test_repo_http_tampered_index_is_refused_and_not_cached(void **state)
{
	(void)state;
	struct run r;
	struct mint_err err = { 0 };
	run_open(&r);
	test_server_cmd(&server, "rule %s tamper", INDEX_X86);
	assert_true(run_load(&r, "x86_64", &err) != 0);
	assert_msg_contains(&err, INDEX_X86);
	assert_false(index_cached(&r, "x86_64"));
	run_close(&r);
}

static void test_repo_http_untrusted_index_needs_allow_untrusted(void **state)
{
	(void)state;
	struct run r;
	struct mint_err err = { 0 };
	struct mint_apk_keyring empty = { 0 };
	run_open(&r);
	assert_int_equal(mint_apk_repo_set_load(&r.set, &r.repo, 1, "x86_64", &r.cache, &empty, 0,
						&err), MINT_EUNTRUSTED);
	assert_false(index_cached(&r, "x86_64"));
	assert_ok(mint_apk_repo_set_load(&r.set, &r.repo, 1, "x86_64", &r.cache, &empty,
					 MINT_APK_REPO_ALLOW_UNTRUSTED, &err), &err);
	assert_int_equal(r.set.repos[0].trust, MINT_APK_TRUST_UNTRUSTED);
	run_close(&r);
}

static void test_repo_http_stalled_server_times_out(void **state)
{
	(void)state;
	struct run r;
	struct mint_err err = { 0 };
	run_open(&r);
	r.cache.http.timeout_ms = 300;
	r.cache.http.retries = 1;
	test_server_cmd(&server, "rule %s stall 5", INDEX_X86);
	assert_int_equal(run_load(&r, "x86_64", &err), MINT_EIO);
	assert_msg_contains(&err, "timed out");
	assert_msg_contains(&err, "gave up after 2 attempts");
	assert_false(index_cached(&r, "x86_64"));
	run_close(&r);
}

static void test_repo_http_offline_uses_only_the_cache(void **state)
{
	(void)state;
	struct run r;
	struct mint_err err = { 0 };
	run_open(&r);
	r.cache.offline = true;
	assert_int_equal(run_load(&r, "x86_64", &err), MINT_ENOTFOUND);
	assert_msg_contains(&err, "offline");
	assert_msg_contains(&err, INDEX_X86);
	r.cache.offline = false;
	assert_ok(run_load(&r, "x86_64", &err), &err);
	r.cache.offline = true;
	assert_int_equal(run_fetch(&r, NULL, &err), MINT_ENOTFOUND);
	assert_msg_contains(&err, "nor are 3 more");
	r.cache.offline = false;
	assert_ok(run_fetch(&r, NULL, &err), &err);
	test_server_cmd(&server, "clear");
	r.cache.offline = true;
	char *out = make_tmpdir();
	assert_ok(run_load(&r, "x86_64", &err), &err);
	assert_ok(run_fetch(&r, out, &err), &err);
	assert_int_equal(r.cache.stats.indexes_offline, 1);
	assert_int_equal(r.cache.stats.packages_cached, N_X86);
	assert_int_equal(test_server_count(&server, INDEX_X86), 0);
	cleanup_tmpdir(out);
	run_close(&r);
}

static void test_repo_http_corrupt_cache_entries_are_discarded_and_refetched(void **state)
{
	(void)state;
	struct run r;
	struct mint_err err = { 0 };
	run_open(&r);
	assert_ok(run_load(&r, "x86_64", &err), &err);
	assert_ok(run_fetch(&r, NULL, &err), &err);
	char url[256];
	struct mint_buf index_path = MINT_BUF_INIT, bytes = MINT_BUF_INIT;
	snprintf(url, sizeof(url), "%s%s", server.url, INDEX_X86);
	assert_int_equal(mint_apk_cache_index_path(&r.cache, url, &index_path, NULL), 0);
	assert_int_equal(truncate(mint_buf_cstr(&index_path), 500), 0);
	char *pkg_path = package_cache_path(&r, find(&r, "replayout"));
	read_file_or_fail(pkg_path, &bytes);
	bytes.data[bytes.len - 40] ^= 0x20;
	assert_ok(mint_file_write_atomic(pkg_path, bytes.data, bytes.len, 0644, &err), &err);

	assert_ok(run_load(&r, "x86_64", &err), &err);
	assert_int_equal(r.cache.stats.entries_discarded, 1);
	assert_int_equal(r.cache.stats.indexes_downloaded, 2);
	assert_int_equal(r.cache.stats.indexes_not_modified, 0);
	assert_ok(run_fetch(&r, NULL, &err), &err);
	assert_int_equal(r.cache.stats.entries_discarded, 2);
	assert_int_equal(r.cache.stats.packages_downloaded, N_X86 + 1);
	assert_int_equal(r.cache.stats.packages_cached, N_X86 - 1);
	struct mint_apk_package p;
	assert_ok(mint_apk_package_read(pkg_path, &keyring, NULL, MINT_APK_REQUIRE_TRUST, &p, &err),
		  &err);
	mint_apk_package_free(&p);
	free(pkg_path);
	mint_buf_free(&index_path);
	mint_buf_free(&bytes);
	run_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repo_http_loads_signed_index_and_fetches_every_package),
		cmocka_unit_test(test_repo_http_500s_then_success_are_retried),
		cmocka_unit_test(test_repo_http_connection_cut_mid_body_fails_and_caches_nothing),
		cmocka_unit_test(test_repo_http_etag_revalidation_reuses_cache_and_refetches_on_change),
		cmocka_unit_test(test_repo_http_tampered_package_is_rejected_and_not_cached),
		cmocka_unit_test(test_repo_http_tampered_index_is_refused_and_not_cached),
		cmocka_unit_test(test_repo_http_untrusted_index_needs_allow_untrusted),
		cmocka_unit_test(test_repo_http_stalled_server_times_out),
		cmocka_unit_test(test_repo_http_offline_uses_only_the_cache),
		cmocka_unit_test(test_repo_http_corrupt_cache_entries_are_discarded_and_refetched),
	};
	int rc = cmocka_run_group_tests(tests, setup, teardown);
	if (served || scenarios_passed)
		print_message("conformance: apko melange-signed repository over HTTP: %u of %zu "
			      "scenarios passed\n", scenarios_passed,
			      sizeof(tests) / sizeof(tests[0]));
	return tests_exit(rc);
}
