#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A real HTTP server for the download tests, with faults on demand.

Serves ROOT on 127.0.0.1 at a free port (HTTPS with --tls CERT KEY). It
prints "port N" on stdout once it listens, then reads commands from stdin,
one a line, and answers each with one line ("ok", a number, or "error ...").
It exits on "quit" or when stdin closes, so it never outlives its test.

Commands (PATH is the URL path, e.g. /x86_64/APKINDEX.tar.gz):
  rule PATH fail500 N       answer 500 to the next N requests
  rule PATH fail429 N       answer 429 to the next N requests
  rule PATH cut N           send the headers and half the body, then close
                            the connection, for the next N requests (-1: always)
  rule PATH stall SECONDS   send the headers and half the body, then wait
  rule PATH etag VALUE      send VALUE as the ETag (If-None-Match compares with it)
  rule PATH tamper          flip one byte in the middle of the body
  rule PATH redirect URL    answer 302 to URL
  clear                     forget all rules and counts
  count PATH                requests for PATH so far
  count304 PATH             of those, answered 304 Not Modified
  quit
Without a rule, a file gets a strong ETag derived from its content and a
matching If-None-Match gets 304.
"""
import hashlib
import os
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
RULES = {}
COUNTS = defaultdict(int)
COUNTS_304 = defaultdict(int)
ROOT = ""


def take_fault(path):
    """The fault this request gets, or None; consumes counted faults."""
    with LOCK:
        COUNTS[path] += 1
        rule = RULES.get(path)
        if not rule:
            return None, {}
        kind = rule.get("kind")
        if kind in ("fail500", "fail429", "cut"):
            left = rule["left"]
            if left == 0:
                return None, rule
            if left > 0:
                rule["left"] = left - 1
        return kind, rule


class Handler(BaseHTTPRequestHandler):
    server_version = "mint-test/1"

    def log_message(self, format, *args):
        pass

    def send_status_only(self, code):
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def local_file(self, path):
        full = os.path.normpath(os.path.join(ROOT, path.lstrip("/")))
        if full != ROOT and not full.startswith(ROOT + os.sep):
            return None
        return full if os.path.isfile(full) else None

    def do_GET(self):
        path = urllib.parse.unquote(self.path.split("?", 1)[0])
        kind, rule = take_fault(path)
        if kind == "fail500":
            return self.send_status_only(500)
        if kind == "fail429":
            return self.send_status_only(429)
        if kind == "redirect":
            self.send_response(302)
            self.send_header("Location", rule["value"])
            self.send_header("Content-Length", "0")
            return self.end_headers()
        full = self.local_file(path)
        if not full:
            return self.send_status_only(404)
        with open(full, "rb") as f:
            data = bytearray(f.read())
        if kind == "tamper" and data:
            data[len(data) // 2] ^= 0x01
        etag = rule.get("etag") or '"%s"' % hashlib.sha256(data).hexdigest()[:16]
        if self.headers.get("If-None-Match") == etag:
            with LOCK:
                COUNTS_304[path] += 1
            self.send_response(304)
            self.send_header("ETag", etag)
            return self.end_headers()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("ETag", etag)
        self.end_headers()
        if kind in ("cut", "stall"):
            return self.send_half(data, kind, rule)
        self.wfile.write(data)

    def send_half(self, data, kind, rule):
        self.wfile.write(data[: len(data) // 2])
        self.wfile.flush()
        self.close_connection = True
        if kind == "stall":
            time.sleep(float(rule["value"]))
            return
        self.connection.shutdown(socket.SHUT_RDWR)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients that time out or reject our certificate are expected


def command(words):
    if words[0] == "rule" and len(words) >= 3:
        path, kind = words[1], words[2]
        rule = {"kind": kind}
        if kind in ("fail500", "fail429", "cut"):
            rule["left"] = int(words[3])
        elif kind in ("stall", "redirect"):
            rule["value"] = words[3]
        elif kind == "etag":
            rule["etag"] = words[3]
        elif kind != "tamper":
            return "error unknown rule " + kind
        with LOCK:
            RULES[path] = rule
        return "ok"
    if words[0] == "clear":
        with LOCK:
            RULES.clear()
            COUNTS.clear()
            COUNTS_304.clear()
        return "ok"
    if words[0] in ("count", "count304") and len(words) == 2:
        table = COUNTS if words[0] == "count" else COUNTS_304
        with LOCK:
            return str(table.get(words[1], 0))
    return "error unknown command"


def main():
    global ROOT
    args = sys.argv[1:]
    if len(args) not in (1, 4) or (len(args) == 4 and args[1] != "--tls"):
        sys.exit("usage: http_server.py ROOT [--tls CERT KEY]")
    ROOT = os.path.realpath(args[0])
    server = Server(("127.0.0.1", 0), Handler)
    if len(args) == 4:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args[2], args[3])
        server.socket = ctx.wrap_socket(server.socket, server_side=True,
                                         do_handshake_on_connect=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("port", server.server_address[1], flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        try:
            answer = command(words)
        except (ValueError, IndexError) as e:
            answer = "error " + str(e)
        print(answer, flush=True)
    os._exit(0)


if __name__ == "__main__":
    main()
