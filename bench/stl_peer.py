"""statsmodels STL peer of the recompute benchmark (bench/recompute.sh, bench/README.md).

Reads the data the Rust bench generated (`series_id,period,value`, one row per series and
month), then times one `statsmodels.tsa.seasonal.STL(...).fit(...)` call per series, the
same STL as lmo's (crates/indicators/src/seasonal.rs; parameters as in
crates/indicators/test_data/make_stl_reference.py): period 12, seasonal 7, trend 23,
low_pass 13, all degrees 1, all jumps 1; robust (inner 2, outer 15: what the rules use)
and plain (inner 5, outer 0).

    python3 bench/stl_peer.py DATA.csv [RESULTS.txt]

SAMPLE=N times only the first N series (the per-series mean is then extrapolated to all
series, and the output says so). Reading and grouping the CSV is not timed; each timed
call builds the STL object and fits it, as `indicators::stl_decompose` does.
Writes `key=value` lines to RESULTS.txt when given.
"""

import os
import sys
import time

import numpy as np
import pandas as pd
import statsmodels
from statsmodels.tsa.seasonal import STL

PARAMS = dict(period=12, seasonal=7, trend=23, low_pass=13,
              seasonal_deg=1, trend_deg=1, low_pass_deg=1,
              seasonal_jump=1, trend_jump=1, low_pass_jump=1)
FITS = {"robust": dict(robust=True, inner_iter=2, outer_iter=15),
        "plain": dict(robust=False, inner_iter=5, outer_iter=0)}


def main():
    data_path = sys.argv[1]
    results_path = sys.argv[2] if len(sys.argv) > 2 else None
    frame = pd.read_csv(data_path, dtype={"series_id": str, "period": str, "value": float})
    frame = frame.sort_values(["series_id", "period"], kind="stable")
    arrays = [group["value"].to_numpy(dtype=float)
              for _, group in frame.groupby("series_id", sort=True)]
    total_series = len(arrays)
    sample = int(os.environ.get("SAMPLE", total_series))
    timed = arrays[:sample]
    months = {len(y) for y in arrays}
    print(f"statsmodels {statsmodels.__version__}, numpy {np.__version__}: "
          f"{total_series} series x {sorted(months)} months, timing {len(timed)}",
          file=sys.stderr)
    figures = {"series": total_series, "timed_series": len(timed),
               "statsmodels_version": statsmodels.__version__}
    for name, fit in FITS.items():
        start = time.perf_counter()
        for y in timed:
            STL(y, robust=fit["robust"], **PARAMS).fit(
                inner_iter=fit["inner_iter"], outer_iter=fit["outer_iter"])
        elapsed = time.perf_counter() - start
        per_series = elapsed / len(timed)
        figures[f"{name}_timed_s"] = elapsed
        figures[f"{name}_per_series_us"] = per_series * 1e6
        # Equal to the measured total when every series is timed.
        figures[f"{name}_total_s"] = per_series * total_series
        print(f"{name}: {elapsed:.2f} s for {len(timed)} series, "
              f"{per_series * 1e6:.0f} us per series", file=sys.stderr)
    if results_path:
        with open(results_path, "w") as handle:
            for key, value in figures.items():
                handle.write(f"{key}={value}\n")


if __name__ == "__main__":
    main()
