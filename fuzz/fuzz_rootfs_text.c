/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness for the small text formats the rootfs steps read from
 * packages: the input, split at its first two NUL bytes, is a busybox
 * manifest (etc/busybox-paths.d/busybox), etc/passwd and etc/group. The
 * links are made, then owner names filled; neither may crash or escape.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mint/image_rootfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check(void *ctx, const struct mint_plan_node *n, struct mint_err *err)
{
	(void)ctx;
	(void)err;
	if (strlen(n->uname) > 32 || strlen(n->gname) > 32 || !n->path[0])
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_image_plan_limits lim;
	struct mint_image_plan *p;
	struct mint_span parts[3] = { MINT_SPAN_NULL, MINT_SPAN_NULL, MINT_SPAN_NULL };
	size_t start = 0, k = 0;
	for (size_t i = 0; i <= size && k < 3; i++) {
		if (i < size && (data[i] != 0 || k == 2))
			continue;
		parts[k++] = MINT_SPAN(data + start, i - start);
		start = i + 1;
	}
	mint_image_plan_limits_default(&lim);
	lim.max_nodes = 512;
	if (mint_image_plan_new(&p, &lim, NULL))
		return 0;
	mint_image_plan_put_dir(p, "bin", 0755, 1, 1, 5, NULL);
	mint_image_plan_put_file(p, "bin/busybox", "x", 1, 0755, 0, 0, 9, NULL);
	mint_image_plan_put_dir(p, "etc", 0755, 65532, 42, 0, NULL);
	mint_image_plan_put_dir(p, "etc/busybox-paths.d", 0755, 0, 0, 0, NULL);
	mint_image_plan_put_file(p, "etc/busybox-paths.d/busybox", parts[0].ptr, parts[0].len,
				 0644, 0, 0, 0, NULL);
	mint_image_rootfs_busybox(p, NULL, NULL);
	mint_image_rootfs_owner_names(p, parts[1], parts[2], NULL);
	if (mint_image_plan_walk(p, check, NULL, NULL))
		abort();
	mint_image_plan_free(p);
	return 0;
}
