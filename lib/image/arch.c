/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The nine architectures apko builds for, and its two spellings of each:
 * OCI ("amd64", "arm/v7") and apk ("x86_64", "armv7").
 */
#include "mint/image_config.h"

#include <string.h>

struct arch_names {
	const char *oci;
	const char *apk;
	const char *platform; /* OCI platform architecture */
	const char *variant;
};

static const struct arch_names names[MINT_ARCH_COUNT] = {
	[MINT_ARCH_386] = { "386", "x86", "386", NULL },
	[MINT_ARCH_AMD64] = { "amd64", "x86_64", "amd64", NULL },
	[MINT_ARCH_ARM64] = { "arm64", "aarch64", "arm64", NULL },
	[MINT_ARCH_ARMV6] = { "arm/v6", "armhf", "arm", "v6" },
	[MINT_ARCH_ARMV7] = { "arm/v7", "armv7", "arm", "v7" },
	[MINT_ARCH_LOONG64] = { "loong64", "loongarch64", "loong64", NULL },
	[MINT_ARCH_PPC64LE] = { "ppc64le", "ppc64le", "ppc64le", NULL },
	[MINT_ARCH_RISCV64] = { "riscv64", "riscv64", "riscv64", NULL },
	[MINT_ARCH_S390X] = { "s390x", "s390x", "s390x", NULL },
};

bool mint_arch_parse(const char *name, enum mint_arch *out)
{
	for (int a = 0; a < MINT_ARCH_COUNT; a++) {
		if (!strcmp(name, names[a].oci) || !strcmp(name, names[a].apk)) {
			*out = (enum mint_arch)a;
			return true;
		}
	}
	return false;
}

const char *mint_arch_to_oci(enum mint_arch a)
{
	return (unsigned)a < MINT_ARCH_COUNT ? names[a].oci : "unknown";
}

const char *mint_arch_to_apk(enum mint_arch a)
{
	return (unsigned)a < MINT_ARCH_COUNT ? names[a].apk : "unknown";
}

void mint_arch_oci_platform(enum mint_arch a, const char **architecture, const char **variant)
{
	*architecture = (unsigned)a < MINT_ARCH_COUNT ? names[a].platform : "unknown";
	*variant = (unsigned)a < MINT_ARCH_COUNT ? names[a].variant : NULL;
}

int mint_arch_compare(enum mint_arch a, enum mint_arch b)
{
	return strcmp(mint_arch_to_oci(a), mint_arch_to_oci(b));
}

bool mint_arch_host(enum mint_arch *out)
{
#if defined(__x86_64__)
	*out = MINT_ARCH_AMD64;
#elif defined(__i386__)
	*out = MINT_ARCH_386;
#elif defined(__aarch64__)
	*out = MINT_ARCH_ARM64;
#elif defined(__arm__) && defined(__ARM_ARCH_7A__)
	*out = MINT_ARCH_ARMV7;
#elif defined(__arm__)
	*out = MINT_ARCH_ARMV6;
#elif defined(__loongarch64)
	*out = MINT_ARCH_LOONG64;
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	*out = MINT_ARCH_PPC64LE;
#elif defined(__riscv) && __riscv_xlen == 64
	*out = MINT_ARCH_RISCV64;
#elif defined(__s390x__)
	*out = MINT_ARCH_S390X;
#else
	(void)out;
	return false;
#endif
	return true;
}
