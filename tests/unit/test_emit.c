/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/pkgbuild/emit.c, through mint_pkg_build with the host runner: the
 * packages read back with mint's package reader carry the recipe's
 * origin, licences, build date, dependencies and scriptlets and their
 * own SBOM; the index covers every package of out/<arch>/ unless
 * no_index is set. Skipped where bwrap cannot make namespaces.
 */
#include "pkgbuild_fixture.h"

#include <unistd.h>

#include "mint/apk_index_file.h"
#include "mint/apk_package.h"
#include "mint/encode.h"
#include "mint/hash.h"

static const char hello_yaml[] =
	"package:\n"
	"  name: hello\n"
	"  version: 1.0.0\n"
	"  epoch: 2\n"
	"  description: a test package\n"
	"  copyright:\n"
	"    - license: Apache-2.0\n"
	"    - license: MIT\n"
	"  dependencies:\n"
	"    runtime: [other-package]\n"
	"  scriptlets:\n"
	"    post-install: |\n"
	"      #!/bin/sh\n"
	"      echo installed\n"
	"pipeline:\n"
	"  - runs: |\n"
	"      mkdir -p \"${{targets.destdir}}/usr/share/hello\"\n"
	"      echo data > \"${{targets.destdir}}/usr/share/hello/data.txt\"\n"
	"subpackages:\n"
	"  - name: hello-doc\n"
	"    description: the docs\n"
	"    pipeline:\n"
	"      - runs: |\n"
	"          mkdir -p \"${{targets.subpkgdir}}/usr/share/doc\"\n"
	"          echo doc > \"${{targets.subpkgdir}}/usr/share/doc/hello\"\n";

struct data_copy {
	struct mint_buf tar;
};

static int keep_data(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	struct data_copy *c = ctx;
	(void)err;
	return mint_buf_append(&c->tar, data, len) ? MINT_ENOMEM : 0;
}

/* Reads <arch dir>/<file> with mint's reader; the data tar into tar when
 * not NULL. */
static void read_pkg(const struct pb_fixture *f, const char *file, struct mint_apk_package *p,
		     struct mint_buf *tar)
{
	char path[1300];
	struct mint_apk_limits lim;
	struct mint_err err = { 0 };
	struct mint_buf text = { 0 };
	struct data_copy copy = { 0 };
	struct mint_apk_data_sink sink = { keep_data, &copy };
	snprintf(path, sizeof(path), "%s/%s", f->arch_dir, file);
	mint_apk_limits_default(&lim);
	read_file_or_fail(path, &text);
	assert_ok(mint_apk_package_read_mem_ex(mint_buf_span(&text), NULL, &lim,
					       MINT_APK_HASH_FILES, tar ? &sink : NULL, p, &err),
		  &err);
	mint_buf_free(&text);
	if (tar)
		*tar = copy.tar;
}

static bool has_entry(const struct mint_apk_package *p, const char *path)
{
	for (size_t i = 0; i < p->n_entries; i++)
		if (!strcmp(p->entries[i].path, path))
			return true;
	return false;
}

static bool has_item(const struct mint_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->items[i], s))
			return true;
	return false;
}

static void build_hello(struct pb_fixture *f)
{
	pb_need_sandbox();
	pb_open(f, "hello", hello_yaml);
	assert_ok(mint_pkg_build(&f->o, &f->res, &f->err), &f->err);
}

static void test_emit_pkginfo_has_origin_joined_licenses_and_build_date(void **state)
{
	(void)state;
	struct pb_fixture f;
	struct mint_apk_package p = { 0 }, sub = { 0 };
	build_hello(&f);
	read_pkg(&f, "hello-1.0.0-r2.apk", &p, NULL);
	assert_string_equal(p.info.name, "hello");
	assert_string_equal(p.info.version, "1.0.0-r2");
	assert_string_equal(p.info.arch, f.arch);
	assert_string_equal(p.info.origin, "hello");
	assert_string_equal(p.info.license, "Apache-2.0 AND MIT");
	assert_string_equal(p.info.description, "a test package");
	assert_true(p.info.has_build_time);
	assert_int_equal(p.info.build_time, PB_BUILD_DATE);
	read_pkg(&f, "hello-doc-1.0.0-r2.apk", &sub, NULL);
	assert_string_equal(sub.info.name, "hello-doc");
	assert_string_equal(sub.info.version, "1.0.0-r2");
	assert_string_equal(sub.info.origin, "hello");
	assert_string_equal(sub.info.license, "Apache-2.0 AND MIT");
	assert_string_equal(sub.info.description, "the docs");
	assert_int_equal(sub.info.build_time, PB_BUILD_DATE);
	mint_apk_package_free(&p);
	mint_apk_package_free(&sub);
	pb_close(&f);
}

static void test_emit_keeps_runtime_dependencies_and_scriptlets_of_their_package(void **state)
{
	(void)state;
	struct pb_fixture f;
	struct mint_apk_package p = { 0 }, sub = { 0 };
	build_hello(&f);
	read_pkg(&f, "hello-1.0.0-r2.apk", &p, NULL);
	assert_true(has_item(&p.info.depends, "other-package"));
	assert_int_equal(p.n_scripts, 1);
	assert_string_equal(p.scripts[0].name, ".post-install");
	read_pkg(&f, "hello-doc-1.0.0-r2.apk", &sub, NULL);
	assert_false(has_item(&sub.info.depends, "other-package"));
	assert_int_equal(sub.n_scripts, 0);
	mint_apk_package_free(&p);
	mint_apk_package_free(&sub);
	pb_close(&f);
}

static void test_emit_each_package_carries_its_sbom_under_var_lib_db_sbom(void **state)
{
	(void)state;
	struct pb_fixture f;
	struct mint_apk_package p = { 0 }, sub = { 0 };
	build_hello(&f);
	read_pkg(&f, "hello-1.0.0-r2.apk", &p, NULL);
	assert_true(has_entry(&p, "var/lib/db/sbom/hello-1.0.0-r2.spdx.json"));
	assert_true(has_entry(&p, "usr/share/hello/data.txt"));
	assert_false(has_entry(&p, "usr/share/doc/hello"));
	read_pkg(&f, "hello-doc-1.0.0-r2.apk", &sub, NULL);
	assert_true(has_entry(&sub, "var/lib/db/sbom/hello-doc-1.0.0-r2.spdx.json"));
	assert_false(has_entry(&sub, "var/lib/db/sbom/hello-1.0.0-r2.spdx.json"));
	assert_true(has_entry(&sub, "usr/share/doc/hello"));
	mint_apk_package_free(&p);
	mint_apk_package_free(&sub);
	pb_close(&f);
}

static void test_emit_sbom_lists_the_fetched_source_by_checksum(void **state)
{
	(void)state;
	struct pb_fixture f;
	struct mint_apk_package p = { 0 };
	struct mint_buf tar = { 0 };
	unsigned char md[MINT_HASH_MAX_BYTES];
	char hex[65], yaml[2048], uri[1200];
	pb_need_sandbox();
	char *src = make_tmpdir();
	pb_write(src, "src.txt", "source\n");
	snprintf(uri, sizeof(uri), "file://%s/src.txt", src);
	assert_int_equal(mint_hash_bytes(MINT_HASH_SHA256, "source\n", 7, md), 0);
	mint_hex_encode(md, 32, hex);
	hex[64] = '\0';
	snprintf(yaml, sizeof(yaml),
		 "package: { name: fetched, version: 1.0.0, epoch: 0 }\n"
		 "pipeline:\n"
		 "  - uses: fetch\n"
		 "    with:\n"
		 "      uri: %s\n"
		 "      expected-sha256: %s\n"
		 "      extract: false\n"
		 "  - runs: cp src.txt \"${{targets.destdir}}/\"\n",
		 uri, hex);
	pb_open(&f, "fetched", yaml);
	assert_ok(mint_pkg_build(&f.o, &f.res, &f.err), &f.err);
	read_pkg(&f, "fetched-1.0.0-r0.apk", &p, &tar);
	assert_true(has_entry(&p, "src.txt"));
	/* A file:// location is the build machine's, so not in the SBOM
	 * (NOASSERTION); the digest is. */
	assert_null(memmem(tar.data, tar.len, uri, strlen(uri)));
	assert_non_null(memmem(tar.data, tar.len, hex, 64));
	assert_non_null(memmem(tar.data, tar.len, "\"SOURCE\"", 8));
	mint_buf_free(&tar);
	mint_apk_package_free(&p);
	cleanup_tmpdir(src);
	pb_close(&f);
}

static void index_names(const char *path, struct mint_buf *names)
{
	struct mint_apk_index_file idx = { 0 };
	struct mint_apk_limits lim;
	struct mint_err err = { 0 };
	mint_apk_limits_default(&lim);
	assert_ok(mint_apk_index_file_read(path, NULL, &lim, 0, &idx, &err), &err);
	mint_buf_reset(names);
	for (size_t i = 0; i < idx.index.n; i++)
		mint_buf_printf(names, "%s%s-%s", i ? " " : "", idx.index.pkgs[i].name,
				idx.index.pkgs[i].version);
	mint_apk_index_file_free(&idx);
}

static void test_emit_index_covers_every_package_in_out_arch(void **state)
{
	(void)state;
	struct pb_fixture f;
	struct mint_buf names = { 0 };
	char recipe[1200];
	build_hello(&f);
	index_names(f.res.index, &names);
	assert_string_equal(names.data, "hello-1.0.0-r2 hello-doc-1.0.0-r2");
	mint_pkg_build_result_free(&f.res);
	pb_write(f.dir, "recipes/aaa.yaml",
		 "package: { name: aaa, version: 3, epoch: 1 }\n"
		 "pipeline:\n  - runs: touch \"${{targets.destdir}}/a\"\n");
	snprintf(recipe, sizeof(recipe), "%s/recipes/aaa.yaml", f.dir);
	f.o.recipe_path = recipe;
	assert_ok(mint_pkg_build(&f.o, &f.res, &f.err), &f.err);
	assert_int_equal(f.res.n_apks, 1);
	index_names(f.res.index, &names);
	assert_string_equal(names.data, "aaa-3-r1 hello-1.0.0-r2 hello-doc-1.0.0-r2");
	mint_buf_free(&names);
	pb_close(&f);
}

static void test_emit_no_index_writes_no_index(void **state)
{
	(void)state;
	struct pb_fixture f;
	pb_need_sandbox();
	pb_open(&f, "hello", hello_yaml);
	f.o.no_index = true;
	assert_ok(mint_pkg_build(&f.o, &f.res, &f.err), &f.err);
	assert_int_equal(f.res.n_apks, 2);
	assert_null(f.res.index);
	assert_int_equal(pb_count(f.arch_dir, "APKINDEX", ""), 0);
	assert_int_equal(pb_count(f.arch_dir, "", ""), 2);
	pb_close(&f);
}

static void test_emit_rebuild_gives_identical_packages(void **state)
{
	(void)state;
	struct pb_fixture f;
	struct mint_buf first = { 0 }, second = { 0 };
	char path[1300];
	build_hello(&f);
	snprintf(path, sizeof(path), "%s/hello-1.0.0-r2.apk", f.arch_dir);
	read_file_or_fail(path, &first);
	mint_pkg_build_result_free(&f.res);
	assert_ok(mint_pkg_build(&f.o, &f.res, &f.err), &f.err);
	read_file_or_fail(path, &second);
	assert_int_equal(first.len, second.len);
	assert_memory_equal(first.data, second.data, first.len);
	mint_buf_free(&first);
	mint_buf_free(&second);
	pb_close(&f);
}

/* A package that cannot be moved into place undoes the moves before it:
 * out/<arch>/ keeps the older package of the same name. */
static void test_emit_failed_move_puts_back_what_was_there(void **state)
{
	(void)state;
	struct pb_fixture f;
	struct mint_buf now = { 0 };
	char hello[1300], doc[1300];
	build_hello(&f);
	mint_pkg_build_result_free(&f.res);
	snprintf(hello, sizeof(hello), "%s/hello-1.0.0-r2.apk", f.arch_dir);
	snprintf(doc, sizeof(doc), "%s/hello-doc-1.0.0-r2.apk", f.arch_dir);
	assert_ok(mint_file_write_atomic(hello, "old package", 11, 0644, &f.err), &f.err);
	assert_int_equal(unlink(doc), 0);
	assert_int_equal(mkdir(doc, 0755), 0);
	assert_int_equal(mint_pkg_build(&f.o, &f.res, &f.err), MINT_EIO);
	assert_non_null(strstr(f.err.msg, "not a file"));
	read_file_or_fail(hello, &now);
	assert_int_equal(now.len, 11);
	assert_memory_equal(now.data, "old package", 11);
	assert_int_equal(pb_count(f.arch_dir, ".mint-staging", ""), 0);
	assert_int_equal(rmdir(doc), 0);
	mint_buf_free(&now);
	pb_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emit_pkginfo_has_origin_joined_licenses_and_build_date),
		cmocka_unit_test(test_emit_keeps_runtime_dependencies_and_scriptlets_of_their_package),
		cmocka_unit_test(test_emit_each_package_carries_its_sbom_under_var_lib_db_sbom),
		cmocka_unit_test(test_emit_sbom_lists_the_fetched_source_by_checksum),
		cmocka_unit_test(test_emit_index_covers_every_package_in_out_arch),
		cmocka_unit_test(test_emit_no_index_writes_no_index),
		cmocka_unit_test(test_emit_rebuild_gives_identical_packages),
		cmocka_unit_test(test_emit_failed_move_puts_back_what_was_there),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
