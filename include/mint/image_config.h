/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apko image configurations: every field of apko's ImageConfiguration,
 * parsed from YAML (or JSON) the way apko parses it, validated with errors
 * that name the file, line, column and field, merged across `include`, and
 * written back as the JSON apko stores in the image as /etc/apko.json.
 *
 * What apko does and mint does too:
 *   - unknown fields are errors (yaml.v3 KnownFields), at every level;
 *   - scalars read as yaml.v3 reads them into typed fields (mint/yaml.h):
 *     any scalar is a string, permissions may be 0o755, 0755 or 493;
 *   - apk and OCI arch spellings both work (x86_64 = amd64); the list is
 *     deduplicated and sorted by OCI name; absent means all nine, which
 *     mint_image_config_default_archs fills in when the build needs it;
 *   - `include` names a local file, found as given (relative to the current
 *     directory) or under one of the include paths; the included config is
 *     merged under the including one (its lists first, the includer's
 *     scalars and map entries win);
 *   - build_repositories and runtime_repositories lose trailing '/';
 *   - with contents.baseimage only contents, archs and include may be set.
 * Where mint is stricter, so that a mistake is reported where it is made
 * rather than deep in a build:
 *   - an unknown arch, an empty package/repository/keyring entry, an
 *     entrypoint type other than service-bundle, a path type apko does not
 *     know, permissions above 0o7777, a hardlink or symlink without a
 *     source, a run-as with blanks;
 *   - numbers yaml.v3 reads as floats (1e3, 0788, 1.5) where an integer
 *     belongs: apko truncates them silently;
 *   - an included file that sets vcs-url, layering, format, certificates or
 *     contents.baseimage: apko silently drops those from included files;
 *   - include cycles and includes nested deeper than a bound (apko recurses
 *     until it runs out of stack);
 *   - remote includes (documented by apko but not implemented) get a
 *     message that says so.
 */
#ifndef MINT_IMAGE_CONFIG_H
#define MINT_IMAGE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mint/buf.h"
#include "mint/err.h"
#include "mint/span.h"

struct mint_yaml_doc;
struct mint_yaml_node;

/* --- Architectures ------------------------------------------------------ */

/* In the order of apko's AllArchs (which is not sorted: see
 * mint_arch_compare for the sorted order). */
enum mint_arch {
	MINT_ARCH_386,
	MINT_ARCH_AMD64,
	MINT_ARCH_ARM64,
	MINT_ARCH_ARMV6,
	MINT_ARCH_ARMV7,
	MINT_ARCH_LOONG64,
	MINT_ARCH_PPC64LE,
	MINT_ARCH_RISCV64,
	MINT_ARCH_S390X,
};
#define MINT_ARCH_COUNT 9

/* Either spelling: "x86_64" or "amd64", "armhf" or "arm/v6", "x86" or
 * "386", "loongarch64" or "loong64", ... */
bool mint_arch_parse(const char *name, enum mint_arch *out);
/* "amd64", "arm/v6", ...: apko's Architecture.String(). */
const char *mint_arch_to_oci(enum mint_arch a);
/* "x86_64", "armhf", ...: apko's Architecture.ToAPK(). */
const char *mint_arch_to_apk(enum mint_arch a);
/* The OCI platform fields: "arm" and "v7" for arm/v7; variant NULL when
 * there is none. */
void mint_arch_oci_platform(enum mint_arch a, const char **architecture, const char **variant);
/* Byte order of the OCI names, as apko sorts archs. */
int mint_arch_compare(enum mint_arch a, enum mint_arch b);
/* The machine mint was built for (apko's "host"); false when it is none of
 * the nine. */
bool mint_arch_host(enum mint_arch *out);

/* --- The configuration -------------------------------------------------- */

struct mint_image_strs {
	char **v;
	size_t n;
};

/* Frees every string and the array; leaves l empty. */
void mint_image_strs_free(struct mint_image_strs *l);

/* A string map (environment, annotations, services): keys unique, kept
 * sorted by byte order, so two configs that differ only in the order they
 * were written compare and serialize the same. */
struct mint_image_kv {
	char *key;
	char *value;
};

struct mint_image_kvs {
	struct mint_image_kv *v;
	size_t n;
};

/* runtime_keyring and certificates.additional entries. */
struct mint_image_named_pem {
	char *name;
	char *content;
};

struct mint_image_contents {
	struct mint_image_strs build_repositories;
	struct mint_image_strs runtime_repositories;
	struct mint_image_strs repositories;
	struct mint_image_strs keyring;
	struct mint_image_named_pem *runtime_keyring;
	size_t n_runtime_keyring;
	struct mint_image_strs packages;
	bool has_baseimage;
	char *baseimage_image;
	char *baseimage_apkindex;
};

struct mint_image_entrypoint {
	char *type;           /* NULL or "service-bundle" */
	char *command;
	char *shell_fragment;
	struct mint_image_kvs services;
};

struct mint_image_user {
	char *username;
	uint32_t uid;
	bool has_gid;         /* apko: gid defaults to uid when absent */
	uint32_t gid;
	char *shell;
	char *homedir;
};

struct mint_image_group {
	char *groupname;
	uint32_t gid;
	struct mint_image_strs members;
};

struct mint_image_accounts {
	char *run_as;
	struct mint_image_user *users;
	size_t n_users;
	struct mint_image_group *groups;
	size_t n_groups;
};

enum mint_image_path_type {
	MINT_IMAGE_PATH_DIRECTORY = 1,
	MINT_IMAGE_PATH_EMPTY_FILE,
	MINT_IMAGE_PATH_HARDLINK,
	MINT_IMAGE_PATH_SYMLINK,
	MINT_IMAGE_PATH_PERMISSIONS,
};

struct mint_image_path {
	char *path;
	enum mint_image_path_type type;
	bool has_uid, has_gid; /* unset: ownership untouched unless the other is set */
	uint32_t uid, gid;
	uint32_t permissions;  /* mode bits, at most 07777; 0 when not given */
	char *source;
	bool recursive;
};

struct mint_image_config {
	struct mint_image_contents contents;
	struct mint_image_entrypoint entrypoint;
	char *cmd;
	char *stop_signal;
	char *work_dir;
	struct mint_image_accounts accounts;
	enum mint_arch *archs; /* deduplicated, sorted by OCI name */
	size_t n_archs;
	struct mint_image_kvs environment;
	struct mint_image_path *paths;
	size_t n_paths;
	char *vcs_url;
	struct mint_image_kvs annotations;
	char *include;
	struct mint_image_strs volumes;
	bool has_layering;     /* `layering: {}` is present but means one layer */
	char *layering_strategy;
	int64_t layering_budget;
	char *format;          /* NULL, "tar" or "erofs" */
	bool has_certificates;
	struct mint_image_named_pem *certificates_additional;
	size_t n_certificates_additional;
	struct mint_image_strs certificates_providers;
	/* apko's lock checksum: "sha256-<base64>" of the bytes of the config
	 * and every file it includes, in the order they were read. Empty for
	 * a config not made by load/parse. */
	char checksum[64];
};

struct mint_image_config_opts {
	/* Searched in order when an include is not found as given, like
	 * apko's --include-paths. */
	const char *const *include_paths;
	size_t n_include_paths;
	bool no_include;             /* refuse `include` (untrusted text) */
	size_t max_bytes;            /* per file; 0 means 4 MiB */
	unsigned max_include_depth;  /* 0 means 16 */
};

/* Reads and parses the config at path. opts may be NULL. */
int mint_image_config_load(const char *path, const struct mint_image_config_opts *opts,
			   struct mint_image_config *out, struct mint_err *err);
/* Parses config text; name is what errors call it. Includes are read from
 * disk as load does. On failure out is left empty (safe to free). */
int mint_image_config_parse(struct mint_span text, const char *name,
			    const struct mint_image_config_opts *opts,
			    struct mint_image_config *out, struct mint_err *err);
void mint_image_config_free(struct mint_image_config *cfg);
/* Decodes one node of a YAML document that holds an ImageConfiguration
 * inside something else (a melange recipe's `environment:`); field is its
 * dotted name for messages ("test.environment"). Errors carry the node's
 * file:line:column. No include is followed (`include` is refused) and no
 * checksum is made; the rules across fields are checked. A null node gives
 * an empty config. On failure cfg is left empty (safe to free). */
int mint_image_config_decode_node(const struct mint_yaml_doc *doc,
				  const struct mint_yaml_node *node, const char *field,
				  struct mint_image_config *cfg, struct mint_err *err);

/* apko's ImageConfiguration.MergeInto: copies src into target, target's
 * values taking precedence. Entrypoint (as a whole), cmd, stop-signal,
 * work-dir, archs and run-as are taken from src only when target has none;
 * environment and annotations gain src's keys that target lacks; paths,
 * volumes, users, groups and the contents lists (repositories of all three
 * kinds, keyring, runtime_keyring, packages) become src's followed by
 * target's. Fields apko's MergeInto leaves alone (vcs-url, include,
 * layering, format, certificates, contents.baseimage) stay target's. */
int mint_image_config_merge_into(const struct mint_image_config *src,
				 struct mint_image_config *target, struct mint_err *err);

/* The rules that span fields: runtime_keyring names unique and not the
 * name of a keyring file, no layering with erofs or a base image, nothing
 * but contents/archs/include with a base image. load and parse call it;
 * call it again after changing a config. */
int mint_image_config_validate(const struct mint_image_config *cfg, struct mint_err *err);

/* What apko's Validate() changes before a build: a service-bundle
 * entrypoint becomes "/bin/s6-svscan /sv" with package s6 added, and users
 * without a homedir get /home/<username>. */
int mint_image_config_apply_defaults(struct mint_image_config *cfg, struct mint_err *err);

/* No archs: all nine (apko's AllArchs), sorted like every arch list here. */
int mint_image_config_default_archs(struct mint_image_config *cfg, struct mint_err *err);

/* --- Command-line overrides, as apko build/publish/lock apply them ------- */

/* -p/--package-append, -r/--repository-append, -b/--build-repository-append,
 * -k/--keyring-append: each value is added after the config's own entries
 * unless it is there already. Empty values are refused. */
int mint_image_config_append_packages(struct mint_image_config *cfg, const char *const *v,
				      size_t n, struct mint_err *err);
int mint_image_config_append_repositories(struct mint_image_config *cfg, const char *const *v,
					  size_t n, struct mint_err *err);
int mint_image_config_append_build_repositories(struct mint_image_config *cfg,
						const char *const *v, size_t n,
						struct mint_err *err);
int mint_image_config_append_keyring(struct mint_image_config *cfg, const char *const *v,
				     size_t n, struct mint_err *err);
/* --arch: each value may hold several comma-separated archs. A lone "all"
 * means all nine, a lone "host" the build machine's. Replaces the config's
 * archs (deduplicated, sorted); n == 0 leaves them alone. */
int mint_image_config_set_archs(struct mint_image_config *cfg, const char *const *v, size_t n,
				struct mint_err *err);
/* --annotations "key:value": the key must match ^[a-z0-9-.]+$; each
 * replaces the config's value for that key. */
int mint_image_config_set_annotations(struct mint_image_config *cfg, const char *const *kv,
				      size_t n, struct mint_err *err);

/* --- Output ------------------------------------------------------------- */

/* The bytes of /etc/apko.json: Go's encoding/json of apko's struct (field
 * order of the struct, empty fields omitted, map keys sorted, <>& escaped)
 * followed by a newline. 0 or MINT_ENOMEM. */
int mint_image_config_to_json(const struct mint_image_config *cfg, struct mint_buf *out);

#endif
