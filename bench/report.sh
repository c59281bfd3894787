#!/usr/bin/env bash
# Report generation on the bundled data: HTML + XLSX, and PDF, timed separately.
#   bench/report.sh              # RUNS=5 rounds each; LMO_BIN=path to use another binary
# It builds the demo store once (`lmo demo`), then times `lmo report --as-of 2026-08-31`
# with --format html,xlsx and with --format pdf. Needs GNU time, and Chromium for the PDF.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
RUNS=${RUNS:-5}
if [[ -z ${LMO_BIN:-} ]]; then
    cargo build --release -q -p cli
    LMO_BIN=$PWD/target/release/lmo
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
LMO_DATA_DIR=$work "$LMO_BIN" --quiet demo >/dev/null
export LMO_DATABASE_URL=sqlite://$work/demo/lmo-demo.sqlite

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
time_runs() {
    local formats=$1
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f '%e' "$LMO_BIN" report --as-of 2026-08-31 --format "$formats" \
            --out "$work/out" 2>&1 >/dev/null | tail -1
    done
}
html_xlsx=$(time_runs html,xlsx | median)
pdf=$(time_runs pdf | median)
mkdir -p bench/out
{
    echo "| report (bundled data, as of 2026-08-31) | median seconds of $RUNS |"
    echo "|---|---|"
    echo "| HTML + XLSX | $html_xlsx |"
    echo "| PDF (Chromium, two passes) | $pdf |"
} | tee "bench/out/report-$(date +%F).md"
