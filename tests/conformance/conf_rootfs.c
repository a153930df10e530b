/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The rootfs skeleton and devices against apko's own output: every node
 * mint_image_rootfs_skeleton and mint_image_rootfs_devices put in an empty
 * plan must be in apko's golden layers (x86_64 and aarch64, built from
 * apko/internal/cli/testdata/apko.yaml) with the same type, mode, owner,
 * mtime, link target and device numbers.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/gzip.h"
#include "mint/image_rootfs.h"
#include "mint/source.h"
#include "mint/tar.h"

#define GOLDEN "apko/internal/cli/testdata/golden/blobs/sha256/"

static const char *const layers[] = {
	GOLDEN "c7557730da0e2d7fb242d8d1ac6dcf7e3a2439732aa5981270b4f3a02454b738",
	GOLDEN "7e0f9d62f6cab4785e18a55f17d03f20ffb776881f1f46258efd9458f7cdaf08",
};

static unsigned passed, failed;

struct golden {
	struct mint_tar_entry *v;
	size_t n;
};

static void load(const char *rel, struct golden *g)
{
	char *path = fixture_path(rel);
	struct mint_buf raw = MINT_BUF_INIT, tar = MINT_BUF_INIT;
	struct mint_span_source ss;
	struct mint_tar_reader *r = NULL;
	const struct mint_tar_entry *e;
	struct mint_err err = { 0 };
	size_t member;
	int rc;
	read_file_or_fail(path, &raw);
	free(path);
	assert_ok(mint_gunzip_member(mint_buf_span(&raw), NULL, &tar, &member, &err), &err);
	assert_ok(mint_tar_reader_new(&r, mint_span_source_init(&ss, mint_buf_span(&tar)), NULL,
				      MINT_TAR_END_REQUIRED, &err), &err);
	memset(g, 0, sizeof(*g));
	while ((rc = mint_tar_next(r, &e, &err)) == 1) {
		g->v = realloc(g->v, (g->n + 1) * sizeof(*g->v));
		assert_non_null(g->v);
		g->v[g->n] = *e;
		g->v[g->n].name = strdup(e->name);
		g->v[g->n].link_target = e->link_target ? strdup(e->link_target) : NULL;
		g->v[g->n].xattrs = NULL;
		g->v[g->n].n_xattrs = 0;
		g->n++;
	}
	assert_ok(rc, &err);
	mint_tar_reader_free(r);
	mint_buf_free(&raw);
	mint_buf_free(&tar);
}

static void golden_free(struct golden *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].name);
		free(g->v[i].link_target);
	}
	free(g->v);
}

static void check(bool ok, const char *path, const char *what)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	print_error("mismatch: %s: %s\n", path, what);
}

static int compare(void *ctx, const struct mint_plan_node *n, struct mint_err *err)
{
	const struct golden *g = ctx;
	(void)err;
	for (size_t i = 0; i < g->n; i++) {
		const struct mint_tar_entry *e = &g->v[i];
		if (strcmp(e->name, n->path))
			continue;
		check(e->type == n->type, n->path, "type");
		check(e->mode == n->mode, n->path, "mode");
		check(e->uid == n->uid && e->gid == n->gid, n->path, "owner");
		check(e->mtime == n->mtime, n->path, "mtime");
		check(!n->link_target || (e->link_target &&
					   strcmp(e->link_target, n->link_target) == 0),
		      n->path, "link target");
		check(e->devmajor == n->devmajor && e->devminor == n->devminor, n->path,
		      "device numbers");
		return 0;
	}
	check(false, n->path, "not in apko's layer");
	return 0;
}

static void test_conf_rootfs_skeleton_and_devices_match_golden_layers(void **state)
{
	(void)state;
	char *probe = fixture_or_skip(layers[0]);
	if (!probe)
		return;
	free(probe);
	for (size_t l = 0; l < sizeof(layers) / sizeof(layers[0]); l++) {
		struct golden g;
		struct mint_image_plan *p;
		struct mint_err err = { 0 };
		load(layers[l], &g);
		assert_ok(mint_image_plan_new(&p, NULL, &err), &err);
		assert_ok(mint_image_rootfs_skeleton(p, &err), &err);
		assert_ok(mint_image_rootfs_devices(p, &err), &err);
		assert_ok(mint_image_plan_walk(p, compare, &g, &err), &err);
		mint_image_plan_free(p);
		golden_free(&g);
	}
	printf("conformance: apko golden layers, rootfs skeleton and devices: %u passed, "
	       "%u failed\n", passed, failed);
	assert_int_equal(failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_rootfs_skeleton_and_devices_match_golden_layers),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
