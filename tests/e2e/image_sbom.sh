# SPDX-License-Identifier: Apache-2.0
# The SBOMs of real builds: mint build writes per-arch and index documents
# in SPDX 2.3 and CycloneDX 1.6 beside its output; both validate with the
# formats' own validators; two builds in different directories, time
# zones and thread counts write the same bytes; `mint sbom` on the built
# image writes them again byte for byte; with --sbom-files every regular
# file of the image is listed with an owner. A missing validator makes the
# test skipped (77), never passed.
. "$(dirname "$0")/lib.sh"
need_fixtures
: "${MINT_SPDX_VALIDATE:?}" "${MINT_CDX_VALIDATE:?}"
PY=${MINT_PYTHON:-python3}
CLI=$FIX/apko/internal/cli
export SOURCE_DATE_EPOCH=1700000000
in_cli() { (cd "$CLI" && "$@"); }

mkdir -p "$WORK/one/layout" "$WORK/two/deeper/layout"
expect_exit 0 "build with SBOMs beside the layout" \
	in_cli "$MINT" build --cache-dir "$WORK/cache" --sbom-files testdata/apko.yaml example.org/test:v1 "$WORK/one/layout"
for f in sbom-x86_64 sbom-aarch64 sbom-index; do
	for ext in spdx.json cdx.json; do
		[ -s "$WORK/one/$f.$ext" ] && pass "$f.$ext written" || fail "no $f.$ext (stderr: $(cat "$WORK/err"))"
	done
done
expect_exit 0 "the same build elsewhere, another time zone, one thread" \
	sh -c "cd '$CLI' && TZ=Asia/Tokyo exec '$MINT' build -j 1 --cache-dir '$WORK/cache2' --sbom-files --sbom-path '$WORK/two/sboms' testdata/apko.yaml example.org/test:v1 '$WORK/two/deeper/layout'"
for f in "$WORK"/one/sbom-*.json; do
	cmp -s "$f" "$WORK/two/sboms/$(basename "$f")" && pass "$(basename "$f") is byte-identical" \
		|| fail "$(basename "$f") differs between builds"
done
expect_exit 0 "mint sbom on the built layout" \
	"$MINT" sbom --sbom-files --name example.org/test --sbom-path "$WORK/after" "$WORK/one/layout:v1"
for f in "$WORK"/one/sbom-*.json; do
	cmp -s "$f" "$WORK/after/$(basename "$f")" && pass "after the fact: $(basename "$f") is the same" \
		|| fail "mint sbom wrote another $(basename "$f")"
done

# every regular file is listed, with an owner
expect_exit 0 "build-minirootfs for the file list" \
	in_cli "$MINT" build-minirootfs --cache-dir "$WORK/cache" --build-arch x86_64 testdata/apko.yaml "$WORK/rootfs.tar"
"$PY" - "$WORK/one/sbom-x86_64.spdx.json" "$WORK/rootfs.tar" <<'PY' && pass "every regular file is in the SPDX files, each contained by a package" || fail "file attribution"
import json, sys, tarfile
doc = json.load(open(sys.argv[1]))
with tarfile.open(sys.argv[2]) as t:
    regular = {m.name for m in t if m.isfile() or m.islnk()}
files = {f["fileName"].lstrip("./").lstrip("/"): f["SPDXID"] for f in doc.get("files", [])}
missing = regular - set(files)
extra = set(files) - regular
contained = {r["relatedSpdxElement"] for r in doc.get("relationships", [])
             if r["relationshipType"] == "CONTAINS"}
orphans = [n for n, i in files.items() if i not in contained]
for what, v in (("missing", missing), ("extra", extra), ("without owner", orphans)):
    if v:
        print(what, sorted(v)[:10]); sys.exit(1)
purls = [r["referenceLocator"] for p in doc["packages"] for r in p.get("externalRefs", [])]
if not any(u.startswith("pkg:apk/") and "/replayout@1.0.0-r0?arch=x86_64" in u for u in purls):
    print("no apk purl for replayout", purls[:5]); sys.exit(1)
PY

# the bundled example, built from the project root as `make demo` does
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if [ -d "$ROOT/../shared/fixtures/upstream" ]; then
	mkdir -p "$WORK/example"
	expect_exit 0 "the example image with its SBOMs" sh -c "cd '$ROOT' && exec '$MINT' build --cache-dir '$WORK/cache' --sbom-files --sbom-path '$WORK/example' examples/images/fixture-base.yaml example/fixture-base:1 '$WORK/example/image.tar'"
	"$PY" - "$WORK/example/sbom-x86_64.spdx.json" <<'PY' && pass "the example lists its three packages with apk purls" || fail "example SBOM packages"
import json, sys
doc = json.load(open(sys.argv[1]))
purls = {r["referenceLocator"].split("@")[0] for p in doc["packages"] for r in p.get("externalRefs", [])
         if r["referenceLocator"].startswith("pkg:apk/")}
want = {"pretend-baselayout", "replayout", "custom-ca-certs-1"}
got = {u.rsplit("/", 1)[1] for u in purls}
sys.exit(0 if want <= got else print(sorted(got)) or 1)
PY
	expect_exit 0 "mint sbom CONFIG: the SBOMs of the image a config builds" sh -c "cd '$ROOT' && exec '$MINT' sbom --cache-dir '$WORK/cache' --sbom-files --name example/fixture-base --sbom-path '$WORK/from-config' examples/images/fixture-base.yaml"
	for f in "$WORK"/example/sbom-*.json; do
		cmp -s "$f" "$WORK/from-config/$(basename "$f")" && pass "from the config: $(basename "$f") is the same" \
			|| fail "mint sbom CONFIG wrote another $(basename "$f")"
	done
	EXTRA_SPDX=$(ls "$WORK"/example/*.spdx.json)
	EXTRA_CDX=$(ls "$WORK"/example/*.cdx.json)
fi

skipped=""
validate() { # name, command...
	local name=$1; shift
	"$@" >"$WORK/v.out" 2>&1
	case $? in
	0) pass "$name: the build's documents are valid" ;;
	77) skipped="$skipped $name"; echo "$name: $(head -1 "$WORK/v.out")" ;;
	*) fail "$name: $(head -c 2000 "$WORK/v.out")" ;;
	esac
}
validate spdx "$PY" "$MINT_SPDX_VALIDATE" "$WORK"/one/*.spdx.json ${EXTRA_SPDX:-}
if command -v node >/dev/null; then
	validate cyclonedx node "$MINT_CDX_VALIDATE" "$WORK"/one/*.cdx.json ${EXTRA_CDX:-}
else
	skipped="$skipped cyclonedx"
fi
mkdir -p "$WORK/none"
expect_exit 0 "--no-sbom" in_cli "$MINT" build --no-sbom --cache-dir "$WORK/cache" testdata/apko.yaml t:1 "$WORK/none/x.tar"
[ -z "$(ls "$WORK/none" | grep sbom)" ] && pass "--no-sbom writes none" || fail "SBOMs written with --no-sbom"
if [ "$failures" -eq 0 ] && [ -n "$skipped" ]; then
	echo "skipped: no validator for$skipped"
	exit 77
fi
finish
