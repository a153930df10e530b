/* SPDX-License-Identifier: Apache-2.0 */
/* In-memory test packages for the image plan; see planbuild.h. */
#include "planbuild.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mint/apk_package.h"
#include "mint/buf.h"
#include "testutil.h"

static struct mint_buf store = MINT_BUF_INIT;

void plan_add_test_package(struct mint_image_plan *p, size_t idx, const char *name,
			   const char *const *provides, size_t n_provides,
			   const struct test_entry *entries, size_t n)
{
	struct mint_apk_package pkg;
	struct mint_err err = { 0 };
	memset(&pkg, 0, sizeof(pkg));
	pkg.info.name = (char *)name;
	pkg.info.provides.items = (char **)provides;
	pkg.info.provides.n = n_provides;
	pkg.entries = calloc(n ? n : 1, sizeof(*pkg.entries));
	assert_non_null(pkg.entries);
	pkg.n_entries = n;
	for (size_t i = 0; i < n; i++) {
		const struct test_entry *t = &entries[i];
		struct mint_apk_entry *e = &pkg.entries[i];
		e->path = (char *)t->path;
		e->type = t->type ? t->type : MINT_TAR_REG;
		e->mode = t->mode;
		if (!e->mode)
			e->mode = e->type == MINT_TAR_DIR ? 0755
				  : e->type == MINT_TAR_SYMLINK ? 0777 : 0644;
		e->mtime = t->mtime;
		e->link_target = (char *)t->link;
		if (e->type == MINT_TAR_REG && t->content) {
			e->size = t->content_len ? t->content_len : strlen(t->content);
			e->data_offset = store.len;
			assert_int_equal(mint_buf_append(&store, t->content, (size_t)e->size), 0);
		}
	}
	assert_ok(mint_image_plan_add_package(p, idx, &pkg, NULL, &err), &err);
	free(pkg.entries);
}

static int reader_open(void *ctx, const struct mint_plan_node *node, struct mint_source *src,
		       struct mint_err *err)
{
	(void)ctx;
	if (node->data_offset > store.len || node->size > store.len - node->data_offset)
		return mint_err_set(err, MINT_EINVAL, "%s: not in the test store", node->path);
	/* reads are one at a time: open, read, close */
	static struct mint_span_source s;
	*src = mint_span_source_init(&s, MINT_SPAN(store.data + node->data_offset,
						  (size_t)node->size));
	return 0;
}

static void reader_close(void *ctx, const struct mint_plan_node *node)
{
	(void)ctx;
	(void)node;
}

const struct mint_plan_content_reader test_plan_reader = { reader_open, reader_close, NULL };
