/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mint/image_build.h"

#define COMMIT "0123456789abcdef0123456789abcdef01234567"

static void put(const char *dir, const char *rel, const char *text)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (char *s = strchr(path + strlen(dir) + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(path, 0755);
		*s = '/';
	}
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A checkout at dir with the given origin line, HEAD on main. */
static void checkout(const char *dir, const char *origin)
{
	char config[512];
	snprintf(config, sizeof(config),
		 "[core]\n\tbare = false\n[remote \"upstream\"]\n\turl = https://wrong.example/x\n"
		 "[remote \"origin\"]\n\turl = %s\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n",
		 origin);
	put(dir, ".git/config", config);
	put(dir, ".git/HEAD", "ref: refs/heads/main\n");
	put(dir, ".git/refs/heads/main", COMMIT "\n");
	put(dir, "images/app.yaml", "contents: {}\n");
}

/* Probes dir/images/app.yaml with dir as the current directory. */
static void probe(const char *dir, struct mint_buf *out)
{
	char cwd[4096], config[4200];
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	snprintf(config, sizeof(config), "%s/images/app.yaml", dir);
	struct mint_err err = { 0 };
	assert_ok(mint_image_vcs_probe(config, out, &err), &err);
	assert_int_equal(chdir(cwd), 0);
}

static void expect(const char *origin, const char *want)
{
	char *dir = make_tmpdir();
	struct mint_buf out = MINT_BUF_INIT;
	checkout(dir, origin);
	probe(dir, &out);
	assert_string_equal(mint_buf_cstr(&out), want);
	mint_buf_free(&out);
	cleanup_tmpdir(dir);
}

static void test_vcs_https_origin_loses_credentials(void **state)
{
	(void)state;
	expect("https://bot:secret@example.org/team/app.git",
	       "https://example.org/team/app.git@" COMMIT);
}

static void test_vcs_scp_style_origin_becomes_git_ssh(void **state)
{
	(void)state;
	expect("git@github.com:team/app.git", "git+ssh://github.com/team/app.git@" COMMIT);
}

static void test_vcs_local_path_origin_is_not_recorded(void **state)
{
	(void)state;
	expect("/srv/git/app.git", "");
}

static void test_vcs_packed_ref_and_detached_head(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	struct mint_buf out = MINT_BUF_INIT;
	checkout(dir, "https://example.org/a.git");
	char path[4200];
	snprintf(path, sizeof(path), "%s/.git/refs/heads/main", dir);
	unlink(path);
	put(dir, ".git/packed-refs", "# pack-refs with: peeled\n" COMMIT " refs/heads/main\n");
	probe(dir, &out);
	assert_string_equal(mint_buf_cstr(&out), "https://example.org/a.git@" COMMIT);
	put(dir, ".git/HEAD", "fedcba9876543210fedcba9876543210fedcba98\n");
	probe(dir, &out);
	assert_string_equal(mint_buf_cstr(&out),
			    "https://example.org/a.git@fedcba9876543210fedcba9876543210fedcba98");
	mint_buf_free(&out);
	cleanup_tmpdir(dir);
}

static void test_vcs_worktree_reads_refs_and_config_from_commondir(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	struct mint_buf out = MINT_BUF_INIT;
	char text[4300];
	put(dir, "main/.git/config", "[remote \"origin\"]\n\turl = https://example.org/w.git\n");
	put(dir, "main/.git/refs/heads/topic", COMMIT "\n");
	put(dir, "main/.git/worktrees/wt/HEAD", "ref: refs/heads/topic\n");
	put(dir, "main/.git/worktrees/wt/commondir", "../..\n");
	snprintf(text, sizeof(text), "gitdir: %s/main/.git/worktrees/wt\n", dir);
	put(dir, "wt/.git", text);
	put(dir, "wt/images/app.yaml", "contents: {}\n");
	char wt[4200];
	snprintf(wt, sizeof(wt), "%s/wt", dir);
	probe(wt, &out);
	assert_string_equal(mint_buf_cstr(&out), "https://example.org/w.git@" COMMIT);
	mint_buf_free(&out);
	cleanup_tmpdir(dir);
}

static void test_vcs_outside_a_checkout_is_empty(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	struct mint_buf out = MINT_BUF_INIT;
	put(dir, "images/app.yaml", "contents: {}\n");
	probe(dir, &out);
	assert_int_equal(out.len, 0);
	mint_buf_free(&out);
	cleanup_tmpdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vcs_https_origin_loses_credentials),
		cmocka_unit_test(test_vcs_scp_style_origin_becomes_git_ssh),
		cmocka_unit_test(test_vcs_local_path_origin_is_not_recorded),
		cmocka_unit_test(test_vcs_packed_ref_and_detached_head),
		cmocka_unit_test(test_vcs_worktree_reads_refs_and_config_from_commondir),
		cmocka_unit_test(test_vcs_outside_a_checkout_is_empty),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
