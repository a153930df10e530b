/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The build workspace: a fresh directory bound at /home/build, holding a
 * copy of the source directory and melange-out/<package> for each
 * package. Guest paths map into it only through pkg_guest_to_host, which
 * refuses anything outside /home/build.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build_internal.h"
#include "mint/path.h"

#define GUEST_HOME "/home/build"

int pkg_guest_to_host(const struct pkg_job *j, const char *guest, struct mint_buf *out,
		      struct mint_err *err)
{
	size_t home = strlen(GUEST_HOME);
	if (strncmp(guest, GUEST_HOME, home) || (guest[home] && guest[home] != '/'))
		return mint_err_set(err, MINT_EUNSAFE, "path %s is outside the workspace %s", guest,
				    GUEST_HOME);
	const char *rel = guest + home;
	while (*rel == '/')
		rel++;
	mint_buf_reset(out);
	int rc = mint_path_join(j->workspace, mint_span_str(rel), out, err);
	if (rc)
		mint_err_prefix(err, "workspace path %s", guest);
	return rc;
}

static int copy_file(int from_dir, int to_dir, const char *name, mode_t mode,
		     struct mint_err *err)
{
	char buf[65536];
	int in = openat(from_dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	int out = in < 0 ? -1
			 : openat(to_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				  mode & 0777);
	int rc = in < 0 || out < 0 ? MINT_EIO : 0;
	while (!rc) {
		ssize_t n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? MINT_EIO : 0;
			break;
		}
		for (ssize_t off = 0; off < n && !rc;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno != EINTR)
				rc = MINT_EIO;
			off += w > 0 ? w : 0;
		}
	}
	if (rc)
		mint_err_set(err, MINT_EIO, "cannot copy %s into the workspace: %s", name,
			     strerror(errno));
	if (!rc && fchmod(out, mode & 0777))
		rc = mint_err_set(err, MINT_EIO, "cannot chmod %s: %s", name, strerror(errno));
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return rc;
}

static int copy_dir(int from, int to, const char *where, struct mint_err *err);

static int copy_entry(int from, int to, const char *name, const char *where,
		      struct mint_err *err)
{
	struct stat st;
	if (fstatat(from, name, &st, AT_SYMLINK_NOFOLLOW))
		return mint_err_set(err, MINT_EIO, "%s/%s: %s", where, name, strerror(errno));
	if (S_ISREG(st.st_mode))
		return copy_file(from, to, name, st.st_mode, err);
	if (S_ISLNK(st.st_mode)) {
		char target[4096];
		ssize_t n = readlinkat(from, name, target, sizeof(target) - 1);
		if (n < 0)
			return mint_err_set(err, MINT_EIO, "%s/%s: %s", where, name, strerror(errno));
		target[n] = '\0';
		if (symlinkat(target, to, name))
			return mint_err_set(err, MINT_EIO, "%s/%s: %s", where, name, strerror(errno));
		return 0;
	}
	if (!S_ISDIR(st.st_mode))
		return 0; /* sockets, fifos and devices are not sources */
	if (mkdirat(to, name, 0755) && errno != EEXIST)
		return mint_err_set(err, MINT_EIO, "%s/%s: %s", where, name, strerror(errno));
	int sub_from = openat(from, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int sub_to = openat(to, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct mint_buf path = { 0 };
	int rc = sub_from < 0 || sub_to < 0
			 ? mint_err_set(err, MINT_EIO, "%s/%s: %s", where, name, strerror(errno))
			 : mint_buf_printf(&path, "%s/%s", where, name);
	if (!rc)
		rc = copy_dir(sub_from, sub_to, path.data, err);
	if (!rc && fchmod(sub_to, (st.st_mode & 0777) | 0700))
		rc = mint_err_set(err, MINT_EIO, "%s/%s: %s", where, name, strerror(errno));
	mint_buf_free(&path);
	if (sub_from >= 0)
		close(sub_from);
	if (sub_to >= 0)
		close(sub_to);
	return rc;
}

static int copy_dir(int from, int to, const char *where, struct mint_err *err)
{
	int fd = dup(from);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return mint_err_set(err, MINT_EIO, "cannot read %s: %s", where, strerror(errno));
	}
	int rc = 0;
	struct dirent *e;
	while (!rc && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		rc = copy_entry(from, to, e->d_name, where, err);
	}
	closedir(d);
	return rc;
}

int pkg_copy_tree(const char *from, const char *to, struct mint_err *err)
{
	int f = open(from, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int t = f < 0 ? -1 : open(to, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = f < 0 || t < 0 ? mint_err_set(err, MINT_EIO, "cannot open %s: %s",
					       f < 0 ? from : to, strerror(errno))
				: copy_dir(f, t, from, err);
	if (f >= 0)
		close(f);
	if (t >= 0)
		close(t);
	return rc;
}

/* melange's default source directory: <recipe dir>/<package name>. */
static char *default_source_dir(const struct pkg_job *j)
{
	const char *recipe = j->o->recipe_path;
	const char *slash = strrchr(recipe, '/');
	struct mint_buf dir = { 0 };
	struct stat st;
	if (mint_buf_printf(&dir, "%.*s%s", slash ? (int)(slash - recipe) : 1,
			    slash ? recipe : ".", "/"))
		return NULL;
	if (mint_buf_puts(&dir, j->recipe.package.meta.name))
		return NULL;
	if (stat(dir.data, &st) || !S_ISDIR(st.st_mode)) {
		mint_buf_free(&dir);
		return NULL;
	}
	return dir.data;
}

int pkg_workspace_create(struct pkg_job *j, struct mint_err *err)
{
	const char *tmp = j->o->tmpdir ? j->o->tmpdir : getenv("TMPDIR");
	struct mint_buf path = { 0 };
	if (mint_buf_printf(&path, "%s/mint-pkg-XXXXXX", tmp && *tmp ? tmp : "/tmp"))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	if (!mkdtemp(path.data)) {
		int e = errno;
		mint_buf_free(&path);
		return mint_err_set(err, MINT_EIO, "cannot create a workspace: %s", strerror(e));
	}
	j->workspace = path.data;
	if (chmod(j->workspace, 0755))
		return mint_err_set(err, MINT_EIO, "%s: %s", j->workspace, strerror(errno));
	char *dflt = j->o->source_dir ? NULL : default_source_dir(j);
	const char *src = j->o->source_dir ? j->o->source_dir : dflt;
	int rc = 0;
	if (src) {
		pkg_log(j, "copying %s into the workspace", src);
		rc = pkg_copy_tree(src, j->workspace, err);
	}
	free(dflt);
	return rc;
}
