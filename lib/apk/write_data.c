/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The data member of a package written from a directory tree, as melange
 * writes it: a depth-first walk with every directory's names in byte order
 * (Go's fs.WalkDir order), the root itself left out, no trailing '/' on
 * directories, owners 0:0 "root", every mtime the build date, a PAX
 * `APK-TOOLS.checksum.SHA1` record before each regular file (SHA-1 of the
 * content) and symlink (SHA-1 of the target), a repeated inode written as a
 * hardlink to its first path, then the end-of-archive blocks, all in one
 * canonical gzip member.
 *
 * The tree is read through directory descriptors opened with O_NOFOLLOW
 * from destdir, so a symlink is packed as a symlink and never followed, not
 * even out of the tree. Sockets, devices and fifos are refused: a package
 * built by mint holds files, directories and links only.
 *
 * The installed size is the sum of the lstat sizes of the files and
 * symlinks. melange also adds the sizes of directories, but those depend
 * on the filesystem the tree sits on (4096 on ext4, a count of entries on
 * tmpfs), and the same recipe must give the same bytes wherever it is
 * built, so directories count nothing here.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mint/deflate.h"
#include "mint/hash.h"
#include "write_internal.h"

#define WALK_MAX_DEPTH 256
#define READ_CHUNK (64u << 10)

struct seen_inode {
	dev_t dev;
	ino_t ino;
	char *path;
};

struct data_walk {
	const char *destdir;
	int64_t mtime;
	struct mint_tar_writer tar;
	struct mint_gzip_writer *gz;
	struct mint_buf *out;
	struct mint_hash sha256;
	uint64_t installed_size;
	struct seen_inode *inodes;
	size_t n_inodes, cap_inodes;
	unsigned char chunk[READ_CHUNK];
};

static int gz_sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	struct data_walk *w = ctx;
	if (mint_hash_update(&w->sha256, data, len) || mint_buf_append(w->out, data, len))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	return 0;
}

static int tar_sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	struct data_walk *w = ctx;
	return mint_gzip_writer_write(w->gz, data, len, err);
}

/* An error about one entry of the tree: "<destdir>: <path>: <why>". */
static int entry_error(struct mint_err *err, const struct data_walk *w, int code,
		       const char *path, const char *why, int errnum)
{
	if (errnum)
		mint_err_set(err, code, "%s: %s: %s", path, why, strerror(errnum));
	else
		mint_err_set(err, code, "%s: %s", path, why);
	mint_err_set_file(err, w->destdir);
	return code;
}

static void entry_init(struct mint_tar_entry *e, const struct data_walk *w, char *path,
		       enum mint_tar_type type, const struct stat *st)
{
	memset(e, 0, sizeof(*e));
	e->name = path;
	e->type = type;
	e->mode = st->st_mode & 07777;
	e->mtime = w->mtime;
	strcpy(e->uname, "root");
	strcpy(e->gname, "root");
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* The names in dirfd (without "." and ".."), sorted by bytes. Takes dirfd. */
static int list_dir(int dirfd, const char *path, const struct data_walk *w, char ***names,
		    size_t *n, struct mint_err *err)
{
	size_t cap = 0;
	*names = NULL;
	*n = 0;
	DIR *d = fdopendir(dirfd);
	if (!d) {
		close(dirfd);
		return entry_error(err, w, MINT_EIO, path, "cannot list", errno);
	}
	struct dirent *de;
	int rc = 0;
	errno = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			char **grown = realloc(*names, ncap * sizeof(*grown));
			if (!grown) {
				rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
				goto out;
			}
			*names = grown;
			cap = ncap;
		}
		(*names)[*n] = strdup(de->d_name);
		if (!(*names)[*n]) {
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
			goto out;
		}
		(*n)++;
		errno = 0;
	}
	if (errno)
		rc = entry_error(err, w, MINT_EIO, path, "cannot list", errno);
out:
	closedir(d);
	if (rc) {
		free_names(*names, *n);
		*names = NULL;
		*n = 0;
		return rc;
	}
	if (*n)
		qsort(*names, *n, sizeof(**names), cmp_names);
	return 0;
}

/* The first path seen for st's inode, or NULL after recording path as it. */
static int first_link(struct data_walk *w, const struct stat *st, const char *path,
		      const char **first, struct mint_err *err)
{
	*first = NULL;
	if (st->st_nlink < 2)
		return 0;
	for (size_t i = 0; i < w->n_inodes; i++) {
		if (w->inodes[i].dev == st->st_dev && w->inodes[i].ino == st->st_ino) {
			*first = w->inodes[i].path;
			return 0;
		}
	}
	if (w->n_inodes == w->cap_inodes) {
		size_t ncap = w->cap_inodes ? w->cap_inodes * 2 : 16;
		struct seen_inode *grown = realloc(w->inodes, ncap * sizeof(*grown));
		if (!grown)
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		w->inodes = grown;
		w->cap_inodes = ncap;
	}
	char *copy = strdup(path);
	if (!copy)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	w->inodes[w->n_inodes++] = (struct seen_inode){ st->st_dev, st->st_ino, copy };
	return 0;
}

/* Reads size bytes of fd from the start, hashing them with SHA-1 and, when
 * write is set, writing them as the current entry's content. */
static int pass_over_file(struct data_walk *w, int fd, const char *path, uint64_t size,
			  bool write, unsigned char sha1[MINT_HASH_MAX_BYTES],
			  struct mint_err *err)
{
	struct mint_hash h;
	uint64_t done = 0;
	int rc;
	if (mint_hash_init(&h, MINT_HASH_SHA1))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	while (done < size) {
		size_t want = size - done < READ_CHUNK ? (size_t)(size - done) : READ_CHUNK;
		ssize_t got = pread(fd, w->chunk, want, (off_t)done);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = entry_error(err, w, MINT_EIO, path, "cannot read", errno);
			goto fail;
		}
		if (got == 0) {
			rc = entry_error(err, w, MINT_EIO, path, "changed size while being packed", 0);
			goto fail;
		}
		if (mint_hash_update(&h, w->chunk, (size_t)got)) {
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
			goto fail;
		}
		if (write) {
			rc = mint_tar_write_data(&w->tar, w->chunk, (size_t)got, err);
			if (rc)
				goto fail;
		}
		done += (uint64_t)got;
	}
	if (mint_hash_final(&h, sha1))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	return 0;
fail:
	mint_hash_free(&h);
	return rc;
}

static int add_regular(struct data_walk *w, int dirfd, const char *name, char *path,
		       const struct stat *st, struct mint_err *err)
{
	struct mint_tar_entry e;
	const char *first;
	int rc = first_link(w, st, path, &first, err);
	if (rc)
		return rc;
	if (first) {
		entry_init(&e, w, path, MINT_TAR_HARDLINK, st);
		e.link_target = (char *)first;
		return mint_tar_write_header(&w->tar, &e, err);
	}
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return entry_error(err, w, MINT_EIO, path, "cannot open", errno);
	struct stat now;
	if (fstat(fd, &now) || !S_ISREG(now.st_mode) || now.st_ino != st->st_ino ||
	    now.st_size != st->st_size) {
		rc = entry_error(err, w, MINT_EIO, path, "changed while being packed", 0);
		goto out;
	}
	unsigned char sha1[MINT_HASH_MAX_BYTES], again[MINT_HASH_MAX_BYTES];
	uint64_t size = (uint64_t)st->st_size;
	rc = pass_over_file(w, fd, path, size, false, sha1, err);
	if (rc)
		goto out;
	entry_init(&e, w, path, MINT_TAR_REG, st);
	e.size = size;
	e.has_apk_sha1 = true;
	memcpy(e.apk_sha1, sha1, 20);
	rc = mint_tar_write_header(&w->tar, &e, err);
	if (!rc)
		rc = pass_over_file(w, fd, path, size, true, again, err);
	if (!rc && memcmp(sha1, again, 20))
		rc = entry_error(err, w, MINT_EIO, path, "changed while being packed", 0);
	if (!rc)
		rc = mint_tar_write_pad(&w->tar, err);
out:
	close(fd);
	return rc;
}

static int add_symlink(struct data_walk *w, int dirfd, const char *name, char *path,
		       const struct stat *st, struct mint_err *err)
{
	char target[4096];
	ssize_t n = readlinkat(dirfd, name, target, sizeof(target));
	if (n < 0)
		return entry_error(err, w, MINT_EIO, path, "cannot read the link", errno);
	if ((size_t)n >= sizeof(target))
		return entry_error(err, w, MINT_ELIMIT, path, "link target over 4095 bytes", 0);
	target[n] = '\0';
	struct mint_tar_entry e;
	entry_init(&e, w, path, MINT_TAR_SYMLINK, st);
	e.link_target = target;
	e.has_apk_sha1 = true;
	unsigned char sha1[MINT_HASH_MAX_BYTES];
	if (mint_hash_bytes(MINT_HASH_SHA1, target, (size_t)n, sha1))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	memcpy(e.apk_sha1, sha1, 20);
	return mint_tar_write_header(&w->tar, &e, err);
}

static int walk_dir(struct data_walk *w, int dirfd, const char *dir_path, unsigned depth,
		    struct mint_err *err);

static int add_dir(struct data_walk *w, int dirfd, const char *name, char *path,
		   const struct stat *st, unsigned depth, struct mint_err *err)
{
	struct mint_tar_entry e;
	entry_init(&e, w, path, MINT_TAR_DIR, st);
	int rc = mint_tar_write_header(&w->tar, &e, err);
	if (rc)
		return rc;
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return entry_error(err, w, MINT_EIO, path, "cannot open the directory", errno);
	return walk_dir(w, fd, path, depth + 1, err);
}

static const char *kind_of(mode_t mode)
{
	if (S_ISSOCK(mode))
		return "is a socket: a package holds only files, directories and links";
	if (S_ISFIFO(mode))
		return "is a fifo: a package holds only files, directories and links";
	if (S_ISCHR(mode))
		return "is a character device: a package holds only files, directories and links";
	if (S_ISBLK(mode))
		return "is a block device: a package holds only files, directories and links";
	return "has an unknown file type";
}

static int add_entry(struct data_walk *w, int dirfd, const char *dir_path, const char *name,
		     unsigned depth, struct mint_err *err)
{
	struct stat st;
	char *path = NULL;
	int rc;
	if (asprintf(&path, "%s%s%s", dir_path, *dir_path ? "/" : "", name) < 0)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW)) {
		rc = entry_error(err, w, MINT_EIO, path, "cannot stat", errno);
		goto out;
	}
	if (!S_ISDIR(st.st_mode))
		w->installed_size += (uint64_t)st.st_size;
	if (S_ISDIR(st.st_mode))
		rc = add_dir(w, dirfd, name, path, &st, depth, err);
	else if (S_ISREG(st.st_mode))
		rc = add_regular(w, dirfd, name, path, &st, err);
	else if (S_ISLNK(st.st_mode))
		rc = add_symlink(w, dirfd, name, path, &st, err);
	else
		rc = entry_error(err, w, MINT_EUNSUPPORTED, path, kind_of(st.st_mode), 0);
out:
	free(path);
	return rc;
}

/* Takes dirfd. */
static int walk_dir(struct data_walk *w, int dirfd, const char *dir_path, unsigned depth,
		    struct mint_err *err)
{
	char **names;
	size_t n;
	if (depth > WALK_MAX_DEPTH) {
		close(dirfd);
		return entry_error(err, w, MINT_ELIMIT, dir_path, "nested over 256 directories", 0);
	}
	int keep = dup(dirfd);
	int rc = list_dir(dirfd, dir_path, w, &names, &n, err);
	if (rc) {
		if (keep >= 0)
			close(keep);
		return rc;
	}
	if (keep < 0) {
		free_names(names, n);
		return entry_error(err, w, MINT_EIO, dir_path, "cannot keep open", errno);
	}
	for (size_t i = 0; i < n && !rc; i++)
		rc = add_entry(w, keep, dir_path, names[i], depth, err);
	close(keep);
	free_names(names, n);
	return rc;
}

static int walk_root(struct data_walk *w, struct mint_err *err)
{
	int fd = open(w->destdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		mint_err_set(err, MINT_EIO, "cannot open the package directory: %s",
			     strerror(errno));
		mint_err_set_file(err, w->destdir);
		return MINT_EIO;
	}
	struct stat st;
	if (fstat(fd, &st)) {
		close(fd);
		return entry_error(err, w, MINT_EIO, ".", "cannot stat", errno);
	}
	return walk_dir(w, fd, "", 0, err);
}

int apk_write_data(const char *destdir, int64_t mtime, struct mint_buf *out,
		   struct apk_data_result *res, struct mint_err *err)
{
	struct data_walk *w = calloc(1, sizeof(*w));
	uint64_t gz_bytes;
	unsigned char digest[MINT_HASH_MAX_BYTES];
	int rc;
	if (!w)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	w->destdir = destdir;
	w->mtime = mtime;
	w->out = out;
	w->tar = (struct mint_tar_writer){ .sink = tar_sink, .ctx = w };
	if (mint_hash_init(&w->sha256, MINT_HASH_SHA256)) {
		free(w);
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	rc = mint_gzip_writer_new(&w->gz, 0, MINT_GZIP_DEFAULT_LEVEL, gz_sink, w, err);
	if (!rc)
		rc = walk_root(w, err);
	if (!rc)
		rc = mint_tar_write_end(&w->tar, err);
	if (!rc)
		rc = mint_gzip_writer_finish(w->gz, &gz_bytes, err);
	if (!rc) {
		if (mint_hash_final(&w->sha256, digest))
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		else
			memcpy(res->sha256, digest, 32);
		res->installed_size = w->installed_size;
	} else {
		mint_hash_free(&w->sha256);
	}
	mint_gzip_writer_free(w->gz);
	for (size_t i = 0; i < w->n_inodes; i++)
		free(w->inodes[i].path);
	free(w->inodes);
	free(w);
	return rc;
}
