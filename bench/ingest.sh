#!/usr/bin/env bash
# Ingest benchmark: lmo (SQLite and PostgreSQL) vs. sqlite3 .import and psql \copy
# of the same generated long CSV. See bench/README.md.
#   bench/ingest.sh                 # 10,000,000 rows
#   ROWS=100000 bench/ingest.sh     # quick check
#   LMO_BIN=path/to/lmo bench/ingest.sh   # skip the release build
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROWS=${ROWS:-10000000}
OUT=bench/out
DATA=$OUT/data-$ROWS # generated once per size, reused by later runs
REPORT=$OUT/ingest-$(date +%F).md
mkdir -p "$OUT"

say() { printf '==> %s\n' "$*" >&2; }
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

# --- tools -----------------------------------------------------------------
need=()
[[ -x /usr/bin/time ]] || need+=(time)
command -v sqlite3 >/dev/null || need+=(sqlite3)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
if ((${#need[@]})); then
    say "Installing ${need[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
fi

failed=0 # exit status: 1 if any measurement is missing or wrong

# A missing lmo must not stop the peers from being measured; its rows then say so.
LMO=${LMO_BIN:-}
if [[ -z $LMO ]]; then
    say "cargo build --release -p cli"
    if cargo build --release -p cli; then
        LMO=target/release/lmo
    else
        say "WARNING: lmo build failed; measuring the peers only"
        failed=1
    fi
fi
lmo_cmd=()
if [[ -n $LMO ]]; then
    LMO=$(realpath "$LMO")
    lmo_cmd=("$LMO")
    if "$LMO" --help 2>/dev/null | grep -q -- --quiet; then lmo_cmd+=(--quiet); fi
fi

# --- data --------------------------------------------------------------------
if [[ ! -s $DATA/long.csv ]]; then
    say "Generating $ROWS rows into $DATA"
    # Via a temp dir, so an interrupted run never leaves a truncated file to reuse.
    rm -rf "$DATA.tmp"
    python3 bench/gen_long_csv.py "$ROWS" "$DATA.tmp"
    mv "$DATA.tmp" "$DATA"
fi
CSV=$(realpath "$DATA/long.csv")
SERIES=$(realpath "$DATA/series.csv")

# --- throwaway databases -----------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lmo-bench.XXXXXX")
PG_CLUSTER_DIR=
# shellcheck disable=SC2317 # called by the trap
cleanup() {
    [[ -z $PG_CLUSTER_DIR ]] || scripts/pg-cluster stop "$PG_CLUSTER_DIR"
    rm -rf "$WORK"
}
trap cleanup EXIT
# Default durability (fsync on), as a real server would run; lmo and COPY share it.
say "Starting PostgreSQL"
out=$(scripts/pg-cluster start --durable)
eval "$out"
PG_BASE=${PG_URL%/postgres}
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
psql_q "$PG_URL" -c 'CREATE DATABASE peer' -c 'CREATE DATABASE lmo'
# lmo's rejects and other files go to the throwaway dir, not ./lmo-data.
export LMO_DATA_DIR=$WORK

# --- measuring ---------------------------------------------------------------
declare -A secs rss
# measure KEY CMD...: wall clock and max RSS of CMD (the client process only).
measure() {
    local key=$1
    shift
    say "$key: $*"
    if /usr/bin/time -v -o "$WORK/time.txt" "$@" >"$WORK/$key.log" 2>&1; then
        secs[$key]=$(awk -F': ' '/Elapsed \(wall clock\)/ {
            n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$WORK/time.txt")
        rss[$key]=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$WORK/time.txt")
    else
        say "$key FAILED; last lines of its output:"
        tail -n 20 "$WORK/$key.log" >&2
        failed=1
    fi
}
# Peers must really have loaded every row, or their times mean nothing.
check_count() {
    [[ $2 == "$ROWS" ]] || { say "$1 loaded $2 rows, expected $ROWS"; unset "secs[$1]"; failed=1; }
}
# lmo's schema is its own business; a complete ingest leaves some table with >= ROWS rows.
notes=()
check_lmo() {
    local n=${2:-0}
    [[ -z ${secs[$1]:-} ]] || ((n >= ROWS)) || {
        notes+=("WARNING: after $1 no table holds $ROWS rows (largest: $n); did lmo ingest everything?")
        say "${notes[-1]}"
        failed=1
    }
}
sqlite_max_rows() {
    sqlite3 "$1" "SELECT name FROM sqlite_master WHERE type = 'table'" | while read -r t; do
        sqlite3 "$1" "SELECT count(*) FROM \"$t\""
    done | sort -n | tail -n1
}
pg_max_rows() {
    # -c can't mix SQL with \gexec, so the query goes in on stdin.
    psql -X -At "$1" <<'SQL' | sort -n | tail -n1
SELECT format('SELECT count(*) FROM %I.%I', table_schema, table_name)
FROM information_schema.tables WHERE table_type = 'BASE TABLE'
AND table_schema NOT IN ('pg_catalog', 'information_schema') \gexec
SQL
}
# Flush the previous load's dirty pages so it does not slow the next one down.
checkpoint() { psql_q "$PG_URL" -c CHECKPOINT; }

# SQLite
for variant in plain pk; do
    db=$WORK/peer-$variant.db
    pk=""
    [[ $variant == pk ]] && pk=", PRIMARY KEY (series_id, period)"
    sqlite3 "$db" "CREATE TABLE obs(series_id TEXT, period TEXT, value REAL$pk)"
    measure "sqlite3-$variant" sqlite3 "$db" -cmd '.mode csv' ".import --skip 1 '$CSV' obs"
    check_count "sqlite3-$variant" "$(sqlite3 "$db" 'SELECT count(*) FROM obs')"
done
if [[ -n $LMO ]]; then
    measure lmo-sqlite "${lmo_cmd[@]}" --database-url "sqlite://$WORK/lmo.db" ingest "$SERIES" "$CSV"
    check_lmo lmo-sqlite "$(sqlite_max_rows "$WORK/lmo.db")"
fi

# PostgreSQL
for variant in plain pk; do
    pk=""
    [[ $variant == pk ]] && pk=", PRIMARY KEY (series_id, period)"
    psql_q "$PG_BASE/peer" -c "CREATE TABLE obs_$variant(series_id text, period text, value double precision$pk)"
    checkpoint
    measure "copy-$variant" psql -X -v ON_ERROR_STOP=1 "$PG_BASE/peer" -c "\\copy obs_$variant FROM '$CSV' CSV HEADER"
    check_count "copy-$variant" "$(psql -X -At "$PG_BASE/peer" -c "SELECT count(*) FROM obs_$variant")"
done
checkpoint
if [[ -n $LMO ]]; then
    measure lmo-postgres "${lmo_cmd[@]}" --database-url "$PG_BASE/lmo" ingest "$SERIES" "$CSV"
    check_lmo lmo-postgres "$(pg_max_rows "$PG_BASE/lmo")"
fi

# --- report ------------------------------------------------------------------
# row KEY TOOL BACKEND LMO_KEY
row() {
    local s=${secs[$1]:-} l=${secs[$4]:-}
    if [[ -z $s ]]; then
        printf '| %s | %s | %s | failed/skipped | | | |\n' "$2" "$3" "$ROWS"
        return
    fi
    awk -v t="$2" -v b="$3" -v n="$ROWS" -v s="$s" -v m="${rss[$1]}" -v l="$l" 'BEGIN {
        r = (l == "" ? "n/a" : sprintf("%.2f", l / s))
        printf "| %s | %s | %d | %.2f | %.0f | %d | %s |\n", t, b, n, s, n / (s > 0 ? s : 0.01), m, r }'
}
{
    echo "# Ingest benchmark, $(date '+%F %H:%M')"
    echo
    echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM;" \
        "sqlite3 $(sqlite3 --version | cut -d' ' -f1); PostgreSQL $(psql -X -At "$PG_URL" -c 'SHOW server_version');" \
        "lmo at commit $(git rev-parse --short HEAD 2>/dev/null || echo none)."
    echo "Input: $ROWS rows, $(du -h "$CSV" | cut -f1). Peak RSS is the client process (sqlite3, psql or lmo), not the PostgreSQL server."
    echo
    echo "| tool | backend | rows | seconds | rows/s | peak RSS MiB | lmo time ÷ this |"
    echo "|---|---|---:|---:|---:|---:|---:|"
    row lmo-sqlite "lmo ingest" sqlite lmo-sqlite
    row sqlite3-plain "sqlite3 .import" sqlite lmo-sqlite
    row sqlite3-pk "sqlite3 .import + PK" sqlite lmo-sqlite
    row lmo-postgres "lmo ingest" postgres lmo-postgres
    row copy-plain 'psql \copy' postgres lmo-postgres
    row copy-pk 'psql \copy + PK' postgres lmo-postgres
    [[ -n $LMO ]] || printf '\n%s\n' 'lmo was not measured: the release build failed.'
    if ((${#notes[@]})); then echo; printf '%s\n' "${notes[@]}"; fi
} | tee "$REPORT"
say "Saved $REPORT"
exit "$failed"
