/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mint_tar_extract: a tar unpacked into a directory that it can never
 * leave. Every name is cleaned (mint_path_clean: no "..", no absolute
 * names) and then walked one component at a time from a descriptor of the
 * root with O_NOFOLLOW, so a symlink met on the way (shipped by an earlier
 * entry or already there) stops the entry instead of being followed.
 * Files are created with O_EXCL after whatever stood at their name is
 * unlinked, so nothing is written through a link either.
 *
 * What is kept: contents, symlinks (their targets as written: they are
 * never followed here), hardlinks to files already in the tree, and the
 * permission bits plus the sticky bit. Owners are dropped (everything
 * belongs to the caller), and with them the set-user-ID and set-group-ID
 * bits: a setuid file of the caller's is not what the archive meant. Device
 * nodes and FIFOs are skipped. Times are not restored.
 *
 * Directories are made owner-writable and searchable while the archive is
 * unpacked (so a read-only directory can still receive its entries) and get
 * their own modes at the end, deepest first. On error they stay
 * owner-writable, which keeps the partial tree easy to remove.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mint/buf.h"
#include "mint/path.h"
#include "mint/sandbox.h"
#include "mint/tar.h"

#define KEPT_MODE_BITS 01777u
#define DIR_WORK_BITS 0700u
#define IMPLICIT_DIR_MODE 0755u

struct dir_mode {
	char *path;
	unsigned depth;
	size_t seq;
	mode_t mode;
};

struct extractor {
	int root_fd;
	struct mint_tar_reader *reader;
	const struct mint_tar_entry *entry;
	struct dir_mode *dirs;
	size_t n_dirs, cap_dirs;
	struct mint_buf name;
	struct mint_buf target;
};

static int entry_fail(struct extractor *x, int code, const char *what, int errnum,
		      struct mint_err *err)
{
	if (errnum)
		mint_err_set(err, code, "%s: %s: %s", mint_buf_cstr(&x->name), what,
			     strerror(errnum));
	else
		mint_err_set(err, code, "%s: %s", mint_buf_cstr(&x->name), what);
	if (x->entry)
		mint_err_set_offset(err, x->entry->header_offset);
	return code;
}

/* A directory one step below fd, not through a symlink; with create, made
 * (mode 0755, owner-writable) when missing. Returns the new fd or -errno. */
static int open_child_dir(int fd, const char *name, bool create)
{
	int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	int child = openat(fd, name, flags);
	if (child >= 0 || errno != ENOENT || !create)
		return child >= 0 ? child : -errno;
	if (mkdirat(fd, name, IMPLICIT_DIR_MODE) < 0 && errno != EEXIST)
		return -errno;
	child = openat(fd, name, flags);
	return child >= 0 ? child : -errno;
}

/* Opens the directory holding the last component of path (clean, relative)
 * and points *base at that component. Missing directories on the way are
 * created. */
static int open_parent(struct extractor *x, char *path, const char **base,
		       struct mint_err *err)
{
	int fd = dup(x->root_fd);
	if (fd < 0)
		return entry_fail(x, MINT_EIO, "cannot open the root", errno, err);
	char *comp = path;
	char *slash;
	while ((slash = strchr(comp, '/'))) {
		*slash = '\0';
		int child = open_child_dir(fd, comp, true);
		*slash = '/';
		close(fd);
		if (child == -ELOOP || child == -ENOTDIR)
			return entry_fail(x, MINT_EUNSAFE,
					  "a parent is a symlink or not a directory", 0, err);
		if (child < 0)
			return entry_fail(x, MINT_EIO, "cannot open a parent directory", -child,
					  err);
		fd = child;
		comp = slash + 1;
	}
	*base = comp;
	return fd;
}

/* Makes room for a new non-directory at name: whatever is there that is
 * not a directory goes (a link is removed, never followed). */
static int clear_name(struct extractor *x, int dir_fd, const char *name, struct mint_err *err)
{
	struct stat st;
	if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : entry_fail(x, MINT_EIO, "cannot stat", errno, err);
	if (S_ISDIR(st.st_mode))
		return entry_fail(x, MINT_EFORMAT, "a directory is already there", 0, err);
	if (unlinkat(dir_fd, name, 0) < 0)
		return entry_fail(x, MINT_EIO, "cannot replace", errno, err);
	return 0;
}

static int remember_dir(struct extractor *x, mode_t mode, struct mint_err *err)
{
	if (x->n_dirs == x->cap_dirs) {
		size_t cap = x->cap_dirs ? x->cap_dirs * 2 : 64;
		struct dir_mode *d = realloc(x->dirs, cap * sizeof(*d));
		if (!d)
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		x->dirs = d;
		x->cap_dirs = cap;
	}
	char *path = strdup(mint_buf_cstr(&x->name));
	if (!path)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	unsigned depth = 0;
	for (const char *p = path; *p; p++)
		depth += *p == '/';
	x->dirs[x->n_dirs] = (struct dir_mode){ path, depth, x->n_dirs, mode };
	x->n_dirs++;
	return 0;
}

static int make_dir(struct extractor *x, int parent, const char *base, struct mint_err *err)
{
	mode_t mode = x->entry->mode & KEPT_MODE_BITS;
	if (mkdirat(parent, base, mode | DIR_WORK_BITS) < 0 && errno != EEXIST)
		return entry_fail(x, MINT_EIO, "cannot create the directory", errno, err);
	int fd = open_child_dir(parent, base, false);
	if (fd == -ELOOP || fd == -ENOTDIR)
		return entry_fail(x, MINT_EFORMAT, "a non-directory is already there", 0, err);
	if (fd < 0)
		return entry_fail(x, MINT_EIO, "cannot open the directory", -fd, err);
	int rc = fchmod(fd, mode | DIR_WORK_BITS) < 0 ?
		entry_fail(x, MINT_EIO, "cannot change its mode", errno, err) : 0;
	close(fd);
	return rc ? rc : remember_dir(x, mode, err);
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int copy_content(struct extractor *x, int fd, struct mint_err *err)
{
	char buf[65536];
	for (;;) {
		size_t got = 0;
		int rc = mint_tar_read(x->reader, buf, sizeof(buf), &got, err);
		if (rc || !got)
			return rc;
		int w = write_all(fd, buf, got);
		if (w)
			return entry_fail(x, MINT_EIO, "cannot write", -w, err);
	}
}

static int make_file(struct extractor *x, int parent, const char *base, struct mint_err *err)
{
	int rc = clear_name(x, parent, base, err);
	if (rc)
		return rc;
	int fd = openat(parent, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return entry_fail(x, MINT_EIO, "cannot create", errno, err);
	rc = copy_content(x, fd, err);
	if (!rc && fchmod(fd, x->entry->mode & KEPT_MODE_BITS) < 0)
		rc = entry_fail(x, MINT_EIO, "cannot change its mode", errno, err);
	if (close(fd) < 0 && !rc)
		rc = entry_fail(x, MINT_EIO, "cannot write", errno, err);
	return rc;
}

static int make_symlink(struct extractor *x, int parent, const char *base, struct mint_err *err)
{
	const char *target = x->entry->link_target;
	if (!target || !*target)
		return entry_fail(x, MINT_EFORMAT, "symlink without a target", 0, err);
	int rc = clear_name(x, parent, base, err);
	if (rc)
		return rc;
	if (symlinkat(target, parent, base) < 0)
		return entry_fail(x, MINT_EIO, "cannot create the symlink", errno, err);
	return 0;
}

/* A hardlink names a file already in the tree, walked to as safely as any
 * entry; the link is made to that file itself (a symlink is not followed). */
static int make_hardlink(struct extractor *x, int parent, const char *base, struct mint_err *err)
{
	const char *raw = x->entry->link_target ? x->entry->link_target : "";
	int rc = mint_path_clean(mint_span_str(raw), false, &x->target, err);
	if (rc)
		return entry_fail(x, rc, "unsafe hardlink target", 0, err);
	if (!x->target.len)
		return entry_fail(x, MINT_EFORMAT, "hardlink to the root", 0, err);
	const char *tbase;
	int tdir = open_parent(x, x->target.data, &tbase, err);
	if (tdir < 0)
		return tdir;
	struct stat st;
	if (fstatat(tdir, tbase, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		rc = entry_fail(x, MINT_ENOTFOUND, "hardlink to a missing file", 0, err);
	} else if (S_ISDIR(st.st_mode)) {
		rc = entry_fail(x, MINT_EFORMAT, "hardlink to a directory", 0, err);
	} else if (!strcmp(x->target.data, mint_buf_cstr(&x->name))) {
		rc = 0; /* a link to itself: the file is already there */
	} else {
		rc = clear_name(x, parent, base, err);
		if (!rc && linkat(tdir, tbase, parent, base, 0) < 0)
			rc = entry_fail(x, MINT_EIO, "cannot create the hardlink", errno, err);
	}
	close(tdir);
	return rc;
}

static int extract_entry(struct extractor *x, struct mint_err *err)
{
	const struct mint_tar_entry *e = x->entry;
	int rc = mint_path_clean(mint_span_str(e->name), false, &x->name, err);
	if (rc) {
		mint_err_set_offset(err, e->header_offset);
		mint_err_prefix(err, "tar entry");
		return rc;
	}
	if (!x->name.len) {
		if (e->type == MINT_TAR_DIR)
			return 0; /* the root itself: dir exists and keeps its mode */
		return entry_fail(x, MINT_EFORMAT, "names the root", 0, err);
	}
	if (e->type == MINT_TAR_CHAR || e->type == MINT_TAR_BLOCKDEV || e->type == MINT_TAR_FIFO)
		return 0;
	char *path = x->name.data;
	const char *base;
	int parent = open_parent(x, path, &base, err);
	if (parent < 0)
		return parent;
	switch (e->type) {
	case MINT_TAR_DIR: rc = make_dir(x, parent, base, err); break;
	case MINT_TAR_SYMLINK: rc = make_symlink(x, parent, base, err); break;
	case MINT_TAR_HARDLINK: rc = make_hardlink(x, parent, base, err); break;
	case MINT_TAR_REG: rc = make_file(x, parent, base, err); break;
	default: rc = entry_fail(x, MINT_EUNSUPPORTED, "unknown entry type", 0, err); break;
	}
	close(parent);
	return rc;
}

static int deepest_first(const void *a, const void *b)
{
	const struct dir_mode *x = a, *y = b;
	if (x->depth != y->depth)
		return x->depth < y->depth ? 1 : -1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Gives each directory its own mode, children before parents so that a
 * read-only parent does not stop its child's change. A directory named
 * twice gets the mode of its last entry. */
static int apply_dir_modes(struct extractor *x, struct mint_err *err)
{
	if (x->n_dirs)
		qsort(x->dirs, x->n_dirs, sizeof(*x->dirs), deepest_first);
	x->entry = NULL;
	for (size_t i = 0; i < x->n_dirs; i++) {
		mint_buf_reset(&x->name);
		if (mint_buf_puts(&x->name, x->dirs[i].path))
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		size_t len = x->name.len;
		if (mint_buf_puts(&x->name, "/.") < 0)
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		const char *base;
		int fd = open_parent(x, x->name.data, &base, err);
		x->name.data[len] = '\0';
		x->name.len = len;
		if (fd < 0)
			return fd;
		int rc = fchmod(fd, x->dirs[i].mode) < 0 ?
			entry_fail(x, MINT_EIO, "cannot change its mode", errno, err) : 0;
		close(fd);
		if (rc)
			return rc;
	}
	return 0;
}

int mint_tar_extract(struct mint_source src, const char *dir, struct mint_err *err)
{
	struct extractor x = { .root_fd = -1 };
	int rc;
	x.root_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (x.root_fd < 0) {
		rc = mint_err_set(err, MINT_EIO, "%s: cannot open: %s", dir, strerror(errno));
		goto out;
	}
	rc = mint_tar_reader_new(&x.reader, src, NULL, MINT_TAR_END_REQUIRED, err);
	while (!rc && (rc = mint_tar_next(x.reader, &x.entry, err)) == 1)
		rc = extract_entry(&x, err);
	if (!rc)
		rc = apply_dir_modes(&x, err);
out:
	for (size_t i = 0; i < x.n_dirs; i++)
		free(x.dirs[i].path);
	free(x.dirs);
	mint_buf_free(&x.name);
	mint_buf_free(&x.target);
	mint_tar_reader_free(x.reader);
	if (x.root_fd >= 0)
		close(x.root_fd);
	return rc;
}
