/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness for the image plan. The plan parses no bytes itself;
 * the input is a script of operations, one a line: "<op> <path> [<arg>]",
 * ops f d s h c b (a one-entry package: file, dir, symlink, hardlink, char
 * device, fifo) and F D S H r m o (put_file, put_dir, put_symlink,
 * put_hardlink, remove, chmod, chown). Afterwards the walk must be sorted,
 * every path must be its parent's plus its name, and nothing may escape.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/image_plan.h"

static void package_op(struct mint_image_plan *p, size_t idx, char op, char *path, char *arg)
{
	struct mint_apk_entry e = { .path = path, .link_target = arg, .mode = 0644 };
	switch (op) {
	case 'f': e.type = MINT_TAR_REG; e.size = 3; break;
	case 'd': e.type = MINT_TAR_DIR; break;
	case 's': e.type = MINT_TAR_SYMLINK; break;
	case 'h': e.type = MINT_TAR_HARDLINK; break;
	case 'c': e.type = MINT_TAR_CHAR; break;
	default: e.type = MINT_TAR_FIFO; break;
	}
	char name[32];
	snprintf(name, sizeof(name), "p%zu", idx % 4);
	struct mint_apk_package pkg = { .entries = &e, .n_entries = 1 };
	pkg.info.name = name;
	mint_image_plan_add_package(p, idx, &pkg, NULL, NULL);
}

static void run_op(struct mint_image_plan *p, size_t idx, char op, char *path, char *arg)
{
	const char *a = arg ? arg : "x";
	switch (op) {
	case 'f': case 'd': case 's': case 'h': case 'c': case 'b':
		if (arg || op != 's')
			package_op(p, idx, op, path, arg);
		break;
	case 'F': mint_image_plan_put_file(p, path, a, strlen(a), 0644, 0, 0, 0, NULL); break;
	case 'D': mint_image_plan_put_dir(p, path, 0755, 0, 0, 0, NULL); break;
	case 'S': mint_image_plan_put_symlink(p, path, a, 0777, 0, 0, 0, NULL); break;
	case 'H': mint_image_plan_put_hardlink(p, path, a, NULL); break;
	case 'r': mint_image_plan_remove(p, path, NULL); break;
	case 'm': mint_image_plan_chmod(p, path, 0700, NULL); break;
	case 'o': mint_image_plan_chown(p, path, 1, 2, NULL); break;
	default: break;
	}
}

struct check {
	size_t count;
};

static int check_node(void *ctx, const struct mint_plan_node *n, struct mint_err *err)
{
	(void)err;
	struct check *c = ctx;
	c->count++;
	const char *pp = n->parent->path;
	size_t pl = strlen(pp);
	if (pl && (strncmp(n->path, pp, pl) || n->path[pl] != '/' ||
		   strcmp(n->path + pl + 1, n->name)))
		abort();
	if (!pl && strcmp(n->path, n->name))
		abort();
	if (!strcmp(n->name, "..") || !strcmp(n->name, ".") || strchr(n->name, '/'))
		abort();
	const struct mint_plan_node *d = n->parent;
	for (size_t i = 1; i < d->n_children; i++)
		if (strcmp(d->children[i - 1]->name, d->children[i]->name) >= 0)
			abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 8192)
		return 0;
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct mint_image_plan_limits lim;
	mint_image_plan_limits_default(&lim);
	lim.max_nodes = 200;
	struct mint_image_plan *p;
	if (mint_image_plan_new(&p, &lim, NULL)) {
		free(text);
		return 0;
	}
	size_t idx = 0;
	for (char *save = NULL, *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char op = line[0];
		char *path = strtok(line + 1, " ");
		char *arg = path ? strtok(NULL, " ") : NULL;
		if (path)
			run_op(p, idx++, op, path, arg);
	}
	struct check c = { 0 };
	mint_image_plan_walk(p, check_node, &c, NULL);
	if (c.count != mint_image_plan_count(p))
		abort();
	mint_image_plan_free(p);
	free(text);
	return 0;
}
