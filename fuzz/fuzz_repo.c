/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes repository strings (from image configs and /etc/apk/repositories)
 * and the locations built from them. A parsed repository has a location
 * without blanks or control bytes, and its package URLs stay in the
 * repository: no name or version can add a path component.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mint/apk_repo.h"

static void check_url(const struct mint_apk_repo *r, const char *name)
{
	struct mint_buf url = MINT_BUF_INIT;
	if (!mint_apk_repo_package_url(r, "x86_64", name, "1.0-r0", &url, NULL)) {
		size_t base = strlen(r->url) + strlen("/x86_64/");
		if (url.len < base || memchr(url.data + base, '/', url.len - base))
			abort();
	}
	mint_buf_free(&url);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_apk_repo r;
	if (mint_apk_repo_parse(MINT_SPAN(data, size), &r, NULL))
		return 0;
	if (!r.spec || !r.url || !r.spec[0] || (r.tag && !r.tag[0]))
		abort();
	for (const char *p = r.spec; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			abort();
	/* The input itself as a package name: '/' must be refused or encoded. */
	char *name = malloc(size + 1);
	if (name) {
		memcpy(name, data, size);
		name[size] = '\0';
		check_url(&r, name);
		free(name);
	}
	mint_apk_repo_free(&r);
	return 0;
}
