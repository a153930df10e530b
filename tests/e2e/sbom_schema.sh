#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The SBOM writers against the formats' own validators: the SPDX 2.3 JSON
# schema (plus SPDXID and reference checks) and the official CycloneDX
# library's strict 1.6 schema check. Documents come from tests/tools/mksbom
# (a model built by hand: 2 arches, an index, a merged shipped SBOM,
# files) and, when the upstream fixtures are there, from apko's own test
# SBOMs merged as if packages shipped them. The same model must give the
# same bytes twice. A validator that is not installed makes the test
# skipped (77), never passed.
. "$(dirname "$0")/lib.sh"
: "${MINT_MKSBOM:?}" "${MINT_SPDX_VALIDATE:?}" "${MINT_CDX_VALIDATE:?}"

mkdir -p "$WORK/a" "$WORK/b" "$WORK/m"
expect_exit 0 "mksbom writes the fixture's documents" "$MINT_MKSBOM" all "$WORK/a"
"$MINT_MKSBOM" all "$WORK/b" 2>/dev/null
for f in "$WORK"/a/*.json; do
	if cmp -s "$f" "$WORK/b/$(basename "$f")"; then pass "$(basename "$f") is the same twice"
	else fail "$(basename "$f") differs between two runs"; fi
done
[ "$(ls "$WORK"/a/*.json | wc -l)" -eq 6 ] || fail "want 6 documents, got $(ls "$WORK"/a)"

shipped="$FIX/apko/pkg/sbom/generator/spdx/testdata/apk_sboms"
if [ -n "$FIX" ] && [ -d "$shipped" ]; then
	expect_exit 0 "apko's test SBOMs merge" "$MINT_MKSBOM" merge "$WORK/m" "$shipped"/*.spdx.json
fi

skipped=""
validate() { # name, command...
	local name=$1; shift
	"$@" >"$WORK/v.out" 2>&1
	case $? in
	0) pass "$name: $(wc -l <"$WORK/v.out") document(s) valid" ;;
	77) skipped="$skipped $name"; echo "$name: $(head -1 "$WORK/v.out")" ;;
	*) fail "$name: $(head -c 2000 "$WORK/v.out")" ;;
	esac
}
validate spdx "${MINT_PYTHON:-python3}" "$MINT_SPDX_VALIDATE" "$WORK"/a/*.spdx.json \
	$(ls "$WORK"/m/*.spdx.json 2>/dev/null)
if command -v node >/dev/null; then
	validate cyclonedx node "$MINT_CDX_VALIDATE" "$WORK"/a/*.cdx.json \
		$(ls "$WORK"/m/*.cdx.json 2>/dev/null)
else
	skipped="$skipped cyclonedx"; echo "cyclonedx: node is not installed"
fi

if [ "$failures" -eq 0 ] && [ -n "$skipped" ]; then
	echo "skipped: no validator for$skipped"
	exit 77
fi
finish
