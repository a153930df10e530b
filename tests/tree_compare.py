#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Compares a root file system unpacked on disk with a tar of it.

usage: tree_compare.py DIR TAR

Every tar entry must exist in DIR with the same type, permission bits,
size, content (sha256), symlink target and mtime (directories excepted:
unpacking touches them); DIR must hold nothing else. Device nodes, which an
unprivileged unpacker cannot create, may be missing or empty files. Owners are
not compared (a rootless unpack maps them). Prints each difference; exit 1
when there is one."""
import hashlib
import os
import stat
import sys
import tarfile


EMPTY = hashlib.sha256(b"").hexdigest()


def digest(f):
    h = hashlib.sha256()
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
    return h.hexdigest()


def tar_tree(path):
    tree = {}
    with tarfile.open(path) as t:
        for m in t:
            kind = "dir" if m.isdir() else "sym" if m.issym() else "dev" if m.isdev() else "file"
            entry = {"kind": kind, "mode": m.mode & 0o7777}
            if m.issym():
                entry["target"] = m.linkname
            elif m.isfile() or m.islnk():
                src = t.extractfile(m)
                entry["sha256"] = digest(src)
                entry["kind"] = "file"
            if kind != "dir":
                entry["mtime"] = int(m.mtime)
            tree[m.name] = entry
    # a hardlink's mode is its target's
    return tree


def disk_tree(root):
    tree = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root)
            st = os.lstat(full)
            if stat.S_ISDIR(st.st_mode):
                tree[rel] = {"kind": "dir", "mode": stat.S_IMODE(st.st_mode)}
            elif stat.S_ISLNK(st.st_mode):
                tree[rel] = {"kind": "sym", "mode": None, "target": os.readlink(full),
                             "mtime": None}
            else:
                with open(full, "rb") as f:
                    tree[rel] = {"kind": "file", "mode": stat.S_IMODE(st.st_mode),
                                 "sha256": digest(f), "mtime": int(st.st_mtime)}
    return tree


def main():
    want, got = tar_tree(sys.argv[2]), disk_tree(sys.argv[1])
    problems = []
    for name, w in sorted(want.items()):
        g = got.get(name)
        if w["kind"] == "dev":
            # rootless unpackers skip device nodes or leave empty files
            if g is not None and (g["kind"] != "file" or g["sha256"] != EMPTY):
                problems.append(f"{name}: a device in the tar, {g['kind']} on disk")
            continue
        if g is None:
            problems.append(f"missing on disk: {name}")
            continue
        for key in ("kind", "mode", "target", "sha256", "mtime"):
            if key in w and g.get(key) is not None and w[key] != g.get(key):
                if key == "mode" and w["kind"] == "sym":
                    continue
                problems.append(f"{name}: {key} {g.get(key)!r}, tar has {w[key]!r}")
    for name in sorted(set(got) - set(want)):
        problems.append(f"only on disk: {name}")
    for p in problems:
        print(p)
    print(f"{len(want)} entries compared, {len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
