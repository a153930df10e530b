/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `mint rebuild IMAGE`: builds an image again from the locked config it
 * carries (etc/apko.json of each platform) and says whether the result has
 * the same index digest. `mint diff A B`: the comparison the rebuild ends
 * with, on any two images. Both print one line per difference in the form
 * mint_image_difference_format gives; the work is lib/audit's.
 *
 * Exit codes as diff(1): 0 the same, 1 different, 2 trouble (the error on
 * stderr).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "commands.h"
#include "mint/apk_cache.h"
#include "mint/audit.h"
#include "mint/oci_image.h"

#define EXIT_TROUBLE 2

static const char rebuild_usage[] =
	"usage: mint rebuild [options] IMAGE\n"
	"\n"
	"Rebuilds an image that apko or mint built, from the locked configuration each\n"
	"platform carries in /etc/apko.json, and compares. Prints MATCH and the index\n"
	"digest (exit 0), or DIFFERS, both digests and one line per difference (exit 1).\n"
	"IMAGE is an OCI layout directory, DIR:TAG for the entry of index.json tagged\n"
	"TAG, or a tar (docker save, mint build). Keyring files and local repositories\n"
	"named in the locked configuration are read relative to the current directory,\n"
	"as the original build read them.\n"
	"\n"
	"options:\n"
	"      --cache-dir DIR       package and index cache (default ~/.cache/mint)\n"
	"      --offline             use only the cache\n"
	"      --ignore-signatures   accept indexes that are unsigned or signed by unknown keys\n"
	"  -o, --output DIR          keep the rebuilt image as an OCI layout in DIR\n"
	"  -j, --threads N           compression threads per layer (default: all CPUs)\n";

static const char diff_usage[] =
	"usage: mint diff IMAGE_A IMAGE_B\n"
	"\n"
	"Compares two images platform by platform: the image index, each manifest and\n"
	"config field by field, then the files of the layers (added, removed, changed\n"
	"with the attributes that differ). Prints nothing and exits 0 when they are the\n"
	"same, one line per difference and exits 1 otherwise. An IMAGE is as for\n"
	"`mint rebuild`.\n";

enum { OPT_CACHE_DIR = 4100, OPT_OFFLINE, OPT_IGNORE_SIGNATURES };

struct rebuild_args {
	const char *cache_dir, *output;
	bool offline, ignore_signatures;
	unsigned threads;
};

/* IMAGE as a path, or DIR:TAG when that is not a path but DIR is. */
static int open_image(const char *arg, struct mint_oci_image **out, struct mint_err *err)
{
	struct stat st;
	const char *colon = strrchr(arg, ':');
	if (stat(arg, &st) == 0 || !colon || colon == arg)
		return mint_oci_image_open(arg, out, err);
	char *dir = strndup(arg, (size_t)(colon - arg));
	if (!dir)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	int rc = stat(dir, &st) == 0 ? mint_oci_image_open_ref(dir, colon + 1, out, err)
				     : mint_oci_image_open(arg, out, err);
	free(dir);
	return rc;
}

static int print_differences(const struct mint_image_diff *d)
{
	struct mint_buf line = MINT_BUF_INIT;
	for (size_t i = 0; i < d->n; i++) {
		if (mint_image_difference_format(&d->v[i], &line)) {
			mint_buf_free(&line);
			fprintf(stderr, "mint: out of memory\n");
			return EXIT_TROUBLE;
		}
		printf("%s\n", mint_buf_cstr(&line));
	}
	mint_buf_free(&line);
	return 0;
}

static int trouble(const struct mint_err *err)
{
	cli_fail(err);
	return EXIT_TROUBLE;
}

/* ---- mint rebuild ---- */

static int parse_threads(const char *arg, unsigned *out)
{
	char *end;
	unsigned long n = strtoul(arg, &end, 10);
	if (*end || !n || n > 64)
		return cli_usage_error("mint rebuild", "--threads is 1..64, not '%s'", arg);
	*out = (unsigned)n;
	return 0;
}

static int parse_rebuild_args(struct rebuild_args *a, int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "cache-dir", required_argument, NULL, OPT_CACHE_DIR },
		{ "offline", no_argument, NULL, OPT_OFFLINE },
		{ "ignore-signatures", no_argument, NULL, OPT_IGNORE_SIGNATURES },
		{ "output", required_argument, NULL, 'o' },
		{ "threads", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int opt, rc = 0;
	optind = 1;
	while (!rc && (opt = getopt_long(argc, argv, "o:j:h", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'h': fputs(rebuild_usage, stdout); return -1;
		case OPT_CACHE_DIR: a->cache_dir = optarg; break;
		case OPT_OFFLINE: a->offline = true; break;
		case OPT_IGNORE_SIGNATURES: a->ignore_signatures = true; break;
		case 'o': a->output = optarg; break;
		case 'j': rc = parse_threads(optarg, &a->threads); break;
		default: return CLI_EXIT_USAGE;
		}
	}
	if (!rc && argc - optind != 1)
		rc = cli_usage_error("mint rebuild", "expects one IMAGE");
	return rc;
}

static int open_cache(const struct rebuild_args *a, struct mint_apk_cache *cache,
		      struct mint_err *err)
{
	struct mint_buf dir = MINT_BUF_INIT;
	int rc = a->cache_dir ? 0 : mint_cache_default_dir(&dir, err);
	if (!rc)
		rc = mint_apk_cache_open(cache, a->cache_dir ? a->cache_dir : dir.data, err);
	mint_buf_free(&dir);
	if (!rc)
		cache->offline = a->offline;
	return rc;
}

static void print_notes(unsigned notes)
{
	if (notes & MINT_REBUILD_VCS_FROM_LABELS)
		fprintf(stderr, "note: vcs-url taken from the image's source and revision labels "
				"(etc/apko.json does not record it)\n");
	if (notes & MINT_REBUILD_DATE_FROM_SIDECAR)
		fprintf(stderr, "note: built without SOURCE_DATE_EPOCH: the build date is the CA "
				"bundle checksum's mtime, older than the created time\n");
	if (notes & MINT_REBUILD_CERTIFICATES)
		fprintf(stderr, "note: the original has certificates added by `certificates:`, "
				"which etc/apko.json does not record; they cannot be rebuilt\n");
}

static int report(const struct mint_image_rebuild_result *r)
{
	print_notes(r->notes);
	if (r->match) {
		printf("MATCH %s\n", r->rebuilt);
		return CLI_EXIT_OK;
	}
	printf("DIFFERS original %s rebuilt %s\n", *r->original ? r->original : "(no index)",
	       r->rebuilt);
	int rc = print_differences(&r->diff);
	return rc ? rc : CLI_EXIT_FAIL;
}

static int rebuild(const struct rebuild_args *a, const char *image)
{
	struct mint_err err = { 0 };
	struct mint_apk_cache cache = { 0 };
	struct mint_oci_image *img = NULL;
	struct mint_image_rebuild_result res = { 0 };
	int rc = open_cache(a, &cache, &err);
	bool cache_open = !rc;
	if (!rc)
		rc = open_image(image, &img, &err);
	struct mint_image_rebuild_opts o = {
		.source = { .cache = &cache, .repo_flags = a->ignore_signatures
								   ? MINT_APK_REPO_ALLOW_UNTRUSTED
								   : 0 },
		.output_dir = a->output, .threads = a->threads,
	};
	if (!rc)
		rc = mint_image_rebuild(img, &o, &res, &err);
	int exit_code;
	if (rc) {
		exit_code = trouble(&err);
		if (res.explanation)
			fputs(res.explanation, stderr);
	} else {
		exit_code = report(&res);
	}
	mint_image_rebuild_result_free(&res);
	mint_oci_image_free(img);
	if (cache_open)
		mint_apk_cache_close(&cache);
	return exit_code;
}

int cmd_rebuild(int argc, char **argv)
{
	struct rebuild_args a = { 0 };
	int rc = parse_rebuild_args(&a, argc, argv);
	if (rc)
		return rc < 0 ? CLI_EXIT_OK : rc;
	return rebuild(&a, argv[optind]);
}

/* ---- mint diff ---- */

static int diff(const char *first, const char *second)
{
	struct mint_err err = { 0 };
	struct mint_oci_image *a = NULL, *b = NULL;
	struct mint_image_diff d = { 0 };
	int rc = open_image(first, &a, &err);
	if (!rc)
		rc = open_image(second, &b, &err);
	if (!rc)
		rc = mint_image_diff(a, b, NULL, &d, &err);
	int exit_code = rc ? trouble(&err) : print_differences(&d);
	if (!exit_code && d.n)
		exit_code = CLI_EXIT_FAIL;
	mint_image_diff_free(&d);
	mint_oci_image_free(a);
	mint_oci_image_free(b);
	return exit_code;
}

int cmd_diff(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		fputs(diff_usage, stdout);
		return CLI_EXIT_OK;
	}
	if (argc != 3)
		return cli_usage_error("mint diff", "expects IMAGE_A IMAGE_B");
	return diff(argv[1], argv[2]);
}
