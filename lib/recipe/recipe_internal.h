/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the files of the recipe reader share (lib/recipe/recipe*.c): the
 * decoders of each part of a melange recipe, built on the image-config
 * parser's table-driven field decoder (lib/image/config_internal.h), and
 * the frees of the model's parts. Not a public interface.
 */
#ifndef MINT_RECIPE_INTERNAL_H
#define MINT_RECIPE_INTERNAL_H

#include "mint/recipe.h"

#include "../image/config_internal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Bounds that keep hostile recipes cheap: one substituted string, one
 * var-transforms result, the number of transforms. */
#define RCP_MAX_SUBST_BYTES (1u << 20)
#define RCP_MAX_VAR_BYTES (64u << 10)
#define RCP_MAX_TRANSFORMS 1024

/* The error for rc (MINT_ENOMEM, or MINT_ELIMIT from a substitution) at
 * node at, naming field path. */
int rcp_fail(struct cfg_ctx *c, const struct mint_yaml_node *at, const char *path, int rc);

/* package: (recipe_package.c). obj is a struct mint_recipe_package. */
int rcp_decode_package(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		       void *obj);
void rcp_package_free(struct mint_recipe_package *p);

/* The fields package and subpackages share, one decoder each; obj is a
 * struct mint_recipe_meta. */
int rcp_decode_meta_name(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			 void *obj);
int rcp_decode_meta_description(struct cfg_ctx *c, const struct mint_yaml_node *v,
				const char *path, void *obj);
int rcp_decode_meta_url(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			void *obj);
int rcp_decode_meta_commit(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			   void *obj);
int rcp_decode_meta_dependencies(struct cfg_ctx *c, const struct mint_yaml_node *v,
				 const char *path, void *obj);
int rcp_decode_meta_options(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			    void *obj);
int rcp_decode_meta_scriptlets(struct cfg_ctx *c, const struct mint_yaml_node *v,
			       const char *path, void *obj);
int rcp_decode_meta_checks(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			   void *obj);
int rcp_decode_meta_test(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			 void *obj);
/* setcap: checked and not kept. */
int rcp_decode_setcap(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		      void *obj);
/* A mapping of strings to strings, checked and not kept. */
int rcp_decode_ignored_kvs(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			   void *obj);
void rcp_meta_free(struct mint_recipe_meta *m);
void rcp_test_free(struct mint_recipe_test *t);

/* A `pipeline:` sequence; null leaves it empty. */
int rcp_decode_steps(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		     struct mint_recipe_step **steps, size_t *n);

/* subpackages: with data: for range (recipe_subpackages.c). */
int rcp_decode_subpackages(struct cfg_ctx *c, const struct mint_yaml_node *root,
			   struct mint_recipe *r);
void rcp_subpackage_free(struct mint_recipe_subpackage *s);

/* vars: and var-transforms: into r->vars (recipe_vars.c). The package must
 * be read already: transforms start from ${{package.*}} values. */
int rcp_decode_vars(struct cfg_ctx *c, const struct mint_yaml_node *root, struct mint_recipe *r);

/* The variables a recipe has at load time: package.name, .version,
 * .epoch, .full-version, .description and vars.*. */
int rcp_load_vars(const struct mint_recipe *r, struct mint_image_kvs *kv);

/* mint_recipe_subst keeping unknown and malformed references as written
 * (load time and display, where text that only looks like a reference must
 * survive); MINT_ELIMIT when the result would add more than
 * RCP_MAX_SUBST_BYTES to out (recipe_vars.c). */
int rcp_subst_known(const char *text, const struct mint_image_kvs *vars, struct mint_buf *out);
/* mint_recipe_subst with its own bound on what it adds (recipe_subst.c). */
int rcp_subst(const char *text, const struct mint_image_kvs *vars, bool keep_unknown,
	      size_t max_bytes, struct mint_buf *out, struct mint_err *err);
/* The same into a fresh string in *s (replacing it). */
int rcp_subst_in_place(char **s, const struct mint_image_kvs *vars);

/* Names as melange allows them: ^[A-Za-z0-9][A-Za-z0-9+_.-]*$. */
bool rcp_name_valid(const char *name);

#endif
