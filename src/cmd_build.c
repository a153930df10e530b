/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `mint build CONFIG TAG OUT`: apko's build. OUT an existing directory gets
 * an OCI image layout whose index.json names the image index with
 * org.opencontainers.image.ref.name = the tag part of TAG; otherwise OUT is
 * written as a tar that is both an OCI layout and a `docker load` archive.
 * Everything is built in a temporary directory first and moved into place
 * at the end, so a failed build leaves OUT as it was.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "image_cli.h"
#include "mint/oci_archive.h"
#include "mint/oci_image.h"
#include "sbom_cli.h"

static const char usage[] =
	"usage: mint build [options] CONFIG TAG OUT\n"
	"\n"
	"Builds the image an apko configuration describes, for every architecture it\n"
	"names, and prints the image index digest. OUT is an existing directory (an OCI\n"
	"image layout, tagged with TAG's tag) or a file (a tar for docker/podman load\n"
	"that is also an OCI layout).\n"
	"\n"
	"options:\n" IMAGE_CLI_OPTIONS_HELP
	"      --build-date DATE     RFC 3339 date for files and the image (default: the\n"
	"                            newest package build time); SOURCE_DATE_EPOCH wins\n"
	"      --lockfile FILE       install exactly the packages of this lock (mint lock)\n"
	"      --sbom-path DIR       where the SBOMs go (default: the directory holding OUT):\n"
	"                            sbom-<arch>.spdx.json, sbom-index.spdx.json, .cdx.json\n"
	"      --sbom-formats LIST   spdx,cyclonedx (default both)\n"
	"      --sbom-files          list every regular file with its hashes and owner\n"
	"      --no-sbom             write no SBOM\n"
	"      --vcs, --no-vcs       a config without vcs-url gets the git origin and HEAD\n"
	"                            commit of its checkout as source/revision (default on)\n"
	"  -j, --threads N           compression threads per layer (default: all CPUs)\n";

struct build_args {
	struct image_cli c;
	unsigned threads;
	bool sbom;
	struct sbom_args sbom_args;
};

enum { OPT_SBOM = 4100, OPT_NO_SBOM, OPT_SBOM_FORMATS, OPT_SBOM_FILES };

static int handle_option(void *ctx, int opt, const char *arg)
{
	struct build_args *a = ctx;
	if (opt == 'j') {
		char *end;
		unsigned long n = strtoul(arg, &end, 10);
		if (*end || !n || n > 64)
			return cli_usage_error("mint build", "--threads is 1..64, not '%s'", arg);
		a->threads = (unsigned)n;
		return 0;
	}
	switch (opt) {
	case OPT_SBOM: a->sbom = true; return 0;
	case OPT_NO_SBOM: a->sbom = false; return 0;
	case OPT_SBOM_FILES: a->sbom_args.files = true; return 0;
	case OPT_SBOM_FORMATS: return sbom_cli_parse_formats(&a->sbom_args, "mint build", arg);
	}
	return 1;
}

static int parse_args(struct build_args *a, int argc, char **argv)
{
	static const struct option long_opts[] = {
		IMAGE_CLI_LONG_OPTIONS,
		{ "build-date", required_argument, NULL, IMAGE_OPT_BUILD_DATE },
		{ "lockfile", required_argument, NULL, IMAGE_OPT_LOCKFILE },
		{ "sbom-path", required_argument, NULL, IMAGE_OPT_SBOM_PATH },
		{ "vcs", no_argument, NULL, IMAGE_OPT_VCS },
		{ "no-vcs", no_argument, NULL, IMAGE_OPT_NO_VCS },
		{ "threads", required_argument, NULL, 'j' },
		{ "sbom", no_argument, NULL, OPT_SBOM },
		{ "no-sbom", no_argument, NULL, OPT_NO_SBOM },
		{ "sbom-formats", required_argument, NULL, OPT_SBOM_FORMATS },
		{ "sbom-files", no_argument, NULL, OPT_SBOM_FILES },
		{ 0 },
	};
	int rc = image_cli_parse(&a->c, argc, argv, usage, long_opts, "j:", handle_option, a);
	if (rc)
		return rc;
	if (argc - optind != 3)
		return cli_usage_error("mint build", "expects CONFIG TAG OUT");
	return 0;
}

/* The tag part of an image reference: "reg:5000/a/b:1.2" -> "1.2";
 * none -> "latest". */
static const char *tag_of(const char *ref)
{
	const char *slash = strrchr(ref, '/');
	const char *colon = strrchr(slash ? slash : ref, ':');
	return colon && colon[1] ? colon + 1 : "latest";
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char path[4096];
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			struct stat st;
			if (e->d_type == DT_DIR ||
			    (e->d_type == DT_UNKNOWN && !lstat(path, &st) && S_ISDIR(st.st_mode)))
				remove_tree(path);
			else
				unlink(path);
		}
		closedir(d);
	}
	rmdir(dir);
}

/* A fresh directory beside (or, for a layout, inside) out. */
static char *temp_dir_for(const char *out, bool out_is_dir)
{
	char path[4096];
	if (out_is_dir) {
		snprintf(path, sizeof(path), "%s/.mint-build-XXXXXX", out);
	} else {
		const char *slash = strrchr(out, '/');
		int len = slash ? (int)(slash - out) : 1;
		snprintf(path, sizeof(path), "%.*s/.mint-build-XXXXXX", len, slash ? out : ".");
	}
	return mkdtemp(path) ? strdup(path) : NULL;
}

static int move_file(const char *from_dir, const char *to_dir, const char *name,
		     struct mint_err *err)
{
	char from[4096], to[4096];
	if (snprintf(from, sizeof(from), "%s/%s", from_dir, name) >= (int)sizeof(from) ||
	    snprintf(to, sizeof(to), "%s/%s", to_dir, name) >= (int)sizeof(to)) {
		mint_err_set_file(err, to_dir);
		return mint_err_set(err, MINT_EINVAL, "path too long: %s", name);
	}
	if (rename(from, to)) {
		mint_err_set_file(err, to);
		return mint_err_set(err, MINT_EIO, "cannot move into place: %s", strerror(errno));
	}
	return 0;
}

/* Moves the blobs of the temporary layout into out, then oci-layout and
 * index.json last: until then out still shows its previous image. */
static int publish_layout(const char *tmp, const char *out, struct mint_err *err)
{
	char from[4096], to[4096];
	snprintf(to, sizeof(to), "%s/blobs/sha256", out);
	int rc = mint_oci_layout_init(out, err);
	snprintf(from, sizeof(from), "%s/blobs/sha256", tmp);
	DIR *d = rc ? NULL : opendir(from);
	if (!rc && !d)
		return mint_err_set(err, MINT_EIO, "%s: %s", from, strerror(errno));
	struct dirent *e;
	while (!rc && d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			rc = move_file(from, to, e->d_name, err);
	if (d)
		closedir(d);
	if (!rc)
		rc = move_file(tmp, out, "index.json", err);
	return rc;
}

/* The directory holding out: where SBOMs go by default. */
static char *dir_of(const char *out)
{
	const char *slash = strrchr(out, '/');
	return slash ? strndup(out, slash == out ? 1 : (size_t)(slash - out)) : strdup(".");
}

/* The SBOMs of the image in the temporary layout, read back through the
 * same code as `mint sbom`, so the two commands agree byte for byte. */
static int write_sboms(struct build_args *a, const char *layout, const char *tag,
		       const char *out, struct mint_err *err)
{
	struct mint_oci_image *oci = NULL;
	char *name = sbom_cli_repository_of(tag);
	char *dir = a->c.sbom_path ? NULL : dir_of(out);
	struct sbom_args s = a->sbom_args;
	s.sbom_path = a->c.sbom_path ? a->c.sbom_path : dir;
	s.listing = stderr;
	int rc = name && s.sbom_path ? mint_oci_image_open(layout, &oci, err)
				     : mint_err_set(err, MINT_ENOMEM, "out of memory");
	if (!rc)
		rc = sbom_cli_write(&s, oci, name, err);
	if (rc)
		mint_err_prefix(err, "SBOM");
	mint_oci_image_free(oci);
	free(name);
	free(dir);
	return rc;
}

static int build(struct build_args *a, const char *tag, const char *out)
{
	struct mint_image_packages pkgs = { 0 };
	bool out_is_dir = is_dir(out);
	char *tmp = temp_dir_for(out, out_is_dir);
	struct mint_err err = { 0 };
	struct mint_image_build_result res = { 0 };
	int rc = 0;
	if (!tmp) {
		mint_err_set_file(&err, out);
		mint_err_set(&err, MINT_EIO, "cannot create a temporary directory: %s",
			     strerror(errno));
		return cli_fail(&err);
	}
	/* the packages' data streams are kept, beside the output, while they
	 * are read, so that the build does not inflate them again */
	a->c.rootfs.tmpdir = tmp;
	a->c.keep_data = true;
	rc = image_cli_packages(&a->c, &pkgs);
	if (rc) {
		remove_tree(tmp);
		free(tmp);
		return rc;
	}
	struct mint_image_build_opts o = {
		.cfg = &a->c.cfg, .packages = &pkgs, .layout_dir = tmp,
		.ref_name = out_is_dir ? tag_of(tag) : tag, .rootfs = a->c.rootfs,
		.threads = a->threads,
	};
	if (!rc)
		rc = mint_image_build(&o, &res, &err);
	if (!rc && a->sbom)
		rc = write_sboms(a, tmp, tag, out, &err);
	if (!rc && out_is_dir)
		rc = publish_layout(tmp, out, &err);
	else if (!rc)
		rc = mint_oci_archive_write(tmp, tag, out, &err);
	if (!rc)
		printf("%s\n", res.index.digest);
	if (tmp)
		remove_tree(tmp);
	free(tmp);
	mint_image_build_result_free(&res);
	mint_image_packages_free(&pkgs);
	return rc ? cli_fail(&err) : CLI_EXIT_OK;
}

int cmd_build(int argc, char **argv)
{
	struct build_args a = { .sbom = true, .sbom_args = { .spdx = true, .cyclonedx = true } };
	image_cli_init(&a.c, "mint build");
	int rc = parse_args(&a, argc, argv);
	if (!rc)
		rc = image_cli_load_config(&a.c, argv[optind], false);
	if (!rc)
		rc = image_cli_build_date(&a.c);
	if (!rc)
		rc = image_cli_vcs(&a.c);
	if (!rc)
		rc = build(&a, argv[optind + 1], argv[optind + 2]);
	image_cli_free(&a.c);
	return rc < 0 ? CLI_EXIT_OK : rc;
}
