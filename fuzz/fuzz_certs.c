/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness for the certificates step's PEM reader: the input (up
 * to its first NUL) is a certificates.additional entry; the bundle it is
 * appended to and its sidecar must then read back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mint/image_rootfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_image_plan *p;
	char *text = malloc(size + 1);
	if (!text || mint_image_plan_new(&p, NULL, NULL)) {
		free(text);
		return 0;
	}
	memcpy(text, data, size);
	text[size] = '\0';
	mint_image_plan_put_dir(p, "etc", 0755, 0, 0, 0, NULL);
	mint_image_plan_put_dir(p, "etc/ssl", 0755, 0, 0, 0, NULL);
	mint_image_plan_put_dir(p, "etc/ssl/certs", 0755, 0, 0, 0, NULL);
	mint_image_plan_put_file(p, "etc/ssl/certs/ca-certificates.crt", "x\n", 2, 0644, 0, 0, 0,
				 NULL);
	struct mint_image_named_pem add = { "fuzz", text };
	struct mint_image_config cfg = { .has_certificates = true,
					 .certificates_additional = &add,
					 .n_certificates_additional = 1 };
	struct mint_buf out = MINT_BUF_INIT;
	if (!mint_image_rootfs_certificates(p, NULL, &cfg, 1, NULL) &&
	    mint_image_plan_read_file(p, "etc/ssl/certs/.ca-certificates.crt.sha256", NULL, 4096,
				      &out, NULL))
		abort();
	mint_buf_free(&out);
	mint_image_plan_free(p);
	free(text);
	return 0;
}
