/* SPDX-License-Identifier: Apache-2.0 */
/* `mint pkg test RECIPE`: melange test. */
#include "cli.h"
#include "cmd_pkg.h"
#include "pkg_cli.h"

static const char usage[] =
	"usage: mint pkg test [options] RECIPE\n"
	"\n"
	"Runs the `test:` pipelines of a recipe's package and subpackages, each in a\n"
	"fresh sandbox whose root is test.environment plus the package under test,\n"
	"installed from OUT/ARCH (build it first with mint pkg build). The\n"
	"repository's key must be given with -k unless the index is unsigned and\n"
	"--ignore-signatures is set.\n"
	"\n"
	"options:\n" PKG_CLI_OPTIONS_HELP;

int cmd_pkg_test(int argc, char **argv)
{
	struct pkg_cli c;
	int rc = pkg_cli_start(&c, "mint pkg test", usage, argc, argv);
	if (!rc)
		rc = pkg_cli_run(&c, mint_pkg_test);
	pkg_cli_free(&c);
	return rc < 0 ? CLI_EXIT_OK : rc;
}
