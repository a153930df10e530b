# SPDX-License-Identifier: Apache-2.0
# mint build, lock and build-minirootfs on apko's own test config and the
# melange-signed repository beside it, judged by real clients: the OCI
# schemas, skopeo (layout and docker-archive tar) and umoci (whose unpacked
# rootfs must equal build-minirootfs' tar).
. "$(dirname "$0")/lib.sh"
need_fixtures
: "${MINT_OCI_VALIDATE:?}"
PY=${MINT_PYTHON:-python3}
CLI=$FIX/apko/internal/cli
TREE_COMPARE=$(dirname "$0")/../tree_compare.py
in_cli() { (cd "$CLI" && "$@"); }
export SOURCE_DATE_EPOCH=1700000000

# ---- lock ----
expect_exit 0 "mint lock on apko's testdata config" \
	in_cli "$MINT" lock --cache-dir "$WORK/cache" --output "$WORK/apko.lock.json" testdata/apko.yaml
"$PY" - "$WORK/apko.lock.json" "$CLI/testdata/apko.lock.json" <<'PY' && pass "the lock equals apko's own (config name aside)" || fail "lock differs from apko's"
import json, sys
ours, theirs = (json.load(open(p)) for p in sys.argv[1:3])
ours["config"]["name"] = theirs["config"]["name"]
if ours != theirs:
    print(json.dumps(ours, indent=1)[:3000]); sys.exit(1)
PY

# ---- build into a layout ----
mkdir -p "$WORK/layout"
expect_exit 0 "mint build into an OCI layout" \
	in_cli "$MINT" build --cache-dir "$WORK/cache" testdata/apko.yaml example.org/test:v1 "$WORK/layout"
DIGEST=$(cat "$WORK/out")
case "$DIGEST" in sha256:*) pass "prints the index digest";; *) fail "stdout: $DIGEST";; esac
BLOBS=$WORK/layout/blobs/sha256
[ "$(sha256sum < "$BLOBS/${DIGEST#sha256:}" | cut -c1-64)" = "${DIGEST#sha256:}" ] \
	&& pass "the index blob is named by its digest" || fail "index blob"
grep -q '"org.opencontainers.image.ref.name":"v1"' "$WORK/layout/index.json" \
	&& pass "index.json tags the index with the tag part" || fail "index.json: $(cat "$WORK/layout/index.json")"
[ -z "$(ls -A "$WORK/layout" | grep -v '^blobs$\|^index.json$\|^oci-layout$')" ] \
	&& pass "no temporary files left in the layout" || fail "layout: $(ls -A "$WORK/layout")"
for f in "$BLOBS"/*; do
	kind=$("$PY" -c 'import json,sys
d=json.load(open(sys.argv[1])); m=d.get("mediaType","")
print("index" if m.endswith("index.v1+json") else "manifest" if m.endswith("manifest.v1+json") else "config" if "rootfs" in d else "")' "$f" 2>/dev/null)
	[ -n "$kind" ] || continue
	"$PY" "$MINT_OCI_VALIDATE" "$kind" "$f" >/dev/null 2>&1 && pass "$kind $(basename "$f" | cut -c1-12) follows the schema" \
		|| fail "$kind $(basename "$f") does not validate: $("$PY" "$MINT_OCI_VALIDATE" "$kind" "$f" 2>&1 | tail -3)"
done
"$PY" "$MINT_OCI_VALIDATE" index "$WORK/layout/index.json" >/dev/null && pass "index.json follows the schema" || fail "index.json schema"

if command -v skopeo >/dev/null; then
	expect_exit 0 "skopeo inspect oci:LAYOUT:v1" skopeo inspect --override-arch amd64 "oci:$WORK/layout:v1"
	grep -q '"Architecture": "amd64"' "$WORK/out" && pass "skopeo sees the amd64 image" || fail "skopeo: $(head -c 300 "$WORK/out")"
	expect_exit 0 "skopeo copy --all oci:LAYOUT:v1 to another layout" \
		skopeo copy --all "oci:$WORK/layout:v1" "oci:$WORK/copy:v1"
else
	echo "skipped: skopeo not installed"
fi

# ---- the same from the lock ----
mkdir -p "$WORK/locked"
expect_exit 0 "mint build --lockfile" \
	in_cli "$MINT" build --cache-dir "$WORK/cache" --lockfile "$WORK/apko.lock.json" testdata/apko.yaml example.org/test:v1 "$WORK/locked"
expect_stdout "$DIGEST" "the locked build has the same digest"
cp "$CLI/testdata/apko.yaml" "$WORK/changed.yaml"
echo "cmd: /bin/true" >> "$WORK/changed.yaml"
expect_exit 1 "a lock made for another config is refused" \
	"$MINT" build --cache-dir "$WORK/cache" --lockfile "$WORK/apko.lock.json" "$WORK/changed.yaml" t "$WORK/locked"
expect_stderr_line "config changed since the lock was written" "says the config changed"

# ---- build into a docker-load tar ----
expect_exit 0 "mint build into a tar" \
	in_cli "$MINT" build --cache-dir "$WORK/cache" testdata/apko.yaml example.org/test:v1 "$WORK/image.tar"
expect_stdout "$DIGEST" "the tar holds the same image"
if command -v skopeo >/dev/null; then
	expect_exit 0 "skopeo inspect docker-archive:TAR (amd64)" \
		skopeo inspect "docker-archive:$WORK/image.tar:example.org/test:v1-amd64"
	expect_exit 0 "skopeo copy docker-archive:TAR (arm64) to a layout" \
		skopeo copy "docker-archive:$WORK/image.tar:example.org/test:v1-arm64" "oci:$WORK/from-tar:arm64"
	expect_exit 0 "skopeo copy --all oci-archive:TAR:REPO:TAG (the same tar read as an OCI archive)" \
		skopeo copy --all "oci-archive:$WORK/image.tar:example.org/test:v1" "oci:$WORK/from-oci-archive:v1"
fi
if command -v podman >/dev/null; then
	P=(podman --storage-driver vfs --root "$WORK/podman" --runroot "$WORK/podman-run")
	expect_exit 0 "podman load -i TAR" "${P[@]}" load -i "$WORK/image.tar"
	grep -q "Loaded image: example.org/test:v1" "$WORK/out" && pass "podman names it by the full reference" \
		|| fail "podman: $(cat "$WORK/out")"
fi

# ---- build-minirootfs against umoci's unpack of the image ----
expect_exit 0 "mint build-minirootfs --build-arch x86_64" \
	in_cli "$MINT" build-minirootfs --cache-dir "$WORK/cache" --build-arch x86_64 testdata/apko.yaml "$WORK/rootfs.tar"
tar -tf "$WORK/rootfs.tar" | grep -qx 'etc/apk/world' && pass "the rootfs has etc/apk/world" || fail "no etc/apk/world"
tar -xOf "$WORK/rootfs.tar" etc/apk/world > "$WORK/world"
[ "$(cat "$WORK/world")" = $'pretend-baselayout=1.0.0-r0\nreplayout=1.0.0-r0' ] && pass "world lists the locked packages" \
	|| fail "world: $(cat "$WORK/world")"
if command -v umoci >/dev/null && command -v skopeo >/dev/null; then
	skopeo copy --override-arch amd64 "oci:$WORK/layout:v1" "oci:$WORK/amd64:v1" >/dev/null 2>&1
	expect_exit 0 "umoci unpack --rootless" umoci unpack --rootless --image "$WORK/amd64:v1" "$WORK/bundle"
	expect_exit 0 "umoci's rootfs equals build-minirootfs' tar" "$PY" "$TREE_COMPARE" "$WORK/bundle/rootfs" "$WORK/rootfs.tar"
	grep -q " 0 differences" "$WORK/out" || head -20 "$WORK/out" >&2
fi

# ---- --vcs: the git checkout the config lives in ----
if command -v git >/dev/null; then
	G=$WORK/checkout
	mkdir -p "$G/images"
	sed "s|\./testdata|$CLI/testdata|" "$CLI/testdata/apko.yaml" > "$G/images/app.yaml"
	git -C "$G" init -q && git -C "$G" remote add origin https://bot:secret@example.org/team/app.git
	git -C "$G" -c user.name=t -c user.email=t@e add -A && git -C "$G" -c user.name=t -c user.email=t@e commit -qm one
	HEAD=$(git -C "$G" rev-parse HEAD)
	mkdir -p "$WORK/vcs" "$WORK/novcs"
	expect_exit 0 "build inside a git checkout" sh -c "cd '$G' && exec '$MINT' build --cache-dir '$WORK/cache' --arch x86_64 images/app.yaml t:1 '$WORK/vcs'"
	grep -rqh "\"org.opencontainers.image.revision\":\"$HEAD\"" "$WORK/vcs/blobs" && pass "revision annotation = HEAD" || fail "no revision annotation"
	grep -rqh '"org.opencontainers.image.source":"https://example.org/team/app.git"' "$WORK/vcs/blobs" \
		&& pass "source annotation = origin, credentials removed" || fail "no clean source annotation"
	expect_exit 0 "--no-vcs" sh -c "cd '$G' && exec '$MINT' build --no-vcs --cache-dir '$WORK/cache' --arch x86_64 images/app.yaml t:1 '$WORK/novcs'"
	grep -rq 'image.revision' "$WORK/novcs/blobs" && fail "--no-vcs still annotates" || pass "--no-vcs leaves the annotations out"
fi

# ---- bad input ----
cat > "$WORK/baduser.yaml" <<YAML
contents:
  keyring: [ $CLI/testdata/melange.rsa.pub ]
  repositories: [ $CLI/testdata/packages ]
  packages: [ replayout ]
accounts:
  run-as: nobody-here
archs: [ x86_64 ]
YAML
expect_exit 1 "run-as names no user" "$MINT" build --cache-dir "$WORK/cache" "$WORK/baduser.yaml" t "$WORK/bad.tar"
expect_stderr_line "nobody-here" "the error names the user"
[ ! -e "$WORK/bad.tar" ] && [ -z "$(ls -A "$WORK" | grep mint-build)" ] && pass "no output and no temporary left" \
	|| fail "left behind: $(ls -A "$WORK")"
finish
