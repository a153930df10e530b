#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every test: a normal build, an ASan+UBSan build, and a short fuzz smoke run.
# This is what `make check` and CI run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh

setup() { # dir, meson options...
	local dir=$1; shift
	[ -f "$dir/build.ninja" ] || meson setup "$dir" "$@" >/dev/null
	ninja -C "$dir" >/dev/null
}

status=0
setup build
meson test -C build --print-errorlogs --num-processes 2 >/dev/null || status=1

setup build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
meson test -C build-asan --print-errorlogs --num-processes 2 >/dev/null || status=1

scripts/fuzz-smoke.sh || status=1

# Last, so that the closing line is the totals line.
scripts/test-summary.py --fuzz build-fuzz/fuzz-results.txt build build-asan || status=1
exit $status
