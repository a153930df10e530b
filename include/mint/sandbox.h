/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Running build steps in a bubblewrap sandbox, as melange's bubblewrap
 * runner does: new user, pid, ipc, uts and (unless asked otherwise)
 * network namespaces, the workspace bind-mounted at /home/build, fresh
 * /dev, /proc and /tmp, a cleared environment, and death with the parent.
 *
 * Two roots:
 *  - MINT_RUNNER_BWRAP: a guest root directory made from the recipe's
 *    environment by mint's image engine (mint_build_env_create);
 *  - MINT_RUNNER_HOST: the host's own / bound read-only, for bootstrapping
 *    before any build package exists.
 *
 * A step is /bin/sh -c with, one per line: set -e, umask 022, make and
 * enter the working directory, the script as written, exit 0 (lines, not
 * ';', so a script ending in a comment cannot swallow the exit). The
 * host runner also mounts a tmpfs on /home, so the host's home
 * directories are hidden and /home/build can be made. Its output (stdout and stderr, merged) goes to the
 * caller's log function line by line and the last lines are kept for the
 * error of a failing step.
 */
#ifndef MINT_SANDBOX_H
#define MINT_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>

#include "mint/err.h"
#include "mint/image_build.h"
#include "mint/image_config.h"
#include "mint/source.h"

enum mint_runner {
	MINT_RUNNER_BWRAP = 1,
	MINT_RUNNER_HOST,
};

typedef void (*mint_sandbox_log_fn)(void *ctx, const char *line, size_t len);

struct mint_sandbox {
	enum mint_runner runner;
	const char *rootfs;        /* MINT_RUNNER_BWRAP: the guest root */
	const char *workspace;     /* bound read-write at /home/build */
	bool network;              /* share the host's network namespace */
	struct mint_image_kvs env; /* base environment (HOME, PATH, ...) */
	const char *bwrap;         /* NULL: "bwrap" from PATH */
	mint_sandbox_log_fn log;   /* NULL: output discarded (tail still kept) */
	void *log_ctx;
};

#define MINT_SANDBOX_TAIL 4096

struct mint_sandbox_result {
	int exit_status;           /* of /bin/sh, or 128+signal */
	char tail[MINT_SANDBOX_TAIL]; /* the last lines of output, NUL-terminated */
};

/* Runs script in workdir (a guest path) with env added to sb->env.
 * Returns 0 when the step ran (whatever its exit status: see res), or
 * MINT_EIO when bwrap could not be started. */
int mint_sandbox_run(const struct mint_sandbox *sb, const char *script, const char *workdir,
		     const struct mint_image_kvs *env, struct mint_sandbox_result *res,
		     struct mint_err *err);

/* Whether bwrap works here (unprivileged user namespaces allowed); a
 * message saying why not otherwise. */
bool mint_sandbox_available(const char *bwrap, struct mint_err *err);

/* The build environment: cfg's rootfs for arch, built by the image engine
 * (packages resolved and verified through o) and written into dir (which
 * must not exist) as plain files owned by the caller: modes kept, owners
 * dropped, device nodes left out (bwrap supplies /dev). */
int mint_build_env_create(const struct mint_image_config *cfg, enum mint_arch arch,
			  const struct mint_image_source_opts *o, const char *dir,
			  struct mint_err *err);

/* Extracts a tar into dir (existing) without ever leaving it: absolute
 * names, "..", and writes through symlinks are refused (MINT_EUNSAFE);
 * owners dropped; devices skipped; hardlinks only to earlier entries. */
int mint_tar_extract(struct mint_source src, const char *dir, struct mint_err *err);

/* Removes a tree that may hold read-only directories (as builds leave
 * them); never follows symlinks. A missing path is not an error. */
int mint_remove_tree(const char *path, struct mint_err *err);

#endif
