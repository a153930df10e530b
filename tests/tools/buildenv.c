/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helper for tests/e2e/build_env.sh: makes a build environment from
 * an image config with mint_build_env_create and runs a step in it with
 * the bubblewrap runner.
 *
 *   buildenv CONFIG CACHE ROOT WORKSPACE SCRIPT
 *
 * ROOT is made from CONFIG (host arch) when it does not exist yet; the
 * step's output lines go to stdout and its exit status is the tool's. A
 * failure of mint itself is one line on stderr and exit 125.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "mint/apk_cache.h"
#include "mint/image_config.h"
#include "mint/sandbox.h"

static void print_line(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	printf("%.*s\n", (int)len, line);
}

static int make_root(const char *config, const char *cache_dir, const char *root,
		     struct mint_err *err)
{
	struct mint_image_config cfg = { 0 };
	struct mint_apk_cache cache;
	enum mint_arch arch;
	if (!mint_arch_host(&arch))
		return mint_err_set(err, MINT_EUNSUPPORTED, "unknown host arch");
	int rc = mint_image_config_load(config, NULL, &cfg, err);
	if (!rc)
		rc = mint_image_config_apply_defaults(&cfg, err);
	if (rc)
		goto out;
	rc = mint_apk_cache_open(&cache, cache_dir, err);
	if (rc)
		goto out;
	struct mint_image_source_opts o = { .cache = &cache };
	rc = mint_build_env_create(&cfg, arch, &o, root, err);
	mint_apk_cache_close(&cache);
out:
	mint_image_config_free(&cfg);
	return rc;
}

int main(int argc, char **argv)
{
	struct mint_err err = { 0 };
	struct stat st;
	if (argc != 6) {
		fprintf(stderr, "usage: buildenv CONFIG CACHE ROOT WORKSPACE SCRIPT\n");
		return 125;
	}
	int rc = stat(argv[3], &st) == 0 ? 0 : make_root(argv[1], argv[2], argv[3], &err);
	struct mint_image_kv path = { "PATH", "/usr/bin:/bin:/usr/sbin:/sbin" };
	struct mint_sandbox sb = {
		.runner = MINT_RUNNER_BWRAP,
		.rootfs = argv[3],
		.workspace = argv[4],
		.env = { &path, 1 },
		.log = print_line,
	};
	struct mint_sandbox_result res;
	if (!rc)
		rc = mint_sandbox_run(&sb, argv[5], "/home/build", NULL, &res, &err);
	if (rc) {
		char msg[2048];
		mint_err_format(&err, msg, sizeof(msg));
		fprintf(stderr, "buildenv: %s\n", msg);
		return 125;
	}
	return res.exit_status;
}
