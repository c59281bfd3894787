#!/usr/bin/env bash
# Load and abuse of `lmo serve` on loopback, bounded in count and time (a benchmark, not a
# test): about 1,000 requests/s for 60 s over the main read endpoints with wrk (Debian's), then
# 1,000 bad requests (malformed JSON, huge bodies, bad tokens, path traversal, SQL-like text in
# every parameter), which must all get 4xx answers while the server stays up.
#   bench/serve.sh [SECONDS]        # default 60
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${1:-60}

command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
cargo build --release -p cli >&2
lmo=$PWD/target/release/lmo

dir=$(mktemp -d)
server=
cleanup() { [[ -n $server ]] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
export LMO_DATA_DIR=$dir LMO_DATABASE_URL=sqlite://$dir/bench.sqlite
# The bundled Hong Kong files (imports only), a viewer and its token.
"$lmo" -q demo --json >/dev/null
"$lmo" -q compute --indicators hk >/dev/null 2>&1 || true
"$lmo" users add bench.viewer --role viewer >/dev/null
token=$("$lmo" tokens create --user bench.viewer --label bench 2>/dev/null)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$lmo" serve --bind "127.0.0.1:$port" --notify-every 0 2>"$dir/server.log" &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
base=http://127.0.0.1:$port
paths=(
    "/v1/series?q=unemployment"
    "/v1/series?prefix=csd.215-16001&limit=50"
    "/v1/series/csd.215-16001.number_of_vacancies.ALL"
    "/v1/series/csd.215-16001.number_of_vacancies.ALL?as_of=2024-06-30"
    "/v1/series/csd.215-16001.number_of_vacancies.ALL/vintages/2025-09"
    "/v1/series/download?ids=csd.215-16001.number_of_vacancies.ALL&format=csv"
    "/v1/indicators"
    "/v1/alerts"
    "/v1/watchlist"
)
# Warm the answers computed from the data (alerts evaluate every rule once per data version).
for path in "${paths[@]}"; do
    curl -sf -o /dev/null -H "Authorization: Bearer $token" "$base$path" || echo "warm-up failed: $path" >&2
done

# wrk's closed loop, paced: 10 connections each waiting 10 ms between requests ≈ 1,000/s.
lua=$dir/paths.lua
{
    echo 'local paths = {'
    for path in "${paths[@]}"; do echo "  \"$path\","; done
    echo '}'
    echo "wrk.headers[\"Authorization\"] = \"Bearer $token\""
    cat <<'LUA'
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
delay = function() return 10 end
LUA
} >"$lua"
echo "== load: wrk -t2 -c10 -d${seconds}s, ~1,000 requests/s over ${#paths[@]} read endpoints" >&2
wrk -t2 -c10 -d"${seconds}s" --latency -s "$lua" "$base" | tee "$dir/wrk.txt"

echo "== abuse: 1,000 bad requests" >&2
python3 - "$base" "$token" <<'PY'
import http.client, json, random, sys, urllib.parse
base, token = sys.argv[1], sys.argv[2]
host, port = urllib.parse.urlparse(base).hostname, urllib.parse.urlparse(base).port
random.seed(15)
sql = ["' OR 1=1--", "1; DROP TABLE users", "\" OR \"\"=\"", "%27%20OR%201%3D1", "../../etc/passwd",
       "..%2F..%2Fetc%2Fpasswd", "\x00", "A" * 5000, "1e309", "-1", "2025-13-45", "😀", "<script>"]
gets = ["/v1/series?q={}", "/v1/series?limit={}", "/v1/series/{}", "/v1/series/{}/vintages/{}",
        "/v1/series/download?ids={}&format={}", "/v1/alerts?level={}&as_of={}&rules={}",
        "/v1/watchlist?as_of={}", "/v1/watchlist/history?from={}&to={}", "/v1/backtest?episodes={}",
        "/v1/climate?as_of={}", "/v1/reports/{}/{}", "/v1/cases/{}", "/v1/tokens/{}",
        "/v1/arrears/runs/{}/employers", "/{}", "/v1/{}/../../{}"]
posts = ["/v1/alerts/acknowledgements", "/v1/alerts/mutes", "/v1/subscriptions", "/v1/reports",
         "/v1/cases", "/v1/users", "/v1/tokens", "/v1/auth/login"]
counts, fivexx = {}, []
for i in range(1000):
    kind = i % 5
    headers = {"Authorization": f"Bearer {token}"}
    method, body = "GET", None
    if kind == 0:   # SQL-like and traversal text in every parameter
        template = random.choice(gets)
        args = [urllib.parse.quote(random.choice(sql), safe="") for _ in range(template.count("{}"))]
        path = template.format(*args)
    elif kind == 1:  # malformed JSON
        method, path = "POST", random.choice(posts)
        body = random.choice([b"{", b"[1,2", b"{\"id\": }", b"null", b"\xff\xfe", b"{\"reason\": 7}"])
        headers["Content-Type"] = "application/json"
    elif kind == 2:  # huge bodies
        method, path = "POST", random.choice(posts)
        body = b"{\"x\": \"" + b"A" * random.choice([70_000, 1_000_000]) + b"\"}"
        headers["Content-Type"] = "application/json"
    elif kind == 3:  # bad tokens
        path = random.choice(["/v1/series", "/v1/me", "/v1/users"])
        headers["Authorization"] = random.choice(["Bearer lmo_" + "0" * 64, "Bearer ' OR 1=1--",
                                                  "Basic YWRtaW46YWRtaW4=", "Bearer " + "A" * 4000, ""])
    else:  # SQL-like values in JSON fields
        method, path = "POST", random.choice(posts)
        body = json.dumps({"id": random.choice(sql), "reason": random.choice(sql), "rule": random.choice(sql),
                           "subject": random.choice(sql), "until": random.choice(sql),
                           "user_name": random.choice(sql), "password": random.choice(sql)}).encode()
        headers["Content-Type"] = "application/json"
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        status = connection.getresponse().status
    except Exception as error:  # a closed connection on a huge body counts as refused, not as 5xx
        status = "closed:" + type(error).__name__
    finally:
        connection.close()
    counts[status] = counts.get(status, 0) + 1
    if isinstance(status, int) and status >= 500:
        fivexx.append((method, path[:80], status))
print("statuses:", dict(sorted(counts.items(), key=str)))
print("5xx:", len(fivexx), fivexx[:5])
PY
curl -sf "$base/healthz" >/dev/null && echo "server still up: /healthz ok"
kill -0 "$server" && echo "server process alive"
echo "panics in the log: $(grep -c -i panick "$dir/server.log" || true)"
echo "errors in the log: $(grep -c ' ERROR ' "$dir/server.log" || true)"
