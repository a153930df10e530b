#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The bundled examples. First the offline demo (scripts/demo-packages.sh):
# a signed repository built from this project's recipes, images built from
# it, run under bubblewrap. Then, when the upstream fixtures are present
# (../shared/fixtures/upstream): inspect and verify real packages and a
# signed repository, lock and build examples/images/fixture-base.yaml from
# it, twice, and show that the bytes are the same.
set -euo pipefail
cd "$(dirname "$0")/.."
MINT=${MINT:-build/src/mint}
FIX=${MINT_FIXTURES:-../shared/fixtures/upstream}
MINT=$MINT scripts/demo-packages.sh
if [ ! -d "$FIX" ]; then
	echo "demo: the upstream fixtures are not at $FIX (set MINT_FIXTURES); the fixture part is skipped"
	exit 0
fi
T=$FIX/apko/pkg/apk/apk/testdata
ALPINE=$T/alpine-316/alpine-baselayout-3.2.0-r23.apk
AKEYS=$FIX/go-apk/pkg/apk/repo_test.go.extracted
REPO=$FIX/apko/internal/cli/testdata/packages
MKEY=$FIX/apko/internal/cli/testdata/melange.rsa.pub

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

step "$MINT" --version
step "$MINT" apk info --keyring "$AKEYS" "$ALPINE"
step "$MINT" apk verify --keyring "$AKEYS" "$ALPINE"
step "$MINT" apk contents --long "$ALPINE"
step "$MINT" apk verify --keyring "$MKEY" "$REPO"/x86_64/*.apk "$REPO"/x86_64/APKINDEX.tar.gz
step "$MINT" apk index show --keyring "$MKEY" "$REPO/x86_64"
step "$MINT" apk version -t 1.2.3_rc1 1.2.3
echo
echo "demo: a one-byte change breaks verification:"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$ALPINE" "$tmp/tampered.apk"
printf '\x00' | dd of="$tmp/tampered.apk" bs=1 seek=2000 conv=notrunc status=none
if "$MINT" apk verify --keyring "$AKEYS" "$tmp/tampered.apk"; then
	echo "demo: tampering went unnoticed" >&2
	exit 1
fi

echo
echo "demo: the example image, locked, built as an OCI layout and as a docker-load tar:"
IMG=examples/images/fixture-base.yaml
C=(--cache-dir "$tmp/cache")
step "$MINT" lock "${C[@]}" --output "$tmp/fixture-base.lock.json" "$IMG"
mkdir -p "$tmp/layout"
step "$MINT" build "${C[@]}" --lockfile "$tmp/fixture-base.lock.json" "$IMG" example/fixture-base:1 "$tmp/layout"
first=$("$MINT" build "${C[@]}" --lockfile "$tmp/fixture-base.lock.json" "$IMG" example/fixture-base:1 "$tmp/fixture-base.tar")
echo "tar: $first"
if command -v skopeo >/dev/null; then
	step skopeo inspect --override-arch amd64 --config "oci:$tmp/layout:1"
fi
step "$MINT" build-minirootfs "${C[@]}" --build-arch x86_64 "$IMG" "$tmp/rootfs.tar"
step tar -tvf "$tmp/rootfs.tar" etc home data
echo
echo "demo: rebuilt in another directory, time zone and thread count:"
mkdir -p "$tmp/again"
second=$(TZ=Asia/Tokyo "$MINT" build "${C[@]}" -j 1 "$IMG" example/fixture-base:1 "$tmp/again")
echo "first:  $first"
echo "second: $second"
if [ "$first" != "$second" ]; then
	echo "demo: the rebuild differs" >&2
	exit 1
fi
echo
echo "demo: mint rebuild reads the locked config inside the image and proves its digest:"
step "$MINT" rebuild "${C[@]}" "$tmp/fixture-base.tar"
echo
echo "demo: and mint diff names what differs between two builds:"
mkdir -p "$tmp/other"
SOURCE_DATE_EPOCH=1700000000 "$MINT" build "${C[@]}" -p custom-ca-certs-2 "$IMG" example/fixture-base:1 "$tmp/other" >/dev/null
"$MINT" diff "$tmp/layout:1" "$tmp/other:1" | head -20 || true
echo "demo: ok"
