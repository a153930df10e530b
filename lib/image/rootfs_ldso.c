/* SPDX-License-Identifier: Apache-2.0 */
/*
 * etc/ld.so.cache as apko's updateCache and internal/ldso-cache make it,
 * byte for byte: /lib, then the directories of etc/ld.so.conf, each read
 * in name order; a file named lib*.so* or ld-*.so* (a symlink to a regular
 * file counts) that is an ELF ET_DYN object whose SONAME equals its name,
 * or whose name is the SONAME's "<name>.so" link name, becomes an entry
 * "<dir>/<file>" (a *.so without SONAME stands for itself). A shared object
 * of a machine other than x86-64 or AArch64 stops the build, as in apko.
 *
 * The file: a 48-byte header ("glibc-ld.so.cache" "1.1", count, string
 * table size, zero flags and extension offset), 24-byte entries (flags
 * 0x0303 or 0x0a03, key and value offsets from the start of the file, zero
 * OS version and hwcaps), the strings (each path once, NUL-terminated; the
 * key points at its file name), then 1 to 16 zero bytes to the next 16-byte
 * boundary. Little endian, as apko writes it. Entries are in descending
 * byte order of file name; apko's sort is not stable, mint's is, so entries
 * with the same file name in two directories may be ordered differently
 * (same as apko's for up to 12 entries, where Go's sort is an insertion
 * sort).
 */
#include "mint/image_rootfs.h"

#include <stdlib.h>
#include <string.h>

#include "mint/elf.h"
#include "rootfs_internal.h"

#define LIB_MAX ((size_t)1 << 30)
#define HEADER_BYTES 48
#define ENTRY_BYTES 24
#define MAGIC "glibc-ld.so.cache1.1"

struct ldso_entry {
	char *name;   /* "/lib/libc.so.6" */
	uint32_t flags;
	size_t seq;   /* scan order, for a stable sort */
};

struct ldso_run {
	struct mint_image_plan *p;
	const struct mint_plan_content_reader *reader;
	struct ldso_entry *v;
	size_t n;
	struct mint_buf bytes; /* the library being looked at */
};

/* apko's ParseLibFilename: the name part of "libfoo.so" / "libfoo.so.1". */
static bool lib_name(struct mint_span file, struct mint_span *name)
{
	if (!mint_span_starts_with(file, "lib") && !mint_span_starts_with(file, "ld-"))
		return false;
	if (mint_span_ends_with(file, ".so")) {
		*name = MINT_SPAN(file.ptr, file.len - 3);
		return true;
	}
	for (size_t i = file.len; i-- > 1;) {
		if (i + 4 <= file.len && memcmp(file.ptr + i, ".so.", 4) == 0) {
			*name = MINT_SPAN(file.ptr, i);
			return true;
		}
	}
	return false;
}

static bool soname_fits(struct mint_span soname, const char *file)
{
	struct mint_span name;
	if (!lib_name(soname, &name))
		return false;
	size_t flen = strlen(file);
	return mint_span_eq_str(soname, file) ||
	       (flen == name.len + 3 && memcmp(file, name.ptr, name.len) == 0 &&
		memcmp(file + name.len, ".so", 3) == 0);
}

static int add_entry(struct ldso_run *r, const char *dir, const char *file, uint32_t flags,
		     struct mint_err *err)
{
	struct mint_buf name = MINT_BUF_INIT;
	struct ldso_entry *v = realloc(r->v, (r->n + 1) * sizeof(*v));
	if (!v)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	r->v = v;
	if (mint_buf_printf(&name, "%s%s/%s", dir[0] ? "/" : "", dir, file) ||
	    !mint_buf_cstr(&name)) {
		mint_buf_free(&name);
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	v[r->n++] = (struct ldso_entry){ mint_buf_detach(&name, NULL), flags, r->n };
	return 0;
}

/* Whether the child is a regular file, directly or through symlinks. */
static bool is_regular(struct ldso_run *r, const char *path, const struct mint_plan_node *c)
{
	const struct mint_plan_node *t = c;
	if (c->type == MINT_TAR_SYMLINK && mint_image_plan_resolve(r->p, path, &t, NULL))
		return false;
	return rootfs_file_node(r->p, t) != NULL;
}

static int look_at(struct ldso_run *r, const char *dir, const char *path, const char *file,
		   struct mint_err *err)
{
	struct mint_elf_sonames e;
	struct mint_span soname;
	size_t cursor = 0;
	uint32_t flags;
	int rc = mint_image_plan_read_file(r->p, path, r->reader, LIB_MAX, &r->bytes, err);
	if (rc)
		return rc;
	if (mint_elf_soname(mint_buf_span(&r->bytes), &e, NULL) || e.type != MINT_ELF_ET_DYN)
		return 0; /* not a shared object: apko skips it */
	if (e.machine == MINT_ELF_EM_X86_64)
		flags = 0x0303;
	else if (e.machine == MINT_ELF_EM_AARCH64)
		flags = 0x0a03;
	else
		return mint_err_set(err, MINT_EUNSUPPORTED, "/%s: unknown machine type %u", path,
				    e.machine);
	bool any = false;
	while (mint_elf_soname_next(&e, &cursor, &soname)) {
		any = true;
		if (soname_fits(soname, file))
			return add_entry(r, dir, file, flags, err);
	}
	/* ldconfig lists a *.so without SONAME under its own name */
	if (!any && mint_span_ends_with(mint_span_str(file), ".so") &&
	    soname_fits(mint_span_str(file), file))
		return add_entry(r, dir, file, flags, err);
	return 0;
}

/* Lexically clean dir as apko's filepath.Rel("/", dir) does for absolute
 * ones; a relative one with "." or ".." in it names nothing in apko's
 * filesystem. false: skip it. */
static bool clean_dir(const char *in, struct mint_buf *out)
{
	bool abs = in[0] == '/';
	mint_buf_reset(out);
	while (*in) {
		while (*in == '/')
			in++;
		size_t n = strcspn(in, "/");
		if (!n)
			break;
		if ((n == 1 && in[0] == '.') || (n == 2 && in[0] == '.' && in[1] == '.')) {
			if (!abs)
				return false;
			if (n == 2) {
				char *cut = out->len ? strrchr(out->data, '/') : NULL;
				out->len = cut ? (size_t)(cut - out->data) : 0;
				if (out->data)
					out->data[out->len] = '\0';
			}
		} else if ((out->len && mint_buf_putc(out, '/')) || mint_buf_append(out, in, n)) {
			return false;
		}
		in += n;
	}
	return mint_buf_cstr(out) != NULL;
}

static int scan_dir(struct ldso_run *r, const char *given, struct mint_err *err)
{
	struct mint_buf dir = MINT_BUF_INIT, path = MINT_BUF_INIT;
	const struct mint_plan_node *d;
	int rc = 0;
	if (!clean_dir(given, &dir))
		goto out;
	rc = mint_image_plan_resolve(r->p, dir.data, &d, err);
	if (rc == MINT_ENOTFOUND || rc == MINT_EUNSAFE) {
		mint_err_clear(err);
		rc = 0;
		goto out;
	}
	if (!rc && d->type != MINT_TAR_DIR)
		rc = mint_err_set(err, MINT_EINVAL, "%s: not a directory", given);
	/* reading files does not change the plan: the children stay put */
	for (size_t i = 0; !rc && i < d->n_children; i++) {
		const struct mint_plan_node *c = d->children[i];
		struct mint_span ignored;
		if (!lib_name(mint_span_str(c->name), &ignored))
			continue;
		mint_buf_reset(&path);
		if (mint_buf_printf(&path, "%s%s%s", dir.data, dir.len ? "/" : "", c->name)) {
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
			break;
		}
		if (is_regular(r, path.data, c))
			rc = look_at(r, dir.data, path.data, c->name, err);
	}
out:
	mint_buf_free(&dir);
	mint_buf_free(&path);
	return rc;
}

static const char *base_of(const char *name)
{
	const char *slash = strrchr(name, '/');
	return slash ? slash + 1 : name;
}

/* Descending file name; scan order among equals. */
static int entry_order(const void *x, const void *y)
{
	const struct ldso_entry *a = x, *b = y;
	int c = strcmp(base_of(b->name), base_of(a->name));
	if (c)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void put_u32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static int cache_bytes(const struct ldso_run *r, struct mint_buf *out, struct mint_err *err)
{
	size_t table = HEADER_BYTES + r->n * ENTRY_BYTES, strings = 0;
	for (size_t i = 0; i < r->n; i++)
		strings += strlen(r->v[i].name) + 1;
	size_t total = table + strings;
	size_t padded = (total & ~(size_t)15) + 16;
	if (padded > UINT32_MAX)
		return mint_err_set(err, MINT_ELIMIT, "ld.so.cache: more than 4 GiB");
	unsigned char *b = (unsigned char *)mint_buf_grow(out, padded);
	if (!b)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	memcpy(b, MAGIC, 20);
	put_u32(b + 20, (uint32_t)r->n);
	put_u32(b + 24, (uint32_t)strings);
	size_t cursor = table;
	for (size_t i = 0; i < r->n; i++) {
		const char *name = r->v[i].name;
		const char *slash = strrchr(name, '/');
		/* apko: len(filepath.Dir(name)) + 1; Dir("/x") is "/" */
		size_t dir_len = slash == name ? 1 : (size_t)(slash - name);
		unsigned char *e = b + HEADER_BYTES + i * ENTRY_BYTES;
		put_u32(e, r->v[i].flags);
		put_u32(e + 4, (uint32_t)(cursor + dir_len + 1));
		put_u32(e + 8, (uint32_t)cursor);
		memcpy(b + cursor, name, strlen(name) + 1);
		cursor += strlen(name) + 1;
	}
	return 0;
}

static void run_free(struct ldso_run *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].name);
	free(r->v);
	mint_buf_free(&r->bytes);
}

int mint_image_rootfs_ldso_cache(struct mint_image_plan *p,
				 const struct mint_plan_content_reader *reader,
				 enum mint_arch arch, struct mint_err *err)
{
	struct ldso_run r = { p, reader, NULL, 0, MINT_BUF_INIT };
	struct mint_image_ldso_dirs dirs = { NULL, 0 };
	struct mint_buf cache = MINT_BUF_INIT;
	const struct mint_plan_node *conf;
	if (!p)
		return mint_err_set(err, MINT_EINVAL, "ld.so.cache: no plan");
	if (arch != MINT_ARCH_AMD64 && arch != MINT_ARCH_ARM64)
		return 0;
	if (mint_image_plan_resolve(p, "etc/ld.so.conf", &conf, NULL))
		return 0;
	int rc = mint_image_ldso_conf_dirs(p, reader, &dirs, err);
	if (rc)
		mint_err_prefix(err, "parsing /etc/ld.so.conf");
	if (!rc)
		rc = scan_dir(&r, "/lib", err);
	for (size_t i = 0; !rc && i < dirs.n; i++)
		rc = scan_dir(&r, dirs.v[i], err);
	if (!rc && r.n)
		qsort(r.v, r.n, sizeof(*r.v), entry_order);
	if (!rc)
		rc = cache_bytes(&r, &cache, err);
	if (!rc)
		rc = rootfs_write_file(p, "etc/ld.so.cache", cache.data, cache.len, 0644, true, 0,
				       true, err);
	if (rc)
		mint_err_prefix(err, "generating ld.so.cache");
	mint_image_ldso_dirs_free(&dirs);
	mint_buf_free(&cache);
	run_free(&r);
	return rc;
}

/* ---- reading a cache back ---- */

static uint32_t get_u32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
}

static int cache_string(struct mint_span data, uint32_t off, size_t at, struct mint_span *out,
			struct mint_err *err)
{
	const char *nul = off < data.len ? memchr(data.ptr + off, '\0', data.len - off) : NULL;
	if (!nul) {
		mint_err_set_offset(err, at);
		return mint_err_set(err, MINT_EFORMAT,
				    "ld.so.cache: string offset %u outside the file", off);
	}
	*out = MINT_SPAN(data.ptr + off, (size_t)(nul - (data.ptr + off)));
	return 0;
}

int mint_image_ldso_cache_parse(struct mint_span data, mint_ldso_entry_fn fn, void *ctx,
				uint32_t *n_entries, struct mint_err *err)
{
	if (!data.ptr && data.len)
		return mint_err_set(err, MINT_EINVAL, "ld.so.cache: no bytes");
	if (data.len < HEADER_BYTES) {
		mint_err_set_offset(err, data.len);
		return mint_err_set(err, MINT_ETRUNCATED, "ld.so.cache: shorter than its header");
	}
	if (memcmp(data.ptr, MAGIC, 20) != 0) {
		mint_err_set_offset(err, 0);
		return mint_err_set(err, MINT_EFORMAT,
				    "ld.so.cache: not the \"glibc-ld.so.cache1.1\" format");
	}
	uint32_t n = get_u32(data.ptr + 20);
	if (n_entries)
		*n_entries = n;
	if ((data.len - HEADER_BYTES) / ENTRY_BYTES < n) {
		mint_err_set_offset(err, data.len);
		return mint_err_set(err, MINT_ETRUNCATED, "ld.so.cache: %u entries do not fit", n);
	}
	for (uint32_t i = 0; i < n; i++) {
		size_t at = HEADER_BYTES + (size_t)i * ENTRY_BYTES;
		const char *e = data.ptr + at;
		struct mint_image_ldso_entry entry = { .flags = get_u32(e),
						       .os_version = get_u32(e + 12) };
		entry.hwcap = (uint64_t)get_u32(e + 16) | (uint64_t)get_u32(e + 20) << 32;
		int rc = cache_string(data, get_u32(e + 4), at + 4, &entry.key, err);
		if (!rc)
			rc = cache_string(data, get_u32(e + 8), at + 8, &entry.value, err);
		if (!rc && fn)
			rc = fn(ctx, &entry, err);
		if (rc)
			return rc;
	}
	return 0;
}
