/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared by the tests of lib/pkgbuild/: a temporary directory holding a
 * recipe, an output directory and a tmpdir for workspaces, build options
 * for the host runner, a log collector, and small checks on directories.
 */
#ifndef MINT_TEST_PKGBUILD_FIXTURE_H
#define MINT_TEST_PKGBUILD_FIXTURE_H

#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mint/buf.h"
#include "mint/fs.h"
#include "mint/image_config.h"
#include "mint/pkg_build.h"
#include "mint/sandbox.h"

#define PB_BUILD_DATE 1700000000

struct pb_fixture {
	char *dir;
	char recipe[1024];  /* <dir>/recipes/<name>.yaml */
	char out[1024];     /* <dir>/out */
	char tmp[1024];     /* <dir>/tmp: where workspaces go */
	char arch_dir[1100]; /* <out>/<host arch> */
	const char *arch;   /* this machine's apk arch */
	struct mint_buf log; /* lines joined with '\n' */
	struct mint_pkg_build_opts o;
	struct mint_pkg_build_result res;
	struct mint_err err;
};

static inline void pb_collect(void *ctx, const char *line, size_t len)
{
	struct mint_buf *log = ctx;
	mint_buf_append(log, line, len);
	mint_buf_putc(log, '\n');
}

static inline const char *pb_host_arch(void)
{
	enum mint_arch a;
	assert_true(mint_arch_host(&a));
	return mint_arch_to_apk(a);
}

/* An apk arch that is not this machine's. */
static inline const char *pb_other_arch(void)
{
	return strcmp(pb_host_arch(), "aarch64") ? "aarch64" : "x86_64";
}

/* Writes text to <dir>/<rel>, making the directories on the way. */
static inline void pb_write(const char *dir, const char *rel, const char *text)
{
	char path[2048];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (char *s = path + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		assert_true(!mkdir(path, 0755) || errno == EEXIST);
		*s = '/';
	}
	struct mint_err err = { 0 };
	assert_ok(mint_file_write_atomic(path, text, strlen(text), 0644, &err), &err);
}

static inline void pb_open(struct pb_fixture *f, const char *name, const char *yaml)
{
	memset(f, 0, sizeof(*f));
	f->dir = make_tmpdir();
	f->arch = pb_host_arch();
	char rel[300];
	snprintf(rel, sizeof(rel), "recipes/%s.yaml", name);
	pb_write(f->dir, rel, yaml);
	snprintf(f->recipe, sizeof(f->recipe), "%s/%s", f->dir, rel);
	snprintf(f->out, sizeof(f->out), "%s/out", f->dir);
	snprintf(f->tmp, sizeof(f->tmp), "%s/tmp", f->dir);
	snprintf(f->arch_dir, sizeof(f->arch_dir), "%s/%s", f->out, f->arch);
	assert_int_equal(mkdir(f->tmp, 0755), 0);
	f->o = (struct mint_pkg_build_opts){
		.recipe_path = f->recipe,
		.out_dir = f->out,
		.runner = MINT_RUNNER_HOST,
		.build_date = PB_BUILD_DATE,
		.tmpdir = f->tmp,
		.log = pb_collect,
		.log_ctx = &f->log,
	};
}

static inline void pb_close(struct pb_fixture *f)
{
	mint_pkg_build_result_free(&f->res);
	mint_buf_free(&f->log);
	cleanup_tmpdir(f->dir);
}

/* Entries of dir whose names start with prefix and end with suffix;
 * a missing dir has none. */
static inline size_t pb_count(const char *dir, const char *prefix, const char *suffix)
{
	DIR *d = opendir(dir);
	size_t n = 0;
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name), sl = strlen(suffix);
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (!strncmp(e->d_name, prefix, strlen(prefix)) && len >= sl &&
		    !strcmp(e->d_name + len - sl, suffix))
			n++;
	}
	closedir(d);
	return n;
}

static inline bool pb_exists(const char *dir, const char *name)
{
	char path[2048];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return !lstat(path, &st);
}

/* Skips the test where bwrap cannot make namespaces (the host runner
 * needs them too). */
static inline void pb_need_sandbox(void)
{
	struct mint_err err = { 0 };
	if (!mint_sandbox_available(NULL, &err)) {
		print_message("skipping: %s\n", err.msg);
		skip();
	}
}

#endif
