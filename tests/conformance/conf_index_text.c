/* SPDX-License-Identifier: Apache-2.0 */
/*
 * APKINDEX text against upstream files: apk-tools' solver .repo files and
 * apko's base_image indexes must parse; the real Alpine 3.16/3.17 indexes
 * must parse and be written back byte for byte. The Alpine APKINDEX text
 * sits in a gzip'd tar; this test unpacks it with zlib and a minimal tar
 * header walk of its own, so it does not depend on mint's codecs.
 */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "mint/apk_index.h"

static unsigned files_parsed, packages, failed;
static unsigned exact, exact_expected;

static int parse_file(const char *path, struct mint_apk_index *idx)
{
	struct mint_buf text = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	read_file_or_fail(path, &text);
	int rc = mint_apk_index_parse_text(mint_buf_span(&text), idx, &err);
	if (rc) {
		char msg[1024];
		mint_err_set_file(&err, path);
		mint_err_format(&err, msg, sizeof(msg));
		print_message("parse failed: %s\n", msg);
		failed++;
	} else {
		files_parsed++;
		packages += (unsigned)idx->n;
	}
	mint_buf_free(&text);
	return rc;
}

/* Writing the parsed index, parsing that and writing again gives the same
 * bytes: what the writer makes, the reader keeps. */
static bool rewrite_is_stable(const struct mint_apk_index *idx)
{
	struct mint_buf a = MINT_BUF_INIT, b = MINT_BUF_INIT;
	struct mint_apk_index again;
	bool ok = mint_apk_index_write_text(idx, &a) == 0 &&
		  mint_apk_index_parse_text(mint_buf_span(&a), &again, NULL) == 0;
	if (ok) {
		ok = mint_apk_index_write_text(&again, &b) == 0 && a.len == b.len &&
		     memcmp(a.data, b.data, a.len) == 0;
		mint_apk_index_free(&again);
	}
	mint_buf_free(&a);
	mint_buf_free(&b);
	return ok;
}

static void test_solver_repo_files_all_parse(void **state)
{
	(void)state;
	char *dir = fixture_or_skip("apk-tools/test/solver");
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	unsigned seen = 0, start_failed = failed;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 5, ".repo"))
			continue;
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		struct mint_apk_index idx;
		if (parse_file(path, &idx) == 0) {
			if (!rewrite_is_stable(&idx)) {
				print_message("%s: rewrite is not stable\n", e->d_name);
				failed++;
			}
			mint_apk_index_free(&idx);
		}
		seen++;
	}
	closedir(d);
	free(dir);
	assert_true(seen >= 20);
	assert_int_equal(failed, start_failed);
}

/* apko writes its own field order (P V A L T o m U D p c i t S I k C), empty
 * m: D: p: c:, "i:[]" and installed-db file lines (F M R a Z, which an index
 * reader skips as apk-tools does), so these parse but cannot be written back
 * in the same bytes by an apk-tools-order writer. */
static void test_apko_base_image_indexes_parse_and_rewrite_stably(void **state)
{
	(void)state;
	const char *archs[] = { "aarch64", "x86_64" };
	for (size_t i = 0; i < 2; i++) {
		char rel[256];
		snprintf(rel, sizeof(rel), "apko/internal/cli/testdata/base_image/metadata/%s/APKINDEX",
			 archs[i]);
		char *path = fixture_or_skip(rel);
		struct mint_apk_index idx;
		assert_int_equal(parse_file(path, &idx), 0);
		assert_true(idx.n >= 2);
		assert_string_equal(idx.pkgs[0].name, "pretend-baselayout");
		assert_false(idx.pkgs[0].uninstallable);
		assert_int_equal(idx.pkgs[0].install_if.n, 1);
		assert_string_equal(idx.pkgs[0].install_if.items[0], "[]");
		assert_true(rewrite_is_stable(&idx));
		mint_apk_index_free(&idx);
		free(path);
	}
}

static void gunzip_file(const char *path, struct mint_buf *out)
{
	gzFile gz = gzopen(path, "rb");
	assert_non_null(gz);
	for (;;) {
		char *room = mint_buf_grow(out, 65536);
		assert_non_null(room);
		int n = gzread(gz, room, 65536);
		assert_true(n >= 0);
		out->len -= 65536 - (size_t)n;
		if (n == 0)
			break;
	}
	assert_int_equal(gzclose(gz), Z_OK);
}

/* Finds a member by name in plain ustar bytes. */
static struct mint_span tar_member(const struct mint_buf *tar, const char *name)
{
	size_t off = 0;
	while (off + 512 <= tar->len) {
		const char *h = tar->data + off;
		if (!h[0])
			break;
		uint64_t size;
		assert_true(mint_span_octal_to_u64(MINT_SPAN(h + 124, 12), &size));
		size_t name_len = strnlen(h, 100);
		if (name_len == strlen(name) && memcmp(h, name, name_len) == 0) {
			assert_true(off + 512 + size <= tar->len);
			return MINT_SPAN(h + 512, size);
		}
		off += 512 + ((size + 511) / 512) * 512;
	}
	fail_msg("no %s member", name);
	return MINT_SPAN_NULL;
}

static void round_trip_alpine(const char *rel, size_t min_packages)
{
	char *path = fixture_or_skip(rel);
	struct mint_buf tar = MINT_BUF_INIT, again = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	struct mint_apk_index idx;

	gunzip_file(path, &tar);
	struct mint_span text = tar_member(&tar, "APKINDEX");
	int rc = mint_apk_index_parse_text(text, &idx, &err);
	if (rc) {
		failed++;
		assert_ok(rc, &err);
	}
	files_parsed++;
	packages += (unsigned)idx.n;
	assert_true(idx.n >= min_packages);
	assert_int_equal(mint_apk_index_write_text(&idx, &again), 0);
	exact_expected++;
	if (again.len == text.len && memcmp(again.data, text.ptr, text.len) == 0) {
		exact++;
	} else {
		failed++;
		fail_msg("%s: APKINDEX written back differs", rel);
	}
	mint_apk_index_free(&idx);
	mint_buf_free(&tar);
	mint_buf_free(&again);
	free(path);
}

static void test_alpine_316_index_writes_back_byte_identical(void **state)
{
	(void)state;
	round_trip_alpine("apko/pkg/apk/apk/testdata/alpine-316/APKINDEX.tar.gz", 4000);
}

static void test_alpine_317_index_writes_back_byte_identical(void **state)
{
	(void)state;
	round_trip_alpine("apko/pkg/apk/apk/testdata/alpine-317/APKINDEX.tar.gz", 4000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_solver_repo_files_all_parse),
		cmocka_unit_test(test_apko_base_image_indexes_parse_and_rewrite_stably),
		cmocka_unit_test(test_alpine_316_index_writes_back_byte_identical),
		cmocka_unit_test(test_alpine_317_index_writes_back_byte_identical),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	printf("conformance: APKINDEX text: %u files parsed, %u packages, %u failed\n",
	       files_parsed, packages, failed);
	printf("conformance: APKINDEX text byte-exact round-trip: %u of %u Alpine indexes\n",
	       exact, exact_expected);
	return tests_exit(rc);
}
