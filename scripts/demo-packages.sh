#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The offline demo: from recipes in this project (examples/packages) and
# files this Debian machine provides, build a signed package repository,
# build two images from it (examples/images/demo-*.yaml), and run them
# under bubblewrap. Nothing is downloaded. Outputs go to build-demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
MINT=${MINT:-build/src/mint}
OUT=build-demo
PKGS=$OUT/packages
KEY=$OUT/melange.rsa
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

rm -rf "$PKGS" "$OUT"/images "$OUT"/rootfs-*
mkdir -p "$OUT/images"
[ -f "$KEY" ] || step "$MINT" pkg keygen "$OUT/melange"

echo
echo "demo: the bootstrap packages, built with --runner host (the host's / read-only under bwrap):"
for r in busybox mint-baselayout ca-certificates-bundle hello-mint; do
	step "$MINT" pkg build --runner host --signing-key "$KEY" --out-dir "$PKGS" \
		"examples/packages/$r.yaml"
done
echo
echo "demo: a package built inside a sandbox whose root is an image made from that repository:"
ENV=(-r "$PKGS" -k "$KEY.pub" --cache-dir "$OUT/cache")
step "$MINT" pkg build "${ENV[@]}" --signing-key "$KEY" --out-dir "$PKGS" examples/packages/mint-motd.yaml
step "$MINT" pkg test "${ENV[@]}" --out-dir "$PKGS" examples/packages/mint-motd.yaml
step "$MINT" pkg test "${ENV[@]}" --out-dir "$PKGS" examples/packages/hello-mint.yaml

ARCH=$(basename "$(dirname "$(ls "$PKGS"/*/APKINDEX.tar.gz)")")
step "$MINT" apk verify --keyring "$KEY.pub" "$PKGS/$ARCH"/*.apk "$PKGS/$ARCH/APKINDEX.tar.gz"
step "$MINT" apk index show --keyring "$KEY.pub" "$PKGS/$ARCH"

echo
echo "demo: the same recipe built again gives the same bytes:"
step "$MINT" pkg build -q --runner host --signing-key "$KEY" --out-dir "$OUT/again" \
	examples/packages/hello-mint.yaml
step cmp "$PKGS/$ARCH/hello-mint-1.0.0-r0.apk" "$OUT/again/$ARCH/hello-mint-1.0.0-r0.apk"
rm -rf "$OUT/again"

echo
echo "demo: two images from the repository:"
for img in static busybox; do
	mkdir -p "$OUT/images/$img"
	step "$MINT" build --arch host --cache-dir "$OUT/cache" "examples/images/demo-$img.yaml" \
		"demo/$img:latest" "$OUT/images/$img/image.tar"
	step "$MINT" build-minirootfs --cache-dir "$OUT/cache" "examples/images/demo-$img.yaml" \
		"$OUT/images/$img/rootfs.tar"
	mkdir -p "$OUT/rootfs-$img"
	# Device nodes need privilege; bwrap brings its own /dev.
	tar -xf "$OUT/images/$img/rootfs.tar" -C "$OUT/rootfs-$img" --exclude='dev/*' --no-same-owner
done

echo
echo "demo: and they run (bubblewrap, no privilege, as the images' nonroot user):"
run() { local root=$1; shift; bwrap --bind "$root" / --proc /proc --dev /dev --unshare-all \
	--uid 65532 --gid 65532 --die-with-parent "$@"; }
step run "$OUT/rootfs-static" /usr/bin/hello-mint demo
step run "$OUT/rootfs-busybox" /bin/busybox true
step run "$OUT/rootfs-busybox" /bin/sh -c 'cat /etc/motd; id; ls /usr/bin | head -3'
echo
echo "demo: packages in $PKGS, images (docker/podman load tars, with SBOMs) in $OUT/images/*/"
