/* SPDX-License-Identifier: Apache-2.0 */
/* Path cleaning: the guard between untrusted names and the file system. */
#include "mint/path.h"

#include <string.h>

static int take_component(struct mint_span comp, struct mint_buf *out, struct mint_err *err)
{
	if (comp.len == 0 || mint_span_eq_str(comp, "."))
		return 0;
	if (mint_span_eq_str(comp, ".."))
		return mint_err_set(err, MINT_EUNSAFE, "path has a '..' component");
	if (comp.len > MINT_NAME_MAX)
		return mint_err_set(err, MINT_ELIMIT, "path component is longer than %d bytes",
				    MINT_NAME_MAX);
	if (out->len && mint_buf_putc(out, '/'))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	if (mint_buf_append_span(out, comp))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	return 0;
}

int mint_path_clean(struct mint_span in, bool allow_absolute, struct mint_buf *out,
		    struct mint_err *err)
{
	mint_buf_reset(out);
	if (in.len && memchr(in.ptr, '\0', in.len))
		return mint_err_set(err, MINT_EUNSAFE, "path contains a NUL byte");
	if (in.len && in.ptr[0] == '/' && !allow_absolute)
		return mint_err_set(err, MINT_EUNSAFE, "path is absolute");
	if (in.len > MINT_PATH_MAX)
		return mint_err_set(err, MINT_ELIMIT, "path is longer than %d bytes", MINT_PATH_MAX);
	struct mint_span rest = in, comp;
	while (rest.len && mint_span_split(&rest, '/', &comp)) {
		int rc = take_component(comp, out, err);
		if (rc)
			return rc;
	}
	if (!out->data) {
		if (mint_buf_reserve(out, 0))
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		out->data[0] = '\0';
	}
	return 0;
}

int mint_path_join(const char *root, struct mint_span rel, struct mint_buf *out,
		   struct mint_err *err)
{
	struct mint_buf clean = MINT_BUF_INIT;
	int rc = mint_path_clean(rel, false, &clean, err);
	if (rc)
		goto out;
	mint_buf_reset(out);
	size_t root_len = strlen(root);
	while (root_len > 1 && root[root_len - 1] == '/')
		root_len--;
	if (mint_buf_append(out, root, root_len) ||
	    (clean.len && (mint_buf_putc(out, '/') || mint_buf_append_span(out, mint_buf_span(&clean)))))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
out:
	mint_buf_free(&clean);
	return rc;
}
