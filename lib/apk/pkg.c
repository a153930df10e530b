/* SPDX-License-Identifier: Apache-2.0 */
/* The shared package metadata record (see mint/apk_pkg.h). */
#include "mint/apk_pkg.h"

#include <stdlib.h>
#include <string.h>

#include "mint/err.h"

int mint_strlist_add(struct mint_strlist *l, const char *s, size_t len)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4;
		char **items = realloc(l->items, cap * sizeof(*items));
		if (!items)
			return MINT_ENOMEM;
		l->items = items;
		l->cap = cap;
	}
	char *copy = malloc(len + 1);
	if (!copy)
		return MINT_ENOMEM;
	memcpy(copy, s, len);
	copy[len] = '\0';
	l->items[l->n++] = copy;
	return 0;
}

void mint_strlist_free(struct mint_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}

void mint_apk_pkg_free(struct mint_apk_pkg *p)
{
	if (p->arena_owned) {
		memset(p, 0, sizeof(*p));
		return;
	}
	char **strings[] = {
		&p->name, &p->version, &p->arch, &p->description, &p->url, &p->license,
		&p->origin, &p->maintainer, &p->commit, &p->packager, &p->identity, &p->datahash,
		&p->repo_tag,
	};
	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
		free(*strings[i]);
	mint_strlist_free(&p->depends);
	mint_strlist_free(&p->provides);
	mint_strlist_free(&p->install_if);
	mint_strlist_free(&p->replaces);
	mint_strlist_free(&p->triggers);
	mint_strlist_free(&p->tags);
	memset(p, 0, sizeof(*p));
}
