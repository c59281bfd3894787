#!/usr/bin/env bash
# Kill lmo at random moments of `lmo ingest`, `lmo arrears --save` and `lmo cases open`, on
# SQLite and PostgreSQL, and check that each store is as it was or as a finished run leaves
# it: never in between. Not part of scripts/test (it takes minutes); see scripts/README.md.
#   scripts/kill-test.sh                    # 13 kills per command and backend (78 in all)
#   ROUNDS=3 scripts/kill-test.sh           # a quick round
#   BACKENDS=sqlite scripts/kill-test.sh    # one backend
#   LMO_BIN=target/release/lmo scripts/kill-test.sh
# PostgreSQL runs on a throwaway cluster (scripts/pg-cluster, fsync on). Exits 1 if any store
# is found in between.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROUNDS=${ROUNDS:-13}
BACKENDS=${BACKENDS:-sqlite postgres}
ROWS=${ROWS:-400000}       # observations of the ingest
EMPLOYERS=${EMPLOYERS:-20000} # employers of the arrears month
OUT=bench/out
REPORT=$OUT/kill-test-$(date +%F).md
mkdir -p "$OUT"
say() { printf '==> %s\n' "$*" >&2; }

LMO=${LMO_BIN:-}
if [[ -z $LMO ]]; then
    say "cargo build --release -p cli"
    cargo build --release -p cli
    LMO=target/release/lmo
fi
LMO=$(realpath "$LMO")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lmo-kill.XXXXXX")
PG_CLUSTER_DIR=
cleanup() {
    [[ -z $PG_CLUSTER_DIR ]] || scripts/pg-cluster stop "$PG_CLUSTER_DIR" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
export LMO_DATA_DIR=$WORK/data
export LMO_PSEUDONYM_KEY=kill-test-key-not-a-secret-0001
if [[ " $BACKENDS " == *" postgres "* ]]; then
    say "Starting a throwaway PostgreSQL cluster (fsync on)"
    out=$(scripts/pg-cluster start --durable)
    eval "$out"
fi

say "Writing the inputs: $ROWS observations, a month of $EMPLOYERS employers"
python3 bench/gen_long_csv.py "$ROWS" "$WORK/long" >/dev/null
head -n 1001 "$WORK/long/long.csv" >"$WORK/long/first.csv"
"$LMO" --quiet gen arrears --out "$WORK/month" --employers "$EMPLOYERS" --seed 1 >/dev/null
month() { # the arrears run of the saves, judged as of $1
    echo arrears --period 2025-06 --as-of "$1" --register "$WORK/month/employers.csv" \
        --mpf "$WORK/month/mpf_remittances.csv" --payroll "$WORK/month/payroll.csv" \
        --reports "$WORK/month/worker_reports.csv" --save --user chan.officer \
        --rejects "$WORK/rejects.csv"
}

# --- stores ------------------------------------------------------------------------------
url() { # BACKEND NAME
    case $1 in
    sqlite) echo "sqlite://$WORK/$2.sqlite" ;;
    postgres) echo "postgres://postgres@127.0.0.1:$PG_PORT/$2" ;;
    esac
}
psql_admin() { PGOPTIONS='-c client_min_messages=warning' psql -q -X -v ON_ERROR_STOP=1 "$PG_URL" -c "$1" >/dev/null; }
# copy BACKEND FROM TO: a store TO that is a copy of FROM (none: an empty store).
copy() {
    case $1 in
    sqlite)
        rm -f "$WORK/$3".sqlite*
        if [[ $2 != none ]]; then
            for file in "$WORK/$2".sqlite*; do cp "$file" "$WORK/$3${file#"$WORK/$2"}"; done
        fi
        ;;
    postgres)
        psql_admin "DROP DATABASE IF EXISTS \"$3\""
        if [[ $2 == none ]]; then psql_admin "CREATE DATABASE \"$3\""
        else psql_admin "CREATE DATABASE \"$3\" TEMPLATE \"$2\""; fi
        ;;
    esac
}
lmo() { "$LMO" --quiet --database-url "$STORE_URL" "$@"; }

# What a store holds for the command under test, without clock times (which differ by run).
fingerprint() { # COMMAND
    case $1 in
    ingest) { lmo export --prefix bench.; lmo imports --json | python3 -c \
        'import json, sys; print(len(json.load(sys.stdin)), "imports")'; } | sha256sum ;;
    save) lmo cases saved --period 2025-06 --user chan.officer --json | python3 -c '
import json, sys
rows = json.load(sys.stdin)
print(json.dumps([{k: v for k, v in row.items() if not k.endswith("_at")} for row in rows]))' |
        sha256sum ;;
    open) lmo cases list --user chan.officer --json | python3 -c '
import json, sys
rows = json.load(sys.stdin)
print(json.dumps([{k: v for k, v in row.items() if not k.endswith("_at")} for row in rows]))' |
        sha256sum ;;
    esac
}

# The store each command starts from.
prepare() { # COMMAND
    lmo ingest "$WORK/long/series.csv" "$WORK/long/first.csv" >/dev/null
    [[ $1 == ingest ]] && return
    lmo users add ho.admin --role admin >/dev/null
    lmo users add chan.officer --role case_officer --by ho.admin >/dev/null
    # shellcheck disable=SC2046
    lmo $(month 2025-07-12) >/dev/null
    [[ $1 == save ]] && return
    # shellcheck disable=SC2046
    lmo $(month 2025-07-31) >/dev/null
}
command_of() { # COMMAND: the run that is killed
    case $1 in
    ingest) echo ingest "$WORK/long/long.csv" ;;
    save) month 2025-07-31 ;;
    open) echo cases open --period 2025-06 --user chan.officer --level yellow ;;
    esac
}

# --- killing -----------------------------------------------------------------------------
declare -a rows
failed=0
for backend in $BACKENDS; do
    for command in ingest save open; do
        say "$backend, $command: preparing"
        copy "$backend" none "base-$command"
        STORE_URL=$(url "$backend" "base-$command")
        prepare "$command" 2>/dev/null
        before=$(fingerprint "$command")
        copy "$backend" "base-$command" "done-$command"
        STORE_URL=$(url "$backend" "done-$command")
        start=$(date +%s.%N)
        # shellcheck disable=SC2046
        lmo $(command_of "$command") >/dev/null 2>&1
        seconds=$(python3 -c "print($(date +%s.%N) - $start)")
        after=$(fingerprint "$command")
        [[ $before != "$after" ]] || { say "$command changes nothing: no test"; exit 1; }
        unchanged=0 complete=0 between=0 finished=0
        for ((round = 1; round <= ROUNDS; round++)); do
            copy "$backend" "base-$command" "round"
            STORE_URL=$(url "$backend" round)
            # A moment from the start to a little past the usual end.
            delay=$(python3 -c "import random; print(f'{random.uniform(0, 1.2 * $seconds):.3f}')")
            # shellcheck disable=SC2046
            "$LMO" --quiet --database-url "$STORE_URL" $(command_of "$command") >/dev/null 2>&1 &
            pid=$!
            sleep "$delay"
            kill -9 "$pid" 2>/dev/null || true
            status=0
            wait "$pid" 2>/dev/null || status=$?
            # 137: killed; anything else, it had ended by itself.
            ((status == 137)) || finished=$((finished + 1))
            found=$(fingerprint "$command" 2>/dev/null || echo unreadable)
            if [[ $found == "$before" ]]; then unchanged=$((unchanged + 1))
            elif [[ $found == "$after" ]]; then complete=$((complete + 1))
            else
                between=$((between + 1))
                failed=1
                say "FAIL: $backend $command killed after ${delay}s: the store is in between"
            fi
        done
        rows+=("| $backend | lmo $command | $ROUNDS | $(printf '%.2f' "$seconds") | $unchanged | $((complete - finished)) | $finished | $between |")
        copy "$backend" none "round"
    done
done

{
    echo "# Kill test, $(date '+%F %H:%M')"
    echo
    echo "lmo at commit $(git rev-parse --short HEAD 2>/dev/null || echo none)${LMO_BIN:+ (binary given: $LMO_BIN)}; $ROWS observations ingested; a month of $EMPLOYERS employers saved; kill -9 at a moment drawn uniformly from 0 to 1.2 times the run's own time."
    echo
    echo "| backend | command | kills | run (s) | store as before | store complete (killed at commit) | finished before the kill | in between |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}"
} | tee "$REPORT"
say "Saved $REPORT"
exit "$failed"
