/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The bytes behind the plan's package nodes. A node knows the range of its
 * content in its package's uncompressed data stream; the stream is gzip, so
 * reading a range in the middle would mean inflating from the start every
 * time. Each package's data stream is therefore kept in an unlinked
 * temporary file (it disappears with the process, however it ends), and
 * contents are pread from there while the layer is written. Memory stays
 * flat whatever the image size; the cost is disk space for the
 * uncompressed image while it is built.
 *
 * Usually the file was written while the package was read and verified
 * (mint_image_source_opts.keep_data, through mint_image_pkgdata_sink) and
 * is only borrowed here; a package read without it is inflated again, in
 * parallel across packages. Either way the packages were verified
 * (identity, datahash, the data member's CRC) before any of these bytes
 * are used.
 */
#include "mint/image_build.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mint/fs.h"
#include "mint/gzip.h"

#define INFLATE_CHUNK (256u << 10)
#define MAX_WORKERS 8

struct pread_cursor {
	int fd;
	uint64_t pos, end;
};

struct mint_image_pkgdata {
	const struct mint_image_arch_packages *pkgs;
	int *fds;
	bool *borrowed; /* fds[i] belongs to pkgs->pkgs[i] */
	char *tmpdir;
	struct pread_cursor cursor; /* the one open content */
	/* inflating */
	atomic_size_t next;
	atomic_int failed;
	pthread_mutex_t lock;
	struct mint_err first_err;
};

static const char *tmpdir_or_default(const char *tmpdir)
{
	const char *env = getenv("TMPDIR");
	return tmpdir ? tmpdir : env && env[0] ? env : "/tmp";
}

int mint_image_pkgdata_tmpfile(const char *tmpdir, int *fd, struct mint_err *err)
{
	const char *dir = tmpdir_or_default(tmpdir);
	*fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (*fd >= 0)
		return 0;
	/* file systems without O_TMPFILE: a named file, unlinked at once */
	char path[4096];
	snprintf(path, sizeof(path), "%s/.mint-pkgdata-XXXXXX", dir);
	*fd = mkostemp(path, O_CLOEXEC);
	if (*fd < 0) {
		mint_err_set_file(err, dir);
		return mint_err_set(err, MINT_EIO, "cannot create a temporary file: %s",
				    strerror(errno));
	}
	unlink(path);
	return 0;
}

static int write_all(int fd, const void *data, size_t len, struct mint_err *err)
{
	const char *p = data;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return mint_err_set(err, MINT_EIO, "writing package data: %s",
					    strerror(errno));
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static int sink_write(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	const int *fd = ctx;
	return write_all(*fd, data, len, err);
}

struct mint_apk_data_sink mint_image_pkgdata_sink(int *fd)
{
	return (struct mint_apk_data_sink){ sink_write, fd };
}

/* Inflates the data member of one package into fd. */
static int inflate_one(const struct mint_image_install *ins, int fd, struct mint_err *err)
{
	struct mint_buf file = MINT_BUF_INIT;
	struct mint_gunzip gz;
	bool gz_open = false;
	char *chunk = malloc(INFLATE_CHUNK);
	uint64_t total = 0;
	int rc = chunk ? mint_file_read(ins->path, ins->pkg.file_size + 1, &file, err)
		       : mint_err_set(err, MINT_ENOMEM, "out of memory");
	if (rc)
		goto out;
	const struct mint_apk_range *m = &ins->pkg.data_member;
	if (m->offset + m->size > file.len) {
		rc = mint_err_set(err, MINT_ETRUNCATED, "the package file changed since it was read");
		goto out;
	}
	struct mint_gzip_limits gl = { ins->pkg.data_tar_bytes + (1u << 20), 0 };
	rc = mint_gunzip_init(&gz, MINT_SPAN(file.data + m->offset, m->size), &gl, err);
	gz_open = !rc;
	for (size_t got = 1; !rc && got;) {
		rc = mint_gunzip_read(&gz, chunk, INFLATE_CHUNK, &got, err);
		if (!rc && got) {
			rc = write_all(fd, chunk, got, err);
			total += got;
		}
	}
	if (!rc && total < ins->pkg.data_tar_bytes)
		rc = mint_err_set(err, MINT_ETRUNCATED, "data member shorter than when it was read");
out:
	if (rc)
		mint_err_prefix(err, "%s", ins->path);
	if (gz_open)
		mint_gunzip_free(&gz);
	mint_buf_free(&file);
	free(chunk);
	return rc;
}

static void *worker(void *arg)
{
	struct mint_image_pkgdata *d = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&d->next, 1);
		if (i >= d->pkgs->n || atomic_load(&d->failed))
			return NULL;
		if (d->borrowed[i])
			continue;
		struct mint_err err = { 0 };
		int rc = mint_image_pkgdata_tmpfile(d->tmpdir, &d->fds[i], &err);
		if (!rc)
			rc = inflate_one(&d->pkgs->pkgs[i], d->fds[i], &err);
		if (rc && !atomic_exchange(&d->failed, rc)) {
			pthread_mutex_lock(&d->lock);
			d->first_err = err;
			pthread_mutex_unlock(&d->lock);
		}
	}
}

static unsigned worker_count(size_t n_pkgs)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned n = cpus > 0 ? (unsigned)cpus : 1;
	if (n > MAX_WORKERS)
		n = MAX_WORKERS;
	return n > n_pkgs ? (unsigned)(n_pkgs ? n_pkgs : 1) : n;
}

/* Only the packages whose data stream was not kept when they were read. */
static int inflate_all(struct mint_image_pkgdata *d, size_t n_to_inflate, struct mint_err *err)
{
	if (!n_to_inflate)
		return 0;
	pthread_t threads[MAX_WORKERS];
	unsigned n = worker_count(n_to_inflate), started = 0;
	for (; started < n; started++)
		if (pthread_create(&threads[started], NULL, worker, d))
			break;
	if (!started)
		worker(d);
	for (unsigned i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	int rc = atomic_load(&d->failed);
	if (rc && err)
		*err = d->first_err;
	return rc;
}

int mint_image_pkgdata_open(struct mint_image_pkgdata **out,
			    const struct mint_image_arch_packages *pkgs, const char *tmpdir,
			    struct mint_err *err)
{
	*out = NULL;
	struct mint_image_pkgdata *d = calloc(1, sizeof(*d));
	if (!d)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	d->pkgs = pkgs;
	d->tmpdir = strdup(tmpdir_or_default(tmpdir));
	d->fds = malloc((pkgs->n + 1) * sizeof(*d->fds));
	d->borrowed = calloc(pkgs->n + 1, sizeof(*d->borrowed));
	pthread_mutex_init(&d->lock, NULL);
	if (!d->tmpdir || !d->fds || !d->borrowed) {
		free(d->fds); /* nothing in it to close yet */
		d->fds = NULL;
		mint_image_pkgdata_free(d);
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	size_t n_to_inflate = 0;
	for (size_t i = 0; i < pkgs->n; i++) {
		const struct mint_image_install *ins = &pkgs->pkgs[i];
		d->borrowed[i] = ins->has_data_fd && ins->data_fd >= 0;
		d->fds[i] = d->borrowed[i] ? ins->data_fd : -1;
		n_to_inflate += !d->borrowed[i];
	}
	int rc = inflate_all(d, n_to_inflate, err);
	if (rc) {
		mint_image_pkgdata_free(d);
		return rc;
	}
	*out = d;
	return 0;
}

static int cursor_read(void *ctx, void *buf, size_t cap, size_t *got, struct mint_err *err)
{
	struct pread_cursor *c = ctx;
	*got = 0;
	if (c->pos >= c->end)
		return 0;
	if (cap > c->end - c->pos)
		cap = (size_t)(c->end - c->pos);
	ssize_t r;
	do
		r = pread(c->fd, buf, cap, (off_t)c->pos);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return mint_err_set(err, MINT_EIO, "reading package data: %s", strerror(errno));
	if (r == 0)
		return mint_err_set(err, MINT_ETRUNCATED, "package data ends early");
	c->pos += (uint64_t)r;
	*got = (size_t)r;
	return 0;
}

static int open_content(void *ctx, const struct mint_plan_node *node, struct mint_source *src,
			struct mint_err *err)
{
	struct mint_image_pkgdata *d = ctx;
	if (node->owner >= d->pkgs->n || d->fds[node->owner] < 0)
		return mint_err_set(err, MINT_EINVAL, "%s: no data for its package", node->path);
	const struct mint_image_install *ins = &d->pkgs->pkgs[node->owner];
	if (node->data_offset > ins->pkg.data_tar_bytes ||
	    node->size > ins->pkg.data_tar_bytes - node->data_offset)
		return mint_err_set(err, MINT_EINVAL, "%s: content outside its package's data",
				    node->path);
	d->cursor = (struct pread_cursor){ d->fds[node->owner], node->data_offset,
					   node->data_offset + node->size };
	*src = (struct mint_source){ cursor_read, &d->cursor };
	return 0;
}

void mint_image_pkgdata_reader(struct mint_image_pkgdata *d, struct mint_plan_content_reader *r)
{
	*r = (struct mint_plan_content_reader){ open_content, NULL, d };
}

void mint_image_pkgdata_free(struct mint_image_pkgdata *d)
{
	if (!d)
		return;
	for (size_t i = 0; d->fds && d->borrowed && i < d->pkgs->n; i++)
		if (d->fds[i] >= 0 && !d->borrowed[i])
			close(d->fds[i]);
	free(d->fds);
	free(d->borrowed);
	free(d->tmpdir);
	pthread_mutex_destroy(&d->lock);
	free(d);
}
