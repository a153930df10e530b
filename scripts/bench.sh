#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs the benchmarks of an optimised build dir (default build-release): all
# of them, or those named (`scripts/bench.sh build-release image gzip`).
# bench_image takes its size from MINT_BENCH_IMAGE_MB (default 500) and
# works in $TMPDIR (about 3x the size in free space).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-release}
shift || true
for b in $(find "$dir/bench" -maxdepth 1 -type f -name 'bench_*' -perm -u+x | sort); do
	name=$(basename "$b")
	if [ $# -gt 0 ]; then
		wanted=0
		for w in "$@"; do
			[ "$name" = "bench_$w" ] && wanted=1
		done
		[ $wanted = 1 ] || continue
	fi
	echo "== $name"
	"$b"
done
