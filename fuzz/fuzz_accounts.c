/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Accounts builder over shipped etc/passwd and etc/group bytes: the input is
 * split at the first NUL into passwd and group; any input must build or fail
 * cleanly, and a built passwd must start with the shipped bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mint/image_files.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct mint_image_account_user users[] = {
		{ "nonroot", 65532, false, 0, NULL, NULL },
		{ "svc", 1000, true, 2000, "/sbin/nologin", "/var/lib/svc" },
	};
	static const char *const members[] = { "nonroot" };
	static const struct mint_image_account_group groups[] = { { "nonroot", 65532, members, 1 } };
	struct mint_image_account_spec cfg = { users, 2, groups, 1, "svc" };
	struct mint_image_account_files f;
	struct mint_err err = { 0 };
	const uint8_t *nul = memchr(data, '\0', size);
	size_t passwd_len = nul ? (size_t)(nul - data) : size;
	struct mint_span passwd = MINT_SPAN(data, passwd_len);
	struct mint_span group = nul ? MINT_SPAN(nul + 1, size - passwd_len - 1) : MINT_SPAN_NULL;

	if (mint_image_accounts_build(&cfg, passwd, group, MINT_SPAN_NULL, &f, &err))
		return 0;
	if (f.passwd.len < passwd_len || (passwd_len && memcmp(f.passwd.data, data, passwd_len)))
		abort();
	mint_image_account_files_free(&f);
	return 0;
}
