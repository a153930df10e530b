/* SPDX-License-Identifier: Apache-2.0 */
/*
 * .PKGINFO reader: any input must parse or fail cleanly; what parses must
 * be written, and the written text must parse back to the same fields.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mint/apk_pkginfo.h"

static void same_string(const char *a, const char *b)
{
	if ((a == NULL) != (b == NULL) || (a && strcmp(a, b)))
		abort();
}

static void same_number(bool has_a, uint64_t a, bool has_b, uint64_t b)
{
	if (has_a != has_b || a != b)
		abort();
}

static void same_list(const struct mint_strlist *a, const struct mint_strlist *b)
{
	if (a->n != b->n)
		abort();
	for (size_t i = 0; i < a->n; i++)
		same_string(a->items[i], b->items[i]);
}

static void same_pkg(const struct mint_apk_pkg *a, const struct mint_apk_pkg *b)
{
	same_string(a->name, b->name);
	same_string(a->version, b->version);
	same_string(a->arch, b->arch);
	same_string(a->description, b->description);
	same_string(a->url, b->url);
	same_string(a->license, b->license);
	same_string(a->origin, b->origin);
	same_string(a->maintainer, b->maintainer);
	same_string(a->commit, b->commit);
	same_string(a->packager, b->packager);
	same_string(a->datahash, b->datahash);
	same_number(a->has_build_time, a->build_time, b->has_build_time, b->build_time);
	same_number(a->has_installed_size, a->installed_size, b->has_installed_size,
		    b->installed_size);
	same_number(a->has_provider_priority, a->provider_priority, b->has_provider_priority,
		    b->provider_priority);
	same_number(a->has_replaces_priority, a->replaces_priority, b->has_replaces_priority,
		    b->replaces_priority);
	same_list(&a->depends, &b->depends);
	same_list(&a->provides, &b->provides);
	same_list(&a->install_if, &b->install_if);
	same_list(&a->replaces, &b->replaces);
	same_list(&a->triggers, &b->triggers);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_apk_pkg first, second;
	struct mint_buf text = MINT_BUF_INIT;
	struct mint_err err = { 0 };

	if (mint_apk_pkginfo_parse(MINT_SPAN(data, size), &first, &err))
		return 0;
	int rc = mint_apk_pkginfo_write(&first, &text);
	if (rc && rc != MINT_ELIMIT)
		abort();
	if (!rc) {
		if (mint_apk_pkginfo_parse(mint_buf_span(&text), &second, &err))
			abort();
		same_pkg(&first, &second);
		mint_apk_pkg_free(&second);
	}
	mint_apk_pkg_free(&first);
	mint_buf_free(&text);
	return 0;
}
