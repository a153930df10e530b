# SPDX-License-Identifier: Apache-2.0
# docker-load tars written by libmint (tests/tools/mkarchive.c) judged by
# skopeo, both as docker-archive and as oci-archive; and images skopeo writes
# (OCI layouts, manifest.json-only docker-archives) read back by libmint's
# image reader, which streams every layer and checks its digest.
. "$(dirname "$0")/lib.sh"
: "${MINT_OCI_MKARCHIVE:?}"
PY=${MINT_PYTHON:-python3}
MK=$MINT_OCI_MKARCHIVE

command -v skopeo >/dev/null || { echo "skipped: skopeo not installed (scripts/deps.sh)"; exit 77; }
cd "$WORK" || exit 1

# read_image PATH NAME: what mint sees in PATH, into NAME.read
read_image() {
	expect_exit 0 "mint reads $1" "$MK" read "$1"
	cp out "$2.read"
}
# the platform and layer lines only: converting copies may rewrite configs
images_and_layers() { sed -E 's/ config sha256:[0-9a-f]+$//' "$1" | grep -v '^index '; }

# inspect_is JSON-FILE PYTHON-ASSERTIONS DESC
inspect_is() {
	"$PY" - "$1" "$2" <<'EOF' && pass "$3" || fail "$3: $(head -c 600 "$1")"
import json, sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[2])
EOF
}

# --- one platform ----------------------------------------------------------------
expect_exit 0 "a one-platform layout" "$MK" layout one 1.0 1
INDEX1=$(sed -n 's/^index //p' out)
expect_exit 0 "packed as one.tar" "$MK" archive one example.com/mint/one:1.0 one.tar
read_image one one_dir
read_image one.tar one_tar
cmp -s one_dir.read one_tar.read && pass "the tar reads as the layout does" \
	|| fail "dir and tar differ: $(diff one_dir.read one_tar.read | head -5)"
LAYERS1=$(sed -n 's/^layer //p' one_tar.read | paste -sd, -)

[ "$(tar tf one.tar | head -5 | paste -sd' ' -)" = "oci-layout index.json manifest.json blobs/ blobs/sha256/" ] \
	&& pass "oci-layout, index.json, manifest.json and the blob directories come first" \
	|| fail "entry order: $(tar tf one.tar | head -5)"
tar tvf one.tar | grep -v '^-rw-r--r-- 0/0 .* 1970-01-01 00:00 \|^drwxr-xr-x 0/0 .* 1970-01-01 00:00 ' > odd
[ ! -s odd ] && pass "every entry is root-owned, 0644 or 0755, at mtime 0" || fail "entries: $(head -3 odd)"

expect_exit 0 "skopeo inspect docker-archive:one.tar" skopeo inspect docker-archive:one.tar
inspect_is out "assert d['Architecture'] == 'amd64' and d['Os'] == 'linux'
assert ','.join(d['Layers']) == '$LAYERS1', d['Layers']
assert d['Env'] == ['PATH=/usr/bin']" "skopeo sees the platform, env and the layers' diff_ids"
expect_exit 0 "skopeo finds docker-archive:one.tar:example.com/mint/one:1.0" \
	skopeo inspect docker-archive:one.tar:example.com/mint/one:1.0
inspect_is out "assert d['Name'] == 'example.com/mint/one', d['Name']" "by its RepoTag"

expect_exit 0 "skopeo inspect oci-archive:one.tar:example.com/mint/one:1.0" skopeo inspect oci-archive:one.tar:example.com/mint/one:1.0
inspect_is out "assert d['Digest'] == '$INDEX1', d['Digest']
assert d['Architecture'] == 'amd64'" "skopeo finds the image index by its ref.name"

expect_exit 0 "skopeo copy docker-archive:one.tar oci:copy1:t" skopeo copy -q docker-archive:one.tar oci:copy1:t
read_image copy1 copy1
diff <(images_and_layers one_tar.read) <(images_and_layers copy1.read) >/dev/null \
	&& pass "skopeo's OCI copy has the same platform and layers" \
	|| fail "copy differs: $(diff <(images_and_layers one_tar.read) <(images_and_layers copy1.read) | head -5)"

expect_exit 0 "skopeo copy oci:copy1:t docker-archive:legacy.tar:x/y:z" \
	skopeo copy -q oci:copy1:t docker-archive:legacy.tar:x/y:z
if tar tf legacy.tar | grep -q '^index.json$'; then
	echo "note: this skopeo writes index.json too; unit tests cover manifest.json-only archives"
else
	pass "skopeo's docker-archive has manifest.json only"
fi
read_image legacy.tar legacy
diff <(images_and_layers copy1.read) <(images_and_layers legacy.read) >/dev/null \
	&& pass "the manifest.json-only archive reads as the same image" \
	|| fail "legacy differs: $(diff copy1.read legacy.read | head -5)"

# --- three platforms ---------------------------------------------------------------
expect_exit 0 "a three-platform layout" "$MK" layout multi 1.0 3
INDEX3=$(sed -n 's/^index //p' out)
expect_exit 0 "packed as multi.tar" "$MK" archive multi example.com/mint/multi:1.0 multi.tar
read_image multi multi_dir
read_image multi.tar multi_tar
cmp -s multi_dir.read multi_tar.read && pass "the three-platform tar reads as its layout" \
	|| fail "dir and tar differ: $(diff multi_dir.read multi_tar.read | head -5)"
tar xOf multi.tar manifest.json > manifest.json
"$PY" - manifest.json <<'EOF' && pass "manifest.json: one item per platform, tags -amd64, -arm64, -arm-v7" || fail "manifest.json: $(cat manifest.json)"
import json, sys
m = json.load(open(sys.argv[1]))
assert [i["RepoTags"] for i in m] == [["example.com/mint/multi:1.0-" + s] for s in ("amd64", "arm64", "arm-v7")], m
for i in m:
    assert i["Config"].startswith("blobs/sha256/") and len(i["Layers"]) == 2
    assert i["Layers"][0] == m[0]["Layers"][0]
EOF
[ "$(tar tf multi.tar | grep -c '^blobs/sha256/.')" -eq 11 ] \
	&& pass "index, 3 manifests, 3 configs, 4 layers: the shared layer once" \
	|| fail "blobs: $(tar tf multi.tar | grep -c '^blobs/sha256/.')"

for tag in 1.0-amd64:amd64: 1.0-arm64:arm64: 1.0-arm-v7:arm:v7; do
	IFS=: read -r t arch variant <<<"$tag"
	expect_exit 0 "skopeo inspect docker-archive:multi.tar:...:$t" \
		skopeo inspect "docker-archive:multi.tar:example.com/mint/multi:$t"
	inspect_is out "assert d['Architecture'] == '$arch', d['Architecture']" "$t is an $arch image"
	expect_exit 0 "skopeo inspect --config ...:$t" \
		skopeo inspect --config "docker-archive:multi.tar:example.com/mint/multi:$t"
	inspect_is out "assert d.get('variant', '') == '$variant', d.get('variant')" \
		"$t has variant '$variant'"
done
expect_exit 0 "skopeo copy --all oci-archive:multi.tar:example.com/mint/multi:1.0 oci:copy3:t" \
	skopeo copy -q --all oci-archive:multi.tar:example.com/mint/multi:1.0 oci:copy3:t
read_image copy3 copy3
cmp -s multi_tar.read copy3.read && pass "skopeo's copy of the whole index keeps every digest" \
	|| fail "copy differs: $(diff multi_tar.read copy3.read | head -5)"
grep -q "^index $INDEX3\$" copy3.read && pass "the same image index digest" || fail "index digest"

# --- apko-style layouts, determinism, refusals ---------------------------------------
expect_exit 0 "an apko-style layout (index.json is the index)" "$MK" layout apko 1.0 2 index-json
expect_exit 0 "packed as apko.tar" "$MK" archive apko example.com/mint/apko:1.0 apko.tar
expect_exit 0 "skopeo inspect oci-archive:apko.tar:example.com/mint/apko:1.0" skopeo inspect oci-archive:apko.tar:example.com/mint/apko:1.0
expect_exit 0 "packed again" "$MK" archive multi example.com/mint/multi:1.0 multi2.tar
cmp -s multi.tar multi2.tar && pass "the same layout gives the same tar" || fail "tars differ"

cp -r one broken
LAYER=$(ls -S broken/blobs/sha256 | head -1)
printf '\177' | dd of="broken/blobs/sha256/$LAYER" bs=1 seek=4 conv=notrunc 2>/dev/null
expect_exit 1 "a blob that does not match its digest fails the archive" "$MK" archive broken r:t broken.tar
grep -q "its bytes have digest" err && pass "the error names the digest mismatch" || fail "stderr: $(cat err)"
[ ! -e broken.tar ] && [ -z "$(ls -A . | grep '^\.broken')" ] && pass "and leaves no file" || fail "files left: $(ls -A)"
expect_exit 1 "a digest reference is refused" "$MK" archive one "r@sha256:$LAYER" x.tar

# --- apko's golden layout, when the upstream fixtures are present -----------------------
GOLDEN=${FIX:+$FIX/apko/internal/cli/testdata/golden}
if [ -n "$GOLDEN" ] && [ -f "$GOLDEN/index.json" ]; then
	expect_exit 0 "apko's golden layout packs" "$MK" archive "$GOLDEN" example.com/golden:1 golden.tar
	read_image "$GOLDEN" golden_dir
	read_image golden.tar golden_tar
	cmp -s golden_dir.read golden_tar.read && pass "golden: the tar reads as the layout" \
		|| fail "golden differs: $(diff golden_dir.read golden_tar.read | head -5)"
	expect_exit 0 "skopeo inspect the golden arm64 image" \
		skopeo inspect docker-archive:golden.tar:example.com/golden:1-arm64
	inspect_is out "assert d['Architecture'] == 'arm64'" "golden arm64 is arm64"
else
	echo "note: upstream fixtures absent, apko's golden layout not packed"
fi

finish
