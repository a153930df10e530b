# SPDX-License-Identifier: Apache-2.0
# What mint builds runs: a repository holding this machine's static busybox
# (packaged with etc/busybox-paths.d, no install script) becomes an image;
# umoci unpacks it without privileges and bubblewrap runs its /bin/sh, as
# root and as the configured nonroot user.
. "$(dirname "$0")/lib.sh"
: "${MINT_MKREPO:?}"
for tool in umoci bwrap; do
	command -v "$tool" >/dev/null || { echo "skipped: $tool not installed (scripts/deps.sh)"; exit 77; }
done
BB=""
for c in /bin/busybox /usr/bin/busybox; do [ -x "$c" ] && BB=$c && break; done
[ -n "$BB" ] || { echo "skipped: no busybox (busybox-static)"; exit 77; }
ldd "$BB" 2>&1 | grep -q "not a dynamic" || { echo "skipped: $BB is not static"; exit 77; }
[ "$(uname -m)" = x86_64 ] || { echo "skipped: the test repository is x86_64"; exit 77; }
bwrap --bind / / true 2>/dev/null || { echo "skipped: bwrap cannot make namespaces here"; exit 77; }

"$MINT_MKREPO" "$WORK/repo" "$BB" || { fail "mkrepo"; finish; }
cat > "$WORK/image.yaml" <<YAML
contents:
  keyring: [ $WORK/repo/test.rsa.pub ]
  repositories: [ $WORK/repo ]
  packages: [ base-files, busybox ]
accounts:
  groups: [ { groupname: nonroot, gid: 65532 } ]
  users: [ { username: nonroot, uid: 65532, gid: 65532 } ]
  run-as: nonroot
entrypoint:
  command: /bin/sh -c
cmd: echo hello
archs: [ x86_64 ]
YAML
mkdir -p "$WORK/layout"
expect_exit 0 "mint build a busybox image" "$MINT" build --cache-dir "$WORK/cache" "$WORK/image.yaml" run:1 "$WORK/layout"
expect_exit 0 "umoci unpack --rootless" umoci unpack --rootless --image "$WORK/layout:1" "$WORK/bundle"
ROOT=$WORK/bundle/rootfs
[ "$(readlink "$ROOT/bin/sh")" = /bin/busybox ] && pass "bin/sh links to /bin/busybox (from busybox-paths.d)" \
	|| fail "bin/sh: $(ls -l "$ROOT/bin/sh" 2>&1)"
run() { bwrap --bind "$ROOT" / --proc /proc --dev /dev --unshare-all "$@"; }
expect_exit 0 "busybox true runs inside the image" run /bin/busybox true
expect_exit 0 "/bin/sh runs the image's cmd" run /bin/sh -c "echo hello from \$(id -u)"
expect_stdout "hello from 0" "as root"
expect_exit 0 "and as the run-as user" run --uid 65532 --gid 65532 /bin/sh -c 'id -un; ls -d /home/nonroot'
expect_stdout $'nonroot\n/home/nonroot' "id knows nonroot from the image's /etc/passwd"
finish
