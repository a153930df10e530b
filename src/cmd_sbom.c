/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `mint sbom IMAGE`: the SBOMs `mint build` writes, made for an image that
 * already exists (an OCI layout directory or a tar holding one, or a
 * docker-archive). Each image of the index is read back layer by layer
 * through the SBOM collector, its config gives the created time, platform
 * and VCS labels, its manifest the layers, so the documents equal the ones
 * written at build time. Nothing here decides SBOM content: the collector
 * (lib/sbom/collect.c) and the writers (spdx.c, cyclonedx.c) do.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "mint/fs.h"
#include "mint/image_config.h"
#include "mint/oci_image.h"
#include "mint/sbom.h"
#include "sbom_cli.h"

static const char usage[] =
	"usage: mint sbom [options] IMAGE\n"
	"\n"
	"Writes the SBOMs of an existing image: sbom-<arch>.spdx.json and\n"
	"sbom-<arch>.cdx.json for each architecture (apk names: x86_64, aarch64, ...)\n"
	"and sbom-index.spdx.json / sbom-index.cdx.json for its image index, and\n"
	"prints the paths written. IMAGE is an OCI layout directory, DIR:TAG (TAG then\n"
	"names the image), or a tar (mint build, docker save, oci-archive); or an\n"
	"apko config (.yaml, .yml, .json): the image it builds, built in a temporary\n"
	"directory and not kept (--cache-dir and --offline apply then).\n"
	"\n"
	"options:\n"
	"      --sbom-path DIR       where the documents go (default: the current directory)\n"
	"      --sbom-formats LIST   spdx, cyclonedx, or both comma-separated (the default)\n"
	"      --sbom-files          also list every regular file with its SHA-256 and the\n"
	"                            package that installed it\n"
	"      --cache-dir DIR, --offline   for a config, as for mint build\n"
	"      --name NAME           the image's repository in purls (default: TAG without\n"
	"                            its tag, else \"image\")\n"
	"  -h, --help                this text\n";

enum { OPT_SBOM_PATH = 5000, OPT_SBOM_FORMATS, OPT_SBOM_FILES, OPT_NAME, OPT_CACHE_DIR,
       OPT_OFFLINE };

/* Options only a config needs, passed on to mint build. */
static const char *cache_dir;
static bool offline;

/* What one image of the index needs besides the model: storage for the
 * strings the model borrows. */
struct arch_image {
	char apk_arch[MINT_OCI_PLATFORM_MAX];
	char oci_arch[MINT_OCI_PLATFORM_MAX];
	char variant[MINT_OCI_PLATFORM_MAX];
	char *vcs_url;
	struct mint_strlist media_types;
};

int sbom_cli_parse_formats(struct sbom_args *a, const char *cmd, const char *list)
{
	char *copy = strdup(list), *save = NULL;
	int rc = 0;
	if (!copy)
		return cli_usage_error(cmd, "out of memory");
	a->spdx = a->cyclonedx = false;
	for (char *f = strtok_r(copy, ",", &save); f && !rc; f = strtok_r(NULL, ",", &save)) {
		if (!strcmp(f, "spdx"))
			a->spdx = true;
		else if (!strcmp(f, "cyclonedx"))
			a->cyclonedx = true;
		else
			rc = cli_usage_error(cmd, "--sbom-formats: '%s' is neither spdx "
					     "nor cyclonedx", f);
	}
	free(copy);
	if (!rc && !a->spdx && !a->cyclonedx)
		rc = cli_usage_error(cmd, "--sbom-formats names no format");
	return rc;
}

static int parse_args(struct sbom_args *a, int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "sbom-path", required_argument, NULL, OPT_SBOM_PATH },
		{ "sbom-formats", required_argument, NULL, OPT_SBOM_FORMATS },
		{ "sbom-files", no_argument, NULL, OPT_SBOM_FILES },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "cache-dir", required_argument, NULL, OPT_CACHE_DIR },
		{ "offline", no_argument, NULL, OPT_OFFLINE },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int opt, rc = 0;
	optind = 1;
	while (!rc && (opt = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'h': fputs(usage, stdout); return -1;
		case OPT_SBOM_PATH: a->sbom_path = optarg; break;
		case OPT_SBOM_FORMATS: rc = sbom_cli_parse_formats(a, "mint sbom", optarg); break;
		case OPT_SBOM_FILES: a->files = true; break;
		case OPT_NAME: a->name = optarg; break;
		case OPT_CACHE_DIR: cache_dir = optarg; break;
		case OPT_OFFLINE: offline = true; break;
		default: return CLI_EXIT_USAGE;
		}
	}
	if (rc)
		return rc;
	if (argc - optind != 1)
		return cli_usage_error("mint sbom", "expects one IMAGE");
	a->image = argv[optind];
	return 0;
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Opens IMAGE, or the DIR of DIR:TAG (the first ':' whose left side
 * exists); *tag gets TAG or NULL. */
static int open_image(const char *arg, struct mint_oci_image **oci, const char **tag,
		      struct mint_err *err)
{
	*tag = NULL;
	if (exists(arg))
		return mint_oci_image_open(arg, oci, err);
	for (const char *colon = strchr(arg, ':'); colon; colon = strchr(colon + 1, ':')) {
		char *dir = strndup(arg, (size_t)(colon - arg));
		if (!dir)
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		bool found = exists(dir);
		int rc = found ? mint_oci_image_open(dir, oci, err) : 0;
		free(dir);
		if (found) {
			*tag = colon + 1;
			return rc;
		}
	}
	mint_err_set_file(err, arg);
	return mint_err_set(err, MINT_ENOTFOUND,
			    "no such image (a layout directory, DIR:TAG or a tar)");
}

/* The repository of a reference: "reg:5000/a/b:1.2" -> "reg:5000/a/b". */
char *sbom_cli_repository_of(const char *ref)
{
	const char *at = strchr(ref, '@');
	size_t len = at ? (size_t)(at - ref) : strlen(ref);
	const char *slash = memrchr(ref, '/', len);
	const char *name = slash ? slash : ref;
	const char *colon = memrchr(name, ':', len - (size_t)(name - ref));
	if (colon)
		len = (size_t)(colon - ref);
	return strndup(ref, len);
}

static int read_json(struct mint_oci_image *oci, const char *digest, const char *what,
		     json_t **out, uint64_t *size, struct mint_err *err)
{
	struct mint_buf text = MINT_BUF_INIT;
	json_error_t jerr;
	int rc = mint_oci_image_read_blob(oci, digest, MINT_OCI_IMAGE_JSON_MAX, &text, err);
	if (!rc) {
		*out = json_loadb(text.data ? text.data : "", text.len, 0, &jerr);
		if (!*out) {
			mint_err_set_file(err, digest);
			mint_err_set_pos(err, (unsigned)jerr.line, (unsigned)jerr.column);
			rc = mint_err_set(err, MINT_EFORMAT, "%s: %s", what, jerr.text);
		} else if (!json_is_object(*out)) {
			json_decref(*out);
			*out = NULL;
			mint_err_set_file(err, digest);
			rc = mint_err_set(err, MINT_EFORMAT, "%s: not a JSON object", what);
		}
	}
	if (size)
		*size = text.len;
	mint_buf_free(&text);
	return rc;
}

static const char *json_str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static void copy_str(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

/* Platform from the config (else the index's "linux/<arch>[/<variant>]"),
 * spelled both ways. */
static void fill_platform(struct arch_image *a, struct mint_sbom_image *img, json_t *config,
			  const struct mint_oci_image_ref *ref)
{
	const char *slash = strchr(ref->platform, '/');
	const char *plat = slash ? slash + 1 : ref->platform;
	const char *arch = json_str(config, "architecture");
	const char *variant = json_str(config, "variant");
	char joined[MINT_OCI_PLATFORM_MAX * 2];
	enum mint_arch parsed;
	if (arch) {
		copy_str(a->oci_arch, sizeof(a->oci_arch), arch);
		copy_str(a->variant, sizeof(a->variant), variant);
	} else {
		copy_str(a->oci_arch, sizeof(a->oci_arch), plat);
		char *v = strchr(a->oci_arch, '/');
		if (v) {
			*v = '\0';
			copy_str(a->variant, sizeof(a->variant), v + 1);
		}
	}
	snprintf(joined, sizeof(joined), "%s%s%s", a->oci_arch, a->variant[0] ? "/" : "",
		 a->variant);
	copy_str(a->apk_arch, sizeof(a->apk_arch),
		 mint_arch_parse(joined, &parsed) ? mint_arch_to_apk(parsed) : a->oci_arch);
	img->apk_arch = a->apk_arch;
	img->oci_arch = a->oci_arch;
	img->variant = a->variant[0] ? a->variant : NULL;
}

/* created, platform and the VCS labels (source@revision) of the config. */
static int fill_from_config(struct mint_oci_image *oci, const struct mint_oci_image_ref *ref,
			    struct arch_image *a, struct mint_sbom_image *img, json_t **config,
			    struct mint_err *err)
{
	int rc = read_json(oci, ref->config_digest, "image config", config, NULL, err);
	if (rc)
		return rc;
	const char *created = json_str(*config, "created");
	if (created && !mint_oci_time_parse(created, &img->created)) {
		mint_err_set_file(err, ref->config_digest);
		return mint_err_set(err, MINT_EFORMAT, "image config: created '%s' is not RFC 3339",
				    created);
	}
	fill_platform(a, img, *config, ref);
	json_t *labels = json_object_get(json_object_get(*config, "config"), "Labels");
	const char *source = json_str(labels, "org.opencontainers.image.source");
	const char *revision = json_str(labels, "org.opencontainers.image.revision");
	if (source && source[0]) {
		size_t len = strlen(source) + (revision ? strlen(revision) + 2 : 1);
		if (!(a->vcs_url = malloc(len)))
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		snprintf(a->vcs_url, len, "%s%s%s", source, revision && revision[0] ? "@" : "",
			 revision ? revision : "");
		img->vcs_url = a->vcs_url;
	}
	return 0;
}

static int add_layer(struct mint_oci_image *oci, struct arch_image *a, struct mint_sbom_layer *l,
		     const char *digest, const char *diff_id, const char *media_type,
		     struct mint_err *err)
{
	copy_str(l->digest, sizeof(l->digest), digest);
	copy_str(l->diff_id, sizeof(l->diff_id), diff_id);
	if (mint_strlist_add(&a->media_types, media_type, strlen(media_type)))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	l->media_type = a->media_types.items[a->media_types.n - 1];
	return mint_oci_image_blob_size(oci, digest, &l->size, err);
}

/* Layers with their media types from the manifest; a docker-archive has
 * no manifest blob and names its layers by diff_id. */
static int fill_layers(struct mint_oci_image *oci, const struct mint_oci_image_ref *ref,
		       struct arch_image *a, struct mint_sbom_image *img, json_t *config,
		       struct mint_err *err)
{
	json_t *manifest = NULL, *layers = NULL;
	json_t *diff_ids = json_object_get(json_object_get(config, "rootfs"), "diff_ids");
	int rc = 0;
	copy_str(img->manifest_digest, sizeof(img->manifest_digest), ref->manifest_digest);
	copy_str(img->config_digest, sizeof(img->config_digest), ref->config_digest);
	if (ref->manifest_digest[0]) {
		rc = read_json(oci, ref->manifest_digest, "image manifest", &manifest,
			       &img->manifest_size, err);
		layers = json_object_get(manifest, "layers");
	}
	if (!rc && ref->n_layers && !(img->layers = calloc(ref->n_layers, sizeof(*img->layers))))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < ref->n_layers; i++) {
		const char *diff_id = json_string_value(json_array_get(diff_ids, i));
		const char *type = json_str(json_array_get(layers, i), "mediaType");
		if (!layers)
			type = "application/vnd.docker.image.rootfs.diff.tar";
		rc = add_layer(oci, a, &img->layers[i], ref->layer_digests[i], diff_id,
			       type ? type : "", err);
		img->n_layers = i + 1;
	}
	json_decref(manifest);
	return rc;
}

static int collect(struct mint_oci_image *oci, const struct mint_oci_image_ref *ref, bool files,
		   struct mint_sbom_image *img, struct mint_err *err)
{
	struct mint_sbom_collect_opts opts = { .hash_files = files };
	struct mint_sbom_collector *c = NULL;
	struct mint_source src;
	int rc = mint_sbom_collector_new(&c, &opts, err);
	for (size_t l = 0; !rc && l < ref->n_layers; l++) {
		rc = mint_oci_image_layer_open(oci, ref->layer_digests[l], &src, err);
		if (!rc)
			rc = mint_sbom_collector_add_tar(c, src, err);
		mint_oci_image_layer_close(oci);
		if (rc)
			mint_err_prefix(err, "layer %s", ref->layer_digests[l]);
	}
	if (!rc)
		rc = mint_sbom_collector_finish(c, img, err);
	mint_sbom_collector_free(c);
	return rc;
}

static int read_arch_image(struct mint_oci_image *oci, size_t i, const struct sbom_args *args,
			   const char *name, struct arch_image *a, struct mint_sbom_image *img,
			   struct mint_err *err)
{
	const struct mint_oci_image_ref *ref = mint_oci_image_get(oci, i);
	json_t *config = NULL;
	if (!(img->name = strdup(name)))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	int rc = fill_from_config(oci, ref, a, img, &config, err);
	if (!rc)
		rc = fill_layers(oci, ref, a, img, config, err);
	if (!rc)
		rc = collect(oci, ref, args->files, img, err);
	json_decref(config);
	if (rc)
		mint_err_prefix(err, "%s", ref->platform);
	return rc;
}

static int write_doc(const struct sbom_args *args, const char *stem, const char *ext,
		     const struct mint_buf *doc, struct mint_err *err)
{
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/sbom-%s.%s", args->sbom_path, stem, ext);
	if (n < 0 || (size_t)n >= sizeof(path))
		return mint_err_set(err, MINT_ELIMIT, "--sbom-path is too long");
	int rc = mint_file_write_atomic(path, doc->data ? doc->data : "", doc->len, 0644, err);
	if (!rc)
		fprintf(args->listing ? args->listing : stdout, "%s\n", path);
	return rc;
}

static int write_image_docs(const struct sbom_args *args, const struct mint_sbom_image *img,
			    struct mint_err *err)
{
	struct mint_buf doc = MINT_BUF_INIT;
	int rc = 0;
	if (args->spdx) {
		rc = mint_sbom_spdx_image(img, &doc, err);
		if (!rc)
			rc = write_doc(args, img->apk_arch, "spdx.json", &doc, err);
	}
	if (!rc && args->cyclonedx) {
		mint_buf_reset(&doc);
		rc = mint_sbom_cdx_image(img, &doc, err);
		if (!rc)
			rc = write_doc(args, img->apk_arch, "cdx.json", &doc, err);
	}
	mint_buf_free(&doc);
	return rc;
}

static int write_index_docs(const struct sbom_args *args, const struct mint_sbom_index *ix,
			    struct mint_err *err)
{
	struct mint_buf doc = MINT_BUF_INIT;
	int rc = 0;
	if (args->spdx) {
		rc = mint_sbom_spdx_index(ix, &doc, err);
		if (!rc)
			rc = write_doc(args, "index", "spdx.json", &doc, err);
	}
	if (!rc && args->cyclonedx) {
		mint_buf_reset(&doc);
		rc = mint_sbom_cdx_index(ix, &doc, err);
		if (!rc)
			rc = write_doc(args, "index", "cdx.json", &doc, err);
	}
	mint_buf_free(&doc);
	return rc;
}

static int prepare_dir(const char *dir, struct mint_err *err)
{
	if (mkdir(dir, 0755) && errno != EEXIST) {
		mint_err_set_file(err, dir);
		return mint_err_set(err, MINT_EIO, "cannot create the SBOM directory: %s",
				    strerror(errno));
	}
	return 0;
}

/* Every image of the index, then the index over them. */
int sbom_cli_write(const struct sbom_args *args, struct mint_oci_image *oci, const char *name,
		   struct mint_err *err)
{
	size_t n = mint_oci_image_count(oci);
	struct mint_sbom_image *imgs = calloc(n ? n : 1, sizeof(*imgs));
	struct arch_image *archs = calloc(n ? n : 1, sizeof(*archs));
	struct mint_sbom_index ix = { 0 };
	int rc = imgs && archs ? prepare_dir(args->sbom_path, err)
			       : mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < n; i++) {
		rc = read_arch_image(oci, i, args, name, &archs[i], &imgs[i], err);
		if (!rc)
			rc = write_image_docs(args, &imgs[i], err);
		if (!rc && imgs[i].created > ix.created)
			ix.created = imgs[i].created;
	}
	const char *index_digest = mint_oci_image_index_digest(oci);
	if (!rc && index_digest[0]) {
		ix.name = (char *)name;
		copy_str(ix.digest, sizeof(ix.digest), index_digest);
		ix.images = imgs;
		ix.n_images = n;
		rc = mint_oci_image_blob_size(oci, index_digest, &ix.size, err);
		if (!rc)
			rc = write_index_docs(args, &ix, err);
	}
	for (size_t i = 0; imgs && archs && i < n; i++) {
		mint_sbom_image_free(&imgs[i]);
		free(archs[i].vcs_url);
		mint_strlist_free(&archs[i].media_types);
	}
	free(imgs);
	free(archs);
	return rc;
}

static bool is_config(const char *path)
{
	const char *dot = strrchr(path, '.');
	struct stat st;
	return dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml") || !strcmp(dot, ".json")) &&
	       stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The SBOMs of the image a config builds: mint build into a temporary
 * directory, its SBOMs where asked (their paths on stderr, the image's
 * digest on stdout), the image itself not kept. */
static int sbom_of_config(const struct sbom_args *a)
{
	const char *tmp = getenv("TMPDIR");
	char dir[4096], out[4200], formats[32];
	snprintf(dir, sizeof(dir), "%s/mint-sbom-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		fprintf(stderr, "mint: cannot create a temporary directory: %s\n", strerror(errno));
		return CLI_EXIT_FAIL;
	}
	snprintf(out, sizeof(out), "%s/image.tar", dir);
	snprintf(formats, sizeof(formats), "%s%s%s", a->spdx ? "spdx" : "",
		 a->spdx && a->cyclonedx ? "," : "", a->cyclonedx ? "cyclonedx" : "");
	char ref[512];
	snprintf(ref, sizeof(ref), "%s:latest", a->name ? a->name : "image");
	const char *argv[16] = { "build", "--sbom-path", a->sbom_path, "--sbom-formats", formats };
	int n = 5;
	if (a->files)
		argv[n++] = "--sbom-files";
	if (cache_dir) {
		argv[n++] = "--cache-dir";
		argv[n++] = cache_dir;
	}
	if (offline)
		argv[n++] = "--offline";
	argv[n++] = a->image;
	argv[n++] = ref;
	argv[n++] = out;
	int rc = cmd_build(n, (char **)argv); /* prints the image's digest */
	unlink(out);
	rmdir(dir);
	return rc;
}

int cmd_sbom(int argc, char **argv)
{
	struct sbom_args args = { .sbom_path = ".", .spdx = true, .cyclonedx = true };
	struct mint_oci_image *oci = NULL;
	struct mint_err err = { 0 };
	const char *tag = NULL;
	char *name = NULL;
	int rc = parse_args(&args, argc, argv);
	if (rc)
		return rc < 0 ? CLI_EXIT_OK : rc;
	if (is_config(args.image))
		return sbom_of_config(&args);
	rc = open_image(args.image, &oci, &tag, &err);
	if (!rc) {
		name = args.name ? strdup(args.name) : tag ? sbom_cli_repository_of(tag) : strdup("image");
		if (!name)
			rc = mint_err_set(&err, MINT_ENOMEM, "out of memory");
	}
	if (!rc)
		rc = sbom_cli_write(&args, oci, name, &err);
	free(name);
	mint_oci_image_free(oci);
	return rc ? cli_fail(&err) : CLI_EXIT_OK;
}
