/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every .apk among the upstream fixtures (apko/ and melange/): split into
 * gzip members, the data member read as a tar that must end properly, the
 * control and signature members as tars without an end; APK-TOOLS.checksum
 * .SHA1 of regular files checked against their content. Also counts how many
 * of those tars our writer re-encodes byte for byte from the entries read:
 * all that melange (Go's archive/tar) wrote do; the abuild-made Alpine ones
 * (GNU tar, atime/ctime PAX records) do not, and are not expected to.
 * All data members of the fixtures end with the two zero blocks (GNU tar
 * pads further to a 10240-byte record); none of the signature or control
 * members has an end.
 */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mint/gzip.h"
#include "mint/hash.h"
#include "mint/tar.h"

struct paths {
	char **v;
	size_t n, cap;
};

struct figures {
	size_t packages, entries, checksums, failed;
	size_t tars, identical;
};

static void add_path(struct paths *p, const char *path)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->v = realloc(p->v, p->cap * sizeof(*p->v));
		assert_non_null(p->v);
	}
	p->v[p->n++] = strdup(path);
}

static void find_apks(const char *dir, struct paths *out)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		struct stat st;
		if (lstat(path, &st))
			continue;
		size_t len = strlen(de->d_name);
		if (S_ISDIR(st.st_mode))
			find_apks(path, out);
		else if (S_ISREG(st.st_mode) && len > 4 && !strcmp(de->d_name + len - 4, ".apk"))
			add_path(out, path);
	}
	closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int buf_sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	(void)err;
	return mint_buf_append(ctx, data, len);
}

/* Re-encodes one entry (with its content) into w. */
static int rewrite_entry(struct mint_tar_writer *w, struct mint_tar_reader *r,
			 const struct mint_tar_entry *e, struct mint_err *err)
{
	int rc = mint_tar_write_header(w, e, err);
	char buf[65536];
	size_t got;
	while (!rc && !(rc = mint_tar_read(r, buf, sizeof(buf), &got, err)) && got)
		rc = mint_tar_write_data(w, buf, got, err);
	if (!rc)
		rc = mint_tar_write_pad(w, err);
	return rc;
}

/* Reads a tar from a gzip member through the streaming source and checks
 * the apk checksums; returns 0 or the error. */
static int check_member(struct mint_span member, enum mint_tar_end end, struct figures *f,
			struct mint_err *err)
{
	struct mint_gunzip g;
	struct mint_tar_reader *r = NULL;
	int rc = mint_gunzip_init(&g, member, NULL, err);
	if (rc)
		return rc;
	rc = mint_tar_reader_new(&r, mint_gunzip_source(&g), NULL, end, err);
	const struct mint_tar_entry *e;
	while (!rc && (rc = mint_tar_next(r, &e, err)) == 1) {
		rc = 0;
		f->entries++;
		if (e->type != MINT_TAR_REG || !e->has_apk_sha1)
			continue;
		struct mint_hash h;
		unsigned char digest[MINT_HASH_MAX_BYTES];
		char buf[65536];
		size_t got;
		assert_int_equal(mint_hash_init(&h, MINT_HASH_SHA1), 0);
		while (!(rc = mint_tar_read(r, buf, sizeof(buf), &got, err)) && got)
			mint_hash_update(&h, buf, got);
		mint_hash_final(&h, digest);
		if (!rc && memcmp(digest, e->apk_sha1, 20))
			rc = mint_err_set(err, MINT_EINTEGRITY, "%s: APK-TOOLS.checksum.SHA1 mismatch",
					  e->name);
		if (!rc)
			f->checksums++;
	}
	mint_tar_reader_free(r);
	mint_gunzip_free(&g);
	return rc;
}

/* Does our writer give back the same bytes as the member's tar? */
static bool reencodes_identically(struct mint_span member, enum mint_tar_end end)
{
	struct mint_buf raw = MINT_BUF_INIT, out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	struct mint_span_source ss;
	struct mint_tar_reader *r = NULL;
	bool same = false;
	int rc = mint_gunzip_member(member, NULL, &raw, NULL, &err);
	if (!rc)
		rc = mint_tar_reader_new(&r, mint_span_source_init(&ss, mint_buf_span(&raw)), NULL,
					 end, &err);
	struct mint_tar_writer w = { .sink = buf_sink, .ctx = &out };
	const struct mint_tar_entry *e;
	while (!rc && (rc = mint_tar_next(r, &e, &err)) == 1)
		rc = rewrite_entry(&w, r, e, &err);
	if (!rc && end == MINT_TAR_END_REQUIRED)
		rc = mint_tar_write_end(&w, &err);
	if (!rc && out.len <= raw.len)
		same = !memcmp(out.data, raw.data, out.len);
	mint_tar_reader_free(r);
	mint_buf_free(&raw);
	mint_buf_free(&out);
	return same;
}

static int split_members(struct mint_span file, struct mint_span *members, size_t cap,
			 size_t *n, struct mint_err *err)
{
	struct mint_buf scratch = MINT_BUF_INIT;
	int rc = 0;
	*n = 0;
	while (!rc && file.len) {
		size_t size = 0;
		if (*n == cap)
			rc = mint_err_set(err, MINT_EFORMAT, "more than %zu gzip members", cap);
		else
			rc = mint_gunzip_member(file, NULL, &scratch, &size, err);
		if (!rc) {
			members[(*n)++] = MINT_SPAN(file.ptr, size);
			file = mint_span_skip(file, size);
		}
	}
	mint_buf_free(&scratch);
	return rc;
}

static void check_package(const char *path, struct figures *f)
{
	struct mint_buf file = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	struct mint_span members[4];
	size_t n = 0;
	read_file_or_fail(path, &file);
	int rc = split_members(mint_buf_span(&file), members, 4, &n, &err);
	if (!rc && n < 2)
		rc = mint_err_set(&err, MINT_EFORMAT, "only %zu gzip member(s)", n);
	for (size_t i = 0; !rc && i < n; i++) {
		bool data = i + 1 == n;
		enum mint_tar_end end = data ? MINT_TAR_END_REQUIRED : MINT_TAR_END_OPTIONAL;
		rc = check_member(members[i], end, f, &err);
		if (rc)
			mint_err_prefix(&err, "member %zu", i);
		f->tars++;
		f->identical += !rc && reencodes_identically(members[i], end);
	}
	f->packages++;
	if (rc) {
		char text[1024];
		mint_err_format(&err, text, sizeof(text));
		print_message("FAIL %s: %s\n", path, text);
		f->failed++;
	}
	mint_buf_free(&file);
}

static void test_conf_tar_fixture_packages_parse_and_checksums_match(void **state)
{
	(void)state;
	const char *dirs[] = { "apko", "melange" };
	struct paths apks = { 0 };
	for (int i = 0; i < 2; i++) {
		char *dir = fixture_or_skip(dirs[i]);
		find_apks(dir, &apks);
		free(dir);
	}
	qsort(apks.v, apks.n, sizeof(*apks.v), cmp_str);
	struct figures f = { 0 };
	for (size_t i = 0; i < apks.n; i++) {
		check_package(apks.v[i], &f);
		free(apks.v[i]);
	}
	free(apks.v);
	printf("conformance: tar over fixture packages: %zu packages, %zu entries, "
	       "%zu checksums verified, %zu failed\n", f.packages, f.entries, f.checksums, f.failed);
	printf("conformance: tar writer re-encodes fixture tars: %zu of %zu byte-identical\n",
	       f.identical, f.tars);
	assert_true(f.packages > 0);
	assert_int_equal(f.failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_tar_fixture_packages_parse_and_checksums_match),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
