#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Package SBOMs (mint/pkg_sbom.h) against the SPDX 2.3 JSON schema plus
# the SPDXID and reference checks of tests/spdx_validate.py. Documents come
# from tests/tools/mkpkgsbom (inputs built by hand: sources, no optional
# field at all, characters IDs must escape, a license that is no SPDX
# expression); the same inputs must give the same bytes twice. No
# validator installed makes the test skipped (77), never passed.
. "$(dirname "$0")/lib.sh"
: "${MINT_MKPKGSBOM:?}" "${MINT_SPDX_VALIDATE:?}"

mkdir -p "$WORK/a" "$WORK/b"
expect_exit 0 "mkpkgsbom writes its documents" "$MINT_MKPKGSBOM" "$WORK/a"
"$MINT_MKPKGSBOM" "$WORK/b" 2>/dev/null
[ "$(ls "$WORK"/a/*.spdx.json | wc -l)" -eq 3 ] || fail "want 3 documents, got $(ls "$WORK"/a)"
for f in "$WORK"/a/*.json; do
	if cmp -s "$f" "$WORK/b/$(basename "$f")"; then pass "$(basename "$f") is the same twice"
	else fail "$(basename "$f") differs between two runs"; fi
done

"${MINT_PYTHON:-python3}" "$MINT_SPDX_VALIDATE" "$WORK"/a/*.spdx.json >"$WORK/v.out" 2>&1
case $? in
0) pass "spdx: $(wc -l <"$WORK/v.out") document(s) valid" ;;
77) echo "skipped: $(head -1 "$WORK/v.out")"; [ "$failures" -eq 0 ] && exit 77 ;;
*) fail "spdx: $(head -c 2000 "$WORK/v.out")" ;;
esac
finish
