/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mint_remove_tree: rm -rf for build directories. Builds leave read-only
 * directories behind (a package's 0555 /usr/bin, a Go module cache), so each
 * directory is made owner-writable before its entries go. Symlinks are
 * removed, never followed: every step is relative to an open descriptor
 * opened with O_NOFOLLOW.
 *
 * Depth does not cost descriptors: a directory's names are read first and
 * its descriptor closed; the walk goes down with openat(name) and back up
 * with openat(".."), checked against the device and inode it left, so a
 * tree as deep as the file system allows is removed with two descriptors
 * open at a time.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mint/sandbox.h"

#define DIR_OPEN_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

struct names {
	char **v;
	size_t n, cap;
};

static void names_free(struct names *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
}

static int names_add(struct names *ns, const char *name)
{
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 16;
		char **v = realloc(ns->v, cap * sizeof(*v));
		if (!v)
			return MINT_ENOMEM;
		ns->v = v;
		ns->cap = cap;
	}
	if (!(ns->v[ns->n] = strdup(name)))
		return MINT_ENOMEM;
	ns->n++;
	return 0;
}

static int fail_errno(struct mint_err *err, const char *path, const char *what, int errnum)
{
	return mint_err_set(err, MINT_EIO, "%s: %s: %s", path, what, strerror(errnum));
}

/* The names in the directory fd (consumed: it is closed). */
static int read_names(int fd, const char *path, struct names *out, struct mint_err *err)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return fail_errno(err, path, "cannot read the directory", errno);
	}
	int rc = 0;
	struct dirent *de;
	errno = 0;
	while (!rc && (de = readdir(d))) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			rc = names_add(out, de->d_name);
		errno = 0;
	}
	if (rc)
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	else if (errno)
		rc = fail_errno(err, path, "cannot read the directory", errno);
	closedir(d);
	return rc;
}

static int empty_dir(int *fd, const char *path, struct mint_err *err);

/* Opens the directory name under at; one its owner cannot read or search
 * (mode 0000, say) first gets u+rwx, through an O_PATH descriptor so that
 * the change cannot land anywhere else. Returns the fd or -1 with errno. */
static int open_dir(int at, const char *name)
{
	int fd = openat(at, name, DIR_OPEN_FLAGS);
	if (fd >= 0 || errno != EACCES)
		return fd;
	int pfd = openat(at, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (pfd < 0)
		return -1;
	struct stat st;
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
	int ok = fstat(pfd, &st) == 0 && chmod(proc, (st.st_mode & 07777) | 0700) == 0;
	int saved = errno;
	close(pfd);
	if (!ok) {
		errno = saved;
		return -1;
	}
	return openat(at, name, DIR_OPEN_FLAGS);
}

/* Removes name from the directory *fd; *fd may be replaced by a
 * descriptor of the same directory. */
static int remove_entry(int *fd, const char *name, const char *path, struct mint_err *err)
{
	if (unlinkat(*fd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return fail_errno(err, path, "cannot remove an entry", errno);
	struct stat up;
	if (fstat(*fd, &up) < 0)
		return fail_errno(err, path, "cannot stat", errno);
	int child = open_dir(*fd, name);
	if (child < 0)
		return fail_errno(err, path, "cannot open a subdirectory", errno);
	close(*fd);
	*fd = -1;
	int rc = empty_dir(&child, path, err);
	int parent = openat(child, "..", DIR_OPEN_FLAGS);
	int saved = errno;
	close(child);
	if (rc) {
		if (parent >= 0)
			close(parent);
		return rc;
	}
	if (parent < 0)
		return fail_errno(err, path, "cannot go back up", saved);
	*fd = parent;
	struct stat back;
	if (fstat(parent, &back) < 0 || back.st_dev != up.st_dev || back.st_ino != up.st_ino)
		return mint_err_set(err, MINT_EIO, "%s: moved while being removed", path);
	if (unlinkat(parent, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return fail_errno(err, path, "cannot remove a directory", errno);
	return 0;
}

/* Removes everything in the directory *fd (left open on success). */
static int empty_dir(int *fd, const char *path, struct mint_err *err)
{
	struct names ns = { 0 };
	struct stat st;
	if (fstat(*fd, &st) < 0)
		return fail_errno(err, path, "cannot stat", errno);
	if ((st.st_mode & 0700) != 0700 && fchmod(*fd, (st.st_mode & 07777) | 0700) < 0)
		return fail_errno(err, path, "cannot make the directory writable", errno);
	int dup_fd = dup(*fd);
	if (dup_fd < 0)
		return fail_errno(err, path, "cannot read the directory", errno);
	int rc = read_names(dup_fd, path, &ns, err);
	for (size_t i = 0; !rc && i < ns.n; i++)
		rc = remove_entry(fd, ns.v[i], path, err);
	names_free(&ns);
	return rc;
}

int mint_remove_tree(const char *path, struct mint_err *err)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : fail_errno(err, path, "cannot stat", errno);
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path) < 0 && errno != ENOENT)
			return fail_errno(err, path, "cannot remove", errno);
		return 0;
	}
	int fd = open_dir(AT_FDCWD, path);
	if (fd < 0)
		return fail_errno(err, path, "cannot open", errno);
	int rc = empty_dir(&fd, path, err);
	if (fd >= 0)
		close(fd);
	if (!rc && rmdir(path) < 0 && errno != ENOENT)
		rc = fail_errno(err, path, "cannot remove", errno);
	return rc;
}
