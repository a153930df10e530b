/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_image_fixture.h"
#include "mint/audit.h"

static const char *const base_env[] = { "PATH=/usr/bin", "TERM=xterm" };

static const struct fx_file base_files[] = {
	{ .path = "bin", .type = MINT_TAR_DIR },
	{ .path = "bin/sh", .mode = 0755, .content = "#!shell\n", .mtime = 1700000000 },
	{ .path = "etc", .type = MINT_TAR_DIR },
	{ .path = "etc/motd", .content = "hello\n" },
	{ .path = "etc/passwd", .content = "root:x:0:0::/root:/bin/sh\n" },
	{ .path = "lib", .type = MINT_TAR_SYMLINK, .link = "usr/lib" },
};
#define N_BASE (sizeof(base_files) / sizeof(base_files[0]))

struct pair {
	char *tmp;
	struct mint_oci_image *a, *b;
	struct mint_image_diff d;
};

static struct fx_image base_spec(void)
{
	return (struct fx_image){ .files = base_files, .n_files = N_BASE, .env = base_env,
				  .n_env = 2 };
}

/* Builds a from sa and b from sb, and diffs them. */
static void diff_specs(struct pair *p, const struct fx_image *sa, const struct fx_image *sb)
{
	p->tmp = make_tmpdir();
	char *da = fx_subdir(p->tmp, "a"), *db = fx_subdir(p->tmp, "b");
	fx_build(da, sa, NULL);
	fx_build(db, sb, NULL);
	p->a = fx_open(da);
	p->b = fx_open(db);
	free(da);
	free(db);
	struct mint_err err = { 0 };
	assert_ok(mint_image_diff(p->a, p->b, NULL, &p->d, &err), &err);
}

/* Builds b from base_files with file i replaced by f (or dropped when f
 * is NULL), and diffs base against it. */
static void diff_one_file(struct pair *p, size_t i, const struct fx_file *f)
{
	struct fx_file files[N_BASE];
	size_t n = 0;
	for (size_t k = 0; k < N_BASE; k++)
		if (k != i || f)
			files[n++] = k == i ? *f : base_files[k];
	struct fx_image sa = base_spec(), sb = base_spec();
	sb.files = files;
	sb.n_files = n;
	diff_specs(p, &sa, &sb);
}

/* Flips one byte in the middle of the blob. */
static void corrupt_blob(const char *dir, const char *digest)
{
	char *path = mint_oci_blob_path(dir, digest);
	assert_non_null(path);
	FILE *fp = fopen(path, "r+b");
	assert_non_null(fp);
	fseek(fp, 40, SEEK_SET);
	int c = fgetc(fp);
	fseek(fp, 40, SEEK_SET);
	fputc(c ^ 0x55, fp);
	fclose(fp);
	free(path);
}

static void pair_free(struct pair *p)
{
	mint_image_diff_free(&p->d);
	mint_oci_image_free(p->a);
	mint_oci_image_free(p->b);
	cleanup_tmpdir(p->tmp);
}

/* The differences of kind k, counted. */
static size_t count_kind(const struct mint_image_diff *d, enum mint_diff_kind k)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		n += d->v[i].kind == k;
	return n;
}

static const struct mint_image_difference *field(const struct mint_image_diff *d,
						 enum mint_diff_doc doc, const char *path)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].kind == MINT_DIFF_FIELD && d->v[i].doc == doc &&
		    !strcmp(d->v[i].field, path))
			return &d->v[i];
	return NULL;
}

static void test_image_diff_image_against_itself_is_empty(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	struct fx_image s = base_spec();
	fx_build(tmp, &s, NULL);
	struct mint_oci_image *a = fx_open(tmp), *b = fx_open(tmp);
	struct mint_image_diff d;
	struct mint_err err = { 0 };
	assert_ok(mint_image_diff(a, b, NULL, &d, &err), &err);
	assert_int_equal(d.n, 0);
	mint_image_diff_free(&d);
	mint_oci_image_free(a);
	mint_oci_image_free(b);
	cleanup_tmpdir(tmp);
}

static void test_image_diff_mode_change_is_one_changed_file_naming_mode(void **state)
{
	(void)state;
	struct pair p;
	struct fx_file f = base_files[3];
	f.mode = 0600;
	diff_one_file(&p, 3, &f);
	assert_int_equal(count_kind(&p.d, MINT_DIFF_FILE_CHANGED), 1);
	assert_int_equal(count_kind(&p.d, MINT_DIFF_FILE_ADDED), 0);
	const struct mint_image_difference *x = &p.d.v[p.d.n - 1];
	assert_int_equal(x->kind, MINT_DIFF_FILE_CHANGED);
	assert_string_equal(x->platform, "linux/amd64");
	assert_string_equal(x->old_file.path, "etc/motd");
	assert_int_equal(x->changed, MINT_FILE_MODE);
	assert_int_equal(x->old_file.mode, 0644);
	assert_int_equal(x->new_file.mode, 0600);
	assert_non_null(field(&p.d, MINT_DIFF_DOC_CONFIG, "rootfs.diff_ids[0]"));
	pair_free(&p);
}

static void test_image_diff_content_change_names_size_and_content(void **state)
{
	(void)state;
	struct pair p;
	struct fx_file f = base_files[3];
	f.content = "hello, world\n";
	diff_one_file(&p, 3, &f);
	const struct mint_image_difference *x = &p.d.v[p.d.n - 1];
	assert_int_equal(x->kind, MINT_DIFF_FILE_CHANGED);
	assert_int_equal(x->changed, MINT_FILE_SIZE | MINT_FILE_CONTENT);
	assert_int_equal(x->old_file.size, 6);
	assert_int_equal(x->new_file.size, 13);
	assert_memory_not_equal(x->old_file.sha256, x->new_file.sha256, 32);
	pair_free(&p);
}

static void test_image_diff_owner_change_names_uid_gid_and_names(void **state)
{
	(void)state;
	struct pair p;
	struct fx_file f = base_files[4];
	f.uid = 1000;
	f.gid = 1000;
	f.uname = "app";
	diff_one_file(&p, 4, &f);
	const struct mint_image_difference *x = &p.d.v[p.d.n - 1];
	assert_string_equal(x->old_file.path, "etc/passwd");
	assert_int_equal(x->changed, MINT_FILE_UID | MINT_FILE_GID | MINT_FILE_UNAME);
	assert_string_equal(x->new_file.uname, "app");
	assert_string_equal(x->old_file.uname, "");
	pair_free(&p);
}

static void test_image_diff_symlink_target_change_names_link(void **state)
{
	(void)state;
	struct pair p;
	struct fx_file f = base_files[5];
	f.link = "usr/lib64";
	diff_one_file(&p, 5, &f);
	const struct mint_image_difference *x = &p.d.v[p.d.n - 1];
	assert_int_equal(x->changed, MINT_FILE_LINK);
	assert_string_equal(x->old_file.link_target, "usr/lib");
	assert_string_equal(x->new_file.link_target, "usr/lib64");
	pair_free(&p);
}

static void test_image_diff_added_and_removed_files_come_in_path_order(void **state)
{
	(void)state;
	struct fx_file files[N_BASE + 1];
	memcpy(files, base_files, sizeof(base_files));
	files[3] = (struct fx_file){ .path = "etc/hosts", .content = "127.0.0.1 localhost\n" };
	files[N_BASE] = (struct fx_file){ .path = "zz", .type = MINT_TAR_FIFO, .mode = 0600 };
	struct fx_image sa = base_spec(), sb = base_spec();
	sb.files = files;
	sb.n_files = N_BASE + 1;
	struct pair p;
	diff_specs(&p, &sa, &sb);
	size_t first = p.d.n - 3;
	assert_int_equal(p.d.v[first].kind, MINT_DIFF_FILE_ADDED);
	assert_string_equal(p.d.v[first].new_file.path, "etc/hosts");
	assert_int_equal(p.d.v[first + 1].kind, MINT_DIFF_FILE_REMOVED);
	assert_string_equal(p.d.v[first + 1].old_file.path, "etc/motd");
	assert_int_equal(p.d.v[first + 2].kind, MINT_DIFF_FILE_ADDED);
	assert_string_equal(p.d.v[first + 2].new_file.path, "zz");
	assert_int_equal(p.d.v[first + 2].new_file.type, MINT_TAR_FIFO);
	pair_free(&p);
}

static void test_image_diff_env_change_is_config_env_and_reads_no_layer(void **state)
{
	(void)state;
	const char *const env[] = { "FOO=bar", "PATH=/usr/bin", "TERM=xterm" };
	struct fx_image sa = base_spec(), sb = base_spec();
	sb.env = env;
	sb.n_env = 3;
	char *tmp = make_tmpdir();
	char *da = fx_subdir(tmp, "a"), *db = fx_subdir(tmp, "b");
	fx_build(da, &sa, NULL);
	fx_build(db, &sb, NULL);
	struct mint_oci_image *a = fx_open(da), *b = fx_open(db);
	corrupt_blob(db, mint_oci_image_get(b, 0)->layer_digests[0]);
	struct mint_image_diff d;
	struct mint_err err = { 0 };
	assert_ok(mint_image_diff(a, b, NULL, &d, &err), &err);
	assert_int_equal(d.n, 1);
	const struct mint_image_difference *x = field(&d, MINT_DIFF_DOC_CONFIG, "config.Env");
	assert_non_null(x);
	assert_string_equal(x->old_json, "[\"PATH=/usr/bin\",\"TERM=xterm\"]");
	assert_string_equal(x->new_json, "[\"FOO=bar\",\"PATH=/usr/bin\",\"TERM=xterm\"]");
	mint_image_diff_free(&d);
	mint_oci_image_free(a);
	mint_oci_image_free(b);
	free(da);
	free(db);
	cleanup_tmpdir(tmp);
}

static void test_image_diff_env_value_change_names_the_element(void **state)
{
	(void)state;
	const char *const env[] = { "PATH=/bin", "TERM=xterm" };
	struct fx_image sa = base_spec(), sb = base_spec();
	sb.env = env;
	struct pair p;
	diff_specs(&p, &sa, &sb);
	assert_int_equal(p.d.n, 1);
	assert_non_null(field(&p.d, MINT_DIFF_DOC_CONFIG, "config.Env[0]"));
	pair_free(&p);
}

static void test_image_diff_created_change_in_every_platform_sorted(void **state)
{
	(void)state;
	struct fx_image sa = base_spec(), sb = base_spec();
	sa.n_platforms = sb.n_platforms = 2;
	sb.created = "2024-01-01T00:00:00Z";
	struct pair p;
	diff_specs(&p, &sa, &sb);
	assert_int_equal(p.d.n, 2);
	assert_string_equal(p.d.v[0].platform, "linux/amd64");
	assert_string_equal(p.d.v[1].platform, "linux/arm64");
	for (size_t i = 0; i < 2; i++) {
		assert_string_equal(p.d.v[i].field, "created");
		assert_string_equal(p.d.v[i].old_json, "\"2023-11-14T22:13:20Z\"");
		assert_string_equal(p.d.v[i].new_json, "\"2024-01-01T00:00:00Z\"");
	}
	pair_free(&p);
}

static void test_image_diff_label_key_with_dots_is_quoted(void **state)
{
	(void)state;
	const struct mint_oci_kv labels[] = { { "org.example.x", "1" } };
	struct fx_image sa = base_spec(), sb = base_spec();
	sb.labels = labels;
	sb.n_labels = 1;
	struct pair p;
	diff_specs(&p, &sa, &sb);
	assert_int_equal(p.d.n, 1);
	assert_string_equal(p.d.v[0].field, "config.Labels");
	assert_null(p.d.v[0].old_json);
	mint_image_diff_free(&p.d);
	const struct mint_oci_kv other[] = { { "org.example.x", "2" } };
	struct fx_image sc = base_spec();
	sc.labels = other;
	sc.n_labels = 1;
	char *dc = fx_subdir(p.tmp, "c");
	fx_build(dc, &sc, NULL);
	struct mint_oci_image *c = fx_open(dc);
	struct mint_err err = { 0 };
	assert_ok(mint_image_diff(p.b, c, NULL, &p.d, &err), &err);
	assert_int_equal(p.d.n, 1);
	assert_string_equal(p.d.v[0].field, "config.Labels[\"org.example.x\"]");
	mint_oci_image_free(c);
	free(dc);
	pair_free(&p);
}

static void test_image_diff_platform_in_one_image_only(void **state)
{
	(void)state;
	struct fx_image sa = base_spec(), sb = base_spec();
	sb.n_platforms = 2;
	struct pair p;
	diff_specs(&p, &sa, &sb);
	assert_int_equal(count_kind(&p.d, MINT_DIFF_PLATFORM), 1);
	const struct mint_image_difference *x = &p.d.v[p.d.n - 1];
	assert_int_equal(x->kind, MINT_DIFF_PLATFORM);
	assert_string_equal(x->platform, "linux/arm64");
	assert_true(x->in_second);
	pair_free(&p);
}

static void test_image_diff_same_tar_other_compression_is_the_layer_digest(void **state)
{
	(void)state;
	struct fx_image sa = base_spec(), sb = base_spec();
	sa.level = 1;
	sb.level = 9;
	struct fx_file big[N_BASE];
	memcpy(big, base_files, sizeof(base_files));
	char text[4096];
	for (size_t i = 0; i < sizeof(text) - 1; i++)
		text[i] = (char)('a' + (i * i + i / 7) % 26);
	text[sizeof(text) - 1] = '\0';
	big[3].content = text;
	sa.files = sb.files = big;
	struct pair p;
	diff_specs(&p, &sa, &sb);
	assert_int_equal(count_kind(&p.d, MINT_DIFF_FILE_CHANGED), 0);
	assert_non_null(field(&p.d, MINT_DIFF_DOC_MANIFEST, "layers[0].digest"));
	assert_non_null(field(&p.d, MINT_DIFF_DOC_MANIFEST, "layers[0].size"));
	assert_null(field(&p.d, MINT_DIFF_DOC_MANIFEST, "config.digest"));
	pair_free(&p);
}

static void test_image_diff_reordered_index_is_an_index_digest(void **state)
{
	(void)state;
	struct fx_image sa = base_spec(), sb = base_spec();
	sa.n_platforms = sb.n_platforms = 2;
	sb.reverse_index = true;
	struct pair p;
	diff_specs(&p, &sa, &sb);
	assert_int_equal(p.d.n, 1);
	assert_string_equal(p.d.v[0].platform, "");
	assert_int_equal(p.d.v[0].doc, MINT_DIFF_DOC_INDEX);
	assert_string_equal(p.d.v[0].field, "digest");
	const char *digest = mint_oci_image_index_digest(p.a);
	assert_int_equal(strncmp(p.d.v[0].old_json + 1, digest, strlen(digest)), 0);
	pair_free(&p);
}

static void test_image_diff_over_max_differences_is_a_limit_error(void **state)
{
	(void)state;
	struct pair p;
	struct fx_image sa = base_spec(), sb = base_spec();
	sb.files = base_files + 1;
	sb.n_files = N_BASE - 1;
	sb.created = "2024-01-01T00:00:00Z";
	diff_specs(&p, &sa, &sb);
	assert_true(p.d.n > 2);
	mint_image_diff_free(&p.d);
	struct mint_image_diff_limits lim = { .max_differences = 2 };
	struct mint_err err = { 0 };
	assert_int_equal(mint_image_diff(p.a, p.b, &lim, &p.d, &err), MINT_ELIMIT);
	assert_int_equal(p.d.n, 0);
	pair_free(&p);
}

static void test_image_diff_unreadable_layer_names_the_image(void **state)
{
	(void)state;
	struct fx_image sa = base_spec(), sb = base_spec();
	struct fx_file f[N_BASE];
	memcpy(f, base_files, sizeof(base_files));
	f[3].content = "changed\n";
	sb.files = f;
	char *tmp = make_tmpdir();
	char *da = fx_subdir(tmp, "a"), *db = fx_subdir(tmp, "b");
	fx_build(da, &sa, NULL);
	fx_build(db, &sb, NULL);
	struct mint_oci_image *a = fx_open(da), *b = fx_open(db);
	corrupt_blob(db, mint_oci_image_get(b, 0)->layer_digests[0]);
	struct mint_image_diff d;
	struct mint_err err = { 0 };
	assert_true(mint_image_diff(a, b, NULL, &d, &err) < 0);
	assert_non_null(strstr(err.msg, "linux/amd64: second image: layer 0"));
	assert_int_equal(d.n, 0);
	free(da);
	free(db);
	mint_oci_image_free(a);
	mint_oci_image_free(b);
	cleanup_tmpdir(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_image_diff_image_against_itself_is_empty),
		cmocka_unit_test(test_image_diff_mode_change_is_one_changed_file_naming_mode),
		cmocka_unit_test(test_image_diff_content_change_names_size_and_content),
		cmocka_unit_test(test_image_diff_owner_change_names_uid_gid_and_names),
		cmocka_unit_test(test_image_diff_symlink_target_change_names_link),
		cmocka_unit_test(test_image_diff_added_and_removed_files_come_in_path_order),
		cmocka_unit_test(test_image_diff_env_change_is_config_env_and_reads_no_layer),
		cmocka_unit_test(test_image_diff_env_value_change_names_the_element),
		cmocka_unit_test(test_image_diff_created_change_in_every_platform_sorted),
		cmocka_unit_test(test_image_diff_label_key_with_dots_is_quoted),
		cmocka_unit_test(test_image_diff_platform_in_one_image_only),
		cmocka_unit_test(test_image_diff_same_tar_other_compression_is_the_layer_digest),
		cmocka_unit_test(test_image_diff_reordered_index_is_an_index_digest),
		cmocka_unit_test(test_image_diff_over_max_differences_is_a_limit_error),
		cmocka_unit_test(test_image_diff_unreadable_layer_names_the_image),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
