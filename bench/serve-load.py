#!/usr/bin/env python3
"""bench/serve-load.py BUILD_DIR: a bounded load test of `cairn serve`.

Builds a 1,000-item roadmap (bench-gen) in a temporary folder, starts
`cairn serve` on loopback, and for DURATION seconds (default 20) runs
READERS clients (default 50) that each loop over the dashboard, a goal's
page, a milestone's page and GET /api/items, plus WRITERS clients (default
5) that each add milestones through POST /api/items.  It prints, per kind
of request, the count, errors, and p50/p99 latency in milliseconds, then
checks that every write the server acknowledged is in the store (no lost
writes).  Reports numbers only; it is not a timed test.  Target: p99 at
most 25 ms for page renders.

Environment: DURATION, READERS, WRITERS, BENCH_ITEMS (default 1000).
"""
import http.client
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

BUILD = sys.argv[1] if len(sys.argv) > 1 else "build"
DURATION = float(os.environ.get("DURATION", "20"))
READERS = int(os.environ.get("READERS", "50"))
WRITERS = int(os.environ.get("WRITERS", "5"))
ITEMS = int(os.environ.get("BENCH_ITEMS", "1000"))
TOKEN = "ab" * 32


def percentile(xs, p):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))]


def main():
    tmp = tempfile.mkdtemp(prefix="cairn-serve-load.")
    db = os.path.join(tmp, "bench.db")
    subprocess.run([os.path.join(BUILD, "bench", "bench-gen"), db,
                    str(ITEMS)], check=True, stderr=subprocess.DEVNULL)
    con = sqlite3.connect(db)
    goal = con.execute("SELECT id FROM item WHERE kind = 'goal' "
                       "ORDER BY id LIMIT 1").fetchone()[0]
    ms = con.execute("SELECT id FROM item WHERE kind = 'milestone' "
                     "ORDER BY id LIMIT 1").fetchone()[0]
    before = con.execute("SELECT count(*) FROM item").fetchone()[0]
    con.close()
    env = dict(os.environ, CAIRN_DB=db, CAIRN_SERVE_TOKEN=TOKEN)
    srv = subprocess.Popen([os.path.join(BUILD, "cairn"), "serve",
                            "--port", "0"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    url = srv.stdout.readline().strip()
    hostport = url.split("//")[1].split("/")[0]
    host, port = hostport.split(":")
    hdr = {"Authorization": "Bearer " + TOKEN}
    c = http.client.HTTPConnection(host, int(port), timeout=30)
    c.request("GET", "/api/session", headers=hdr)
    csrf = json.loads(c.getresponse().read())["csrf"]
    c.close()

    lat = {}
    errors = {}
    acked = []
    lock = threading.Lock()
    stop = time.monotonic() + DURATION

    def record(kind, ms_, ok):
        with lock:
            lat.setdefault(kind, []).append(ms_)
            if not ok:
                errors[kind] = errors.get(kind, 0) + 1

    def reader():
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        paths = [("dashboard", "/"), ("goal page", "/items/%d?trials=1000"
                                      % goal),
                 ("milestone page", "/items/%d" % ms),
                 ("GET /api/items", "/api/items?kind=goal")]
        i = 0
        while time.monotonic() < stop:
            kind, path = paths[i % len(paths)]
            i += 1
            t = time.perf_counter()
            try:
                conn.request("GET", path, headers=hdr)
                r = conn.getresponse()
                r.read()
                ok = r.status == 200
            except Exception:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(host, int(port),
                                                  timeout=30)
            record(kind, (time.perf_counter() - t) * 1000, ok)
        conn.close()

    def writer(n):
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        h = dict(hdr, **{"X-CSRF-Token": csrf,
                         "Content-Type": "application/json"})
        i = 0
        while time.monotonic() < stop:
            title = "load %d.%d" % (n, i)
            i += 1
            body = json.dumps({"kind": "milestone", "title": title,
                               "parent": goal})
            t = time.perf_counter()
            try:
                conn.request("POST", "/api/items", body=body, headers=h)
                r = conn.getresponse()
                r.read()
                ok = r.status == 201
            except Exception:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(host, int(port),
                                                  timeout=30)
            if ok:
                with lock:
                    acked.append(title)
            record("POST /api/items", (time.perf_counter() - t) * 1000, ok)
        conn.close()

    threads = [threading.Thread(target=reader) for _ in range(READERS)]
    threads += [threading.Thread(target=writer, args=(n,))
                for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    srv.send_signal(signal.SIGTERM)
    rc = srv.wait()
    said = srv.stderr.read().strip().splitlines()

    print("cairn serve, %d items, %d readers + %d writers for %.0f s "
          "(server exit %d)" % (ITEMS, READERS, WRITERS, DURATION, rc))
    if said:
        print(said[-1])
    print("%-18s %8s %7s %8s %8s" % ("request", "count", "errors",
                                     "p50 ms", "p99 ms"))
    for kind in sorted(lat):
        xs = lat[kind]
        print("%-18s %8d %7d %8.2f %8.2f" % (kind, len(xs),
                                             errors.get(kind, 0),
                                             percentile(xs, 0.5),
                                             percentile(xs, 0.99)))
    con = sqlite3.connect(db)
    titles = {r[0] for r in con.execute(
        "SELECT title FROM item WHERE title LIKE 'load %'")}
    after = con.execute("SELECT count(*) FROM item").fetchone()[0]
    con.close()
    lost = [t for t in acked if t not in titles]
    print("writes acknowledged %d, in the store %d, lost %d" %
          (len(acked), after - before, len(lost)))
    return 1 if lost or errors else 0


if __name__ == "__main__":
    sys.exit(main())
