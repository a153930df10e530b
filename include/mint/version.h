/* SPDX-License-Identifier: Apache-2.0 */
/* The version of libmint itself (not apk package versions: see mint/apk_version.h). */
#ifndef MINT_VERSION_H
#define MINT_VERSION_H

const char *mint_version(void);

#endif
