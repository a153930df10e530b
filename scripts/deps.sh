#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian bookworm packages that building, testing and the demo
# need. Safe to run again: it only calls apt-get when something is missing.
set -euo pipefail

packages=(
	# build
	build-essential meson ninja-build pkg-config git
	# libraries libmint links against
	libssl-dev zlib1g-dev libjansson-dev libyaml-dev libcurl4-openssl-dev
	libdeflate-dev libzstd-dev libsodium-dev
	# tests, sanitizers and fuzzing
	libcmocka-dev clang llvm libclang-rt-14-dev python3 openssl
	# OCI clients and schemas the image tests hand layouts to
	skopeo umoci podman golang-github-opencontainers-image-spec-dev python3-jsonschema
	# benchmark baselines
	pigz
	# package builds and the offline demo: the static busybox, CA bundle and
	# static C library the demo recipes package or link, bubblewrap to run
	# build steps and images
	busybox-static ca-certificates libc6-dev bubblewrap
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
# The CycloneDX schema check runs on node; scripts/npm-deps.sh installs its
# npm packages. Debian's nodejs and npm only when there is no npm at all: a
# node from elsewhere (with its own npm) must not be replaced.
command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -eq 0 ]; then
	"$(dirname "$0")/npm-deps.sh"
	exit 0
fi

echo "deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
"$(dirname "$0")/npm-deps.sh"
