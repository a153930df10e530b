/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness for etc/ld.so.conf and the ld.so.cache generator. The
 * input is split at its first six NUL bytes: etc/ld.so.conf, then
 * etc/ld.so.conf.d/1.conf to 5.conf; whatever follows the sixth is
 * lib/libfuzz.so.1 (raw bytes for the ELF reader, also reached through the
 * symlink lib/libfuzz.so). The cache made must read back.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/image_rootfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void put(struct mint_image_plan *p, const char *path, const uint8_t *at, size_t len)
{
	mint_image_plan_put_file(p, path, at, len, 0644, 0, 0, 0, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_image_plan_limits lim;
	struct mint_image_plan *p;
	struct mint_image_ldso_dirs dirs;
	mint_image_plan_limits_default(&lim);
	lim.max_nodes = 256;
	if (mint_image_plan_new(&p, &lim, NULL))
		return 0;
	mint_image_plan_put_dir(p, "etc", 0755, 0, 0, 0, NULL);
	mint_image_plan_put_dir(p, "etc/ld.so.conf.d", 0755, 0, 0, 0, NULL);
	mint_image_plan_put_dir(p, "lib", 0755, 0, 0, 0, NULL);
	size_t start = 0, part = 0;
	for (size_t i = 0; i < size && part < 6; i++) {
		if (data[i] != 0)
			continue;
		char path[64];
		if (part == 0)
			snprintf(path, sizeof(path), "etc/ld.so.conf");
		else
			snprintf(path, sizeof(path), "etc/ld.so.conf.d/%zu.conf", part);
		put(p, path, data + start, i - start);
		start = i + 1;
		part++;
	}
	if (part == 0)
		put(p, "etc/ld.so.conf", data, size);
	else if (part == 6)
		put(p, "lib/libfuzz.so.1", data + start, size - start);
	mint_image_plan_put_symlink(p, "lib/libfuzz.so", "libfuzz.so.1", 0777, 0, 0, 0, NULL);
	if (!mint_image_ldso_conf_dirs(p, NULL, &dirs, NULL))
		mint_image_ldso_dirs_free(&dirs);
	if (!mint_image_rootfs_ldso_cache(p, NULL, MINT_ARCH_AMD64, NULL)) {
		struct mint_buf cache = MINT_BUF_INIT;
		if (!mint_image_plan_read_file(p, "etc/ld.so.cache", NULL, 1 << 24, &cache, NULL) &&
		    mint_image_ldso_cache_parse(mint_buf_span(&cache), NULL, NULL, NULL, NULL))
			abort();
		mint_buf_free(&cache);
	}
	mint_image_plan_free(p);
	return 0;
}
