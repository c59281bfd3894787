#!/usr/bin/env bash
# Arrears benchmark: `lmo arrears` (ingest + detect one month of MPF remittances) vs. the
# same detection in DuckDB (one SQL query) and pandas, on the same files. See bench/README.md.
#   bench/arrears.sh                        # 300,000 employers, about 5,000,000 rows
#   EMPLOYERS=2000 bench/arrears.sh         # quick check
#   LMO_BIN=path/to/lmo bench/arrears.sh    # skip the release build
#   RUNS=5 bench/arrears.sh                 # rounds of the three tools (default 3; medians reported)
#   PEERS=0 bench/arrears.sh                # lmo alone: no DuckDB or pandas (nothing installed)
#   LMO_BEFORE=path/to/old/lmo bench/arrears.sh  # also time that binary in each round, as "lmo (before)"
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

EMPLOYERS=${EMPLOYERS:-300000}
RUNS=${RUNS:-3} # rounds; each runs lmo, DuckDB and pandas once, so machine drift hits all three
PEERS=${PEERS:-1}           # 0: time lmo alone
LMO_BEFORE=${LMO_BEFORE:-} # another lmo binary, timed in the same rounds (before and after a change)
OUT=bench/out
DATA=$OUT/arrears-data-$EMPLOYERS # generated once per size, reused by later runs
VENV=$OUT/venv                    # DuckDB and pandas live here, not in the system Python
REPORT=$OUT/arrears-$(date +%F).md
PERIOD=2025-06
AS_OF=2025-07-31 # the rules in arrears_peers.py are written for this month and date
mkdir -p "$OUT"

say() { printf '==> %s\n' "$*" >&2; }
start=$SECONDS

# --- tools -----------------------------------------------------------------
if [[ ! -x /usr/bin/time ]]; then
    say "Installing time"
    as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends time
fi
PY=$VENV/bin/python
if ((PEERS)) && ! { [[ -x $PY ]] && "$PY" -c 'import duckdb, pandas' 2>/dev/null; }; then
    say "Installing duckdb and pandas into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q duckdb pandas
fi

failed=0 # exit status: 1 if any measurement is missing or the outputs disagree

# A missing lmo must not stop the peers from being measured (on cached data).
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
[[ -z $LMO ]] || LMO=$(realpath "$LMO")
[[ -z $LMO_BEFORE ]] || LMO_BEFORE=$(realpath "$LMO_BEFORE")

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lmo-arrears.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# lmo's rejects and other files go to the throwaway dir, not ./lmo-data.
export LMO_DATA_DIR=$WORK
# A fixed, obviously fake key: the data is synthetic, and the key only has to be valid.
export LMO_PSEUDONYM_KEY=${LMO_PSEUDONYM_KEY:-bench-only-pseudonym-key-not-a-secret-0001}

# --- data --------------------------------------------------------------------
if [[ ! -s $DATA/mpf_remittances.csv ]]; then
    [[ -n $LMO ]] || { say "no lmo binary to generate $DATA with"; exit 1; }
    say "Generating $EMPLOYERS employers into $DATA"
    # Via a temp dir, so an interrupted run never leaves a truncated file to reuse.
    rm -rf "$DATA.tmp"
    "$LMO" --quiet gen mpf --out "$DATA.tmp" --employers "$EMPLOYERS" --seed 1 --period "$PERIOD" >&2
    mv "$DATA.tmp" "$DATA"
fi
REGISTER=$(realpath "$DATA/employers.csv")
MPF=$(realpath "$DATA/mpf_remittances.csv")
ROWS=$(($(wc -l <"$MPF") - 1))
# Every tool starts with the files in the page cache, not just the first one measured.
cat "$REGISTER" "$MPF" >/dev/null

# --- measuring ---------------------------------------------------------------
# runs[KEY]: the wall-clock seconds of each round; secs[KEY]: their median; rss[KEY]: the
# largest peak RSS of any round (KiB); cpu_runs[KEY], cpu[KEY]: the same for CPU seconds (user
# + system), which other processes on a busy machine sway less than the wall clock.
declare -A runs secs rss cpu_runs cpu
# measure KEY CMD...: wall clock and max RSS of CMD; its stdout goes to $WORK/KEY.out.
measure() {
    local key=$1
    shift
    say "$key (round $round of $RUNS): $*"
    if /usr/bin/time -v -o "$WORK/time.txt" "$@" >"$WORK/$key.out" 2>"$WORK/$key.log"; then
        runs[$key]+="$(awk -F': ' '/Elapsed \(wall clock\)/ {
            n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$WORK/time.txt") "
        cpu_runs[$key]+="$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$WORK/time.txt") "
        local kib
        kib=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time.txt")
        if ((kib > ${rss[$key]:-0})); then rss[$key]=$kib; fi
    else
        say "$key FAILED; last lines of its output:"
        tail -n 20 "$WORK/$key.log" >&2
        failed=1
    fi
}

for ((round = 1; round <= RUNS; round++)); do
    if [[ -n $LMO ]]; then
        rm -f "$WORK/rejects.csv"
        measure lmo "$LMO" --quiet arrears --period "$PERIOD" --as-of "$AS_OF" \
            --register "$REGISTER" --mpf "$MPF" --rejects "$WORK/rejects.csv" --csv
        mv "$WORK/lmo.out" "$WORK/lmo.csv"
    fi
    if [[ -n $LMO_BEFORE ]]; then
        measure before "$LMO_BEFORE" --quiet arrears --period "$PERIOD" --as-of "$AS_OF" \
            --register "$REGISTER" --mpf "$MPF" --rejects "$WORK/rejects-before.csv" --csv
        mv "$WORK/before.out" "$WORK/before.csv"
    fi
    # Separate processes, so each peer's peak RSS is its own; the peers write their own CSV.
    if ((PEERS)); then
        for peer in duckdb pandas; do
            measure "$peer" "$PY" bench/arrears_peers.py "$peer" "$REGISTER" "$MPF" "$WORK/$peer.csv"
        done
    fi
done
# A tool that failed in any round has no figure.
for key in "${!runs[@]}"; do
    (($(wc -w <<<"${runs[$key]}") == RUNS)) || continue
    median() { tr ' ' '\n' <<<"$1" | grep . | sort -g |
        awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
    secs[$key]=$(median "${runs[$key]}")
    cpu[$key]=$(median "${cpu_runs[$key]}")
done

# --- checks ------------------------------------------------------------------
notes=()
# The peers take every row as valid, so lmo must have rejected none for a fair match.
if [[ -s $WORK/rejects.csv ]] && (($(wc -l <"$WORK/rejects.csv") > 1)); then
    notes+=("WARNING: lmo rejected $(($(wc -l <"$WORK/rejects.csv") - 1)) rows; the peers did not.")
    failed=1
fi
agreement="not checked: a run failed."
((PEERS)) || agreement="not checked: the peers were not run (PEERS=0)."
if [[ -n $LMO_BEFORE && -n ${secs[before]:-} ]] && ! cmp -s "$WORK/lmo.csv" "$WORK/before.csv"; then
    notes+=("WARNING: lmo and lmo (before) listed different employers.")
    failed=1
fi
if [[ -n ${secs[lmo]:-} && -n ${secs[duckdb]:-} && -n ${secs[pandas]:-} ]]; then
    agreement=$("$PY" bench/arrears_peers.py compare "$WORK/lmo.csv" "$WORK/duckdb.csv" \
        "$WORK/pandas.csv" "$DATA/ground_truth.csv") || failed=1
fi
listed() { [[ -s $WORK/$1.csv ]] && echo $(($(wc -l <"$WORK/$1.csv") - 1)); }
if [[ -n ${secs[lmo]:-} ]]; then
    awk -v k="${rss[lmo]}" 'BEGIN { exit !(k * 1024 < 500e6) }' ||
        { notes+=("lmo's peak RSS is over the 500 MB goal."); failed=1; }
    [[ -z ${secs[duckdb]:-} ]] ||
        notes+=("$(awk -v l="${secs[lmo]}" -v d="${secs[duckdb]}" \
            -v lr="${runs[lmo]}" -v dr="${runs[duckdb]}" 'BEGIN {
            printf "Goal (lmo in half of DuckDB'"'"'s time or less): %s, lmo ÷ DuckDB = %.2f (medians)",
                (l <= d / 2 ? "met" : "NOT met"), l / d
            n = split(lr, a, " "); split(dr, b, " "); printf "; per round:"
            for (i = 1; i <= n; i++) printf " %.2f", a[i] / b[i]
            printf "." }')")
fi

# --- report ------------------------------------------------------------------
# row KEY TOOL
row() {
    local s=${secs[$1]:-} l=${secs[lmo]:-}
    if [[ -z $s ]]; then
        printf '| %s | %s | | failed/skipped | | | | | | |\n' "$2" "$ROWS"
        return
    fi
    awk -v t="$2" -v n="$ROWS" -v e="$(listed "$1")" -v s="$s" -v m="${rss[$1]}" -v l="$l" \
        -v all="${runs[$1]}" -v c="${cpu[$1]}" -v lc="${cpu[lmo]:-}" 'BEGIN {
        r = (l == "" ? "n/a" : sprintf("%.2f", l / s))
        rc = (lc == "" || c == 0 ? "n/a" : sprintf("%.2f", lc / c))
        k = split(all, v, " "); rounds = ""
        for (i = 1; i <= k; i++) rounds = rounds (i > 1 ? ", " : "") sprintf("%.2f", v[i])
        printf "| %s | %d | %s | %.2f | %s | %.0f | %.0f | %s | %.2f | %s |\n", t, n, e, s, rounds, n / (s > 0 ? s : 0.01), m / 1024, r, c, rc }'
}
versions="no peers"
if ((PEERS)); then
    versions=$("$PY" -c 'import duckdb, pandas; print(f"DuckDB {duckdb.__version__}, pandas {pandas.__version__}")')
fi
{
    echo "# Arrears benchmark, $(date '+%F %H:%M')"
    echo
    echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM;" \
        "$versions (Python $(python3 -c 'import platform; print(platform.python_version())'));" \
        "lmo at commit $(git rev-parse --short HEAD 2>/dev/null || echo none)${LMO_BIN:+ (binary given: $LMO_BIN)}."
    echo "Input: $EMPLOYERS employers, $ROWS remittance rows ($(du -h "$MPF" | cut -f1)), month $PERIOD as of $AS_OF."
    echo
    echo "Seconds are the median of $RUNS rounds (each round runs the three tools one after the other); every round's time is listed."
    echo
    echo "| tool | rows | employers listed | seconds (median) | rounds (s) | rows/s | peak RSS MiB | lmo time ÷ this | CPU seconds (median) | lmo CPU ÷ this |"
    echo "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|"
    row lmo "lmo arrears"
    [[ -z $LMO_BEFORE ]] || row before "lmo arrears (before: $LMO_BEFORE)"
    if ((PEERS)); then
        row duckdb "DuckDB (one SQL query)"
        row pandas "pandas"
    fi
    echo
    echo "$agreement"
    if ((${#notes[@]})); then echo; printf '%s\n' "${notes[@]}"; fi
    echo
    echo "Whole script: $((SECONDS - start)) s."
} | tee "$REPORT"
say "Saved $REPORT"
exit "$failed"
