/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Automatic dependencies of a built package (mint/pkg_sca.h), by melange's
 * rules (pkg/sca): one walk of the destination tree, never through a
 * symlink, that looks at
 *
 *  - executable regular files (mode & 0555 == 0555) that are ELF: their
 *    PT_INTERP gives "so:<basename>" (ld-musl-* named libc.musl-*, the
 *    name musl's package provides), their DT_NEEDED names with ".so." in
 *    them "so:<name>" (libraries the host driver brings are left out),
 *    and their DT_SONAMEs, unless the file has an interpreter and no
 *    ".so." in its name, "so:<soname>=<libver>": a provide when the file
 *    is directly in lib/, usr/lib/, lib64/ or usr/lib64/, "vendored"
 *    otherwise (vendored names only cancel depends, they are not
 *    provided). Files that are not ELF, or that an ELF reader refuses
 *    (truncated, bad tables), are skipped as melange skips them;
 *  - executable regular files directly in bin/, sbin/, usr/bin/,
 *    usr/sbin/: "cmd:<name>=<full version>";
 *  - regular files under bin/ or usr/bin/ starting "#!": "cmd:<basename
 *    of the interpreter>" (through "/usr/bin/env prog" and "/usr/bin/env
 *    -S prog"), except sh, awk, python and python3, which are symlinks
 *    nothing provides as a command;
 *  - symlinks with ".so" in their path: the SONAMEs of the library their
 *    target's basename names in a library directory of this tree, or
 *    "so:<name>" when a sibling package provides that name
 *    (also_provided).
 * Depends the package itself provides (or vendors) are dropped; the
 * options then remove cmd: names, all depends, all provides.
 *
 * Not done (melange does them): pc: from pkg-config files, python/ruby
 * version depends, man-db/texinfo for -doc packages, the Go FIPS
 * heuristic, ld.so.conf.d library directories and versioned so: depends
 * (melange gates those behind an environment flag and a repository
 * resolver; here depends are always unversioned, so
 * no_versioned_shlib_deps changes nothing).
 */
#include "mint/pkg_sca.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mint/buf.h"
#include "mint/elf.h"

#define MAX_DEPTH 128
#define SHEBANG_BYTES 80

static const char *const lib_dirs[] = { "lib", "usr/lib", "lib64", "usr/lib64" };
static const char *const bin_dirs[] = { "bin", "sbin", "usr/bin", "usr/sbin" };

/* Libraries of the GPU driver, which the host mounts into containers. */
static const char *const host_libs[] = {
	"libEGL_nvidia.so.1", "libGLESv1_CM_nvidia.so.1", "libGLESv2_nvidia.so.1",
	"libGLX_nvidia.so.1", "libcuda.so.1", "libcudadebugger.so.1", "libnvcuvid.so.1",
	"libnvidia-allocator.so.1", "libnvidia-cfg.so.1", "libnvidia-eglcore.so.1",
	"libnvidia-encode.so.1", "libnvidia-fbc.so.1", "libnvidia-glcore.so.1",
	"libnvidia-glsi.so.1", "libnvidia-glvkspirv.so.1", "libnvidia-gpucomp.so.1",
	"libnvidia-ml.so.1", "libnvidia-ngx.so.1", "libnvidia-nvvm.so.1",
	"libnvidia-opencl.so.1", "libnvidia-opticalflow.so.1",
	"libnvidia-pkcs11-openssl3.so.1", "libnvidia-pkcs11.so.1",
	"libnvidia-ptxjitcompiler.so.1", "libnvidia-rtcore.so.1", "libnvidia-tls.so.1",
	"libnvoptix.so.1",
};

/* Shebang interpreters nothing provides as cmd: (see the file comment). */
static const char *const shebang_ignored[] = { "python3", "python", "sh", "awk" };

struct sca {
	const struct mint_pkg_sca_opts *o;
	struct mint_image_strs runtime, provides, vendored;
	struct mint_buf path; /* of the entry at hand, relative to destdir */
	struct mint_err *err;
};

static int push_owned(struct mint_image_strs *s, char *str, struct mint_err *err)
{
	char **v = str ? realloc(s->v, (s->n + 2) * sizeof(*v)) : NULL;
	if (!v) {
		free(str);
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	s->v = v;
	v[s->n++] = str;
	v[s->n] = NULL;
	return 0;
}

/* Appends prefix, s and, when suffix is not NULL, "=" and suffix. */
static int push(struct mint_image_strs *s, const char *prefix, struct mint_span name,
		const char *suffix, struct mint_err *err)
{
	struct mint_buf b = { 0 };
	int rc = mint_buf_puts(&b, prefix) || mint_buf_append_span(&b, name) ||
		 (suffix && (mint_buf_putc(&b, '=') || mint_buf_puts(&b, suffix)));
	if (rc) {
		mint_buf_free(&b);
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	char *str = strdup(mint_buf_cstr(&b));
	mint_buf_free(&b);
	return push_owned(s, str, err);
}

static bool span_has(struct mint_span s, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; n <= s.len && i <= s.len - n; i++)
		if (memcmp(s.ptr + i, needle, n) == 0)
			return true;
	return false;
}

static struct mint_span base_name(struct mint_span p)
{
	while (p.len && p.ptr[p.len - 1] == '/')
		p.len--;
	size_t i = p.len;
	while (i && p.ptr[i - 1] != '/')
		i--;
	return MINT_SPAN(p.ptr + i, p.len - i);
}

/* True when path's directory is one of dirs (no recursion into them). */
static bool in_dir(struct mint_span path, const char *const *dirs, size_t n)
{
	struct mint_span base = base_name(path);
	size_t dir_len = base.ptr - path.ptr;
	if (dir_len)
		dir_len--; /* the '/' before the base name */
	for (size_t i = 0; i < n; i++)
		if (strlen(dirs[i]) == dir_len && memcmp(dirs[i], path.ptr, dir_len) == 0)
			return true;
	return false;
}

/* The version melange gives a SONAME: what follows its first ".so." when
 * that is digits and dots only, "0" otherwise. */
static int soname_libver(struct mint_span soname, struct mint_buf *out)
{
	mint_buf_reset(out);
	for (size_t i = 0; i + 4 <= soname.len; i++) {
		if (memcmp(soname.ptr + i, ".so.", 4) != 0)
			continue;
		struct mint_span v = MINT_SPAN(soname.ptr + i + 4, soname.len - i - 4);
		/* Go splits at every ".so.": the version ends at the next one */
		for (size_t j = 0; j + 4 <= v.len; j++)
			if (memcmp(v.ptr + j, ".so.", 4) == 0)
				v.len = j;
		for (size_t j = 0; j < v.len; j++)
			if (v.ptr[j] != '.' && (v.ptr[j] < '0' || v.ptr[j] > '9'))
				goto zero;
		return mint_buf_append_span(out, v);
	}
zero:
	mint_buf_reset(out);
	return mint_buf_putc(out, '0');
}

static bool is_host_lib(struct mint_span lib)
{
	for (size_t i = 0; i < sizeof(host_libs) / sizeof(host_libs[0]); i++)
		if (mint_span_eq_str(lib, host_libs[i]))
			return true;
	return false;
}

static int elf_sonames(struct sca *s, struct mint_span file, bool provide)
{
	struct mint_elf_sonames e;
	struct mint_span soname;
	struct mint_buf ver = { 0 };
	size_t cursor = 0;
	int rc = 0;
	if (mint_elf_soname(file, &e, NULL))
		return 0;
	while (!rc && mint_elf_soname_next(&e, &cursor, &soname)) {
		if (soname_libver(soname, &ver))
			rc = mint_err_set(s->err, MINT_ENOMEM, "out of memory");
		else
			rc = push(provide ? &s->provides : &s->vendored, "so:", soname,
				  mint_buf_cstr(&ver), s->err);
	}
	mint_buf_free(&ver);
	return rc;
}

static int elf_file(struct sca *s, struct mint_span file)
{
	struct mint_image_strs needed = { 0 };
	struct mint_span interp, path = mint_buf_span(&s->path);
	int rc = 0;
	if (mint_elf_interp(file, &interp, NULL) || mint_elf_needed(file, &needed, NULL))
		goto out;
	if (interp.len) {
		struct mint_span base = base_name(interp);
		if (mint_span_starts_with(base, "ld-musl")) {
			base.ptr += 7;
			base.len -= 7;
			rc = push(&s->runtime, "so:libc.musl", base, NULL, s->err);
		} else {
			rc = push(&s->runtime, "so:", base, NULL, s->err);
		}
	}
	for (size_t i = 0; !rc && i < needed.n; i++) {
		struct mint_span lib = mint_span_str(needed.v[i]);
		if (span_has(lib, ".so.") && !is_host_lib(lib))
			rc = push(&s->runtime, "so:", lib, NULL, s->err);
	}
	if (!rc && (!interp.len || span_has(base_name(path), ".so.")))
		rc = elf_sonames(s, file, in_dir(path, lib_dirs, 4));
out:
	mint_image_strs_free(&needed);
	return rc;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* The next white-space separated word of *line; false at the end. */
static bool next_field(struct mint_span *line, struct mint_span *word)
{
	while (line->len && blank(line->ptr[0])) {
		line->ptr++;
		line->len--;
	}
	size_t n = 0;
	while (n < line->len && !blank(line->ptr[n]))
		n++;
	*word = MINT_SPAN(line->ptr, n);
	line->ptr += n;
	line->len -= n;
	return n > 0;
}

/* The command a "#!" line runs, as melange reads it from the first 80
 * bytes; an empty span when there is none or it is one to ignore (a bare
 * "/usr/bin/env", env with options other than -S: melange warns). */
static struct mint_span shebang_command(struct mint_span head)
{
	struct mint_span none = MINT_SPAN_NULL, line, bin, arg1, arg2;
	if (head.len > SHEBANG_BYTES)
		head.len = SHEBANG_BYTES;
	if (head.len < 2 || head.ptr[0] != '#' || head.ptr[1] != '!')
		return none;
	line = MINT_SPAN(head.ptr + 2, head.len - 2);
	const char *nl = memchr(line.ptr, '\n', line.len);
	if (nl)
		line.len = (size_t)(nl - line.ptr);
	if (!next_field(&line, &bin))
		return none;
	if (mint_span_eq_str(bin, "/usr/bin/env")) {
		bool has1 = next_field(&line, &arg1), has2 = next_field(&line, &arg2);
		if (!has1)
			return none;
		if (!has2)
			bin = arg1;
		else if (mint_span_eq_str(arg1, "-S") && arg2.ptr[0] != '-')
			bin = arg2;
		else
			return none;
	}
	struct mint_span base = base_name(bin);
	for (size_t i = 0; i < sizeof(shebang_ignored) / sizeof(shebang_ignored[0]); i++)
		if (mint_span_eq_str(base, shebang_ignored[i]))
			return none;
	return base;
}

static int map_file(struct sca *s, int dirfd, const char *name, size_t size, void **map)
{
	*map = NULL;
	if (!size)
		return 0;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return mint_err_set(s->err, MINT_EIO, "%s: %s", mint_buf_cstr(&s->path),
				    strerror(errno));
	*map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (*map == MAP_FAILED) {
		*map = NULL;
		return mint_err_set(s->err, MINT_EIO, "%s: %s", mint_buf_cstr(&s->path),
				    strerror(errno));
	}
	return 0;
}

static int regular_file(struct sca *s, int dirfd, const char *name, const struct stat *st)
{
	struct mint_span path = mint_buf_span(&s->path);
	bool exec = (st->st_mode & 0555) == 0555;
	bool script_dir = mint_span_starts_with(path, "usr/bin/") ||
			  mint_span_starts_with(path, "bin/");
	void *map;
	int rc = 0;
	if (exec && in_dir(path, bin_dirs, 4))
		rc = push(&s->provides, "cmd:", base_name(path), s->o->full_version, s->err);
	if (rc || (!exec && !script_dir))
		return rc;
	if ((uint64_t)st->st_size > SIZE_MAX)
		return 0;
	rc = map_file(s, dirfd, name, (size_t)st->st_size, &map);
	if (rc || !map)
		return rc;
	struct mint_span file = MINT_SPAN(map, (size_t)st->st_size);
	struct mint_span cmd = script_dir ? shebang_command(file) : MINT_SPAN_NULL;
	if (cmd.len)
		rc = push(&s->runtime, "cmd:", cmd, NULL, s->err);
	if (!rc && exec && mint_span_starts_with(file, "\x7f" "ELF"))
		rc = elf_file(s, file);
	munmap(map, (size_t)st->st_size);
	return rc;
}

/* Opens dir/sub/.../name one component at a time, never through a
 * symlink, so the lookup stays inside the tree. -1 when it is not there. */
static int open_beneath(int rootfd, const char *dir, const char *name)
{
	char comp[256];
	int fd = dup(rootfd);
	for (const char *p = dir; fd >= 0 && *p;) {
		size_t n = strcspn(p, "/");
		if (n >= sizeof(comp)) {
			close(fd);
			return -1;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		int next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = next;
		p += n + (p[n] == '/');
	}
	if (fd < 0)
		return -1;
	int file = openat(fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	close(fd);
	return file;
}

/* Reads the SONAMEs of the regular file fd into runtime as "so:" names. */
static int target_sonames(struct sca *s, int fd)
{
	struct stat st;
	struct mint_elf_sonames e;
	struct mint_span soname;
	size_t cursor = 0;
	int rc = 0;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !st.st_size ||
	    (uint64_t)st.st_size > SIZE_MAX)
		return 0;
	void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return 0;
	if (!mint_elf_soname(MINT_SPAN(map, (size_t)st.st_size), &e, NULL))
		while (!rc && mint_elf_soname_next(&e, &cursor, &soname))
			rc = push(&s->runtime, "so:", soname, NULL, s->err);
	munmap(map, (size_t)st.st_size);
	return rc;
}

/* "so:libfoo.so.1=1", "so:libfoo.so.1" and "libfoo.so.1" all name
 * libfoo.so.1. */
static struct mint_span provided_name(const char *entry)
{
	struct mint_span s = mint_span_str(entry);
	if (mint_span_starts_with(s, "so:")) {
		s.ptr += 3;
		s.len -= 3;
	}
	const char *eq = memchr(s.ptr, '=', s.len);
	if (eq)
		s.len = (size_t)(eq - s.ptr);
	return s;
}

static int symlink_so(struct sca *s, int rootfd, int dirfd, const char *name)
{
	char target[4096];
	if (!span_has(mint_buf_span(&s->path), ".so"))
		return 0;
	ssize_t n = readlinkat(dirfd, name, target, sizeof(target) - 1);
	if (n <= 0)
		return 0;
	target[n] = '\0';
	struct mint_span base = base_name(mint_span_str(target));
	if (!base.len || base.len >= 256)
		return 0;
	char file[256];
	memcpy(file, base.ptr, base.len);
	file[base.len] = '\0';
	if (!strcmp(file, ".") || !strcmp(file, ".."))
		return 0;
	for (size_t i = 0; i < sizeof(lib_dirs) / sizeof(lib_dirs[0]); i++) {
		int fd = open_beneath(rootfd, lib_dirs[i], file);
		if (fd < 0)
			continue;
		int rc = target_sonames(s, fd);
		close(fd);
		return rc;
	}
	const struct mint_image_strs *also = s->o->also_provided;
	for (size_t i = 0; also && i < also->n; i++)
		if (mint_span_eq(provided_name(also->v[i]), base))
			return push(&s->runtime, "so:", base, NULL, s->err);
	return 0;
}

static int walk(struct sca *s, int rootfd, int dirfd, int depth);

/* Cuts the path back to len, keeping it a C string for messages. */
static void path_cut(struct sca *s, size_t len)
{
	s->path.len = len;
	if (s->path.data)
		s->path.data[len] = '\0';
}

static int entry(struct sca *s, int rootfd, int dirfd, const char *name, int depth)
{
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return mint_err_set(s->err, MINT_EIO, "%s: %s", mint_buf_cstr(&s->path),
				    strerror(errno));
	if (S_ISLNK(st.st_mode))
		return symlink_so(s, rootfd, dirfd, name);
	if (S_ISREG(st.st_mode))
		return regular_file(s, dirfd, name, &st);
	if (!S_ISDIR(st.st_mode))
		return 0;
	if (depth >= MAX_DEPTH)
		return mint_err_set(s->err, MINT_ELIMIT, "%s: more than %d directories deep",
				    mint_buf_cstr(&s->path), MAX_DEPTH);
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return mint_err_set(s->err, MINT_EIO, "%s: %s", mint_buf_cstr(&s->path),
				    strerror(errno));
	return walk(s, rootfd, fd, depth + 1);
}

/* Walks the directory fd (and closes it); s->path names it. */
static int walk(struct sca *s, int rootfd, int dirfd, int depth)
{
	DIR *d = fdopendir(dirfd);
	struct dirent *de;
	int rc = 0;
	if (!d) {
		close(dirfd);
		return mint_err_set(s->err, MINT_EIO, "%s: %s", mint_buf_cstr(&s->path),
				    strerror(errno));
	}
	size_t len = s->path.len;
	while (!rc && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		path_cut(s, len);
		if ((len && mint_buf_putc(&s->path, '/')) || mint_buf_puts(&s->path, de->d_name))
			rc = mint_err_set(s->err, MINT_ENOMEM, "out of memory");
		else
			rc = entry(s, rootfd, dirfd, de->d_name, depth);
	}
	if (!rc)
		path_cut(s, len);
	closedir(d);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort_unique(struct mint_image_strs *s)
{
	size_t out = 0;
	if (!s->n)
		return;
	qsort(s->v, s->n, sizeof(*s->v), cmp_str);
	for (size_t i = 0; i < s->n; i++) {
		if (out && !strcmp(s->v[out - 1], s->v[i]))
			free(s->v[i]);
		else
			s->v[out++] = s->v[i];
	}
	s->n = out;
	s->v[out] = NULL;
}

/* Drops the entries of s a predicate matches. */
static void drop_if(struct mint_image_strs *s, bool (*match)(const char *, const void *),
		    const void *ctx)
{
	size_t out = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (match(s->v[i], ctx))
			free(s->v[i]);
		else
			s->v[out++] = s->v[i];
	}
	s->n = out;
	if (s->v)
		s->v[out] = NULL;
}

static bool is_cmd(const char *dep, const void *ctx)
{
	(void)ctx;
	return !strncmp(dep, "cmd:", 4);
}

static bool always(const char *dep, const void *ctx)
{
	(void)dep;
	(void)ctx;
	return true;
}

/* A depend the list provides: names compare up to the provide's '='. */
static bool provided_by(const char *dep, const void *ctx)
{
	const struct mint_image_strs *p = ctx;
	size_t n = strlen(dep);
	for (size_t i = 0; i < p->n; i++) {
		size_t name = strcspn(p->v[i], "=");
		if (name == n && !memcmp(p->v[i], dep, n))
			return true;
	}
	return false;
}

/* Moves every entry of from into to, then sorts to and drops repeats. */
static int merge(struct mint_image_strs *to, struct mint_image_strs *from, struct mint_err *err)
{
	if (from->n) {
		char **v = realloc(to->v, (to->n + from->n + 1) * sizeof(*v));
		if (!v)
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		to->v = v;
		memcpy(v + to->n, from->v, from->n * sizeof(*v));
		to->n += from->n;
		v[to->n] = NULL;
		free(from->v);
		memset(from, 0, sizeof(*from));
	}
	sort_unique(to);
	return 0;
}

static void apply_options(struct sca *s)
{
	sort_unique(&s->runtime);
	sort_unique(&s->provides);
	sort_unique(&s->vendored);
	if (s->o->no_commands) {
		drop_if(&s->provides, is_cmd, NULL);
		drop_if(&s->runtime, is_cmd, NULL);
	}
	if (s->o->no_depends)
		drop_if(&s->runtime, always, NULL);
	if (s->o->no_provides)
		drop_if(&s->provides, always, NULL);
	drop_if(&s->runtime, provided_by, &s->vendored);
	drop_if(&s->runtime, provided_by, &s->provides);
}

int mint_pkg_sca(const char *destdir, const struct mint_pkg_sca_opts *o,
		 struct mint_image_strs *depends, struct mint_image_strs *provides,
		 struct mint_err *err)
{
	struct sca s = { .o = o, .err = err };
	int rc;
	if (!destdir || !o || !o->full_version || !depends || !provides)
		return mint_err_set(err, MINT_EINVAL, "package analysis: missing arguments");
	int rootfd = open(destdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return mint_err_set(err, MINT_EIO, "%s: %s", destdir, strerror(errno));
	int dirfd = dup(rootfd);
	if (dirfd < 0) {
		rc = mint_err_set(err, MINT_EIO, "%s: %s", destdir, strerror(errno));
		goto out;
	}
	rc = walk(&s, rootfd, dirfd, 0);
	if (rc)
		goto out;
	apply_options(&s);
	drop_if(&s.runtime, provided_by, provides);
	rc = merge(depends, &s.runtime, err);
	if (!rc)
		rc = merge(provides, &s.provides, err);
out:
	close(rootfd);
	mint_image_strs_free(&s.runtime);
	mint_image_strs_free(&s.provides);
	mint_image_strs_free(&s.vendored);
	mint_buf_free(&s.path);
	return rc;
}
