/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loading image configs from files and text, and following `include` as
 * apko does: a local file, found as written (relative to the current
 * directory) or under one of the include paths, parsed on its own and then
 * merged under the including config. On top of apko: a bound on nesting,
 * include cycles named as such, and fields that apko would silently drop
 * from an included file refused. Every byte read also goes into apko's lock
 * checksum.
 */
#include "config_internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mint/encode.h"
#include "mint/fs.h"
#include "mint/hash.h"

#define DEFAULT_MAX_BYTES (4u << 20)
#define DEFAULT_MAX_INCLUDE_DEPTH 16

struct loader {
	struct mint_image_config_opts opts;
	struct mint_hash hash;
	char **chain;       /* real paths of the files being read, outermost first */
	unsigned n_chain;
	unsigned nesting;   /* includes followed to get here */
	bool named_includer; /* an error already says which file included it */
	struct mint_err *err;
};

static int parse_text(struct loader *l, struct mint_span text, const char *name, bool included,
		      struct mint_image_config *out);

/* The key node of field name in a mapping, for error positions. */
static const struct mint_yaml_node *key_of(const struct mint_yaml_node *map, const char *name)
{
	if (!map || map->kind != MINT_YAML_MAPPING)
		return NULL;
	for (size_t i = 0; i < map->n; i++) {
		const struct mint_yaml_node *k = map->pairs[i].key;
		if (k->kind == MINT_YAML_SCALAR && strlen(name) == k->len &&
		    !memcmp(k->value, name, k->len))
			return k;
	}
	return NULL;
}

/* apko's MergeInto does not carry these over from an included file. */
static int refuse_dropped_fields(struct cfg_ctx *c, const struct mint_yaml_node *root)
{
	static const char *const dropped[] = { "vcs-url", "layering", "format", "certificates" };
	const struct mint_yaml_node *k = NULL;
	for (size_t i = 0; i < sizeof(dropped) / sizeof(dropped[0]) && !k; i++)
		if (!mint_yaml_is_null(mint_yaml_map_get(root, dropped[i])))
			k = key_of(root, dropped[i]);
	const struct mint_yaml_node *contents = mint_yaml_map_get(root, "contents");
	if (!k && !mint_yaml_is_null(mint_yaml_map_get(contents, "baseimage")))
		k = key_of(contents, "baseimage");
	if (!k)
		return 0;
	return mint_yaml_fail(c->doc, k, c->err, MINT_EFORMAT,
			      "'%.*s' in an included file is ignored by apko: move it to the "
			      "file that includes this one",
			      (int)k->len, k->value);
}

static int check_baseimage(struct cfg_ctx *c, const struct mint_yaml_node *root,
			   const struct mint_image_config *cfg)
{
	const char *conflict = cfg_baseimage_conflict(cfg);
	if (!conflict)
		return 0;
	return mint_yaml_fail(c->doc, key_of(root, conflict), c->err, MINT_EFORMAT,
			      "'%s' cannot be used with contents.baseimage: a config on a base "
			      "image may set only contents, archs and include",
			      conflict);
}

static void trim_slashes(struct mint_image_strs *l)
{
	for (size_t i = 0; i < l->n; i++) {
		size_t len = strlen(l->v[i]);
		while (len && l->v[i][len - 1] == '/')
			l->v[i][--len] = '\0';
	}
}

static bool exists(const char *path)
{
	struct stat st;
	return !stat(path, &st);
}

/* Where include p is: as written, else under the first include path that
 * has it. malloc'd, or NULL. */
static char *find_include(const struct mint_image_config_opts *o, const char *p)
{
	if (exists(p))
		return strdup(p);
	for (size_t i = 0; i < o->n_include_paths; i++) {
		size_t len = strlen(o->include_paths[i]) + strlen(p) + 2;
		char *joined = malloc(len);
		if (!joined)
			return NULL;
		snprintf(joined, len, "%s/%s", o->include_paths[i], p);
		if (exists(joined))
			return joined;
		free(joined);
	}
	return NULL;
}

static bool looks_remote(const char *p)
{
	const char *slash = strchr(p, '/');
	const char *dot = strchr(p, '.');
	return strstr(p, "://") || !strncmp(p, "github.com/", 11) ||
	       (strchr(p, '@') && slash && dot && dot < slash);
}

static int include_not_found(struct cfg_ctx *c, const struct mint_yaml_node *at,
			     const struct mint_image_config_opts *o, const char *p)
{
	if (looks_remote(p))
		return mint_yaml_fail(c->doc, at, c->err, MINT_EUNSUPPORTED,
				      "include '%s' is remote: apko documents remote includes but "
				      "does not implement them, and neither does mint; fetch the "
				      "file and include it by path",
				      p);
	char where[256] = "no include paths were given";
	size_t used = 0;
	for (size_t i = 0; i < o->n_include_paths && used < sizeof(where); i++) {
		int w = snprintf(where + used, sizeof(where) - used, "%s%s",
				 i ? ", " : "include paths: ", o->include_paths[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return mint_yaml_fail(c->doc, at, c->err, MINT_ENOTFOUND,
			      "include '%s': no such file relative to the current directory (%s)",
			      p, where);
}

static int include_cycle(struct loader *l, struct cfg_ctx *c, const struct mint_yaml_node *at,
			 const char *include, const char *real)
{
	for (unsigned i = 0; i < l->n_chain; i++)
		if (!strcmp(l->chain[i], real))
			return mint_yaml_fail(c->doc, at, c->err, MINT_EFORMAT,
					      "include '%s' leads back to %s, which is already "
					      "being read (an include cycle)",
					      include, real);
	return 0;
}

/* Reads the file at found, parses it as an included config and merges it
 * under out. */
static int read_included(struct loader *l, const char *found, struct mint_image_config *out)
{
	struct mint_buf text = MINT_BUF_INIT;
	struct mint_image_config inc = { 0 };
	int rc = mint_file_read(found, l->opts.max_bytes, &text, l->err);
	if (!rc)
		rc = parse_text(l, mint_buf_span(&text), found, true, &inc);
	if (!rc)
		rc = mint_image_config_merge_into(&inc, out, l->err);
	mint_image_config_free(&inc);
	mint_buf_free(&text);
	return rc;
}

static int follow_include(struct loader *l, struct cfg_ctx *c, const struct mint_yaml_node *root,
			  struct mint_image_config *out)
{
	const struct mint_yaml_node *at = mint_yaml_map_get(root, "include");
	if (l->opts.no_include)
		return mint_yaml_fail(c->doc, at, c->err, MINT_EUNSUPPORTED,
				      "include is not allowed here");
	if (l->nesting >= l->opts.max_include_depth)
		return mint_yaml_fail(c->doc, at, c->err, MINT_ELIMIT,
				      "includes nest more than %u files deep",
				      l->opts.max_include_depth);
	char *found = find_include(&l->opts, out->include);
	if (!found)
		return include_not_found(c, at, &l->opts, out->include);
	char *real = realpath(found, NULL);
	int rc = real ? include_cycle(l, c, at, out->include, real)
		      : mint_yaml_fail(c->doc, at, c->err, MINT_EIO, "include '%s' cannot be resolved",
				       found);
	if (!rc) {
		l->chain[l->n_chain++] = real;
		l->nesting++;
		rc = read_included(l, found, out);
		l->nesting--;
		l->n_chain--;
		/* Only the innermost includer is named: a deep chain would push
		 * the message itself out of the error's room. */
		if (rc && !l->named_includer) {
			mint_err_prefix(l->err, "included from %s:%u:%u", c->doc->name, at->line,
					at->column);
			l->named_includer = true;
		}
	}
	free(real);
	free(found);
	return rc;
}

static int decode_doc(struct loader *l, const struct mint_yaml_doc *doc, bool included,
		      struct mint_image_config *out)
{
	struct cfg_ctx c = { doc, l->err };
	if (!doc->root)
		return mint_yaml_fail(doc, NULL, l->err, MINT_EFORMAT,
				      "no YAML document: an image configuration needs at least "
				      "contents");
	int rc = cfg_decode_config(&c, doc->root, out);
	if (!rc && included)
		rc = refuse_dropped_fields(&c, doc->root);
	if (!rc && !cfg_empty(out->include))
		rc = follow_include(l, &c, doc->root, out);
	if (rc)
		return rc;
	trim_slashes(&out->contents.build_repositories);
	trim_slashes(&out->contents.runtime_repositories);
	return check_baseimage(&c, doc->root, out);
}

static int parse_text(struct loader *l, struct mint_span text, const char *name, bool included,
		      struct mint_image_config *out)
{
	struct mint_yaml_limits lim = mint_yaml_default_limits;
	struct mint_yaml_doc doc;
	lim.max_bytes = l->opts.max_bytes;
	if (mint_hash_update(&l->hash, text.ptr, text.len))
		return mint_err_set(l->err, MINT_ENOMEM, "out of memory");
	int rc = mint_yaml_parse(text, name, &lim, &doc, l->err);
	if (rc)
		return rc;
	rc = decode_doc(l, &doc, included, out);
	mint_yaml_doc_free(&doc);
	return rc;
}

static int loader_init(struct loader *l, const struct mint_image_config_opts *opts,
		       struct mint_err *err)
{
	memset(l, 0, sizeof(*l));
	if (opts)
		l->opts = *opts;
	if (!l->opts.max_bytes)
		l->opts.max_bytes = DEFAULT_MAX_BYTES;
	if (!l->opts.max_include_depth)
		l->opts.max_include_depth = DEFAULT_MAX_INCLUDE_DEPTH;
	l->err = err;
	l->chain = calloc(l->opts.max_include_depth + 2, sizeof(*l->chain));
	if (!l->chain || mint_hash_init(&l->hash, MINT_HASH_SHA256)) {
		free(l->chain);
		l->chain = NULL;
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	return 0;
}

/* Validates, then records the checksum; frees out on any failure. */
static int loader_finish(struct loader *l, int rc, struct mint_image_config *out)
{
	unsigned char digest[MINT_HASH_MAX_BYTES];
	if (!rc)
		rc = mint_image_config_validate(out, l->err);
	if (!rc && mint_hash_final(&l->hash, digest))
		rc = mint_err_set(l->err, MINT_ENOMEM, "out of memory");
	else if (rc)
		mint_hash_free(&l->hash);
	if (!rc) {
		strcpy(out->checksum, "sha256-");
		mint_base64_encode(digest, 32, out->checksum + strlen("sha256-"));
	} else {
		mint_image_config_free(out);
	}
	for (unsigned i = 0; i < l->n_chain; i++)
		free(l->chain[i]);
	free(l->chain);
	return rc;
}

int mint_image_config_parse(struct mint_span text, const char *name,
			    const struct mint_image_config_opts *opts,
			    struct mint_image_config *out, struct mint_err *err)
{
	struct loader l;
	memset(out, 0, sizeof(*out));
	int rc = loader_init(&l, opts, err);
	if (rc)
		return rc;
	rc = parse_text(&l, text, name, false, out);
	return loader_finish(&l, rc, out);
}

int mint_image_config_load(const char *path, const struct mint_image_config_opts *opts,
			   struct mint_image_config *out, struct mint_err *err)
{
	struct loader l;
	struct mint_buf text = MINT_BUF_INIT;
	memset(out, 0, sizeof(*out));
	int rc = loader_init(&l, opts, err);
	if (rc)
		return rc;
	rc = mint_file_read(path, l.opts.max_bytes, &text, err);
	if (!rc && (l.chain[0] = realpath(path, NULL)))
		l.n_chain = 1;
	if (!rc)
		rc = parse_text(&l, mint_buf_span(&text), path, false, out);
	mint_buf_free(&text);
	return loader_finish(&l, rc, out);
}

int mint_image_config_decode_node(const struct mint_yaml_doc *doc,
				  const struct mint_yaml_node *node, const char *field,
				  struct mint_image_config *cfg, struct mint_err *err)
{
	struct cfg_ctx c = { doc, err };
	memset(cfg, 0, sizeof(*cfg));
	int rc = cfg_decode_config_at(&c, node, field, cfg);
	if (!rc && !cfg_empty(cfg->include))
		rc = mint_yaml_fail(doc, key_of(node, "include"), err, MINT_EUNSUPPORTED,
				    "'%s.include' is not supported here: write the configuration "
				    "in place",
				    field);
	if (!rc) {
		trim_slashes(&cfg->contents.build_repositories);
		trim_slashes(&cfg->contents.runtime_repositories);
		rc = check_baseimage(&c, node, cfg);
	}
	if (!rc)
		rc = mint_image_config_validate(cfg, err);
	if (rc)
		mint_image_config_free(cfg);
	return rc;
}
