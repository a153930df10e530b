/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal to lib/: the OpenSSL digest behind each enum mint_hash_alg, for
 * library code that calls EVP itself (signature checks). Not a public
 * header, so that include/mint/ stays free of OpenSSL types.
 */
#ifndef MINT_CORE_EVP_MD_H
#define MINT_CORE_EVP_MD_H

#include <openssl/evp.h>

#include "mint/hash.h"

/* NULL for a value outside the enum. */
const EVP_MD *mint_evp_md(enum mint_hash_alg alg);

#endif
