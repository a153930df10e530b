/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apkbuild.h"
#include "mint/apk_package.h"
#include "mint/buf.h"
#include "mint/image_plan.h"

/* A real .apk built from files, then read back. */
static void read_pkg(const char *pkginfo, const struct test_file *files, size_t n,
		     struct mint_apk_package *out)
{
	struct test_apk spec = { .pkginfo = pkginfo, .files = files, .n_files = n };
	struct mint_buf apk = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	build_test_apk(&spec, &apk);
	memset(out, 0, sizeof(*out));
	assert_ok(mint_apk_package_read_mem(mint_buf_span(&apk), NULL, NULL, 0, out, &err), &err);
	mint_buf_free(&apk);
}

static struct mint_image_plan *new_plan(void)
{
	struct mint_image_plan *p;
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_new(&p, NULL, &err), &err);
	return p;
}

static int add(struct mint_image_plan *p, size_t idx, const char *pkginfo,
	       const struct test_file *files, size_t n, struct mint_err *err)
{
	struct mint_apk_package pkg;
	read_pkg(pkginfo, files, n, &pkg);
	int rc = mint_image_plan_add_package(p, idx, &pkg, NULL, err);
	mint_apk_package_free(&pkg);
	return rc;
}

static void add_ok(struct mint_image_plan *p, size_t idx, const char *pkginfo,
		   const struct test_file *files, size_t n)
{
	struct mint_err err = { 0 };
	assert_ok(add(p, idx, pkginfo, files, n, &err), &err);
}

#define PKG(name, extra) "pkgname = " name "\npkgver = 1.0-r0\narch = x86_64\n" extra

static const struct test_file busybox_files[] = {
	{ .name = "bin", .type = MINT_TAR_DIR },
	{ .name = "bin/sh", .content = "busybox sh" },
	{ .name = "etc", .type = MINT_TAR_DIR },
	{ .name = "etc/motd", .content = "hello" },
};

static const struct test_file other_files[] = {
	{ .name = "etc", .type = MINT_TAR_DIR },
	{ .name = "etc/motd", .content = "other" },
};

static void test_plan_same_file_in_two_packages_names_both(void **state)
{
	(void)state;
	struct mint_image_plan *p = new_plan();
	struct mint_err err = { 0 };
	add_ok(p, 0, PKG("busybox", ""), busybox_files, 4);
	assert_int_equal(add(p, 1, PKG("other", ""), other_files, 2, &err), MINT_EDUPLICATE);
	assert_non_null(strstr(err.msg, "etc/motd"));
	assert_non_null(strstr(err.msg, "busybox"));
	assert_non_null(strstr(err.msg, "other"));
	mint_image_plan_free(p);
}

static void test_plan_replaces_lets_the_new_package_win(void **state)
{
	(void)state;
	struct mint_image_plan *p = new_plan();
	add_ok(p, 0, PKG("busybox", ""), busybox_files, 4);
	add_ok(p, 1, PKG("other", "replaces = busybox>=1.0\n"), other_files, 2);
	const struct mint_plan_node *n = mint_image_plan_lookup(p, "/etc/motd");
	assert_non_null(n);
	assert_int_equal(n->owner, 1);
	assert_int_equal(n->size, 5);
	assert_string_equal(mint_image_plan_package_name(p, n->owner), "other");
	mint_image_plan_free(p);
}

static void test_plan_owner_replacing_the_new_package_keeps_its_file(void **state)
{
	(void)state;
	struct mint_image_plan *p = new_plan();
	add_ok(p, 0, PKG("busybox", "replaces = other\n"), busybox_files, 4);
	add_ok(p, 1, PKG("other", ""), other_files, 2);
	assert_int_equal(mint_image_plan_lookup(p, "etc/motd")->owner, 0);
	mint_image_plan_free(p);
}

static void test_plan_shared_origin_lets_the_new_package_win(void **state)
{
	(void)state;
	struct mint_image_plan *p = new_plan();
	add_ok(p, 0, PKG("busybox", "origin = bb\n"), busybox_files, 4);
	add_ok(p, 1, PKG("other", "origin = bb\n"), other_files, 2);
	assert_int_equal(mint_image_plan_lookup(p, "etc/motd")->owner, 1);
	mint_image_plan_free(p);
}

static void test_plan_creates_missing_parents_implicitly(void **state)
{
	(void)state;
	const struct test_file files[] = { { .name = "usr/share/doc/x", .content = "x" } };
	struct mint_image_plan *p = new_plan();
	add_ok(p, 0, PKG("x", ""), files, 1);
	const struct mint_plan_node *d = mint_image_plan_lookup(p, "usr/share");
	assert_non_null(d);
	assert_int_equal(d->type, MINT_TAR_DIR);
	assert_int_equal(d->mode, 0755);
	assert_int_equal(d->uid, 0);
	assert_int_equal(d->mtime, 0);
	assert_true(d->implicit);
	assert_int_equal(mint_image_plan_count(p), 4);
	/* A later declaration gives the directory its metadata. */
	const struct test_file decl[] = { { .name = "usr", .type = MINT_TAR_DIR } };
	add_ok(p, 1, PKG("y", ""), decl, 1);
	assert_int_equal(mint_image_plan_lookup(p, "usr")->mtime, 1700000000);
	assert_false(mint_image_plan_lookup(p, "usr")->implicit);
	mint_image_plan_free(p);
}

static void test_plan_symlink_escaping_the_root_is_an_error(void **state)
{
	(void)state;
	const struct test_file files[] = {
		{ .name = "a", .type = MINT_TAR_SYMLINK, .link = "../../.." },
		{ .name = "a/etc/passwd", .content = "root:x:0:0" },
	};
	struct mint_image_plan *p = new_plan();
	struct mint_err err = { 0 };
	assert_int_equal(add(p, 0, PKG("evil", ""), files, 2, &err), MINT_EUNSAFE);
	assert_non_null(strstr(err.msg, "symlink escapes the root"));
	assert_null(mint_image_plan_lookup(p, "etc"));
	/* The same through a generated file. */
	assert_int_equal(mint_image_plan_put_file(p, "a/etc/passwd", "x", 1, 0644, 0, 0, 0, &err),
			 MINT_EUNSAFE);
	mint_image_plan_free(p);
}

static void test_plan_symlink_within_the_root_is_followed(void **state)
{
	(void)state;
	const struct test_file files[] = {
		{ .name = "usr", .type = MINT_TAR_DIR },
		{ .name = "usr/lib", .type = MINT_TAR_DIR },
		{ .name = "lib", .type = MINT_TAR_SYMLINK, .link = "usr/lib" },
		{ .name = "var", .type = MINT_TAR_DIR },
		{ .name = "var/run", .type = MINT_TAR_SYMLINK, .link = "/run" },
		{ .name = "lib/libc.so", .content = "elf" },
	};
	const struct test_file later[] = {
		{ .name = "lib", .type = MINT_TAR_DIR },
		{ .name = "lib/apk", .type = MINT_TAR_DIR },
		{ .name = "var/run/x.pid", .content = "1" },
	};
	struct mint_image_plan *p = new_plan();
	add_ok(p, 0, PKG("base", ""), files, 6);
	add_ok(p, 1, PKG("later", ""), later, 3);
	assert_non_null(mint_image_plan_lookup(p, "usr/lib/libc.so"));
	assert_string_equal(mint_image_plan_lookup(p, "lib/libc.so")->path, "usr/lib/libc.so");
	assert_int_equal(mint_image_plan_lookup(p, "lib")->type, MINT_TAR_SYMLINK);
	assert_int_equal(mint_image_plan_lookup(p, "usr/lib/apk")->type, MINT_TAR_DIR);
	assert_non_null(mint_image_plan_lookup(p, "run/x.pid"));
	mint_image_plan_free(p);
}

static void test_plan_symlink_loop_stops(void **state)
{
	(void)state;
	struct mint_image_plan *p = new_plan();
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_put_symlink(p, "a", "b", 0777, 0, 0, 0, &err), &err);
	assert_ok(mint_image_plan_put_symlink(p, "b", "a/.", 0777, 0, 0, 0, &err), &err);
	assert_int_equal(mint_image_plan_put_file(p, "a/x", "x", 1, 0644, 0, 0, 0, &err),
			 MINT_ELIMIT);
	assert_int_equal(mint_image_plan_chmod(p, "a", 0700, &err), MINT_ELIMIT);
	mint_image_plan_free(p);
}

struct walk_text {
	struct mint_buf out;
};

static int print_node(void *ctx, const struct mint_plan_node *n, struct mint_err *err)
{
	(void)err;
	struct walk_text *t = ctx;
	mint_buf_printf(&t->out, "%s %c %o %llu:%llu %lld %s %llu\n", n->path, (char)n->type,
			(unsigned)n->mode, (unsigned long long)n->uid, (unsigned long long)n->gid,
			(long long)n->mtime, n->link_target ? n->link_target : "-",
			(unsigned long long)n->size);
	return 0;
}

static char *walk_to_text(const struct mint_image_plan *p)
{
	struct walk_text t = { MINT_BUF_INIT };
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_walk(p, print_node, &t, &err), &err);
	mint_buf_putc(&t.out, '\0');
	return t.out.data;
}

static const struct test_file pkg_a[] = {
	{ .name = "usr", .type = MINT_TAR_DIR },
	{ .name = "usr/bin", .type = MINT_TAR_DIR },
	{ .name = "usr/bin/zz", .content = "z" },
	{ .name = "usr/bin/a", .content = "a" },
	{ .name = "usr/bin/B", .type = MINT_TAR_SYMLINK, .link = "a" },
};
static const struct test_file pkg_b[] = {
	{ .name = "usr/bin/m", .content = "mm" },
	{ .name = "etc/conf", .content = "c" },
	{ .name = "usr/bin-x", .content = "dash" },
};

static void test_plan_walk_is_sorted_and_independent_of_insertion_order(void **state)
{
	(void)state;
	struct mint_image_plan *p1 = new_plan(), *p2 = new_plan();
	add_ok(p1, 0, PKG("a", ""), pkg_a, 5);
	add_ok(p1, 1, PKG("b", ""), pkg_b, 3);
	add_ok(p2, 0, PKG("b", ""), pkg_b, 3);
	add_ok(p2, 1, PKG("a", ""), pkg_a, 5);
	char *t1 = walk_to_text(p1), *t2 = walk_to_text(p2);
	assert_string_equal(t1, t2);
	assert_string_equal(t1, "etc 5 755 0:0 0 - 0\n"
				"etc/conf 0 644 0:0 1700000000 - 1\n"
				"usr 5 755 0:0 1700000000 - 0\n"
				"usr/bin 5 755 0:0 1700000000 - 0\n"
				"usr/bin/B 2 644 0:0 1700000000 a 0\n"
				"usr/bin/a 0 644 0:0 1700000000 - 1\n"
				"usr/bin/m 0 644 0:0 1700000000 - 2\n"
				"usr/bin/zz 0 644 0:0 1700000000 - 1\n"
				"usr/bin-x 0 644 0:0 1700000000 - 4\n");
	free(t1);
	free(t2);
	mint_image_plan_free(p1);
	mint_image_plan_free(p2);
}

/* A package made by hand: device nodes and modes the test builder does not make. */
static void test_plan_keeps_devices_modes_and_owners(void **state)
{
	(void)state;
	struct mint_apk_entry e[3] = {
		{ .path = "dev", .type = MINT_TAR_DIR, .mode = 0700, .uid = 5, .gid = 6,
		  .mtime = 7 },
		{ .path = "dev/null", .type = MINT_TAR_CHAR, .mode = 0666, .devmajor = 1,
		  .devminor = 3 },
		{ .path = "dev/sda", .type = MINT_TAR_BLOCKDEV, .mode = 04660, .uid = 0, .gid = 6,
		  .devmajor = 8, .devminor = 0 },
	};
	struct mint_apk_package pkg = { .entries = e, .n_entries = 3 };
	pkg.info.name = "devs";
	struct mint_image_plan *p = new_plan();
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_add_package(p, 0, &pkg, NULL, &err), &err);
	const struct mint_plan_node *n = mint_image_plan_lookup(p, "dev");
	assert_int_equal(n->mode, 0700);
	assert_int_equal(n->uid, 5);
	assert_int_equal(n->gid, 6);
	n = mint_image_plan_lookup(p, "dev/null");
	assert_int_equal(n->type, MINT_TAR_CHAR);
	assert_int_equal(n->devmajor, 1);
	assert_int_equal(n->devminor, 3);
	n = mint_image_plan_lookup(p, "dev/sda");
	assert_int_equal(n->type, MINT_TAR_BLOCKDEV);
	assert_int_equal(n->mode, 04660);
	assert_int_equal(n->devmajor, 8);
	mint_image_plan_free(p);
}

static void test_plan_hardlink_stays_a_hardlink(void **state)
{
	(void)state;
	const struct test_file files[] = {
		{ .name = "bin/busybox", .content = "bb" },
		{ .name = "bin/sh", .type = MINT_TAR_HARDLINK, .link = "bin/busybox" },
	};
	struct mint_image_plan *p = new_plan();
	add_ok(p, 0, PKG("bb", ""), files, 2);
	const struct mint_plan_node *n = mint_image_plan_lookup(p, "bin/sh");
	assert_int_equal(n->type, MINT_TAR_HARDLINK);
	assert_string_equal(n->link_target, "bin/busybox");
	assert_int_equal(n->owner, 0);
	mint_image_plan_free(p);
}

static void test_plan_directory_and_file_conflict(void **state)
{
	(void)state;
	const struct test_file f[] = { { .name = "etc", .content = "x" } };
	struct mint_image_plan *p = new_plan();
	struct mint_err err = { 0 };
	add_ok(p, 0, PKG("busybox", ""), busybox_files, 4);
	assert_int_equal(add(p, 1, PKG("f", ""), f, 1, &err), MINT_EDUPLICATE);
	assert_non_null(strstr(err.msg, "directory"));
	const struct test_file under_file[] = { { .name = "etc/motd/x", .content = "x" } };
	assert_int_equal(add(p, 2, PKG("g", ""), under_file, 1, &err), MINT_EINVAL);
	assert_non_null(strstr(err.msg, "not a directory"));
	mint_image_plan_free(p);
}

static void test_plan_mutations_need_their_parent(void **state)
{
	(void)state;
	struct mint_image_plan *p = new_plan();
	struct mint_err err = { 0 };
	assert_int_equal(mint_image_plan_put_file(p, "/etc/passwd", "r", 1, 0644, 0, 0, 0, &err),
			 MINT_ENOTFOUND);
	assert_non_null(strstr(err.msg, "path mutation onto a missing parent"));
	assert_ok(mint_image_plan_put_dir(p, "/etc", 0755, 0, 0, 0, &err), &err);
	assert_ok(mint_image_plan_put_file(p, "/etc/passwd", "root", 4, 0644, 0, 0, 0, &err), &err);
	assert_ok(mint_image_plan_put_file(p, "etc/passwd", "root2", 5, 0600, 0, 0, 0, &err), &err);
	const struct mint_plan_node *n = mint_image_plan_lookup(p, "etc/passwd");
	assert_int_equal(n->content, MINT_PLAN_CONTENT_OWNED);
	assert_int_equal(n->size, 5);
	assert_memory_equal(n->data, "root2", 5);
	assert_int_equal(n->mode, 0600);
	assert_int_equal(mint_image_plan_put_dir(p, "etc/passwd", 0755, 0, 0, 0, &err),
			 MINT_EDUPLICATE);
	assert_int_equal(mint_image_plan_put_file(p, "etc", "x", 1, 0644, 0, 0, 0, &err),
			 MINT_EDUPLICATE);
	assert_int_equal(mint_image_plan_put_file(p, "../x", "x", 1, 0644, 0, 0, 0, &err),
			 MINT_EUNSAFE);
	assert_int_equal(mint_image_plan_put_file(p, "/", "x", 1, 0644, 0, 0, 0, &err),
			 MINT_EINVAL);
	mint_image_plan_free(p);
}

static void test_plan_chmod_chown_remove(void **state)
{
	(void)state;
	struct mint_image_plan *p = new_plan();
	struct mint_err err = { 0 };
	add_ok(p, 0, PKG("busybox", ""), busybox_files, 4);
	assert_ok(mint_image_plan_put_symlink(p, "motd", "etc/motd", 0777, 0, 0, 0, &err), &err);
	assert_ok(mint_image_plan_chmod(p, "motd", 0600, &err), &err);
	assert_ok(mint_image_plan_chown(p, "/etc/motd", 1000, 1001, &err), &err);
	const struct mint_plan_node *n = mint_image_plan_lookup(p, "etc/motd");
	assert_int_equal(n->mode, 0600);
	assert_int_equal(n->uid, 1000);
	assert_int_equal(n->gid, 1001);
	assert_int_equal(mint_image_plan_lookup(p, "motd")->mode, 0777);
	assert_ok(mint_image_plan_remove(p, "motd", &err), &err);
	assert_non_null(mint_image_plan_lookup(p, "etc/motd"));
	assert_ok(mint_image_plan_remove(p, "etc", &err), &err);
	assert_null(mint_image_plan_lookup(p, "etc/motd"));
	assert_int_equal(mint_image_plan_count(p), 2);
	assert_int_equal(mint_image_plan_remove(p, "etc", &err), MINT_ENOTFOUND);
	assert_int_equal(mint_image_plan_chmod(p, "nope", 0, &err), MINT_ENOTFOUND);
	mint_image_plan_free(p);
}

static void test_plan_generated_hardlink_and_device(void **state)
{
	(void)state;
	struct mint_image_plan *p = new_plan();
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_put_dir(p, "dev", 0755, 0, 0, 0, &err), &err);
	assert_ok(mint_image_plan_put_device(p, "dev/null", MINT_TAR_CHAR, 1, 3, 0666, 0, 0, 0,
					     &err), &err);
	assert_ok(mint_image_plan_put_file(p, "f", "x", 1, 0644, 0, 0, 0, &err), &err);
	assert_ok(mint_image_plan_put_hardlink(p, "g", "f", &err), &err);
	assert_string_equal(mint_image_plan_lookup(p, "g")->link_target, "f");
	assert_int_equal(mint_image_plan_put_hardlink(p, "h", "dev", &err), MINT_ENOTFOUND);
	assert_int_equal(mint_image_plan_put_hardlink(p, "f", "f", &err), MINT_EINVAL);
	assert_int_equal(mint_image_plan_put_device(p, "dev/x", MINT_TAR_DIR, 0, 0, 0, 0, 0, 0,
						    &err), MINT_EINVAL);
	mint_image_plan_free(p);
}

static void test_plan_provides_match_the_item_as_written(void **state)
{
	(void)state;
	struct mint_image_plan *p = new_plan();
	add_ok(p, 0, PKG("wolfi-baselayout", "provides = merged-lib\nprovides = so:x=1\n"),
	       busybox_files, 4);
	assert_true(mint_image_plan_package_provides(p, 0, "merged-lib"));
	assert_true(mint_image_plan_package_provides(p, 0, "so:x=1"));
	assert_false(mint_image_plan_package_provides(p, 0, "so:x"));
	assert_false(mint_image_plan_package_provides(p, 1, "merged-lib"));
	assert_int_equal(mint_image_plan_package_count(p), 1);
	mint_image_plan_free(p);
}

static void test_plan_resolve_follows_the_last_symlink(void **state)
{
	(void)state;
	struct mint_image_plan *p = new_plan();
	struct mint_err err = { 0 };
	const struct mint_plan_node *n;
	assert_ok(mint_image_plan_put_dir(p, "usr", 0755, 0, 0, 0, &err), &err);
	assert_ok(mint_image_plan_put_file(p, "usr/f", "x", 1, 0644, 0, 0, 0, &err), &err);
	assert_ok(mint_image_plan_put_symlink(p, "l", "usr/f", 0777, 0, 0, 0, &err), &err);
	assert_ok(mint_image_plan_put_symlink(p, "dangling", "nope", 0777, 0, 0, 0, &err), &err);
	assert_ok(mint_image_plan_resolve(p, "/l", &n, &err), &err);
	assert_string_equal(n->path, "usr/f");
	assert_int_equal(mint_image_plan_resolve(p, "dangling", &n, &err), MINT_ENOTFOUND);
	assert_null(n);
	mint_image_plan_free(p);
}

static void test_plan_set_content_keeps_metadata_and_writes_through_links(void **state)
{
	(void)state;
	struct mint_image_plan *p = new_plan();
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_put_file(p, "f", "old", 3, 0600, 5, 6, 7, &err), &err);
	assert_ok(mint_image_plan_put_hardlink(p, "h", "f", &err), &err);
	assert_ok(mint_image_plan_put_symlink(p, "s", "h", 0777, 0, 0, 0, &err), &err);
	assert_ok(mint_image_plan_set_content(p, "s", "newer", 5, 99, &err), &err);
	const struct mint_plan_node *f = mint_image_plan_lookup(p, "f");
	assert_int_equal(f->size, 5);
	assert_memory_equal(f->data, "newer", 5);
	assert_int_equal(f->mode, 0600);
	assert_int_equal(f->uid, 5);
	assert_int_equal(f->mtime, 99);
	assert_int_equal(mint_image_plan_set_content(p, "", "x", 1, 0, &err), MINT_EINVAL);
	assert_ok(mint_image_plan_set_content(p, "f", NULL, 0, 1, &err), &err);
	assert_int_equal(f->content, MINT_PLAN_CONTENT_NONE);
	mint_image_plan_free(p);
}

static void name_by_uid(void *ctx, const struct mint_plan_node *n, char uname[33],
			char gname[33])
{
	(void)ctx;
	snprintf(uname, 33, "u%llu", (unsigned long long)n->uid);
	snprintf(gname, 33, "g%llu", (unsigned long long)n->gid);
}

static void test_plan_set_names_reaches_every_node(void **state)
{
	(void)state;
	struct mint_image_plan *p = new_plan();
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_put_dir(p, "d", 0755, 1, 2, 0, &err), &err);
	assert_ok(mint_image_plan_put_file(p, "d/f", "x", 1, 0644, 3, 4, 0, &err), &err);
	mint_image_plan_set_names(p, name_by_uid, NULL);
	assert_string_equal(mint_image_plan_lookup(p, "d")->uname, "u1");
	assert_string_equal(mint_image_plan_lookup(p, "d/f")->gname, "g4");
	mint_image_plan_free(p);
}

static void test_plan_node_limit(void **state)
{
	(void)state;
	struct mint_image_plan_limits lim;
	mint_image_plan_limits_default(&lim);
	lim.max_nodes = 3;
	struct mint_image_plan *p;
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_new(&p, &lim, &err), &err);
	assert_int_equal(add(p, 0, PKG("busybox", ""), busybox_files, 4, &err), MINT_ELIMIT);
	mint_image_plan_free(p);
}

static void test_plan_package_index_used_twice(void **state)
{
	(void)state;
	struct mint_image_plan *p = new_plan();
	struct mint_err err = { 0 };
	add_ok(p, 0, PKG("busybox", ""), busybox_files, 4);
	assert_int_equal(add(p, 0, PKG("other", ""), other_files, 2, &err), MINT_EDUPLICATE);
	mint_image_plan_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_same_file_in_two_packages_names_both),
		cmocka_unit_test(test_plan_replaces_lets_the_new_package_win),
		cmocka_unit_test(test_plan_owner_replacing_the_new_package_keeps_its_file),
		cmocka_unit_test(test_plan_shared_origin_lets_the_new_package_win),
		cmocka_unit_test(test_plan_creates_missing_parents_implicitly),
		cmocka_unit_test(test_plan_symlink_escaping_the_root_is_an_error),
		cmocka_unit_test(test_plan_symlink_within_the_root_is_followed),
		cmocka_unit_test(test_plan_symlink_loop_stops),
		cmocka_unit_test(test_plan_walk_is_sorted_and_independent_of_insertion_order),
		cmocka_unit_test(test_plan_keeps_devices_modes_and_owners),
		cmocka_unit_test(test_plan_hardlink_stays_a_hardlink),
		cmocka_unit_test(test_plan_directory_and_file_conflict),
		cmocka_unit_test(test_plan_mutations_need_their_parent),
		cmocka_unit_test(test_plan_chmod_chown_remove),
		cmocka_unit_test(test_plan_generated_hardlink_and_device),
		cmocka_unit_test(test_plan_provides_match_the_item_as_written),
		cmocka_unit_test(test_plan_resolve_follows_the_last_symlink),
		cmocka_unit_test(test_plan_set_content_keeps_metadata_and_writes_through_links),
		cmocka_unit_test(test_plan_set_names_reaches_every_node),
		cmocka_unit_test(test_plan_node_limit),
		cmocka_unit_test(test_plan_package_index_used_twice),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
