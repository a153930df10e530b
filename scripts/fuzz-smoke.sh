#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the libFuzzer harnesses with clang and runs each for a few seconds
# from its seed corpus. Usage: scripts/fuzz-smoke.sh [seconds-per-harness]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-5}
dir=build-fuzz
if [ ! -f "$dir/build.ninja" ]; then
	CC=clang meson setup "$dir" -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
		-Dbuildtype=debug >/dev/null
fi
ninja -C "$dir" >/dev/null
harnesses=$(find "$dir/fuzz" -maxdepth 1 -type f -name 'fuzz_*' -perm -u+x | sort)
[ -n "$harnesses" ] || { echo "fuzz: no harnesses built" >&2; exit 1; }
failed=0
ok=0
for h in $harnesses; do
	name=$(basename "$h")
	corpus=$(mktemp -d)
	seeds="fuzz/corpus/${name#fuzz_}"
	[ -d "$seeds" ] && cp -r "$seeds/." "$corpus/"
	if "$h" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=0 \
		"$corpus" >"$corpus.log" 2>&1; then
		echo "fuzz: $name ok (${secs}s, $(grep -Eo 'cov: [0-9]+' "$corpus.log" | tail -1))"
		ok=$((ok + 1))
	else
		echo "fuzz: $name FAILED; tail of its log:" >&2
		tail -n 30 "$corpus.log" >&2
		failed=$((failed + 1))
	fi
	rm -rf "$corpus" "$corpus.log"
done
echo "$ok $failed" > "$dir/fuzz-results.txt"
[ "$failed" -eq 0 ]
