/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pipelines: melange's `uses:` steps and their expansion into the flat
 * list of commands a package build runs.
 *
 * The built-in pipelines (fetch, patch, autoconf/..., cmake/..., meson/...,
 * strip, split/...) are YAML data files in the project's pipelines/
 * directory, compiled into the library; each declares its `inputs`
 * (description, default, required), `needs.packages` and a `pipeline:` of
 * steps in the recipe step schema (mint/recipe.h). User pipeline
 * directories (melange's --pipeline-dir) are searched first, as
 * <dir>/<name>.yaml.
 *
 * One step is special: `uses: _builtin/fetch` names no file. It is how the
 * fetch pipeline asks mint itself to download `uri` on the host (file://,
 * http://, https://; never from inside the sandbox, which has no network)
 * and check `expected-sha256` or `expected-sha512` before the file is
 * placed in the workspace; the extraction that follows is an ordinary
 * shell step.
 *
 * Expansion substitutes ${{...}} (mint_recipe_subst) with the caller's
 * variables plus inputs.* of the pipeline being expanded, checks inputs
 * (unknown `with:` keys and missing required inputs are errors naming the
 * step's file:line:column), evaluates `if:` and drops steps whose
 * condition is false, and resolves working directories. Nested pipelines
 * inherit the environment and working directory of their parent.
 */
#ifndef MINT_PIPELINE_H
#define MINT_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "mint/err.h"
#include "mint/image_config.h"
#include "mint/recipe.h"

struct mint_pipeline_lib;

/* The built-ins plus the user directories (searched first, in order). */
int mint_pipeline_lib_new(struct mint_pipeline_lib **out, const char *const *dirs, size_t n_dirs,
			  struct mint_err *err);
void mint_pipeline_lib_free(struct mint_pipeline_lib *lib);

/* The names of the built-in pipelines, sorted ("autoconf/configure", ...). */
size_t mint_pipeline_builtin_count(void);
const char *mint_pipeline_builtin_name(size_t i);

enum mint_build_step_kind {
	MINT_BUILD_STEP_RUN = 1, /* run script in the sandbox */
	MINT_BUILD_STEP_FETCH,   /* download on the host into the workspace */
};

struct mint_build_step {
	enum mint_build_step_kind kind;
	/* For messages: the step's name, else the pipeline it came from
	 * ("fetch"), else the first line of its script. */
	char *name;
	/* Where it was written: "recipe.yaml:12:7", and for steps of a
	 * pipeline file also "(autoconf/make via recipe.yaml:30:7)". */
	char *origin;
	/* RUN: the substituted shell text, run as melange runs it:
	 * /bin/sh -c 'set -e; [ -d W ] || mkdir -p W; cd W; <script>; exit 0'
	 * (the sandbox adds that wrapper). */
	char *script;
	/* Absolute path in the guest: /home/build, or /home/build/<dir> for a
	 * relative working-directory, or the absolute one given. */
	char *working_directory;
	struct mint_image_kvs environment; /* the step's own additions */
	/* FETCH: */
	char *uri;
	char *expected_sha256;  /* hex, or NULL */
	char *expected_sha512;  /* hex, or NULL */
	char *dest;             /* file name relative to working_directory */
};

struct mint_build_steps {
	struct mint_build_step *v;
	size_t n;
};

/* Expands steps for one (sub)package: vars holds package.*, vars.*,
 * targets.* (contextdir set for this package), build.*, etc. */
int mint_pipeline_expand(const struct mint_pipeline_lib *lib, const struct mint_recipe_step *steps,
			 size_t n, const struct mint_image_kvs *vars, struct mint_build_steps *out,
			 struct mint_err *err);
void mint_build_steps_free(struct mint_build_steps *s);

/* Every package a set of steps needs (needs.packages of the steps and of
 * the pipelines they use, recursively), appended to out without
 * duplicates. */
int mint_pipeline_needs(const struct mint_pipeline_lib *lib, const struct mint_recipe_step *steps,
			size_t n, struct mint_image_strs *out, struct mint_err *err);

/* melange's `if:` language over already-substituted text: quoted strings
 * ('x' or "x"), bare words, ==, !=, &&, ||, !, parentheses. MINT_EFORMAT
 * for anything else. */
int mint_pipeline_eval_if(const char *expr, bool *out, struct mint_err *err);

#endif
