# SPDX-License-Identifier: Apache-2.0
# A one-layer OCI image built through libmint (tests/oci_mkimage.c) judged by
# real clients: every JSON document against the image-spec schemas, skopeo
# inspect, and umoci unpack, whose rootfs must hold exactly the files put in,
# with their modes, contents, hardlink and mtimes. Then the same image built
# with another thread count must be the same bytes.
. "$(dirname "$0")/lib.sh"
: "${MINT_OCI_MKIMAGE:?}" "${MINT_OCI_VALIDATE:?}"
PY=${MINT_PYTHON:-python3}

for tool in skopeo umoci gzip; do
	command -v "$tool" >/dev/null || { echo "skipped: $tool not installed (scripts/deps.sh)"; exit 77; }
done
"$PY" "$MINT_OCI_VALIDATE" layout /dev/null >/dev/null 2>&1
[ $? -eq 77 ] && { echo "skipped: OCI schemas or python3-jsonschema missing (scripts/deps.sh)"; exit 77; }

IMG=$WORK/img
expect_exit 0 "build a one-layer image with 2 threads" "$MINT_OCI_MKIMAGE" "$IMG" test 2
cp "$WORK/out" "$WORK/digests"
digest_of() { sed -n "s/^$1 sha256://p" "$WORK/digests"; }
MANIFEST=$(digest_of manifest)
CONFIG=$(digest_of config)
LAYER=$(digest_of layer)
BLOBS=$IMG/blobs/sha256

expect_exit 0 "oci-layout follows the schema" "$PY" "$MINT_OCI_VALIDATE" layout "$IMG/oci-layout"
expect_exit 0 "index.json follows the schema" "$PY" "$MINT_OCI_VALIDATE" index "$IMG/index.json"
expect_exit 0 "the manifest follows the schema" "$PY" "$MINT_OCI_VALIDATE" manifest "$BLOBS/$MANIFEST"
expect_exit 0 "the config follows the schema" "$PY" "$MINT_OCI_VALIDATE" config "$BLOBS/$CONFIG"
printf '{"schemaVersion":2,"layers":[]}' > "$WORK/bad.json"
expect_exit 1 "the schema check rejects a manifest without config" \
	"$PY" "$MINT_OCI_VALIDATE" manifest "$WORK/bad.json"

for d in "$MANIFEST" "$CONFIG" "$LAYER"; do
	[ "$(sha256sum < "$BLOBS/$d" | cut -c1-64)" = "$d" ] && pass "blob $d is named by its sha256" \
		|| fail "blob $d has another sha256"
done
[ "$(ls -A "$BLOBS" | wc -l)" -eq 3 ] && pass "exactly three blobs, no temporary files" \
	|| fail "blobs: $(ls -A "$BLOBS")"
expect_exit 0 "gzip -t accepts the layer" gzip -t < "$BLOBS/$LAYER"

expect_exit 0 "skopeo inspect oci:DIR:test" skopeo inspect "oci:$IMG:test"
"$PY" - "$WORK/out" "$MANIFEST" "$LAYER" <<'EOF' && pass "skopeo sees the manifest, one layer, amd64/linux" || fail "skopeo inspect: $(head -c 600 "$WORK/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["Digest"] == "sha256:" + sys.argv[2], d["Digest"]
assert d["Layers"] == ["sha256:" + sys.argv[3]], d["Layers"]
assert d["Architecture"] == "amd64" and d["Os"] == "linux"
assert d["Env"] == ["PATH=/usr/bin"]
EOF

BUNDLE=$WORK/bundle
expect_exit 0 "umoci unpack --rootless" umoci unpack --rootless --image "$IMG:test" "$BUNDLE"
ROOT=$BUNDLE/rootfs
(cd "$ROOT" && find . -mindepth 1 -printf '%y %m %p %l\n' | LC_ALL=C sort) > "$WORK/tree"
cat > "$WORK/want" <<'EOF'
d 1777 ./tmp 
d 700 ./var/empty 
d 755 ./etc 
d 755 ./usr 
d 755 ./usr/bin 
d 755 ./usr/share 
d 755 ./var 
f 600 ./etc/secret 
f 644 ./etc/motd 
f 644 ./usr/share/big 
f 755 ./usr/bin/tool 
f 755 ./usr/bin/tool2 
l 777 ./usr/bin/link tool
EOF
diff -u "$WORK/want" "$WORK/tree" > "$WORK/treediff" && pass "the rootfs holds exactly the files, with their modes" \
	|| fail "rootfs differs: $(cat "$WORK/treediff")"
[ "$(cat "$ROOT/etc/motd")" = "hello from mint" ] && pass "etc/motd content" || fail "etc/motd: $(cat "$ROOT/etc/motd")"
[ "$(cat "$ROOT/etc/secret")" = "s3cret" ] && pass "etc/secret content" || fail "etc/secret content"
printf '#!/bin/sh\necho tool\n' | cmp -s - "$ROOT/usr/bin/tool" && pass "usr/bin/tool content" || fail "usr/bin/tool content"
"$PY" - "$ROOT/usr/share/big" <<'EOF' && pass "usr/share/big: 3 MiB, every byte right" || fail "usr/share/big content"
import sys
want = bytes((i * 7 + i // 1000) & 255 for i in range(3 << 20))
assert open(sys.argv[1], "rb").read() == want
EOF
[ "$(stat -c %i "$ROOT/usr/bin/tool")" = "$(stat -c %i "$ROOT/usr/bin/tool2")" ] \
	&& pass "usr/bin/tool2 is a hardlink of usr/bin/tool" || fail "tool2 is not a hardlink"
[ "$(stat -c %Y "$ROOT/etc/motd")" = 1700000000 ] && pass "etc/motd keeps its mtime" \
	|| fail "etc/motd mtime $(stat -c %Y "$ROOT/etc/motd")"

expect_exit 0 "build the same image with 1 thread" "$MINT_OCI_MKIMAGE" "$WORK/img1" test 1
diff -r "$IMG" "$WORK/img1" > /dev/null && pass "same bytes for 1 and 2 threads" \
	|| fail "layouts differ: $(diff -r "$IMG" "$WORK/img1" | head -5)"
cmp -s "$WORK/out" "$WORK/digests" && pass "same digests printed" || fail "digests differ"

finish
