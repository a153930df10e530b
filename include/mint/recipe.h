/* SPDX-License-Identifier: Apache-2.0 */
/*
 * melange build recipes: the YAML a package build starts from, read into
 * a plain model. The reader follows melange's schema (pkg/config): unknown
 * fields and wrong types are errors with file:line:column, and fields
 * melange has that mint does not act on are parsed and kept (update,
 * capabilities, resources, cpe, setcap) so recipes work unchanged.
 *
 * Reading does the structural work melange does at load time:
 *  - `vars` and `var-transforms` become variables (vars.<name>);
 *  - `subpackages` with a `range` are expanded once per item of the named
 *    `data` entry (range.key / range.value substituted in the whole
 *    subpackage), so the model holds plain subpackages;
 *  - the package names and versions are checked (names as apk allows,
 *    versions as apk parses them, no duplicate package names).
 *
 * Strings inside pipelines keep their ${{...}} references: they are
 * substituted when a pipeline is expanded for one (sub)package
 * (mint/pipeline.h), because targets.contextdir and inputs.* depend on
 * where a step runs. mint_recipe_subst is that substitution.
 */
#ifndef MINT_RECIPE_H
#define MINT_RECIPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mint/buf.h"
#include "mint/err.h"
#include "mint/image_config.h"
#include "mint/span.h"
#include "mint/yaml.h"

/* One pipeline step, as a recipe or a pipeline file writes it. */
struct mint_recipe_step {
	char *name;
	char *uses;                     /* built-in or user pipeline, or NULL */
	struct mint_image_kvs with;     /* `with:` values as text (sorted) */
	char *runs;                     /* shell text, or NULL */
	char *working_directory;        /* or NULL */
	char *if_expr;                  /* `if:` text, or NULL */
	char *label;
	struct mint_image_kvs environment;
	struct mint_image_strs needs_packages; /* needs.packages */
	struct mint_recipe_step *pipeline;     /* nested steps */
	size_t n_pipeline;
	const char *file;               /* recipe or pipeline file (for errors) */
	unsigned line, column;          /* where the step starts */
};

struct mint_recipe_copyright {
	char *license;
	char *license_path;
	char *attestation;
	char *detection_override;
	struct mint_image_strs paths;
};

struct mint_recipe_dependencies {
	struct mint_image_strs runtime;
	struct mint_image_strs provides;
	struct mint_image_strs replaces;
	bool has_provider_priority;
	int64_t provider_priority;
	bool has_replaces_priority;
	int64_t replaces_priority;
};

struct mint_recipe_pkg_options {
	bool no_provides;
	bool no_depends;
	bool no_commands;
	bool no_versioned_shlib_deps;
};

struct mint_recipe_scriptlets {
	char *pre_install, *post_install;
	char *pre_deinstall, *post_deinstall;
	char *pre_upgrade, *post_upgrade;
	struct mint_image_strs trigger_paths;
	char *trigger_script;
};

/* `test:` of the package or of a subpackage. */
struct mint_recipe_test {
	bool present;
	bool has_environment;
	struct mint_image_config environment;
	struct mint_recipe_step *pipeline;
	size_t n_pipeline;
};

/* What package and subpackages share. */
struct mint_recipe_meta {
	char *name;
	char *description;
	char *url;
	char *commit;
	struct mint_recipe_dependencies dependencies;
	struct mint_recipe_pkg_options options;
	struct mint_recipe_scriptlets scriptlets;
	struct mint_image_strs checks_disabled;
	struct mint_recipe_test test;
};

struct mint_recipe_package {
	struct mint_recipe_meta meta;
	char *version;
	uint64_t epoch;
	struct mint_recipe_copyright *copyright;
	size_t n_copyright;
	struct mint_image_strs target_architecture; /* empty: all */
	struct mint_image_kvs annotations;
	char *timeout;
};

struct mint_recipe_subpackage {
	struct mint_recipe_meta meta;   /* name already range-substituted */
	char *if_expr;
	struct mint_recipe_step *pipeline;
	size_t n_pipeline;
	/* The range item this subpackage was made from, or NULL. */
	char *range_key, *range_value;
};

struct mint_recipe {
	char *file;                     /* as named to the reader */
	struct mint_recipe_package package;
	bool has_environment;
	struct mint_image_config environment; /* apko ImageConfiguration */
	struct mint_recipe_step *pipeline;
	size_t n_pipeline;
	struct mint_recipe_subpackage *subpackages;
	size_t n_subpackages;
	/* vars and var-transforms results, keyed by name as written ("foo",
	 * which pipelines reference as ${{vars.foo}}). */
	struct mint_image_kvs vars;
	bool has_update;
	bool update_enabled;
	/* The recipe's bytes, for .melange.yaml in the control member and the
	 * SBOM's checksum of it. */
	struct mint_buf text;
};

/* Reads a recipe file / text. name is what errors call it. MINT_EFORMAT
 * (with line:column) for schema errors, MINT_EUNSUPPORTED for a feature
 * mint has not built (the message names it). *out is zeroed first and
 * left freeable on failure. */
int mint_recipe_load(const char *path, struct mint_recipe *out, struct mint_err *err);
int mint_recipe_parse(struct mint_span text, const char *name, struct mint_recipe *out,
		      struct mint_err *err);
void mint_recipe_free(struct mint_recipe *r);

/* A recipe or pipeline-file `pipeline:` sequence as steps (each checked as
 * a step: `uses` and `runs` exclude each other, `with` needs `uses`).
 * Used by the pipeline library to read its data files too. */
int mint_recipe_parse_steps(const struct mint_yaml_doc *doc, const struct mint_yaml_node *seq,
			    const char *field, struct mint_recipe_step **out, size_t *n,
			    struct mint_err *err);
void mint_recipe_steps_free(struct mint_recipe_step *steps, size_t n);

/* "<version>-r<epoch>" (melange's full-version). Malloc'd; NULL on ENOMEM. */
char *mint_recipe_full_version(const struct mint_recipe *r);

/* ---- substitution (recipe_subst.c) ---- */

/* Replaces every ${{ name }} in text (spaces inside the braces allowed)
 * by its value in vars (keys such as "package.name", "vars.foo",
 * "inputs.uri", "targets.destdir"). An unknown name is MINT_EFORMAT naming
 * it, unless keep_unknown, which leaves the reference as written. A
 * reference without its closing "}}" is an error, and so is a result
 * over MINT_RECIPE_SUBST_MAX bytes (MINT_ELIMIT). With keep_unknown, text
 * that only looks like a reference is kept as written too. Appends to out. */
#define MINT_RECIPE_SUBST_MAX ((size_t)64 << 20)
int mint_recipe_subst(const char *text, const struct mint_image_kvs *vars, bool keep_unknown,
		      struct mint_buf *out, struct mint_err *err);

/* The variables of the package itself: package.name, package.version,
 * package.epoch, package.full-version, package.description,
 * package.srcdir, targets.outdir, targets.destdir, build.arch,
 * build.goarch, host.triplet.gnu/rust, cross.triplet.gnu/rust,
 * plus vars.*. arch is an apk arch ("x86_64"). Sorted kvs; free with
 * mint_image_kvs_free (or the helper below). */
int mint_recipe_vars(const struct mint_recipe *r, const char *arch, struct mint_image_kvs *out,
		     struct mint_err *err);
/* Sets (adds or replaces) key in a sorted kvs. */
int mint_recipe_kvs_set(struct mint_image_kvs *kv, const char *key, const char *value);
/* Sets every key of src (NULL: none) in dst; MINT_ENOMEM. */
int mint_recipe_kvs_merge(struct mint_image_kvs *dst, const struct mint_image_kvs *src);
void mint_recipe_kvs_free(struct mint_image_kvs *kv);

/* ---- `mint pkg show` (recipe_json.c) ---- */

/* The parsed recipe as JSON, indented by two spaces, with every string
 * outside pipelines substituted for arch, and pipeline strings as written.
 * Field names are melange's YAML names. Deterministic bytes. */
int mint_recipe_to_json(const struct mint_recipe *r, const char *arch, struct mint_buf *out,
			struct mint_err *err);

#endif
