/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The paths section of an image config: the mutations apko applies to the
 * root filesystem after installing packages (directory, empty-file,
 * hardlink, symlink, permissions), read and checked with their owners and
 * octal modes. Applying them to a filesystem is not here.
 */
#include "config_internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_MODE 07777

static const char *const type_names[] = {
	[MINT_IMAGE_PATH_DIRECTORY] = "directory",
	[MINT_IMAGE_PATH_EMPTY_FILE] = "empty-file",
	[MINT_IMAGE_PATH_HARDLINK] = "hardlink",
	[MINT_IMAGE_PATH_SYMLINK] = "symlink",
	[MINT_IMAGE_PATH_PERMISSIONS] = "permissions",
};
#define N_TYPES (sizeof(type_names) / sizeof(type_names[0]))

const char *cfg_path_type_name(enum mint_image_path_type t)
{
	return (size_t)t < N_TYPES && type_names[t] ? type_names[t] : "";
}

static int path_path(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		     void *obj)
{
	return cfg_decode_str(c, v, path, &((struct mint_image_path *)obj)->path);
}

static int path_type(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		     void *obj)
{
	struct mint_image_path *p = obj;
	char *name = NULL;
	int rc = cfg_decode_str(c, v, path, &name);
	p->type = 0;
	for (size_t t = 1; !rc && name && t < N_TYPES; t++)
		if (!strcmp(name, type_names[t]))
			p->type = (enum mint_image_path_type)t;
	if (!rc && name && !p->type)
		rc = mint_yaml_fail(c->doc, v, c->err, MINT_EFORMAT,
				    "'%s' must be one of directory, empty-file, hardlink, symlink, "
				    "permissions: got '%s'",
				    path, name);
	free(name);
	return rc;
}

static int read_id(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		   uint32_t *out, bool *present)
{
	uint64_t x = 0;
	int rc = mint_yaml_get_uint(c->doc, v, path, UINT32_MAX, &x, present, c->err);
	*out = (uint32_t)x;
	return rc;
}

static int path_uid(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		    void *obj)
{
	struct mint_image_path *p = obj;
	return read_id(c, v, path, &p->uid, &p->has_uid);
}

static int path_gid(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		    void *obj)
{
	struct mint_image_path *p = obj;
	return read_id(c, v, path, &p->gid, &p->has_gid);
}

static int path_permissions(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			    void *obj)
{
	struct mint_image_path *p = obj;
	uint64_t mode = 0;
	int rc = mint_yaml_get_uint(c->doc, v, path, UINT32_MAX, &mode, NULL, c->err);
	if (rc)
		return rc;
	if (mode > MAX_MODE)
		return mint_yaml_fail(c->doc, v, c->err, MINT_EFORMAT,
				      "'%s' is 0o%llo (%llu), more than the largest mode 0o7777; "
				      "write modes in octal, like 0o755 or 0755",
				      path, (unsigned long long)mode, (unsigned long long)mode);
	p->permissions = (uint32_t)mode;
	return 0;
}

static int path_source(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		       void *obj)
{
	return cfg_decode_str(c, v, path, &((struct mint_image_path *)obj)->source);
}

static int path_recursive(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			  void *obj)
{
	return mint_yaml_get_bool(c->doc, v, path, &((struct mint_image_path *)obj)->recursive, NULL,
				  c->err);
}

static const struct cfg_field path_fields[] = {
	{ "path", path_path },
	{ "type", path_type },
	{ "uid", path_uid },
	{ "gid", path_gid },
	{ "permissions", path_permissions },
	{ "source", path_source },
	{ "recursive", path_recursive },
};

static int check_path(struct cfg_ctx *c, const struct mint_yaml_node *n, const char *path,
		      const struct mint_image_path *p)
{
	if (cfg_empty(p->path))
		return mint_yaml_fail(c->doc, n, c->err, MINT_EFORMAT, "'%s' has no path", path);
	if (!p->type)
		return mint_yaml_fail(c->doc, n, c->err, MINT_EFORMAT,
				      "'%s' (%s) has no type: one of directory, empty-file, "
				      "hardlink, symlink, permissions",
				      path, p->path);
	if ((p->type == MINT_IMAGE_PATH_HARDLINK || p->type == MINT_IMAGE_PATH_SYMLINK) &&
	    cfg_empty(p->source))
		return mint_yaml_fail(c->doc, n, c->err, MINT_EFORMAT,
				      "'%s' (%s) is a %s and needs a source", path, p->path,
				      cfg_path_type_name(p->type));
	return 0;
}

static void path_free(struct mint_image_path *p)
{
	free(p->path);
	free(p->source);
}

void cfg_paths_free(struct mint_image_config *cfg)
{
	for (size_t i = 0; i < cfg->n_paths; i++)
		path_free(&cfg->paths[i]);
	free(cfg->paths);
	cfg->paths = NULL;
	cfg->n_paths = 0;
}

int cfg_decode_paths(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		     void *obj)
{
	struct mint_image_config *cfg = obj;
	int rc = mint_yaml_want_sequence(c->doc, v, path, c->err);
	if (rc)
		return rc > 0 ? 0 : rc;
	cfg_paths_free(cfg);
	if (!v->n)
		return 0;
	if (!(cfg->paths = calloc(v->n, sizeof(*cfg->paths))))
		return mint_yaml_fail(c->doc, v, c->err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < v->n; i++) {
		char sub[CFG_PATH_MAX];
		cfg_path_index(sub, path, i);
		cfg->n_paths++;
		rc = cfg_decode_fields(c, v->items[i], sub, path_fields,
				       sizeof(path_fields) / sizeof(path_fields[0]), &cfg->paths[i]);
		if (!rc)
			rc = check_path(c, v->items[i], sub, &cfg->paths[i]);
		if (rc)
			return rc;
	}
	return 0;
}

int cfg_paths_prepend_copy(struct mint_image_config *dst, const struct mint_image_path *src,
			   size_t n)
{
	if (!n)
		return 0;
	struct mint_image_path *v = calloc(n + dst->n_paths, sizeof(*v));
	if (!v)
		return MINT_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		v[i] = src[i];
		v[i].path = v[i].source = NULL;
		if (cfg_strdup(&v[i].path, src[i].path) || cfg_strdup(&v[i].source, src[i].source)) {
			for (size_t j = 0; j <= i; j++)
				path_free(&v[j]);
			free(v);
			return MINT_ENOMEM;
		}
	}
	if (dst->n_paths)
		memcpy(v + n, dst->paths, dst->n_paths * sizeof(*v));
	free(dst->paths);
	dst->paths = v;
	dst->n_paths += n;
	return 0;
}
