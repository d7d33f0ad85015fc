#!/usr/bin/env python3
"""Soak test of fetching: 200 loopback feeds, 180 good, 19 failing in as many ways, one 429.

Serves the feeds from a server on 127.0.0.1 (nothing else is contacted), writes the list file
DIR/feeds.txt (one URL a line) and, when a command is given after `--`, runs it twice, measures
its peak RSS and checks the outcome against the issue's acceptance criteria:

  run 1: exit 3; report.json names exactly the 19 failures (with errors) under feeds.failed and
         the 429 under feeds.skipped; feeds.read == 180; peak RSS <= 200 MB (the gzip bomb and
         the 1 GB stream are among the failures)
  run 2: every good feed is requested with If-None-Match / If-Modified-Since and answered 304;
         feeds.not_modified == 180, items.read == 0

In the command, {feeds} is the list file, {dir} the work folder. For example:

  swift build -c release
  python3 scripts/fetch-soak.py -- .build/release/vendor-risk run --feeds {feeds} \\
      --state {dir}/state.sqlite --output {dir}/out --vendors Feeds/vendors.csv --quiet

The report is read from {dir}/out/reports/latest/report.json (--report to change). Without a
command, the script serves the feeds until interrupted (--serve-only) so that a run can be
started by hand. The slow-drip feed outlasts the default 30 s fetch deadline, so a run takes
a little over 30 s. Every server loop is bounded in count and time.
"""
import argparse
import json
import os
import re
import resource
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = [os.path.join(ROOT, "Feeds", "samples", n) for n in ("chip-wire.xml", "cloud-atom.xml", "industry-digest.rdf")]

GOOD = 180
# name -> short description; each is served under /bad/<name>.xml (or a URL of its own below).
FAILURES = [
    ("not-found", "404"),
    ("server-error", "500"),
    ("unavailable", "503 without Retry-After"),
    ("forbidden", "403"),
    ("gone", "410"),
    ("html", "an HTML page instead of a feed"),
    ("empty", "an empty 200 body"),
    ("json", "JSON instead of XML"),
    ("loop", "a redirect loop"),
    ("redirects", "more than 5 redirects"),
    ("ftp-redirect", "a redirect to an ftp:// URL"),
    ("drip", "a body dripping past the deadline"),
    ("reset", "a connection reset mid-body"),
    ("huge", "a 1 GB body generated on the fly (over the size cap)"),
    ("bomb", "a gzip bomb (1 GiB inflated)"),
    ("corrupt-gzip", "Content-Encoding: gzip over bytes that are not gzip"),
    ("refused", "a closed port (connection refused)"),
    ("tls", "https:// to a server that speaks plain HTTP"),
    ("scheme", "an ftp:// URL in the list"),
]
assert len(FAILURES) == 19


def make_bomb(size=1 << 30):
    head = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Bomb</title><description>'
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [c.compress(head)]
    block = b"A" * (1 << 20)
    for _ in range(size >> 20):
        parts.append(c.compress(block))
    parts.append(c.compress(b"</description></channel></rss>"))
    parts.append(c.flush())
    return b"".join(parts)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []  # (path, if-none-match, if-modified-since, status)

    def add(self, *row):
        with self.lock:
            self.requests.append(row)

    def snapshot(self):
        with self.lock:
            return list(self.requests)


def make_handler(feeds, bomb, stats):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def send(self, status, body=b"", headers=()):
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass
            stats.add(self.path, self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"), status)

        def do_GET(self):
            m = re.fullmatch(r"/good/(\d+)\.xml", self.path)
            if m:
                n = int(m.group(1))
                etag = '"good-%d-v1"' % n
                modified = "Tue, 28 Oct 2025 09:00:00 GMT"
                if self.headers.get("If-None-Match") == etag:
                    return self.send(304, headers=[("ETag", etag)])
                return self.send(200, feeds[n % len(feeds)],
                                 [("Content-Type", "application/rss+xml"), ("ETag", etag), ("Last-Modified", modified)])
            if self.path == "/limited.xml":
                return self.send(429, b"slow down", [("Retry-After", "3600")])
            name = self.path[len("/bad/"):-len(".xml")] if self.path.startswith("/bad/") else ""
            simple = {"not-found": 404, "server-error": 500, "unavailable": 503, "forbidden": 403, "gone": 410}
            if name in simple:
                return self.send(simple[name], b"no")
            if name == "html":
                return self.send(200, b"<!DOCTYPE html><html><body><p>Welcome</p></body></html>", [("Content-Type", "text/html")])
            if name == "empty":
                return self.send(200, b"", [("Content-Type", "application/rss+xml")])
            if name == "json":
                return self.send(200, b'{"items": []}', [("Content-Type", "application/json")])
            if name == "loop" or self.path.startswith("/loop-b"):
                return self.send(302, headers=[("Location", "/loop-b" if name == "loop" else "/bad/loop.xml")])
            if name == "redirects" or self.path.startswith("/hop/"):
                hop = int(self.path.split("/")[-1]) if self.path.startswith("/hop/") else 0
                return self.send(307, headers=[("Location", "/hop/%d" % (hop + 1))])
            if name == "ftp-redirect":
                return self.send(301, headers=[("Location", "ftp://127.0.0.1/feed.xml")])
            if name == "corrupt-gzip":
                return self.send(200, b"this is not gzip at all" * 10, [("Content-Encoding", "gzip")])
            if name == "bomb":
                return self.send(200, bomb, [("Content-Type", "application/rss+xml"), ("Content-Encoding", "gzip")])
            if name == "drip":
                return self.drip()
            if name == "reset":
                return self.reset()
            if name == "huge":
                return self.huge()
            return self.send(404, b"unknown")

        def drip(self):
            body = feeds[0]
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            stats.add(self.path, None, None, 200)
            # One byte a second for at most 45 s: past the 30 s deadline, bounded either way.
            for i in range(45):
                try:
                    self.wfile.write(body[i:i + 1])
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    return
                time.sleep(1)
            self.close_connection = True

        def reset(self):
            body = feeds[0]
            self.send_response(200)
            self.send_header("Content-Length", str(len(body) * 10))
            self.end_headers()
            stats.add(self.path, None, None, 200)
            try:
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True

        def huge(self):
            total = 1 << 30
            prefix = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Endless</title>'
            unit = b"<item><title>More</title><description>" + b"news " * 180 + b"</description></item>"
            block = unit * (65536 // len(unit))
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(total))
            self.end_headers()
            stats.add(self.path, None, None, 200)
            sent = 0
            try:
                self.wfile.write(prefix)
                sent = len(prefix)
                while sent < total:  # at most 1 GiB / 64 KiB writes; stops when the client leaves
                    chunk = block[: total - sent]
                    self.wfile.write(chunk)
                    sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True

    return Handler


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def peak_rss_run(command):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.monotonic()
    proc = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest of any child so far, in KiB on Linux.
    return proc, elapsed, max(before, after) / 1024.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", help="work folder (default: a new temporary folder)")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--report", help="report.json of a run (default {dir}/out/reports/latest/report.json)")
    parser.add_argument("--serve-only", action="store_true", help="serve until interrupted (at most an hour)")
    parser.add_argument("--max-rss-mb", type=float, default=200.0)
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND ARGS... ({feeds}, {dir} substituted)")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command

    work = args.dir or tempfile.mkdtemp(prefix="vr-fetch-soak-")
    os.makedirs(work, exist_ok=True)
    feeds = [open(p, "rb").read() for p in SAMPLES]
    print("building the gzip bomb (1 GiB inflated)…", file=sys.stderr)
    bomb = make_bomb()
    stats = Stats()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(feeds, bomb, stats))
    server.daemon_threads = True
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()

    base = "http://127.0.0.1:%d" % port
    urls = ["%s/good/%d.xml" % (base, n) for n in range(GOOD)]
    failing = {}
    for name, why in FAILURES:
        if name == "refused":
            url = "http://127.0.0.1:%d/feed.xml" % closed_port()
        elif name == "tls":
            url = "https://127.0.0.1:%d/feed.xml" % port
        elif name == "scheme":
            url = "ftp://127.0.0.1:%d/feed.xml" % port
        else:
            url = "%s/bad/%s.xml" % (base, name)
        failing[url] = why
    limited = base + "/limited.xml"
    all_urls = urls + list(failing) + [limited]
    # Interleave so that failures are spread over the run, deterministically.
    all_urls.sort(key=lambda u: (hash_key(u)))
    feeds_path = os.path.join(work, "feeds.txt")
    with open(feeds_path, "w") as f:
        f.write("# fetch soak: %d feeds on %s\n" % (len(all_urls), base))
        f.write("\n".join(all_urls) + "\n")
    with open(os.path.join(work, "expected.json"), "w") as f:
        json.dump({"good": urls, "failing": failing, "skipped": [limited]}, f, indent=1)
    print("serving %d feeds on %s; list: %s" % (len(all_urls), base, feeds_path), file=sys.stderr)

    if not command:
        if args.serve_only:
            try:
                time.sleep(3600)
            except KeyboardInterrupt:
                pass
        server.shutdown()
        return 0

    command = [c.replace("{feeds}", feeds_path).replace("{dir}", work) for c in command]
    report_path = args.report or os.path.join(work, "out", "reports", "latest", "report.json")
    problems = []

    proc, elapsed, rss = peak_rss_run(command)
    print("run 1: exit %d in %.1f s, peak RSS %.0f MB" % (proc.returncode, elapsed, rss), file=sys.stderr)
    sys.stderr.write(proc.stderr[-4000:])
    if proc.returncode != 3:
        problems.append("run 1 exited %d, expected 3" % proc.returncode)
    if rss > args.max_rss_mb:
        problems.append("run 1 peak RSS %.0f MB > %.0f MB" % (rss, args.max_rss_mb))
    report = load(report_path, problems)
    if report:
        feeds_part = report.get("feeds", {})
        failed = {f.get("feed"): f.get("error") for f in feeds_part.get("failed", [])}
        skipped = [s.get("feed") for s in feeds_part.get("skipped", [])]
        if set(failed) != set(failing):
            problems.append("failed feeds differ: missing %s, unexpected %s"
                            % (sorted(set(failing) - set(failed)), sorted(set(failed) - set(failing))))
        for url, error in failed.items():
            print("  failed: %-60s %s" % (failing.get(url, "?"), error), file=sys.stderr)
        if skipped != [limited]:
            problems.append("skipped feeds are %s, expected [%s]" % (skipped, limited))
        if feeds_part.get("read") != GOOD:
            problems.append("feeds.read is %s, expected %d" % (feeds_part.get("read"), GOOD))

    first_run = len(stats.snapshot())
    proc2, elapsed2, rss2 = peak_rss_run(command)
    print("run 2: exit %d in %.1f s" % (proc2.returncode, elapsed2), file=sys.stderr)
    second = stats.snapshot()[first_run:]
    good_requests = [r for r in second if r[0].startswith("/good/")]
    conditional = [r for r in good_requests if r[1] or r[2]]
    not_modified = [r for r in good_requests if r[3] == 304]
    print("run 2: %d requests for good feeds, %d conditional, %d answered 304"
          % (len(good_requests), len(conditional), len(not_modified)), file=sys.stderr)
    if len(good_requests) != GOOD or len(conditional) != GOOD or len(not_modified) != GOOD:
        problems.append("run 2 did not send %d conditional requests answered 304" % GOOD)
    report2 = load(report_path, problems)
    if report2:
        if report2.get("feeds", {}).get("not_modified") != GOOD:
            problems.append("run 2 feeds.not_modified is %s, expected %d" % (report2.get("feeds", {}).get("not_modified"), GOOD))
        if report2.get("items", {}).get("read") != 0:
            problems.append("run 2 items.read is %s, expected 0" % report2.get("items", {}).get("read"))

    server.shutdown()
    for p in problems:
        print("FAIL: " + p, file=sys.stderr)
    print("%d passed, %d failed" % (1 if not problems else 0, 1 if problems else 0))
    return 1 if problems else 0


def hash_key(url):
    return zlib.crc32(url.encode())


def load(path, problems):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        problems.append("cannot read %s: %s" % (path, e))
        return None


if __name__ == "__main__":
    sys.exit(main())
