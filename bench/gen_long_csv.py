#!/usr/bin/env python3
"""Generate the ingest benchmark input: exactly ROWS observations.

    bench/gen_long_csv.py ROWS OUT_DIR

Writes OUT_DIR/long.csv (series_id,period,value) and OUT_DIR/series.csv
(series_id,title_en,frequency). Each series has up to 1,000 monthly periods
from 1940-01; the last series takes the remainder, so ROWS need not be round.
Values are pseudo-random with a fixed seed, so every run produces the same file.
"""

import random
import sys
from itertools import repeat
from pathlib import Path

PERIODS_PER_SERIES = 1000
FIRST_YEAR = 1940
SEED = 20240101


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    rows, out = int(sys.argv[1]), Path(sys.argv[2])
    if rows < 1:
        sys.exit("ROWS must be at least 1")
    out.mkdir(parents=True, exist_ok=True)

    n_series = -(-rows // PERIODS_PER_SERIES)
    width = max(5, len(str(n_series)))
    ids = [f"bench.s{i:0{width}d}" for i in range(1, n_series + 1)]
    # ",1940-01," ... precomputed once; rows are built by C-level joins, not per-row formatting.
    periods = [f",{FIRST_YEAR + m // 12}-{m % 12 + 1:02d}," for m in range(PERIODS_PER_SERIES)]
    # 0.0 .. 9999.9, one decimal, like a level series of counts in thousands.
    values = [f"{v // 10}.{v % 10}" for v in range(100_000)]
    rng = random.Random(SEED)

    with open(out / "long.csv", "w", newline="", buffering=1 << 22) as f:
        f.write("series_id,period,value\n")
        left = rows
        for sid in ids:
            k = min(left, PERIODS_PER_SERIES)
            vals = rng.choices(values, k=k)
            f.write("\n".join(map("".join, zip(repeat(sid, k), periods, vals))))
            f.write("\n")
            left -= k

    with open(out / "series.csv", "w", newline="") as f:
        f.write("series_id,title_en,frequency\n")
        f.write("".join(f"{sid},Benchmark series {i},monthly\n" for i, sid in enumerate(ids, 1)))


if __name__ == "__main__":
    main()
