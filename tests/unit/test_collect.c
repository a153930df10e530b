/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "mint/hash.h"
#include "mint/sbom.h"
#include "mint/tar.h"
#include "planbuild.h"

/* Three packages: musl provides a soname, busybox needs it and provides a
 * command, app needs both by those names and by package name. */
static const char three_db[] =
	"P:musl\nV:1.2.5-r0\nA:x86_64\nL:MIT\no:musl\nm:Someone <s@example.org>\n"
	"U:https://musl.libc.org/\nc:0123456789abcdef0123456789abcdef01234567\n"
	"C:Q1aaaaaaaaaaaaaaaaaaaaaaaaaaa=\n"
	"p:so:libc.musl-x86_64.so.1=1\n"
	"F:lib\nR:ld-musl-x86_64.so.1\n\n"
	"P:busybox\nV:1.36.1-r2\nA:x86_64\nL:GPL-2.0-only\no:busybox\n"
	"D:so:libc.musl-x86_64.so.1 musl>=1.2 !busybox-old nothing-provides-this\n"
	"p:cmd:sh=1.36.1-r2 /bin/sh\n"
	"F:bin\nR:busybox\nR:sh\n\n"
	"P:app\nV:2.0\nA:x86_64\nL:Apache-2.0\no:app-src\n"
	"D:busybox cmd:sh /bin/sh so:libc.musl-x86_64.so.1 musl<1 app\n"
	"F:usr/bin\nR:app\n\n";

static struct mint_sbom_collector *new_collector(bool hash_files, size_t max)
{
	struct mint_sbom_collect_opts o = { .hash_files = hash_files, .max_file_bytes = max };
	struct mint_sbom_collector *c;
	struct mint_err err = { 0 };
	assert_ok(mint_sbom_collector_new(&c, &o, &err), &err);
	return c;
}

static int put_bytes(struct mint_sbom_collector *c, const char *path, const char *text,
		     struct mint_err *err)
{
	struct mint_span_source s;
	struct mint_source src = mint_span_source_init(&s, mint_span_str(text));
	return mint_sbom_collector_entry(c, path, MINT_TAR_REG, strlen(text), NULL, &src, err);
}

static void put_file(struct mint_sbom_collector *c, const char *path, const char *text)
{
	struct mint_err err = { 0 };
	assert_ok(put_bytes(c, path, text, &err), &err);
}

static void put_link(struct mint_sbom_collector *c, const char *path, enum mint_tar_type type,
		     const char *target)
{
	struct mint_err err = { 0 };
	assert_ok(mint_sbom_collector_entry(c, path, type, 0, target, NULL, &err), &err);
}

static void put_dir(struct mint_sbom_collector *c, const char *path)
{
	struct mint_err err = { 0 };
	assert_ok(mint_sbom_collector_entry(c, path, MINT_TAR_DIR, 0, NULL, NULL, &err), &err);
}

static void finish(struct mint_sbom_collector *c, struct mint_sbom_image *img)
{
	struct mint_err err = { 0 };
	memset(img, 0, sizeof(*img));
	assert_ok(mint_sbom_collector_finish(c, img, &err), &err);
	mint_sbom_collector_free(c);
}

static void assert_sha256_of(const unsigned char got[32], const char *text)
{
	unsigned char want[MINT_HASH_MAX_BYTES];
	assert_int_equal(mint_hash_bytes(MINT_HASH_SHA256, text, strlen(text), want), 0);
	assert_memory_equal(got, want, 32);
}

static void assert_sha1_of(const unsigned char got[20], const char *text)
{
	unsigned char want[MINT_HASH_MAX_BYTES];
	assert_int_equal(mint_hash_bytes(MINT_HASH_SHA1, text, strlen(text), want), 0);
	assert_memory_equal(got, want, 20);
}

static const struct mint_sbom_file *file_at(const struct mint_sbom_image *img, const char *path)
{
	for (size_t i = 0; i < img->n_files; i++)
		if (!strcmp(img->files[i].path, path))
			return &img->files[i];
	fail_msg("no file %s in the model", path);
	return NULL;
}

/* ---- packages and dependencies ---- */

static void test_collect_db_packages_in_db_order_with_metadata(void **state)
{
	(void)state;
	struct mint_sbom_collector *c = new_collector(false, 0);
	struct mint_sbom_image img;
	put_dir(c, "usr");
	put_file(c, "usr/lib/apk/db/installed", three_db);
	finish(c, &img);
	assert_int_equal(img.n_packages, 3);
	assert_string_equal(img.packages[0].info.name, "musl");
	assert_string_equal(img.packages[0].info.version, "1.2.5-r0");
	assert_string_equal(img.packages[0].info.arch, "x86_64");
	assert_string_equal(img.packages[0].info.license, "MIT");
	assert_string_equal(img.packages[0].info.maintainer, "Someone <s@example.org>");
	assert_string_equal(img.packages[0].info.url, "https://musl.libc.org/");
	assert_string_equal(img.packages[0].info.commit,
			    "0123456789abcdef0123456789abcdef01234567");
	assert_string_equal(img.packages[0].info.identity, "Q1aaaaaaaaaaaaaaaaaaaaaaaaaaa=");
	assert_string_equal(img.packages[1].info.name, "busybox");
	assert_string_equal(img.packages[2].info.origin, "app-src");
	assert_false(img.has_files);
	assert_int_equal(img.n_files, 0);
	mint_sbom_image_free(&img);
}

static void test_collect_depends_resolve_names_so_and_cmd_provides_sorted_unique(void **state)
{
	(void)state;
	struct mint_sbom_collector *c = new_collector(false, 0);
	struct mint_sbom_image img;
	put_file(c, "lib/apk/db/installed", three_db);
	finish(c, &img);
	assert_int_equal(img.packages[0].n_depends_on, 0);
	/* so: provide and musl>=1.2 both name musl; the conflict and the
	 * name nobody provides add nothing */
	assert_int_equal(img.packages[1].n_depends_on, 1);
	assert_int_equal(img.packages[1].depends_on[0], 0);
	/* busybox by name, cmd:sh and /bin/sh through busybox's provides, the
	 * soname through musl; musl<1 is not met and app itself is skipped */
	assert_int_equal(img.packages[2].n_depends_on, 2);
	assert_int_equal(img.packages[2].depends_on[0], 0);
	assert_int_equal(img.packages[2].depends_on[1], 1);
	mint_sbom_image_free(&img);
}

static void test_collect_unversioned_provide_meets_only_unversioned_dependency(void **state)
{
	(void)state;
	static const char db[] = "P:a\nV:1\np:virt\n\n"
				 "P:b\nV:1\nD:virt>=1\n\n"
				 "P:c\nV:1\nD:virt\n\n";
	struct mint_sbom_collector *c = new_collector(false, 0);
	struct mint_sbom_image img;
	put_file(c, "usr/lib/apk/db/installed", db);
	finish(c, &img);
	assert_int_equal(img.packages[1].n_depends_on, 0);
	assert_int_equal(img.packages[2].n_depends_on, 1);
	assert_int_equal(img.packages[2].depends_on[0], 0);
	mint_sbom_image_free(&img);
}

static void test_collect_package_name_wins_over_other_providers(void **state)
{
	(void)state;
	static const char db[] = "P:sh-impl\nV:1\np:busybox=9\n\n"
				 "P:busybox\nV:1\n\n"
				 "P:user\nV:1\nD:busybox\n\n";
	struct mint_sbom_collector *c = new_collector(false, 0);
	struct mint_sbom_image img;
	put_file(c, "usr/lib/apk/db/installed", db);
	finish(c, &img);
	assert_int_equal(img.packages[2].n_depends_on, 1);
	assert_int_equal(img.packages[2].depends_on[0], 1);
	mint_sbom_image_free(&img);
}

static void test_collect_no_installed_db_gives_no_packages(void **state)
{
	(void)state;
	struct mint_sbom_collector *c = new_collector(false, 0);
	struct mint_sbom_image img;
	put_file(c, "etc/hostname", "box\n");
	finish(c, &img);
	assert_int_equal(img.n_packages, 0);
	assert_null(img.packages);
	assert_false(img.os.present);
	mint_sbom_image_free(&img);
}

static void test_collect_bad_installed_db_names_file_and_line(void **state)
{
	(void)state;
	struct mint_sbom_collector *c = new_collector(false, 0);
	struct mint_sbom_image img = { 0 };
	struct mint_err err = { 0 };
	put_file(c, "usr/lib/apk/db/installed", "P:a\nV:1\nF:x\n\nP:b\nV:1\nR:orphan\n");
	assert_int_equal(mint_sbom_collector_finish(c, &img, &err), MINT_EFORMAT);
	assert_string_equal(err.file, "usr/lib/apk/db/installed");
	assert_int_equal(err.line, 7);
	assert_non_null(strstr(err.msg, "R: before any F:"));
	assert_null(img.packages);
	mint_sbom_collector_free(c);
}

static void test_collect_bad_dependency_item_names_package(void **state)
{
	(void)state;
	struct mint_sbom_collector *c = new_collector(false, 0);
	struct mint_sbom_image img = { 0 };
	struct mint_err err = { 0 };
	put_file(c, "usr/lib/apk/db/installed", "P:a\nV:1\nD:b>=\n\n");
	assert_int_equal(mint_sbom_collector_finish(c, &img, &err), MINT_EFORMAT);
	assert_non_null(strstr(err.msg, "installed package a: dependency 'b>='"));
	mint_sbom_collector_free(c);
}

/* ---- os-release ---- */

static void test_os_release_parse_quotes_escapes_and_comments(void **state)
{
	(void)state;
	static const char text[] = "# a comment\n"
				   "  NAME=\"Wolfi \\\"un\\\\dos\\$\"\r\n"
				   "ID=wolfi # trailing comment\n"
				   "not a line\n"
				   "=nokey\n"
				   "VERSION_ID='20230201'\n"
				   "PRETTY_NAME=Pretty\\ one\"quoted\"'single'\n"
				   "HOME_URL=\"https://wolfi.dev/\n"
				   "ID=wolfi2\n"
				   "BUILD_ID=ignored";
	struct mint_sbom_os os;
	assert_int_equal(mint_sbom_os_release_parse(mint_span_str(text), &os), 0);
	assert_true(os.present);
	assert_string_equal(os.name, "Wolfi \"un\\dos$");
	assert_string_equal(os.id, "wolfi2");
	assert_string_equal(os.version_id, "20230201");
	assert_string_equal(os.pretty_name, "Pretty onequotedsingle");
	assert_string_equal(os.home_url, "https://wolfi.dev/");
	mint_sbom_os_free(&os);
}

static void test_os_release_parse_empty_file_is_present_without_fields(void **state)
{
	(void)state;
	struct mint_sbom_os os;
	assert_int_equal(mint_sbom_os_release_parse(MINT_SPAN_NULL, &os), 0);
	assert_true(os.present);
	assert_null(os.id);
	assert_null(os.name);
	mint_sbom_os_free(&os);
}

static void test_collect_os_release_symlink_resolves_to_later_usr_lib_file(void **state)
{
	(void)state;
	struct mint_sbom_collector *c = new_collector(false, 0);
	struct mint_sbom_image img;
	put_dir(c, "etc");
	put_link(c, "etc/os-release", MINT_TAR_SYMLINK, "../usr/lib/os-release");
	assert_true(mint_sbom_collector_wants_content(c, "usr/lib/os-release"));
	put_file(c, "usr/lib/os-release", "ID=alpine\nNAME=\"Alpine Linux\"\nVERSION_ID=3.21.0\n");
	finish(c, &img);
	assert_true(img.os.present);
	assert_string_equal(img.os.id, "alpine");
	assert_string_equal(img.os.name, "Alpine Linux");
	assert_string_equal(img.os.version_id, "3.21.0");
	mint_sbom_image_free(&img);
}

static void test_collect_os_release_absolute_symlink_to_other_name_is_kept(void **state)
{
	(void)state;
	struct mint_sbom_collector *c = new_collector(false, 0);
	struct mint_sbom_image img;
	put_link(c, "etc/os-release", MINT_TAR_SYMLINK, "/usr/share/os/release");
	assert_true(mint_sbom_collector_wants_content(c, "usr/share/os/release"));
	assert_false(mint_sbom_collector_wants_content(c, "usr/share/os/other"));
	put_file(c, "usr/share/os/release", "ID=odd\n");
	finish(c, &img);
	assert_string_equal(img.os.id, "odd");
	mint_sbom_image_free(&img);
}

static void test_collect_os_release_falls_back_to_usr_lib(void **state)
{
	(void)state;
	struct mint_sbom_collector *c = new_collector(false, 0);
	struct mint_sbom_image img;
	put_file(c, "/usr/lib/os-release", "ID=fallback\n");
	finish(c, &img);
	assert_true(img.os.present);
	assert_string_equal(img.os.id, "fallback");
	mint_sbom_image_free(&img);
}

static void test_collect_os_release_dangling_or_escaping_link_is_absent(void **state)
{
	(void)state;
	struct mint_sbom_collector *c = new_collector(false, 0);
	struct mint_sbom_image img;
	put_link(c, "etc/os-release", MINT_TAR_SYMLINK, "../../../outside");
	put_link(c, "usr/lib/os-release", MINT_TAR_SYMLINK, "nowhere");
	finish(c, &img);
	assert_false(img.os.present);
	assert_null(img.os.id);
	mint_sbom_image_free(&img);
}

static void test_collect_symlink_loop_ends_as_absent(void **state)
{
	(void)state;
	struct mint_sbom_collector *c = new_collector(false, 0);
	struct mint_sbom_image img;
	put_link(c, "etc/os-release", MINT_TAR_SYMLINK, "loop");
	put_link(c, "etc/loop", MINT_TAR_SYMLINK, "os-release");
	finish(c, &img);
	assert_false(img.os.present);
	mint_sbom_image_free(&img);
}

/* ---- shipped SBOMs ---- */

static const char sbom_db[] = "P:exact\nV:1.0-r3\n\n"
			      "P:norel\nV:2.0-r1\n\n"
			      "P:bare\nV:3.0-r0\n\n"
			      "P:none\nV:4.0-r0\n\n";

static void test_collect_shipped_sbom_lookup_exact_then_without_release_then_name(void **state)
{
	(void)state;
	struct mint_sbom_collector *c = new_collector(false, 0);
	struct mint_sbom_image img;
	put_file(c, "usr/lib/apk/db/installed", sbom_db);
	put_dir(c, "var/lib/db/sbom");
	put_file(c, "var/lib/db/sbom/bare.spdx.json", "{\"bare\":1}");
	put_file(c, "var/lib/db/sbom/exact-1.0-r3.spdx.json", "{\"exact\":1}");
	put_file(c, "var/lib/db/sbom/exact.spdx.json", "{\"exact-name-only\":1}");
	put_file(c, "var/lib/db/sbom/norel-2.0.spdx.json", "{\"norel\":1}");
	put_file(c, "var/lib/db/sbom/norel.spdx.json", "{\"norel-name-only\":1}");
	put_file(c, "var/lib/db/sbom/unrelated-1.spdx.json", "{}");
	finish(c, &img);
	assert_string_equal(mint_buf_cstr(&img.packages[0].shipped_sbom), "{\"exact\":1}");
	assert_string_equal(img.packages[0].shipped_sbom_path,
			    "var/lib/db/sbom/exact-1.0-r3.spdx.json");
	assert_string_equal(mint_buf_cstr(&img.packages[1].shipped_sbom), "{\"norel\":1}");
	assert_string_equal(img.packages[1].shipped_sbom_path,
			    "var/lib/db/sbom/norel-2.0.spdx.json");
	assert_string_equal(mint_buf_cstr(&img.packages[2].shipped_sbom), "{\"bare\":1}");
	assert_string_equal(img.packages[2].shipped_sbom_path, "var/lib/db/sbom/bare.spdx.json");
	assert_int_equal(img.packages[3].shipped_sbom.len, 0);
	assert_null(img.packages[3].shipped_sbom_path);
	mint_sbom_image_free(&img);
}

static void test_collect_shipped_sbom_elsewhere_or_nested_is_not_kept(void **state)
{
	(void)state;
	struct mint_sbom_collector *c = new_collector(false, 0);
	assert_true(mint_sbom_collector_wants_content(c, "var/lib/db/sbom/a-1.spdx.json"));
	assert_false(mint_sbom_collector_wants_content(c, "var/lib/db/sbom/sub/a-1.spdx.json"));
	assert_false(mint_sbom_collector_wants_content(c, "var/lib/db/sbom/a-1.json"));
	assert_false(mint_sbom_collector_wants_content(c, "usr/bin/a"));
	mint_sbom_collector_free(c);
}

/* ---- files and owners ---- */

static const char owners_db[] = "P:base\nV:1\n"
				"F:etc\nR:shared.conf\nR:base.conf\n"
				"F:usr/bin\nR:tool\nR:tool-hard\n\n"
				"P:later\nV:1\n"
				"F:etc\nR:shared.conf\n\n";

static void test_collect_files_hashed_sorted_with_owners_later_record_wins(void **state)
{
	(void)state;
	struct mint_sbom_collector *c = new_collector(true, 0);
	struct mint_sbom_image img;
	put_dir(c, "etc");
	put_file(c, "etc/shared.conf", "shared\n");
	put_file(c, "etc/base.conf", "base\n");
	put_file(c, "etc/passwd", "root:x:0:0::/root:/bin/sh\n");
	put_link(c, "etc/alias", MINT_TAR_SYMLINK, "base.conf");
	put_file(c, "usr/bin/tool", "#!/bin/sh\n");
	put_file(c, "usr/lib/apk/db/installed", owners_db);
	put_file(c, "usr/bin/empty", "");
	finish(c, &img);
	assert_true(img.has_files);
	assert_int_equal(img.n_files, 6);
	for (size_t i = 1; i < img.n_files; i++)
		assert_true(strcmp(img.files[i - 1].path, img.files[i].path) < 0);
	assert_int_equal(file_at(&img, "etc/shared.conf")->owner, 1);
	assert_int_equal(file_at(&img, "etc/base.conf")->owner, 0);
	assert_int_equal(file_at(&img, "usr/bin/tool")->owner, 0);
	assert_int_equal(file_at(&img, "etc/passwd")->owner, MINT_SBOM_BY_MINT);
	assert_int_equal(file_at(&img, "usr/lib/apk/db/installed")->owner, MINT_SBOM_BY_MINT);
	assert_int_equal(file_at(&img, "usr/bin/empty")->owner, MINT_SBOM_BY_MINT);
	const struct mint_sbom_file *f = file_at(&img, "etc/base.conf");
	assert_int_equal(f->size, 5);
	assert_sha256_of(f->sha256, "base\n");
	assert_sha1_of(f->sha1, "base\n");
	assert_sha256_of(file_at(&img, "usr/bin/empty")->sha256, "");
	assert_int_equal(file_at(&img, "usr/lib/apk/db/installed")->size, strlen(owners_db));
	mint_sbom_image_free(&img);
}

static void test_collect_hardlink_reuses_target_hashes_and_has_own_owner(void **state)
{
	(void)state;
	struct mint_sbom_collector *c = new_collector(true, 0);
	struct mint_sbom_image img;
	put_file(c, "usr/bin/tool", "#!/bin/sh\necho hi\n");
	put_link(c, "usr/bin/tool-hard", MINT_TAR_HARDLINK, "usr/bin/tool");
	put_link(c, "usr/bin/mint-hard", MINT_TAR_HARDLINK, "/usr/bin/tool");
	put_file(c, "usr/lib/apk/db/installed", owners_db);
	finish(c, &img);
	const struct mint_sbom_file *t = file_at(&img, "usr/bin/tool");
	const struct mint_sbom_file *h = file_at(&img, "usr/bin/tool-hard");
	const struct mint_sbom_file *m = file_at(&img, "usr/bin/mint-hard");
	assert_memory_equal(t->sha256, h->sha256, 32);
	assert_memory_equal(t->sha1, m->sha1, 20);
	assert_int_equal(h->size, t->size);
	assert_int_equal(h->owner, 0);
	assert_int_equal(m->owner, MINT_SBOM_BY_MINT);
	mint_sbom_image_free(&img);
}

static void test_collect_hardlink_to_missing_file_is_format_error(void **state)
{
	(void)state;
	struct mint_sbom_collector *c = new_collector(true, 0);
	struct mint_sbom_image img = { 0 };
	struct mint_err err = { 0 };
	put_link(c, "usr/bin/b", MINT_TAR_HARDLINK, "usr/bin/a");
	assert_int_equal(mint_sbom_collector_finish(c, &img, &err), MINT_EFORMAT);
	assert_non_null(strstr(err.msg, "usr/bin/b: a hardlink to usr/bin/a"));
	assert_null(img.files);
	mint_sbom_collector_free(c);
}

static void test_collect_owner_directories_resolve_through_image_symlinks(void **state)
{
	(void)state;
	static const char db[] = "P:merged\nV:1\nF:lib\nR:libc.so\nF:lib/apk/db\nR:extra\n\n";
	struct mint_sbom_collector *c = new_collector(true, 0);
	struct mint_sbom_image img;
	put_link(c, "lib", MINT_TAR_SYMLINK, "usr/lib");
	put_file(c, "usr/lib/apk/db/extra", "x");
	put_file(c, "usr/lib/apk/db/installed", db);
	put_file(c, "usr/lib/libc.so", "elf");
	finish(c, &img);
	assert_int_equal(img.n_packages, 1);
	assert_int_equal(file_at(&img, "usr/lib/libc.so")->owner, 0);
	assert_int_equal(file_at(&img, "usr/lib/apk/db/extra")->owner, 0);
	mint_sbom_image_free(&img);
}

static void test_collect_later_entry_at_same_path_replaces_earlier(void **state)
{
	(void)state;
	struct mint_sbom_collector *c = new_collector(true, 0);
	struct mint_sbom_image img;
	put_file(c, "etc/os-release", "ID=first\n");
	put_file(c, "etc/os-release", "ID=second\n");
	put_file(c, "etc/gone", "x");
	put_dir(c, "etc/gone");
	finish(c, &img);
	assert_string_equal(img.os.id, "second");
	assert_int_equal(img.n_files, 1);
	assert_sha256_of(img.files[0].sha256, "ID=second\n");
	mint_sbom_image_free(&img);
}

/* ---- limits and bad input ---- */

static void test_collect_kept_file_over_limit_is_limit_error(void **state)
{
	(void)state;
	struct mint_sbom_collector *c = new_collector(false, 8);
	struct mint_err err = { 0 };
	assert_int_equal(put_bytes(c, "etc/os-release", "ID=much-too-long\n", &err), MINT_ELIMIT);
	assert_non_null(strstr(err.msg, "etc/os-release: 17 bytes"));
	put_file(c, "usr/bin/big-but-not-kept", "0123456789abcdef");
	mint_sbom_collector_free(c);
}

static void test_collect_short_content_is_truncated_error(void **state)
{
	(void)state;
	struct mint_sbom_collector *c = new_collector(true, 0);
	struct mint_span_source s;
	struct mint_source src = mint_span_source_init(&s, mint_span_str("abc"));
	struct mint_err err = { 0 };
	assert_int_equal(mint_sbom_collector_entry(c, "a", MINT_TAR_REG, 10, NULL, &src, &err),
			 MINT_ETRUNCATED);
	assert_non_null(strstr(err.msg, "a: content ended after 3 of 10 bytes"));
	assert_int_equal(mint_sbom_collector_entry(c, "b", MINT_TAR_REG, 1, NULL, NULL, &err),
			 MINT_EINVAL);
	assert_int_equal(mint_sbom_collector_entry(c, "../up", MINT_TAR_REG, 0, NULL, NULL, &err),
			 MINT_EUNSAFE);
	mint_sbom_collector_free(c);
}

/* ---- the tar adapter ---- */

static int buf_sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	(void)err;
	return mint_buf_append(ctx, data, len);
}

struct tar_item {
	const char *name;
	enum mint_tar_type type;
	const char *content; /* regular files */
	const char *link;
};

static void write_tar(struct mint_buf *out, const struct tar_item *items, size_t n)
{
	struct mint_tar_writer w = { .sink = buf_sink, .ctx = out };
	struct mint_err err = { 0 };
	for (size_t i = 0; i < n; i++) {
		struct mint_tar_entry e = { 0 };
		e.name = (char *)items[i].name;
		e.type = items[i].type ? items[i].type : MINT_TAR_REG;
		e.mode = e.type == MINT_TAR_DIR ? 0755 : 0644;
		e.link_target = (char *)items[i].link;
		e.size = e.type == MINT_TAR_REG && items[i].content ? strlen(items[i].content) : 0;
		assert_ok(mint_tar_write_entry(&w, &e, items[i].content, &err), &err);
	}
	assert_ok(mint_tar_write_end(&w, &err), &err);
}

static const struct tar_item golden_like[] = {
	{ "etc", MINT_TAR_DIR, NULL, NULL },
	{ "etc/os-release", 0, "ID=replaces\nNAME=\"Replaces\"\n", NULL },
	{ "lib", MINT_TAR_DIR, NULL, NULL },
	{ "lib/apk", MINT_TAR_SYMLINK, NULL, "../usr/lib/apk" },
	{ "usr/lib/apk/db/installed", 0,
	  "P:pretend-baselayout\nV:1.0.0-r0\n"
	  "F:var/lib/db/sbom\nR:pretend-baselayout-1.0.0-r0.spdx.json\n\n"
	  "P:replayout\nV:1.0.0-r0\nD:pretend-baselayout\nF:etc\nR:os-release\n\n", NULL },
	{ "var/lib/db/sbom/pretend-baselayout-1.0.0-r0.spdx.json", 0, "{\"a\":1}\n", NULL },
};

static void collect_tar_buf(const struct mint_buf *tar, bool hash_files,
			    struct mint_sbom_image *img)
{
	struct mint_sbom_collect_opts o = { .hash_files = hash_files };
	struct mint_span_source s;
	struct mint_err err = { 0 };
	memset(img, 0, sizeof(*img));
	assert_ok(mint_sbom_collect_tar(mint_span_source_init(&s, mint_buf_span(tar)), &o, img,
					&err), &err);
}

static void test_collect_tar_fills_os_packages_shipped_sbom_and_files(void **state)
{
	(void)state;
	struct mint_buf tar = MINT_BUF_INIT;
	struct mint_sbom_image img;
	write_tar(&tar, golden_like, sizeof(golden_like) / sizeof(golden_like[0]));
	collect_tar_buf(&tar, true, &img);
	assert_string_equal(img.os.id, "replaces");
	assert_int_equal(img.n_packages, 2);
	assert_int_equal(img.packages[1].n_depends_on, 1);
	assert_string_equal(mint_buf_cstr(&img.packages[0].shipped_sbom), "{\"a\":1}\n");
	assert_int_equal(img.packages[1].shipped_sbom.len, 0);
	assert_int_equal(img.n_files, 3);
	assert_int_equal(file_at(&img, "etc/os-release")->owner, 1);
	const char *shipped = "var/lib/db/sbom/pretend-baselayout-1.0.0-r0.spdx.json";
	assert_int_equal(file_at(&img, shipped)->owner, 0);
	assert_int_equal(file_at(&img, "usr/lib/apk/db/installed")->owner, MINT_SBOM_BY_MINT);
	mint_sbom_image_free(&img);
	mint_buf_free(&tar);
}

static void test_collect_tar_and_entries_give_the_same_model(void **state)
{
	(void)state;
	struct mint_buf tar = MINT_BUF_INIT;
	struct mint_sbom_image from_tar, from_entries;
	struct mint_sbom_collector *c = new_collector(true, 0);
	write_tar(&tar, golden_like, sizeof(golden_like) / sizeof(golden_like[0]));
	collect_tar_buf(&tar, true, &from_tar);
	for (size_t i = 0; i < sizeof(golden_like) / sizeof(golden_like[0]); i++) {
		const struct tar_item *t = &golden_like[i];
		if (t->type == MINT_TAR_DIR || t->type == MINT_TAR_SYMLINK)
			put_link(c, t->name, t->type, t->link);
		else
			put_file(c, t->name, t->content);
	}
	finish(c, &from_entries);
	assert_int_equal(from_tar.n_files, from_entries.n_files);
	for (size_t i = 0; i < from_tar.n_files; i++) {
		assert_string_equal(from_tar.files[i].path, from_entries.files[i].path);
		assert_memory_equal(from_tar.files[i].sha256, from_entries.files[i].sha256, 32);
		assert_int_equal(from_tar.files[i].owner, from_entries.files[i].owner);
	}
	assert_int_equal(from_tar.n_packages, from_entries.n_packages);
	mint_sbom_image_free(&from_tar);
	mint_sbom_image_free(&from_entries);
	mint_buf_free(&tar);
}

static void test_collect_tar_unsafe_name_is_error_with_entry_offset(void **state)
{
	(void)state;
	static const struct tar_item items[] = {
		{ "ok", 0, "fine", NULL },
		{ "../escape", 0, "bad", NULL },
	};
	struct mint_buf tar = MINT_BUF_INIT;
	struct mint_sbom_image img = { 0 };
	struct mint_span_source s;
	struct mint_err err = { 0 };
	write_tar(&tar, items, 2);
	assert_int_equal(mint_sbom_collect_tar(mint_span_source_init(&s, mint_buf_span(&tar)), NULL,
					       &img, &err), MINT_EUNSAFE);
	assert_true(err.has_offset);
	assert_int_equal(err.offset, 1024);
	assert_non_null(strstr(err.msg, "'../escape'"));
	mint_buf_free(&tar);
}

static void test_collect_tar_truncated_inside_content_is_error(void **state)
{
	(void)state;
	static const struct tar_item items[] = { { "etc/os-release", 0, "ID=cut\n", NULL } };
	struct mint_buf tar = MINT_BUF_INIT;
	struct mint_sbom_image img = { 0 };
	struct mint_span_source s;
	struct mint_err err = { 0 };
	write_tar(&tar, items, 1);
	tar.len = 512 + 3;
	assert_int_equal(mint_sbom_collect_tar(mint_span_source_init(&s, mint_buf_span(&tar)), NULL,
					       &img, &err), MINT_ETRUNCATED);
	assert_true(err.has_offset);
	mint_buf_free(&tar);
}

static void add_layer(struct mint_sbom_collector *c, const struct tar_item *items, size_t n)
{
	struct mint_buf tar = MINT_BUF_INIT;
	struct mint_span_source s;
	struct mint_err err = { 0 };
	write_tar(&tar, items, n);
	assert_ok(mint_sbom_collector_add_tar(c, mint_span_source_init(&s, mint_buf_span(&tar)),
					      &err), &err);
	mint_buf_free(&tar);
}

static void test_collect_layers_whiteouts_remove_lower_files_only(void **state)
{
	(void)state;
	static const struct tar_item lower[] = {
		{ "etc/os-release", 0, "ID=lower\n", NULL },
		{ "opt/keep/a", 0, "a", NULL },
		{ "opt/old/b", 0, "b", NULL },
		{ "srv/x", 0, "x", NULL },
	};
	static const struct tar_item upper[] = {
		{ "etc/.wh.os-release", 0, "", NULL },
		{ "opt/.wh.old", 0, "", NULL },
		{ "srv/new", 0, "new", NULL },
		{ "srv/.wh..wh..opq", 0, "", NULL },
	};
	struct mint_sbom_collector *c = new_collector(true, 0);
	struct mint_sbom_image img;
	add_layer(c, lower, 4);
	add_layer(c, upper, 4);
	finish(c, &img);
	assert_false(img.os.present);
	assert_int_equal(img.n_files, 2);
	assert_string_equal(img.files[0].path, "opt/keep/a");
	assert_string_equal(img.files[1].path, "srv/new");
	mint_sbom_image_free(&img);
}

/* ---- the plan adapter ---- */

static void test_collect_plan_reads_package_and_generated_content(void **state)
{
	(void)state;
	static const struct test_entry base[] = {
		{ .path = "etc", .type = MINT_TAR_DIR },
		{ .path = "etc/os-release", .type = MINT_TAR_SYMLINK,
		  .link = "../usr/lib/os-release" },
		{ .path = "usr", .type = MINT_TAR_DIR },
		{ .path = "usr/bin", .type = MINT_TAR_DIR },
		{ .path = "usr/bin/tool", .content = "tool bytes" },
		{ .path = "usr/bin/tool2", .type = MINT_TAR_HARDLINK, .link = "usr/bin/tool" },
		{ .path = "usr/lib", .type = MINT_TAR_DIR },
		{ .path = "usr/lib/os-release", .content = "ID=planned\n" },
	};
	static const char db[] = "P:base\nV:1\nF:etc\nR:os-release\nF:usr/bin\nR:tool\nR:tool2\n"
				 "F:usr/lib\nR:os-release\n\n";
	struct mint_image_plan *p;
	struct mint_sbom_collect_opts o = { .hash_files = true };
	struct mint_sbom_image img = { 0 };
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_new(&p, NULL, &err), &err);
	plan_add_test_package(p, 0, "base", NULL, 0, base, sizeof(base) / sizeof(base[0]));
	assert_ok(mint_image_plan_put_dir(p, "usr/lib/apk", 0755, 0, 0, 0, &err), &err);
	assert_ok(mint_image_plan_put_dir(p, "usr/lib/apk/db", 0755, 0, 0, 0, &err), &err);
	assert_ok(mint_image_plan_put_file(p, "usr/lib/apk/db/installed", db, strlen(db), 0644, 0,
					   0, 0, &err), &err);
	assert_ok(mint_image_plan_put_file(p, "etc/passwd", "", 0, 0644, 0, 0, 0, &err), &err);
	assert_ok(mint_sbom_collect_plan(p, &test_plan_reader, &o, &img, &err), &err);
	assert_string_equal(img.os.id, "planned");
	assert_int_equal(img.n_packages, 1);
	assert_int_equal(img.n_files, 5);
	assert_int_equal(file_at(&img, "etc/passwd")->owner, MINT_SBOM_BY_MINT);
	assert_int_equal(file_at(&img, "usr/lib/apk/db/installed")->owner, MINT_SBOM_BY_MINT);
	assert_int_equal(file_at(&img, "usr/bin/tool")->owner, 0);
	assert_int_equal(file_at(&img, "usr/bin/tool2")->owner, 0);
	assert_int_equal(file_at(&img, "usr/lib/os-release")->owner, 0);
	assert_sha256_of(file_at(&img, "usr/bin/tool2")->sha256, "tool bytes");
	mint_sbom_image_free(&img);
	mint_image_plan_free(p);
}

static void test_collect_plan_without_reader_reads_no_package_content(void **state)
{
	(void)state;
	static const struct test_entry base[] = {
		{ .path = "usr", .type = MINT_TAR_DIR },
		{ .path = "usr/bin", .type = MINT_TAR_DIR },
		{ .path = "usr/bin/tool", .content = "tool bytes" },
	};
	struct mint_image_plan *p;
	struct mint_sbom_image img = { 0 };
	struct mint_sbom_collect_opts hashing = { .hash_files = true };
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_new(&p, NULL, &err), &err);
	plan_add_test_package(p, 0, "base", NULL, 0, base, sizeof(base) / sizeof(base[0]));
	assert_ok(mint_sbom_collect_plan(p, NULL, NULL, &img, &err), &err);
	assert_int_equal(img.n_files, 0);
	mint_sbom_image_free(&img);
	assert_int_equal(mint_sbom_collect_plan(p, NULL, &hashing, &img, &err), MINT_EINVAL);
	assert_non_null(strstr(err.msg, "usr/bin/tool: package content but no content reader"));
	mint_image_plan_free(p);
}

static void test_collect_image_free_releases_caller_fields(void **state)
{
	(void)state;
	struct mint_sbom_image img = { 0 };
	img.name = strdup("example.org/app");
	img.layers = calloc(2, sizeof(*img.layers));
	img.n_layers = 2;
	mint_sbom_image_free(&img);
	assert_null(img.name);
	assert_null(img.layers);
	assert_int_equal(img.n_layers, 0);
	mint_sbom_image_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_collect_db_packages_in_db_order_with_metadata),
		cmocka_unit_test(test_collect_depends_resolve_names_so_and_cmd_provides_sorted_unique),
		cmocka_unit_test(test_collect_unversioned_provide_meets_only_unversioned_dependency),
		cmocka_unit_test(test_collect_package_name_wins_over_other_providers),
		cmocka_unit_test(test_collect_no_installed_db_gives_no_packages),
		cmocka_unit_test(test_collect_bad_installed_db_names_file_and_line),
		cmocka_unit_test(test_collect_bad_dependency_item_names_package),
		cmocka_unit_test(test_os_release_parse_quotes_escapes_and_comments),
		cmocka_unit_test(test_os_release_parse_empty_file_is_present_without_fields),
		cmocka_unit_test(test_collect_os_release_symlink_resolves_to_later_usr_lib_file),
		cmocka_unit_test(test_collect_os_release_absolute_symlink_to_other_name_is_kept),
		cmocka_unit_test(test_collect_os_release_falls_back_to_usr_lib),
		cmocka_unit_test(test_collect_os_release_dangling_or_escaping_link_is_absent),
		cmocka_unit_test(test_collect_symlink_loop_ends_as_absent),
		cmocka_unit_test(test_collect_shipped_sbom_lookup_exact_then_without_release_then_name),
		cmocka_unit_test(test_collect_shipped_sbom_elsewhere_or_nested_is_not_kept),
		cmocka_unit_test(test_collect_files_hashed_sorted_with_owners_later_record_wins),
		cmocka_unit_test(test_collect_hardlink_reuses_target_hashes_and_has_own_owner),
		cmocka_unit_test(test_collect_hardlink_to_missing_file_is_format_error),
		cmocka_unit_test(test_collect_owner_directories_resolve_through_image_symlinks),
		cmocka_unit_test(test_collect_later_entry_at_same_path_replaces_earlier),
		cmocka_unit_test(test_collect_kept_file_over_limit_is_limit_error),
		cmocka_unit_test(test_collect_short_content_is_truncated_error),
		cmocka_unit_test(test_collect_tar_fills_os_packages_shipped_sbom_and_files),
		cmocka_unit_test(test_collect_tar_and_entries_give_the_same_model),
		cmocka_unit_test(test_collect_tar_unsafe_name_is_error_with_entry_offset),
		cmocka_unit_test(test_collect_tar_truncated_inside_content_is_error),
		cmocka_unit_test(test_collect_layers_whiteouts_remove_lower_files_only),
		cmocka_unit_test(test_collect_plan_reads_package_and_generated_content),
		cmocka_unit_test(test_collect_plan_without_reader_reads_no_package_content),
		cmocka_unit_test(test_collect_image_free_releases_caller_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
