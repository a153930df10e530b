#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs every benchmark of an optimised build dir (default build-release).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-release}
for b in $(find "$dir/bench" -maxdepth 1 -type f -name 'bench_*' -perm -u+x | sort); do
	echo "== $(basename "$b")"
	"$b"
done
