/* SPDX-License-Identifier: Apache-2.0 */
/*
 * uname and gname of every entry, from the image's own etc/passwd and
 * etc/group, as apko's layer writer fills them: a map from id to name where
 * a later line replaces an earlier one, built from the lines before the
 * first it cannot parse (apko ignores the parse error and keeps what it
 * read). Ids are read like Go's strconv.Atoi (an optional sign, decimal,
 * 64-bit) and kept as uint32, as apko keeps them.
 */
#include "mint/image_rootfs.h"

#include <stdlib.h>
#include <string.h>


#define SCANNER_MAX_LINE 65536 /* bufio.Scanner's token limit */

struct id_name {
	uint32_t id;
	size_t seq;            /* line order: the later one wins */
	struct mint_span name; /* inside the passwd or group text */
};

struct id_names {
	struct id_name *v;
	size_t n;
};

static bool atoi_u32(struct mint_span s, uint32_t *out)
{
	bool neg = false;
	uint64_t v = 0;
	size_t i = 0;
	if (s.len && (s.ptr[0] == '+' || s.ptr[0] == '-'))
		neg = s.ptr[i++] == '-';
	if (i == s.len)
		return false;
	for (; i < s.len; i++) {
		if (s.ptr[i] < '0' || s.ptr[i] > '9' || v > (UINT64_C(1) << 62))
			return false;
		v = v * 10 + (uint64_t)(s.ptr[i] - '0');
	}
	*out = (uint32_t)(neg ? (uint64_t)0 - v : v);
	return true;
}

static size_t count_fields(struct mint_span line)
{
	size_t n = 1;
	for (size_t i = 0; i < line.len; i++)
		n += line.ptr[i] == ':';
	return n;
}

static int remember(struct id_names *m, uint32_t id, struct mint_span name, struct mint_err *err)
{
	struct id_name *grown = realloc(m->v, (m->n + 1) * sizeof(*grown));
	if (!grown)
		return mint_err_set(err, MINT_ENOMEM, "owner names: out of memory");
	m->v = grown;
	m->v[m->n] = (struct id_name){ id, m->n, name };
	m->n++;
	return 0;
}

/* By id, and for one id the last line first. */
static int by_id_last_first(const void *a, const void *b)
{
	const struct id_name *x = a, *y = b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->seq > y->seq ? -1 : x->seq < y->seq;
}

static int read_ids(struct mint_span text, size_t n_fields, struct id_names *m,
		    struct mint_err *err)
{
	struct mint_span rest = text, line;
	while (rest.len && mint_span_split(&rest, '\n', &line)) {
		struct mint_span f = mint_span_trim(line), name, pw, id;
		uint32_t v;
		if (line.len >= SCANNER_MAX_LINE)
			return 0;
		if (!f.len || f.ptr[0] == '#')
			continue;
		if (count_fields(f) != n_fields)
			return 0;
		mint_span_split(&f, ':', &name);
		mint_span_split(&f, ':', &pw);
		mint_span_split(&f, ':', &id);
		if (!atoi_u32(id, &v))
			return 0;
		int rc = remember(m, v, name, err);
		if (rc)
			return rc;
	}
	return 0;
}

struct both {
	struct id_names users, groups;
};

static void name_of(const struct id_names *m, uint64_t id, char out[33])
{
	size_t lo = 0, hi = m->n;
	out[0] = '\0';
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < m->n && m->v[lo].id == id && m->v[lo].name.len <= 32 &&
	    !memchr(m->v[lo].name.ptr, '\0', m->v[lo].name.len)) {
		memcpy(out, m->v[lo].name.ptr, m->v[lo].name.len);
		out[m->v[lo].name.len] = '\0';
	}
}

static void fill(void *ctx, const struct mint_plan_node *n, char uname[33], char gname[33])
{
	const struct both *b = ctx;
	name_of(&b->users, n->uid, uname);
	name_of(&b->groups, n->gid, gname);
}

int mint_image_rootfs_owner_names(struct mint_image_plan *p, struct mint_span passwd,
				  struct mint_span group, struct mint_err *err)
{
	struct both b = { { NULL, 0 }, { NULL, 0 } };
	if (!p)
		return mint_err_set(err, MINT_EINVAL, "owner names: no plan");
	int rc = read_ids(passwd, 7, &b.users, err);
	if (!rc)
		rc = read_ids(group, 4, &b.groups, err);
	if (!rc) {
		if (b.users.n)
			qsort(b.users.v, b.users.n, sizeof(*b.users.v), by_id_last_first);
		if (b.groups.n)
			qsort(b.groups.v, b.groups.n, sizeof(*b.groups.v), by_id_last_first);
		mint_image_plan_set_names(p, fill, &b);
	}
	free(b.users.v);
	free(b.groups.v);
	return rc;
}
