/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "lib/audit/audit_internal.h"
#include "mint/tar.h"

static int buf_sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	(void)err;
	return mint_buf_append(ctx, data, len);
}

struct tar {
	struct mint_buf bytes;
	struct mint_tar_writer w;
};

static void tar_begin(struct tar *t)
{
	memset(t, 0, sizeof(*t));
	t->w.sink = buf_sink;
	t->w.ctx = &t->bytes;
}

static void tar_put(struct tar *t, const char *name, enum mint_tar_type type, uint32_t mode,
		    const char *content_or_link)
{
	struct mint_tar_entry e = { .name = (char *)name, .type = type, .mode = mode };
	if (type == MINT_TAR_SYMLINK || type == MINT_TAR_HARDLINK)
		e.link_target = (char *)content_or_link;
	else if (content_or_link)
		e.size = strlen(content_or_link);
	struct mint_err err = { 0 };
	assert_ok(mint_tar_write_entry(&t->w, &e, type == MINT_TAR_REG ? content_or_link : NULL,
				       &err), &err);
}

static void tar_put_entry(struct tar *t, const struct mint_tar_entry *e, const char *content)
{
	struct mint_err err = { 0 };
	assert_ok(mint_tar_write_entry(&t->w, e, content, &err), &err);
}

/* Ends the tar and overlays it on tree; returns the rc. */
static int tar_add(struct tar *t, struct audit_tree *tree, struct mint_err *err)
{
	assert_ok(mint_tar_write_end(&t->w, err), err);
	struct mint_span_source ss;
	int rc = audit_tree_add_tar(tree, mint_span_source_init(&ss, mint_buf_span(&t->bytes)),
				    "test layer", err);
	mint_buf_free(&t->bytes);
	return rc;
}

static const struct mint_image_file *find(const struct audit_tree *t, const char *path)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].path, path))
			return &t->v[i];
	return NULL;
}

static void test_image_tree_later_entry_of_a_path_replaces_the_earlier(void **state)
{
	(void)state;
	struct audit_tree tree;
	struct tar t;
	struct mint_err err = { 0 };
	audit_tree_init(&tree, NULL);
	tar_begin(&t);
	tar_put(&t, "etc/motd", MINT_TAR_REG, 0644, "first\n");
	tar_put(&t, "etc/motd", MINT_TAR_REG, 0600, "second!\n");
	assert_ok(tar_add(&t, &tree, &err), &err);
	tar_begin(&t);
	tar_put(&t, "etc/hosts", MINT_TAR_REG, 0644, "x");
	assert_ok(tar_add(&t, &tree, &err), &err);
	tar_begin(&t);
	tar_put(&t, "./etc/hosts", MINT_TAR_SYMLINK, 0777, "/dev/null");
	assert_ok(tar_add(&t, &tree, &err), &err);
	audit_tree_sort(&tree);
	assert_int_equal(tree.n, 2);
	const struct mint_image_file *motd = find(&tree, "etc/motd");
	assert_non_null(motd);
	assert_int_equal(motd->mode, 0600);
	assert_int_equal(motd->size, 8);
	const struct mint_image_file *hosts = find(&tree, "etc/hosts");
	assert_int_equal(hosts->type, MINT_TAR_SYMLINK);
	assert_string_equal(hosts->link_target, "/dev/null");
	assert_int_equal(hosts->size, 0);
	audit_tree_free(&tree);
}

static void test_image_tree_names_are_cleaned_and_the_root_skipped(void **state)
{
	(void)state;
	struct audit_tree tree;
	struct tar t;
	struct mint_err err = { 0 };
	audit_tree_init(&tree, NULL);
	tar_begin(&t);
	tar_put(&t, "./", MINT_TAR_DIR, 0755, NULL);
	tar_put(&t, "/usr/", MINT_TAR_DIR, 0755, NULL);
	tar_put(&t, "./usr", MINT_TAR_DIR, 0700, NULL);
	tar_put(&t, "usr//bin/./x", MINT_TAR_REG, 0755, "x");
	assert_ok(tar_add(&t, &tree, &err), &err);
	audit_tree_sort(&tree);
	assert_int_equal(tree.n, 2);
	assert_string_equal(tree.v[0].path, "usr");
	assert_int_equal(tree.v[0].mode, 0700);
	assert_string_equal(tree.v[1].path, "usr/bin/x");
	audit_tree_free(&tree);
}

static void test_image_tree_dot_dot_name_is_unsafe_with_its_offset(void **state)
{
	(void)state;
	struct audit_tree tree;
	struct tar t;
	struct mint_err err = { 0 };
	audit_tree_init(&tree, NULL);
	tar_begin(&t);
	tar_put(&t, "a", MINT_TAR_REG, 0644, "x");
	tar_put(&t, "../evil", MINT_TAR_REG, 0644, "x");
	assert_int_equal(tar_add(&t, &tree, &err), MINT_EUNSAFE);
	assert_true(err.has_offset);
	assert_int_equal(err.offset, 1024);
	assert_non_null(strstr(err.msg, "test layer"));
	audit_tree_free(&tree);
}

static void test_image_tree_more_entries_than_the_limit_is_refused(void **state)
{
	(void)state;
	struct mint_image_diff_limits lim = { .max_entries = 2 };
	struct audit_tree tree;
	struct tar t;
	struct mint_err err = { 0 };
	audit_tree_init(&tree, &lim);
	tar_begin(&t);
	tar_put(&t, "a", MINT_TAR_DIR, 0755, NULL);
	tar_put(&t, "a", MINT_TAR_DIR, 0700, NULL);
	tar_put(&t, "b", MINT_TAR_DIR, 0755, NULL);
	tar_put(&t, "c", MINT_TAR_DIR, 0755, NULL);
	assert_int_equal(tar_add(&t, &tree, &err), MINT_ELIMIT);
	assert_non_null(strstr(err.msg, "more than 2 files"));
	audit_tree_free(&tree);
}

static void test_image_tree_names_over_the_byte_limit_are_refused(void **state)
{
	(void)state;
	struct mint_image_diff_limits lim = { .max_tree_bytes = 16 };
	struct audit_tree tree;
	struct tar t;
	struct mint_err err = { 0 };
	audit_tree_init(&tree, &lim);
	tar_begin(&t);
	tar_put(&t, "short", MINT_TAR_DIR, 0755, NULL);
	tar_put(&t, "a-longer-name", MINT_TAR_DIR, 0755, NULL);
	assert_int_equal(tar_add(&t, &tree, &err), MINT_ELIMIT);
	audit_tree_free(&tree);
}

static void test_image_tree_keeps_owner_device_and_xattr_hash(void **state)
{
	(void)state;
	struct audit_tree tree;
	struct tar t;
	struct mint_err err = { 0 };
	unsigned char v1[] = "one", v2[] = "two";
	struct mint_xattr x1 = { "user.k", v1, 3 }, x2 = { "user.k", v2, 3 };
	struct mint_tar_entry dev = { .name = "dev/null", .type = MINT_TAR_CHAR, .mode = 0666,
				      .devmajor = 1, .devminor = 3, .uid = 7, .gid = 8,
				      .uname = "u", .gname = "g" };
	struct mint_tar_entry f1 = { .name = "f1", .type = MINT_TAR_REG, .mode = 0644,
				     .xattrs = &x1, .n_xattrs = 1 };
	struct mint_tar_entry f2 = f1, f3 = f1;
	f2.name = "f2";
	f2.xattrs = &x2;
	f3.name = "f3";
	audit_tree_init(&tree, NULL);
	tar_begin(&t);
	tar_put_entry(&t, &dev, NULL);
	tar_put_entry(&t, &f1, NULL);
	tar_put_entry(&t, &f2, NULL);
	tar_put_entry(&t, &f3, NULL);
	assert_ok(tar_add(&t, &tree, &err), &err);
	audit_tree_sort(&tree);
	const struct mint_image_file *d = find(&tree, "dev/null");
	assert_int_equal(d->devmajor, 1);
	assert_int_equal(d->devminor, 3);
	assert_int_equal(d->uid, 7);
	assert_string_equal(d->uname, "u");
	assert_string_equal(d->gname, "g");
	assert_false(d->has_xattrs);
	const struct mint_image_file *a = find(&tree, "f1"), *b = find(&tree, "f2"),
				     *c = find(&tree, "f3");
	assert_true(a->has_xattrs);
	assert_int_equal(audit_file_changes(a, b), MINT_FILE_XATTRS);
	assert_int_equal(audit_file_changes(a, c), 0);
	audit_tree_free(&tree);
}

static void test_image_tree_file_changes_name_each_attribute(void **state)
{
	(void)state;
	struct mint_image_file a = { .path = "x", .type = MINT_TAR_REG, .mode = 0644,
				     .uname = "", .gname = "", .size = 1 };
	struct mint_image_file b = a;
	assert_int_equal(audit_file_changes(&a, &b), 0);
	b.mode = 0600;
	b.uid = 1;
	b.gid = 2;
	b.gname = "wheel";
	b.mtime = 5;
	b.sha256[0] = 1;
	unsigned want = MINT_FILE_MODE | MINT_FILE_UID | MINT_FILE_GID | MINT_FILE_GNAME |
			MINT_FILE_MTIME | MINT_FILE_CONTENT;
	assert_int_equal(audit_file_changes(&a, &b), want);
	struct mint_image_file l = a, m = a;
	l.type = MINT_TAR_SYMLINK;
	l.size = 0;
	l.link_target = "a";
	m.type = MINT_TAR_SYMLINK;
	m.size = 0;
	m.link_target = "b";
	assert_int_equal(audit_file_changes(&l, &m), MINT_FILE_LINK);
	assert_int_equal(audit_file_changes(&a, &l),
			 MINT_FILE_TYPE | MINT_FILE_SIZE | MINT_FILE_LINK);
	struct mint_image_file c1 = a, c2 = a;
	c1.type = c2.type = MINT_TAR_CHAR;
	c1.devmajor = 1;
	c2.devmajor = 4;
	assert_int_equal(audit_file_changes(&c1, &c2), MINT_FILE_DEVICE);
}

static void test_image_tree_sort_orders_by_path_bytes(void **state)
{
	(void)state;
	struct audit_tree tree;
	struct tar t;
	struct mint_err err = { 0 };
	audit_tree_init(&tree, NULL);
	tar_begin(&t);
	tar_put(&t, "b", MINT_TAR_DIR, 0755, NULL);
	tar_put(&t, "a/z", MINT_TAR_DIR, 0755, NULL);
	tar_put(&t, "a-b", MINT_TAR_DIR, 0755, NULL);
	tar_put(&t, "a", MINT_TAR_DIR, 0755, NULL);
	assert_ok(tar_add(&t, &tree, &err), &err);
	audit_tree_sort(&tree);
	assert_string_equal(tree.v[0].path, "a");
	assert_string_equal(tree.v[1].path, "a-b");
	assert_string_equal(tree.v[2].path, "a/z");
	assert_string_equal(tree.v[3].path, "b");
	audit_tree_free(&tree);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_image_tree_later_entry_of_a_path_replaces_the_earlier),
		cmocka_unit_test(test_image_tree_names_are_cleaned_and_the_root_skipped),
		cmocka_unit_test(test_image_tree_dot_dot_name_is_unsafe_with_its_offset),
		cmocka_unit_test(test_image_tree_more_entries_than_the_limit_is_refused),
		cmocka_unit_test(test_image_tree_names_over_the_byte_limit_are_refused),
		cmocka_unit_test(test_image_tree_keeps_owner_device_and_xattr_hash),
		cmocka_unit_test(test_image_tree_file_changes_name_each_attribute),
		cmocka_unit_test(test_image_tree_sort_orders_by_path_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
