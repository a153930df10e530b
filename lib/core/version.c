/* SPDX-License-Identifier: Apache-2.0 */
/* libmint's own version, filled in by the build from meson's project version. */
#include "mint/version.h"

#include "mint_config.h"

const char *mint_version(void)
{
	return MINT_VERSION_STRING;
}
