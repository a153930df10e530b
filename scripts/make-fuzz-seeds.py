#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the small, self-made seed inputs for fuzz/corpus/{package,index,scripts}.
Run from the repository root; the outputs are committed."""
import gzip
import hashlib
import io
import tarfile


def tar_bytes(entries, end=True):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data, pax in entries:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1700000000
            info.pax_headers = pax
            t.addfile(info, io.BytesIO(data))
    raw = buf.getvalue()
    if not end:  # apk control and signature members carry no end-of-archive
        raw = raw.rstrip(b"\0")
        raw += b"\0" * (-len(raw) % 512)
    return raw


def gz(data):
    return gzip.compress(data, mtime=0)


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


content = b"#!/bin/sh\necho hi\n"
data = gz(tar_bytes([("usr/bin/hi", content,
                      {"APK-TOOLS.checksum.SHA1": hashlib.sha1(content).hexdigest()})]))
pkginfo = ("pkgname = hi\npkgver = 1.0-r0\narch = x86_64\nsize = 18\n"
           "depend = so:libc.musl-x86_64.so.1\ndatahash = %s\n"
           % hashlib.sha256(data).hexdigest()).encode()
control = gz(tar_bytes([(".PKGINFO", pkginfo, {})], end=False))
write("fuzz/corpus/package/unsigned.apk", control + data)
signature = gz(tar_bytes([(".SIGN.RSA256.k.rsa.pub", b"\x01" * 64, {})], end=False))
write("fuzz/corpus/package/signed-shape.apk", signature + control + data)

index_text = b"C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:hi\nV:1.0-r0\nA:x86_64\nS:1\nI:18\nT:hi\nU:\nL:MIT\nD:so:libc.musl-x86_64.so.1\n\n"
write("fuzz/corpus/index/APKINDEX", index_text)
write("fuzz/corpus/index/APKINDEX.tar.gz",
      signature + gz(tar_bytes([("DESCRIPTION", b"seed", {}), ("APKINDEX", index_text, {})])))

write("fuzz/corpus/scripts/scripts.tar",
      tar_bytes([("hi-1.0-r0.Q1AAAAAAAAAAAAAAAAAAAAAAA/AAAA=.post-install", b"#!/bin/sh\n", {})]))
