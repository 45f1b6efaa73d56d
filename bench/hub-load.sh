#!/bin/sh
# hub-load.sh BUILD: the hub under load.  A throwaway PostgreSQL cluster
# (tests/pg.sh), two `cairn hub serve` processes on it, and DEVICES
# simulated devices (200; 4 a user) each pushing OPS operations (50) in
# batches of BATCH (10) through one hub or the other, all at once
# (CONCURRENCY at a time, 32), then pulling everything back through the
# other hub.  Prints pushed ops/s and the latency of requests (p50, p99),
# and checks that no operation was lost or stored twice; then the bytes
# an operation takes in hub.ops.
set -eu
BUILD=${1:-build}
CAIRN=$(cd "$BUILD" && pwd)/cairn
SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
: "${DEVICES:=200}" "${OPS:=50}" "${BATCH:=10}" "${CONCURRENCY:=32}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cairn-hub-load.XXXXXX")
pids=
cleanup() { :; }
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; cleanup; rm -rf "$TMP"' EXIT
. "$SRCDIR/tests/pg.sh"
pg_start
"$CAIRN" hub init --pg "$CAIRN_PG" >/dev/null
for n in 1 2; do
	"$CAIRN" hub serve --pg "$CAIRN_PG" --port 0 --rate 1000000 \
		>"$TMP/hub$n.out" 2>"$TMP/hub$n.err" &
	pids="$pids $!"
done
for n in 1 2; do
	while [ ! -s "$TMP/hub$n.out" ]; do sleep 0.05; done
done
users=$(((DEVICES + 3) / 4))
i=0
while [ $i -lt "$users" ]; do
	"$CAIRN" hub user add "u$i" >/dev/null
	# Four codes a user: one per device.
	for _ in 1 2 3 4; do
		"$CAIRN" hub user add "u$i" | tail -n 1
	done >"$TMP/codes.u$i"
	i=$((i + 1))
done
python3 - "$TMP" "$(head -n 1 "$TMP/hub1.out")" "$(head -n 1 "$TMP/hub2.out")" \
	"$DEVICES" "$OPS" "$BATCH" "$CONCURRENCY" <<'PY'
import concurrent.futures as cf, http.client, json, sys, time, urllib.parse, uuid

tmp, hub1, hub2 = sys.argv[1:4]
devices, nops, batch, conc = map(int, sys.argv[4:8])
hubs = [urllib.parse.urlsplit(h) for h in (hub1, hub2)]

def request(hub, method, path, body=None, token=None):
    c = http.client.HTTPConnection(hub.hostname, hub.port, timeout=60)
    h = {"Content-Type": "application/json"}
    if token:
        h["Authorization"] = "Bearer " + token
    t = time.perf_counter()
    c.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    if r.status != 200:
        raise SystemExit("%s %s: %d %s" % (method, path, r.status, data[:200]))
    return json.loads(data), time.perf_counter() - t

tokens = []
for d in range(devices):
    user = "u%d" % (d // 4)
    code = open("%s/codes.%s" % (tmp, user)).read().split()[d % 4]
    reply, _ = request(hubs[d % 2], "POST", "/v1/enrol",
                       {"user": user, "code": code, "device": "dev%d" % d})
    tokens.append((user, reply["token"]))

def device(d):
    user, token = tokens[d]
    rep = str(uuid.uuid4())
    ops = [{"id": str(uuid.uuid4()), "replica": rep,
            "clock": "%016x.%04x.%s" % (1700000000000 + i, 0, rep[:8]),
            "entity": "item", "uuid": str(uuid.uuid4()), "item": None,
            "action": "set", "field": "title", "value": "t%d" % i,
            "vis": "public"} for i in range(nops)]
    lat = []
    for i in range(0, nops, batch):
        r, t = request(hubs[d % 2], "POST", "/v1/ops", {"ops": ops[i:i + batch]}, token)
        assert r["stored"] == len(ops[i:i + batch]), r
        lat.append(t)
    return user, [o["id"] for o in ops], lat

t0 = time.perf_counter()
with cf.ThreadPoolExecutor(conc) as ex:
    results = list(ex.map(device, range(devices)))
elapsed = time.perf_counter() - t0
lat = sorted(l for _, _, ls in results for l in ls)
sent = {}
for user, ids, _ in results:
    sent.setdefault(user, []).extend(ids)

# Pull each user back through the other hub than its first device's.
pulled_lat = []
lost = dup = 0
for n, (user, ids) in enumerate(sorted(sent.items())):
    token = next(t for u, t in tokens if u == user)
    got, after = [], 0
    while True:
        r, t = request(hubs[1], "GET", "/v1/ops?after=%d&limit=1000" % after, None, token)
        pulled_lat.append(t)
        got += [o["id"] for o in r["ops"]]
        after = r["next"]
        if not r["more"]:
            break
    lost += len(set(ids) - set(got))
    dup += len(got) - len(set(got))
total = sum(len(v) for v in sent.values())
pct = lambda a, p: a[min(len(a) - 1, int(p * len(a)))] * 1000
print("%d devices x %d ops (batches of %d, %d at a time) through 2 hubs: "
      "%d ops in %.2f s, %.0f ops/s, %.0f pushes/s" %
      (devices, nops, batch, conc, total, elapsed, total / elapsed, len(lat) / elapsed))
print("push latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms" %
      (pct(lat, .5), pct(lat, .99), lat[-1] * 1000))
pulled_lat.sort()
print("pull of a user's %d ops: p50 %.1f ms, p99 %.1f ms" %
      (total // len(sent), pct(pulled_lat, .5), pct(pulled_lat, .99)))
print("lost %d, duplicated %d" % (lost, dup))
sys.exit(1 if lost or dup else 0)
PY
echo "hub.ops on disk: $(pg_sql "SELECT pg_total_relation_size('hub.ops') / count(*) FROM hub.ops") bytes an operation (table and indexes)"
