/* SPDX-License-Identifier: Apache-2.0 */
/* Bounded reads and atomic (temp + rename) writes; see mint/fs.h. */
#include "mint/fs.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int io_error(struct mint_err *err, const char *path, const char *what)
{
	int e = errno;
	mint_err_set_file(err, path);
	return mint_err_set(err, MINT_EIO, "%s: %s", what, strerror(e));
}

int mint_file_read(const char *path, size_t max_bytes, struct mint_buf *out,
		   struct mint_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return io_error(err, path, "cannot open");
	mint_buf_reset(out);
	int rc = 0;
	for (;;) {
		if (mint_buf_reserve(out, 65536)) {
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory reading");
			break;
		}
		ssize_t n = read(fd, out->data + out->len, out->cap - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = io_error(err, path, "cannot read");
			break;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->data[out->len] = '\0';
		if (out->len > max_bytes) {
			rc = mint_err_set(err, MINT_ELIMIT, "file is larger than the limit of %zu bytes",
					  max_bytes);
			break;
		}
	}
	close(fd);
	mint_err_set_file(err, rc ? path : NULL);
	return rc;
}

int mint_atomic_open(struct mint_atomic_file *f, const char *path, struct mint_err *err)
{
	f->fd = -1;
	f->tmp_path = NULL;
	f->final_path = strdup(path);
	size_t n = strlen(path) + 16;
	char *copy = strdup(path);
	f->tmp_path = malloc(n);
	if (!f->final_path || !copy || !f->tmp_path) {
		free(copy);
		mint_atomic_abort(f);
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	char *dir = dirname(copy);
	char *base = strrchr(path, '/');
	base = base ? base + 1 : (char *)path;
	snprintf(f->tmp_path, n, "%s/.%s.XXXXXX", dir, base);
	free(copy);
	f->fd = mkostemp(f->tmp_path, O_CLOEXEC);
	if (f->fd < 0) {
		int rc = io_error(err, path, "cannot create temporary file");
		free(f->tmp_path);
		f->tmp_path = NULL;
		mint_atomic_abort(f);
		return rc;
	}
	return 0;
}

int mint_atomic_write(struct mint_atomic_file *f, const void *data, size_t len,
		      struct mint_err *err)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(f->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return io_error(err, f->final_path, "cannot write");
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void sync_parent_dir(const char *path)
{
	char *copy = strdup(path);
	if (!copy)
		return;
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

int mint_atomic_commit(struct mint_atomic_file *f, mode_t mode, struct mint_err *err)
{
	int rc = 0;
	if (fchmod(f->fd, mode) || fsync(f->fd))
		rc = io_error(err, f->final_path, "cannot finish writing");
	if (close(f->fd) && !rc)
		rc = io_error(err, f->final_path, "cannot close");
	f->fd = -1;
	if (!rc && rename(f->tmp_path, f->final_path))
		rc = io_error(err, f->final_path, "cannot rename into place");
	if (!rc) {
		sync_parent_dir(f->final_path);
		free(f->tmp_path);
		f->tmp_path = NULL;
	}
	mint_atomic_abort(f);
	return rc;
}

void mint_atomic_abort(struct mint_atomic_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	if (f->tmp_path)
		unlink(f->tmp_path);
	free(f->tmp_path);
	free(f->final_path);
	f->tmp_path = f->final_path = NULL;
}

int mint_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
			   struct mint_err *err)
{
	struct mint_atomic_file f;
	int rc = mint_atomic_open(&f, path, err);
	if (rc)
		return rc;
	rc = mint_atomic_write(&f, data, len, err);
	if (rc) {
		mint_atomic_abort(&f);
		return rc;
	}
	return mint_atomic_commit(&f, mode, err);
}

int mint_mkdir_p(const char *path, mode_t mode, struct mint_err *err)
{
	if (!*path)
		return mint_err_set(err, MINT_EINVAL, "cannot create a directory with an empty path");
	char *p = strdup(path);
	if (!p)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (char *s = p + 1;; s++) {
		char c = *s;
		if (c != '/' && c != '\0')
			continue;
		*s = '\0';
		bool made = !mkdir(p, mode);
		if ((!made && errno != EEXIST) || (made && chmod(p, mode))) {
			int e = errno;
			mint_err_set(err, MINT_EIO, "cannot create directory %s: %s", p, strerror(e));
			free(p);
			return MINT_EIO;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return 0;
}
