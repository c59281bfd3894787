#!/usr/bin/env bash
# Recompute benchmark (issue #4 item 7): every indicator and rule of lmo over 10,000
# generated monthly series x 300 months, against one statsmodels STL call per series on the
# same data, in one run. See bench/README.md.
#   bench/recompute.sh                           # 10,000 series (about 6 minutes)
#   SERIES=1000 bench/recompute.sh               # quick check
#   SAMPLE=1000 bench/recompute.sh               # time statsmodels on 1,000 series only, extrapolated
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

SERIES=${SERIES:-10000}
MONTHS=${MONTHS:-300}
RUNS=${RUNS:-1} # each Rust phase is run RUNS times, the median is reported
OUT=$ROOT/bench/out
DATA=$OUT/recompute-data.csv
LMO_RESULTS=$OUT/recompute-lmo.txt
PEER_RESULTS=$OUT/recompute-statsmodels.txt
TABLE=$OUT/recompute-lmo.md
REPORT=$OUT/recompute-$(date +%F).md
mkdir -p "$OUT"

say() { printf '==> %s\n' "$*" >&2; }
# Other processes skew the figures (2 cores): the load average goes into the report.
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# --- lmo: cargo bench (release profile); writes the data for the peer ---------------
say "lmo: cargo bench -p warnings --bench recompute ($SERIES series x $MONTHS months)"
# cargo runs a bench from its package directory: absolute paths only.
RECOMPUTE_SERIES=$SERIES RECOMPUTE_MONTHS=$MONTHS RECOMPUTE_RUNS=$RUNS \
    RECOMPUTE_CSV=$DATA RECOMPUTE_RESULTS=$LMO_RESULTS \
    cargo bench -q -p warnings --bench recompute | tee "$TABLE"

# --- statsmodels ---------------------------------------------------------------------
if ! python3 -c 'import statsmodels, pandas' 2>/dev/null; then
    say "Installing statsmodels and pandas"
    python3 -m pip install -q statsmodels pandas
fi
say "statsmodels: one STL call per series on $DATA${SAMPLE:+ (sample of $SAMPLE series)}"
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE may be set on this machine and slow numpy down:
# unset for this command only.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
    python3 bench/stl_peer.py "$DATA" "$PEER_RESULTS"

# --- report --------------------------------------------------------------------------
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
python3 - "$LMO_RESULTS" "$PEER_RESULTS" "$TABLE" "$REPORT" "$LOAD_START" "$LOAD_END" <<'EOF'
import platform, subprocess, sys
from datetime import datetime, timezone

def load(path):
    with open(path) as handle:
        return dict(line.rstrip("\n").split("=", 1) for line in handle if "=" in line)

lmo, peer = load(sys.argv[1]), load(sys.argv[2])
table = open(sys.argv[3]).read().strip()
f = lambda d, k: float(d[k])
series, timed = int(f(peer, "series")), int(f(peer, "timed_series"))
rust = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
lines = [
    f"# Recompute benchmark, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
    "",
    f"Machine: {platform.machine()}, {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores; "
    f"{rust}; Python {platform.python_version()}, statsmodels {peer['statsmodels_version']}. "
    f"Load average (1, 5, 15 min) at start {sys.argv[5]}, at end {sys.argv[6]}.",
    "",
    table,
    "",
    f"## statsmodels STL, one call per series, same data ({series} series)",
    "",
    ("All series timed." if timed == series else
     f"**Sample:** {timed} of {series} series timed; totals are the per-series mean x {series}."),
    "",
    "| STL | lmo µs/series | statsmodels µs/series | lmo / statsmodels | statsmodels total (s) |",
    "|---|---:|---:|---:|---:|",
]
for name in ("robust", "plain"):
    ours, theirs = f(lmo, f"stl_{name}_per_series_us"), f(peer, f"{name}_per_series_us")
    lines.append(f"| {name} | {ours:.0f} | {theirs:.0f} | {ours / theirs:.3f} "
                 f"({theirs / ours:.1f}x faster) | {f(peer, f'{name}_total_s'):.2f} |")
sm = f(peer, "robust_total_s")
lines += [
    "",
    "| whole recompute vs statsmodels robust STL alone | lmo (s) | statsmodels (s) | lmo / statsmodels |",
    "|---|---:|---:|---:|",
]
for label, key in (("lmo, cold, 2 threads", "total_2_threads_s"),
                   ("lmo, cold, 1 thread", "total_1_thread_s"),
                   ("lmo, rules recompute warm (b warm + c), 2 threads", "rules_warm_total_2_threads_s")):
    lines.append(f"| {label} | {f(lmo, key):.2f} | {sm:.2f} | {f(lmo, key) / sm:.3f} |")
total, warm = f(lmo, "total_2_threads_s"), f(lmo, "rules_warm_total_2_threads_s")
lines += ["", f"Target under 1 s on 2 cores, everything cold: {'met' if total < 1 else 'not met'} ({total:.2f} s); "
          f"rules recompute with the STL cache warm: {warm:.2f} s."]
report = "\n".join(lines) + "\n"
open(sys.argv[4], "w").write(report)
print(report)
EOF
say "saved $REPORT"
