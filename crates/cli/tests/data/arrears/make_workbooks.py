"""Builds the XLSX fixtures of the arrears workbook tests from the CSV files beside them.

The CSV files are generated data (`lmo gen arrears --employers 60 --seed 7 --period
2025-06`): synthetic employers and workers, not real people. Each workbook holds the same
table as its CSV, typed as a person keeping it in Excel would have it: amounts, headcounts
and hours as numbers (so 750.50 is stored as 750.5), dates as date cells, ids and names as
text. Also:
  mpf_bad.xlsx     four remittance rows; row 3 has a wrong HKID check digit, row 4 a
                   negative amount
  register_b2.xlsx the register starting in cell B2 instead of A1
Run: python3 make_workbooks.py  (needs openpyxl)
"""
import csv
import datetime
import pathlib

import openpyxl

here = pathlib.Path(__file__).parent
NUMBERS = {"headcount", "relevant_income", "employer_contribution", "employee_contribution",
           "wages_due", "wages_paid", "hours_worked", "workers_affected", "amount_claimed"}
DATES = {"period_start", "period_end", "paid_on", "reported_on"}


def typed(column, text):
    if text == "":
        return None
    if column in NUMBERS:
        value = float(text)
        return int(value) if value.is_integer() else value
    if column in DATES:
        return datetime.date.fromisoformat(text)
    return text


def read(name):
    with open(here / f"{name}.csv", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def save(path, title, header, rows, origin=(1, 1)):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for r, row in enumerate([header] + rows):
        for c, text in enumerate(row):
            value = text if r == 0 else typed(header[c], text)
            cell = sheet.cell(row=origin[0] + r, column=origin[1] + c, value=value)
            if isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    book.save(path)


for name, title in [("employers", "register"), ("mpf_remittances", "remittances"),
                    ("payroll", "payroll"), ("worker_reports", "reports")]:
    header, rows = read(name)
    save(here / f"{name}.xlsx", title, header, rows)

header, rows = read("mpf_remittances")
bad = [list(row) for row in rows[:3]]
hkid = bad[1][1]  # A000001(1): another check digit makes it invalid
bad[1][1] = hkid[:-2] + ("2" if hkid[-2] != "2" else "3") + ")"
bad[2][5] = "-" + bad[2][5]
save(here / "mpf_bad.xlsx", "remittances", header, bad)

header, rows = read("employers")
save(here / "register_b2.xlsx", "register", header, rows, origin=(2, 2))
