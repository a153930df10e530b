/* SPDX-License-Identifier: Apache-2.0 */
/* `mint pkg build RECIPE`: melange build. */
#include "cli.h"
#include "cmd_pkg.h"
#include "pkg_cli.h"

static const char usage[] =
	"usage: mint pkg build [options] RECIPE\n"
	"\n"
	"Builds the packages of a melange recipe: the pipelines run in a bubblewrap\n"
	"sandbox whose root is the recipe's environment, then every package and\n"
	"subpackage is written, with its SBOM and automatic so:/cmd: dependencies,\n"
	"as OUT/ARCH/NAME-VERSION-rEPOCH.apk, and OUT/ARCH/APKINDEX.tar.gz is\n"
	"rewritten. SOURCE_DATE_EPOCH sets every timestamp (default 0).\n"
	"\n"
	"options:\n" PKG_CLI_OPTIONS_HELP;

int cmd_pkg_build(int argc, char **argv)
{
	struct pkg_cli c;
	int rc = pkg_cli_start(&c, "mint pkg build", usage, argc, argv);
	if (!rc)
		rc = pkg_cli_run(&c, mint_pkg_build);
	pkg_cli_free(&c);
	return rc < 0 ? CLI_EXIT_OK : rc;
}
