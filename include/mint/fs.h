/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Files in and out. Reads are bounded; writes go to a temporary file in the
 * target's directory and are renamed into place, so an interrupted run leaves
 * either the old file or the new one, never a torn one.
 */
#ifndef MINT_FS_H
#define MINT_FS_H

#include <stddef.h>
#include <sys/types.h>

#include "mint/buf.h"
#include "mint/err.h"

/* Reads the whole file into out (replacing its contents). More than max_bytes
 * is MINT_ELIMIT. */
int mint_file_read(const char *path, size_t max_bytes, struct mint_buf *out,
		   struct mint_err *err);

/* An output file being written under a temporary name. */
struct mint_atomic_file {
	int fd;
	char *final_path;
	char *tmp_path;
};

int mint_atomic_open(struct mint_atomic_file *f, const char *path, struct mint_err *err);
int mint_atomic_write(struct mint_atomic_file *f, const void *data, size_t len,
		      struct mint_err *err);
/* Sets the mode (independent of umask), flushes to disk and renames into place. */
int mint_atomic_commit(struct mint_atomic_file *f, mode_t mode, struct mint_err *err);
/* Removes the temporary file; safe after a commit and on a never-opened file. */
void mint_atomic_abort(struct mint_atomic_file *f);

/* mkdir -p: creates path and its missing parents, each with exactly mode
 * (set apart from mkdir, so the umask never reaches it); existing
 * directories are left as they are. An empty path is MINT_EINVAL; a
 * component that cannot be made is MINT_EIO naming it. */
int mint_mkdir_p(const char *path, mode_t mode, struct mint_err *err);

/* One-shot: open, write, commit. */
int mint_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
			   struct mint_err *err);

#endif
