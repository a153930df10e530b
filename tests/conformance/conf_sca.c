/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Automatic dependencies of real binaries: this machine's ls and its C
 * library (built by a real toolchain, not tests/elfbuild) copied into a
 * package tree as usr/bin/ls and usr/lib/libc.so.6. ls must need
 * so:libc.so.6 and its interpreter, provide cmd:ls, and libc's
 * so:libc.so.6=6 must cancel the depend on it. Skipped when the machine
 * has no glibc ELF ls (these are host files, not upstream fixtures).
 */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mint/fs.h"
#include "mint/pkg_sca.h"

struct tally {
	unsigned passed, failed;
};

static void check(struct tally *t, bool ok, const char *what)
{
	if (ok) {
		t->passed++;
		return;
	}
	t->failed++;
	print_message("failed: %s\n", what);
}

static bool has(const struct mint_image_strs *s, const char *want)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], want))
			return true;
	return false;
}

static bool has_prefix(const struct mint_image_strs *s, const char *prefix)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strncmp(s->v[i], prefix, strlen(prefix)))
			return true;
	return false;
}

static void free_strs(struct mint_image_strs *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* The first of paths that reads as an ELF file, into out. */
static bool read_first(const char *const *paths, struct mint_buf *out)
{
	for (; *paths; paths++)
		if (!mint_file_read(*paths, 64u << 20, out, NULL) && out->len > 4 &&
		    !memcmp(out->data, "\x7f" "ELF", 4))
			return true;
	return false;
}

static void put(const char *dir, const char *rel, const struct mint_buf *b)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
		*p = '/';
	}
	struct mint_err err = { 0 };
	assert_ok(mint_file_write_atomic(path, b->data, b->len, 0755, &err), &err);
}

static void test_sca_of_this_machines_ls_and_libc(void **state)
{
	(void)state;
	static const char *const ls_paths[] = { "/bin/ls", "/usr/bin/ls", NULL };
	static const char *const libc_paths[] = {
		"/lib/x86_64-linux-gnu/libc.so.6", "/lib/aarch64-linux-gnu/libc.so.6",
		"/usr/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/aarch64-linux-gnu/libc.so.6",
		"/lib64/libc.so.6", "/usr/lib64/libc.so.6", NULL,
	};
	struct mint_buf ls = MINT_BUF_INIT, libc = MINT_BUF_INIT;
	struct mint_image_strs deps = { 0 }, provs = { 0 };
	struct mint_pkg_sca_opts o = { .full_version = "9.4-r0" };
	struct mint_err err = { 0 };
	struct tally t = { 0 };
	if (!read_first(ls_paths, &ls) || !read_first(libc_paths, &libc)) {
		mint_buf_free(&ls);
		mint_buf_free(&libc);
		skip();
	}
	char *dir = make_tmpdir();
	put(dir, "usr/bin/ls", &ls);
	assert_ok(mint_pkg_sca(dir, &o, &deps, &provs, &err), &err);
	check(&t, has(&deps, "so:libc.so.6"), "ls depends on so:libc.so.6");
	check(&t, has_prefix(&deps, "so:ld-linux-"), "ls depends on its interpreter");
	check(&t, has(&provs, "cmd:ls=9.4-r0"), "ls provides cmd:ls");
	check(&t, !has_prefix(&provs, "so:"), "ls provides no so:");
	free_strs(&deps);
	free_strs(&provs);

	put(dir, "usr/lib/libc.so.6", &libc);
	assert_ok(mint_pkg_sca(dir, &o, &deps, &provs, &err), &err);
	check(&t, has(&provs, "so:libc.so.6=6"), "libc provides so:libc.so.6=6");
	check(&t, !has(&deps, "so:libc.so.6"), "the package's own libc is no depend");
	check(&t, has_prefix(&deps, "so:ld-linux-"), "the interpreter stays a depend");
	printf("conformance: sca of this machine's ls and libc: %u passed, %u failed\n", t.passed,
	       t.failed);
	free_strs(&deps);
	free_strs(&provs);
	cleanup_tmpdir(dir);
	mint_buf_free(&ls);
	mint_buf_free(&libc);
	assert_int_equal(t.failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sca_of_this_machines_ls_and_libc),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
