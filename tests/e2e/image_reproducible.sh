# SPDX-License-Identifier: Apache-2.0
# The same config gives the same bytes: builds that differ in output
# directory, time of day, time zone, umask, locale, compression threads
# (1 and 4) and a cold or warm cache must produce identical blobs and the
# same index digest, for layouts and for tars.
. "$(dirname "$0")/lib.sh"
need_fixtures
CLI=$FIX/apko/internal/cli
unset SOURCE_DATE_EPOCH

build() { # build DESC CACHE OUT TZ UMASK LOCALE THREADS
	local desc=$1 cache=$2 out=$3 tz=$4 um=$5 loc=$6 j=$7
	expect_exit 0 "$desc" sh -c "cd '$CLI' && umask $um && TZ=$tz LC_ALL=$loc exec '$MINT' build -j $j --cache-dir '$cache' testdata/apko.yaml example.org/r:1 '$out'"
}

mkdir -p "$WORK/a" "$WORK/deeper/dir/b"
build "cold cache, UTC, umask 022, C locale, 1 thread" "$WORK/cache1" "$WORK/a" UTC 022 C 1
A=$(cat "$WORK/out")
sleep 1
build "warm cache, Auckland, umask 077, C.UTF-8, 4 threads" "$WORK/cache1" "$WORK/deeper/dir/b" Pacific/Auckland 077 C.UTF-8 4
B=$(cat "$WORK/out")
[ -n "$A" ] && [ "$A" = "$B" ] && pass "same index digest ($A)" || fail "digests differ: $A vs $B"
diff -r "$WORK/a" "$WORK/deeper/dir/b" >/dev/null && pass "identical layouts, blob for blob" \
	|| fail "layouts differ: $(diff -rq "$WORK/a" "$WORK/deeper/dir/b" | head -5)"

build "another cold cache into a tar" "$WORK/cache2" "$WORK/one.tar" America/New_York 002 C 2
build "warm cache into a tar elsewhere" "$WORK/cache2" "$WORK/deeper/two.tar" Asia/Kolkata 027 C.UTF-8 3
cmp -s "$WORK/one.tar" "$WORK/deeper/two.tar" && pass "identical tars" || fail "tars differ"
[ "$(cat "$WORK/out")" = "$A" ] && pass "the tar holds the layout's image" || fail "tar digest $(cat "$WORK/out")"

export SOURCE_DATE_EPOCH=1234567890
mkdir -p "$WORK/c" "$WORK/d"
build "SOURCE_DATE_EPOCH build" "$WORK/cache1" "$WORK/c" UTC 022 C 1
C=$(cat "$WORK/out")
build "SOURCE_DATE_EPOCH build again" "$WORK/cache1" "$WORK/d" Europe/Paris 022 C 4
[ "$C" = "$(cat "$WORK/out")" ] && pass "SOURCE_DATE_EPOCH builds agree" || fail "SOURCE_DATE_EPOCH digests differ"
[ "$C" != "$A" ] && pass "and SOURCE_DATE_EPOCH changes the created time, so the digest" || fail "SOURCE_DATE_EPOCH ignored"
grep -rq '2009-02-13T23:31:30Z' "$WORK/c/blobs" && pass "created = SOURCE_DATE_EPOCH" || fail "created time not found"
finish
