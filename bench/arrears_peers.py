#!/usr/bin/env python3
"""Peers of `lmo arrears` for bench/arrears.sh: the same MPF detection in DuckDB and pandas.

    arrears_peers.py duckdb  REGISTER MPF OUT.csv   # one SQL query, CSVs read by DuckDB
    arrears_peers.py pandas  REGISTER MPF OUT.csv   # read_csv + vectorised ops + groupby
    arrears_peers.py compare LMO.csv DUCKDB.csv PANDAS.csv [GROUND_TRUTH.csv]

Both peers write `rank,level,employer_id,workers,arrears,surcharge`, ranked as lmo ranks
(level, workers affected, arrears, all descending, then employer id). The rules are those of
crates/arrears (detect.rs, assess_remittance) and crates/labour_law (mpf.rs, money.rs) for
the month the benchmark generates: period 2025-06, as of 2025-07-31, no prior months.
Amounts are integer cents, so results can be compared to the cent. Neither peer checks HKID
check digits, pseudonymises, or rejects bad rows: lmo does all three on top.
"""
import csv
import sys

# --- the law and the thresholds, for this one month -------------------------------
PERIOD_START, PERIOD_END = "2025-06-01", "2025-06-30"
# 10 July 2025 is a Thursday and no general holiday, so it is the contribution day itself.
CONTRIBUTION_DAY = "2025-07-10"
AS_OF = "2025-07-31"  # after the contribution day: every unpaid or short row is overdue
INCOME_MIN, INCOME_MAX = 710_000, 3_000_000  # cents: HK$7,100 and HK$30,000
RATE_ER = RATE_EE = SURCHARGE = 500  # hundredths of a percent: 5%
# crates/arrears/data/thresholds.toml; with no prior months, months in default is 1 and
# repeat defaults 0, below their orange limits (2 and 2), so they never raise a level.
RED_WORKERS, ORANGE_WORKERS = 10, 5
RED_ARREARS, ORANGE_ARREARS = 50_000_000, 10_000_000  # cents
SIZABLE_HEADCOUNT = 100


def duckdb_peer(register, mpf, out):
    import duckdb

    # One query: read both CSVs, judge each row, fold per employer, level and rank.
    # Money::percent is (cents * hundredths + 5000) // 10000: half up for amounts >= 0.
    query = f"""
    COPY (
    WITH rows AS (
        SELECT employer_id, employee_id, paid_on,
               CAST(relevant_income * 100 AS BIGINT) AS income,
               CAST(employer_contribution * 100 + employee_contribution * 100 AS BIGINT) AS paid
        FROM read_csv('{mpf}', header = true, columns = {{
            'employer_id': 'VARCHAR', 'employee_id': 'VARCHAR', 'employee_name': 'VARCHAR',
            'period_start': 'DATE', 'period_end': 'DATE', 'relevant_income': 'DECIMAL(18,2)',
            'employer_contribution': 'DECIMAL(18,2)', 'employee_contribution': 'DECIMAL(18,2)',
            'paid_on': 'DATE'}})
        WHERE period_start BETWEEN DATE '{PERIOD_START}' AND DATE '{PERIOD_END}'
    ), due AS (
        SELECT *, (least(income, {INCOME_MAX}) * {RATE_ER} + 5000) // 10000
                + CASE WHEN income < {INCOME_MIN} THEN 0
                       ELSE (least(income, {INCOME_MAX}) * {RATE_EE} + 5000) // 10000 END AS due
        FROM rows
    ), verdicts AS (
        SELECT employer_id, employee_id,
               paid_on IS NULL OR paid < due OR paid_on > DATE '{CONTRIBUTION_DAY}' AS in_default,
               CASE WHEN paid_on IS NULL THEN due ELSE greatest(due - paid, 0) END AS arrears,
               -- the surcharge is on all that was not paid by the contribution day
               (CASE WHEN paid_on IS NULL OR paid_on > DATE '{CONTRIBUTION_DAY}' THEN due
                     ELSE greatest(due - paid, 0) END * {SURCHARGE} + 5000) // 10000 AS surcharge
        FROM due
    ), employers AS (
        SELECT employer_id,
               count(DISTINCT employee_id) FILTER (WHERE in_default) AS workers,
               sum(arrears) AS arrears, sum(surcharge) AS surcharge
        FROM verdicts GROUP BY employer_id HAVING bool_or(in_default)
    ), levelled AS (
        SELECT e.*, CASE
                 WHEN workers >= {RED_WORKERS} OR arrears >= {RED_ARREARS} THEN 3
                 WHEN workers >= {ORANGE_WORKERS} OR arrears >= {ORANGE_ARREARS}
                      OR r.headcount >= {SIZABLE_HEADCOUNT} THEN 2
                 ELSE 1 END AS level
        FROM employers e
        JOIN read_csv('{register}', header = true, columns = {{
            'employer_id': 'VARCHAR', 'name': 'VARCHAR', 'hsic_section': 'VARCHAR',
            'district': 'VARCHAR', 'headcount': 'INTEGER'}}) r USING (employer_id)
    )
    SELECT row_number() OVER (ORDER BY level DESC, workers DESC, arrears DESC, employer_id) AS rank,
           ['yellow', 'orange', 'red'][level] AS level, employer_id, workers,
           format('{{}}.{{:02d}}', arrears // 100, arrears % 100) AS arrears,
           format('{{}}.{{:02d}}', surcharge // 100, surcharge % 100) AS surcharge
    FROM levelled ORDER BY rank
    ) TO '{out}' (HEADER)
    """
    duckdb.sql(query)


def pandas_peer(register, mpf, out):
    import numpy as np
    import pandas as pd

    money = ["relevant_income", "employer_contribution", "employee_contribution"]
    rows = pd.read_csv(mpf, usecols=["employer_id", "employee_id", "period_start", *money,
                                     "paid_on"], dtype={c: "float64" for c in money})
    # ISO dates compare correctly as text; parsing them first would only cost time.
    rows = rows[rows.period_start.between(PERIOD_START, PERIOD_END)]
    # Two-decimal amounts are exact in cents after rounding the float.
    cents = {c: np.rint(rows[c].to_numpy() * 100).astype(np.int64) for c in money}
    capped = np.minimum(cents["relevant_income"], INCOME_MAX)
    due = (capped * RATE_ER + 5000) // 10000 + np.where(
        cents["relevant_income"] < INCOME_MIN, 0, (capped * RATE_EE + 5000) // 10000)
    paid = cents["employer_contribution"] + cents["employee_contribution"]
    unpaid = rows.paid_on.isna().to_numpy()
    late = (rows.paid_on.fillna("") > CONTRIBUTION_DAY).to_numpy()
    short = np.maximum(due - paid, 0)
    verdicts = pd.DataFrame({
        "employer_id": rows.employer_id.to_numpy(),
        "employee_id": rows.employee_id.to_numpy(),
        "in_default": unpaid | late | (short > 0),
        "arrears": np.where(unpaid, due, short),
        "surcharge": (np.where(unpaid | late, due, short) * SURCHARGE + 5000) // 10000,
    })
    sums = verdicts.groupby("employer_id").agg(
        arrears=("arrears", "sum"), surcharge=("surcharge", "sum"),
        in_default=("in_default", "any"))
    workers = verdicts[verdicts.in_default].groupby("employer_id").employee_id.nunique()
    employers = sums[sums.in_default].join(workers.rename("workers"))
    headcount = pd.read_csv(register, usecols=["employer_id", "headcount"],
                            index_col="employer_id").headcount
    employers = employers.join(headcount, how="inner")
    w, a = employers.workers, employers.arrears
    employers["level"] = np.select(
        [(w >= RED_WORKERS) | (a >= RED_ARREARS),
         (w >= ORANGE_WORKERS) | (a >= ORANGE_ARREARS) | (employers.headcount >= SIZABLE_HEADCOUNT)],
        [3, 2], 1)
    employers = employers.reset_index().sort_values(
        ["level", "workers", "arrears", "employer_id"], ascending=[False, False, False, True])
    pd.DataFrame({
        "rank": np.arange(1, len(employers) + 1),
        "level": np.array(["", "yellow", "orange", "red"])[employers.level.to_numpy()],
        "employer_id": employers.employer_id,
        "workers": employers.workers,
        "arrears": [f"{c // 100}.{c % 100:02d}" for c in employers.arrears],
        "surcharge": [f"{c // 100}.{c % 100:02d}" for c in employers.surcharge],
    }).to_csv(out, index=False)


def read_ranked(path, columns):
    """(employer, level, workers, arrears, surcharge) in rank order, from `columns` names."""
    with open(path, newline="") as f:
        return [tuple(row[c] for c in columns) for row in csv.DictReader(f)]


def compare(lmo_csv, duckdb_csv, pandas_csv, truth_csv=None):
    """Prints a Markdown paragraph; exits 1 unless all three lists agree exactly."""
    lmo = read_ranked(lmo_csv, ["employer", "level", "workers", "arrears HK$", "surcharge HK$"])
    peer_columns = ["employer_id", "level", "workers", "arrears", "surcharge"]
    peers = {"DuckDB": read_ranked(duckdb_csv, peer_columns),
             "pandas": read_ranked(pandas_csv, peer_columns)}
    fields = ["employer", "level", "workers", "arrears", "surcharge"]
    ok = True
    print(f"Employers listed: lmo {len(lmo)}, "
          + ", ".join(f"{name} {len(rows)}" for name, rows in peers.items()) + ".")
    for name, rows in peers.items():
        if rows == lmo:
            print(f"- {name} agrees with lmo on every employer, level, workers affected,"
                  " arrears and surcharge to the cent, in the same rank order.")
            continue
        ok = False
        mine, theirs = {r[0]: r for r in lmo}, {r[0]: r for r in rows}
        only_lmo, only_peer = mine.keys() - theirs.keys(), theirs.keys() - mine.keys()
        differ = sorted(k for k in mine.keys() & theirs.keys() if mine[k] != theirs[k])
        print(f"- {name} DISAGREES with lmo: {len(only_lmo)} listed only by lmo,"
              f" {len(only_peer)} only by {name}, {len(differ)} listed by both with different"
              f" values{'' if differ or only_lmo or only_peer else ' (rank order only)'}.")
        for k in differ[:5]:
            diff = [f"{f} {a} vs {b}" for f, a, b in zip(fields, mine[k], theirs[k]) if a != b]
            print(f"  - {k}: " + "; ".join(diff) + f" (lmo vs {name})")
        for k in sorted(only_lmo)[:5] + sorted(only_peer)[:5]:
            print(f"  - {k}: only in {'lmo' if k in only_lmo else name}")
    if truth_csv:
        # The generator's ground truth: employers given an MPF default and their level.
        with open(truth_csv, newline="") as f:
            truth = {r["employer_id"]: r["expected_level"] for r in csv.DictReader(f)
                     if r["kind"].startswith("mpf_")}
        found = {r[0]: r[1] for r in lmo}
        same = found == truth
        ok &= same
        print(f"- Ground truth: {len(truth)} employers with an injected MPF default; lmo's"
              f" list {'matches it exactly (ids and levels)' if same else 'DIFFERS from it'}.")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    {"duckdb": duckdb_peer, "pandas": pandas_peer, "compare": compare}[mode](*args)
