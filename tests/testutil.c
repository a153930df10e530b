/* SPDX-License-Identifier: Apache-2.0 */
/* Shared test helpers (see testutil.h). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mint/fs.h"

static char *join_env(const char *var, const char *rel)
{
	const char *base = getenv(var);
	if (!base || !*base)
		return NULL;
	size_t n = strlen(base) + strlen(rel) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", base, rel);
	return p;
}

char *fixture_path(const char *rel)
{
	char *p = join_env("MINT_FIXTURES", rel);
	struct stat st;
	if (p && stat(p, &st)) {
		free(p);
		return NULL;
	}
	return p;
}

static int fixture_skips;

int tests_exit(int cmocka_rc)
{
	return cmocka_rc == 0 && fixture_skips ? 77 : cmocka_rc;
}

char *fixture_or_skip(const char *rel)
{
	char *p = fixture_path(rel);
	if (!p) {
		fixture_skips++;
		print_message("skipped: fixture %s not present\n", rel);
		skip();
	}
	return p;
}

char *testdata_path(const char *rel)
{
	char *p = join_env("MINT_TESTDATA", rel);
	assert_non_null(p);
	return p;
}

void read_file_or_fail(const char *path, struct mint_buf *out)
{
	struct mint_err err = { 0 };
	int rc = mint_file_read(path, (size_t)1 << 30, out, &err);
	assert_ok(rc, &err);
}

char *make_tmpdir(void)
{
	char tmpl[] = "/tmp/mint-test-XXXXXX";
	char *d = mkdtemp(tmpl);
	assert_non_null(d);
	return strdup(d);
}

void cleanup_tmpdir(char *dir)
{
	if (!dir)
		return;
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		print_message("could not remove %s\n", dir);
	free(dir);
}

void assert_ok_at(int rc, const struct mint_err *err, const char *file, int line)
{
	if (rc == 0)
		return;
	char text[2048];
	mint_err_format(err, text, sizeof(text));
	fail_msg("%s:%d: expected success, got %d (%s): %s", file, line, rc, mint_strerror(rc), text);
}
