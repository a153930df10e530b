/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the files of the image-config parser share (lib/image/config*.c,
 * accounts_config.c): a table-driven decoder for YAML mappings with dotted
 * field paths, and owned string lists and maps. Not a public interface.
 */
#ifndef MINT_IMAGE_CONFIG_INTERNAL_H
#define MINT_IMAGE_CONFIG_INTERNAL_H

#include "mint/image_config.h"
#include "mint/yaml.h"

/* Room for a dotted path such as "accounts.groups[12].members[3]". */
#define CFG_PATH_MAX 256

struct cfg_ctx {
	const struct mint_yaml_doc *doc;
	struct mint_err *err;
};

/* One field of a mapping: its name and how its value is read into obj. */
struct cfg_field {
	const char *name;
	int (*decode)(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		      void *obj);
};

/* "parent.name", or "name" at the top. */
void cfg_path_field(char *out, const char *parent, const char *name);
/* "parent[i]". */
void cfg_path_index(char *out, const char *parent, size_t i);

/* Reads a mapping field by field (n entries of fields); an unknown key is
 * an error listing the known ones. A null node is an empty mapping. */
int cfg_decode_fields(struct cfg_ctx *c, const struct mint_yaml_node *map, const char *path,
		      const struct cfg_field *fields, size_t n, void *obj);

/* A sequence of strings (null items become ""), replacing *out. */
int cfg_decode_strs(struct cfg_ctx *c, const struct mint_yaml_node *seq, const char *path,
		    struct mint_image_strs *out);
/* A mapping of strings to strings (null values become ""), sorted. */
int cfg_decode_kvs(struct cfg_ctx *c, const struct mint_yaml_node *map, const char *path,
		   struct mint_image_kvs *out);
/* A string; null leaves *out alone. */
int cfg_decode_str(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		   char **out);
/* Fails at node v when any item of a list read from it is empty. */
int cfg_refuse_empty_items(struct cfg_ctx *c, const struct mint_yaml_node *seq,
			   const char *path, const struct mint_image_strs *l);

bool cfg_empty(const char *s);
/* Appends a copy of s. 0 or MINT_ENOMEM. */
int cfg_strs_push(struct mint_image_strs *l, const char *s);
bool cfg_strs_contains(const struct mint_image_strs *l, const char *s);
/* dst becomes copies of src followed by dst's own entries. */
int cfg_strs_prepend_copy(struct mint_image_strs *dst, const struct mint_image_strs *src);
/* Sets key to a copy of value (replacing), keeping the map sorted. */
int cfg_kvs_set(struct mint_image_kvs *m, const char *key, const char *value);
const struct mint_image_kv *cfg_kvs_get(const struct mint_image_kvs *m, const char *key);
void cfg_kvs_free(struct mint_image_kvs *m);
/* Copies of each, NULL stays NULL. 0 or MINT_ENOMEM. */
int cfg_strdup(char **dst, const char *src);

/* The top level and the rules across fields (config.c). */
int cfg_decode_config(struct cfg_ctx *c, const struct mint_yaml_node *root,
		      struct mint_image_config *out);
/* The same for a configuration nested at path ("environment"). */
int cfg_decode_config_at(struct cfg_ctx *c, const struct mint_yaml_node *node, const char *path,
			 struct mint_image_config *out);
/* An arch by either spelling, or an error at n naming the field. */
int cfg_arch_from_text(struct cfg_ctx *c, const struct mint_yaml_node *n, const char *path,
		       const char *name, enum mint_arch *out);
/* True when layering asks for more than the single default layer. */
bool cfg_layering_set(const struct mint_image_config *cfg);
/* The first field apko refuses next to contents.baseimage, or NULL. */
const char *cfg_baseimage_conflict(const struct mint_image_config *cfg);

/* The accounts section (accounts_config.c). */
int cfg_decode_accounts(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			void *obj);
int cfg_accounts_merge(const struct mint_image_accounts *src, struct mint_image_accounts *dst);
void cfg_accounts_free(struct mint_image_accounts *a);
bool cfg_accounts_empty(const struct mint_image_accounts *a);

/* The paths section (config_paths.c). */
int cfg_decode_paths(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		     void *obj);
int cfg_paths_prepend_copy(struct mint_image_config *dst, const struct mint_image_path *src,
			   size_t n);
void cfg_paths_free(struct mint_image_config *cfg);
const char *cfg_path_type_name(enum mint_image_path_type t);

#endif
