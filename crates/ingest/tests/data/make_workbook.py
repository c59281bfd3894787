"""Builds workbook.xlsx, the XLSX test fixture, from the real published CSV files in data/.

The sheets hold the same shapes as the CSV formats lmo reads, with numbers stored as Excel
numbers and dates as Excel dates, as a person re-saving the published tables would have them:
  215-16001  the C&SD SEV table, 2025 rows only, with its header block and footer
  UNRATE     the FRED unemployment rate for 2019-2020, dates as date cells
  long       a few rows of lmo's long CSV
Run: python3 make_workbook.py  (needs openpyxl)
"""
import csv
import datetime
import pathlib

import openpyxl

here = pathlib.Path(__file__).parent
data = here.parents[3] / "data"
book = openpyxl.Workbook()

sev = book.active
sev.title = "215-16001"
with open(data / "hk/csd_215-16001_sev_establishments_persons_engaged_vacancies_by_industry.csv", encoding="utf-8-sig") as f:
    rows = list(csv.reader(f))
for row in rows:
    is_data = len(row[0]) == 4 and row[0].isdigit()
    if is_data and row[0] != "2025":
        continue
    cells = []
    for index, cell in enumerate(row):
        try:
            cells.append(float(cell) if is_data and index >= 3 else cell)
        except ValueError:
            cells.append(cell)
    sev.append(cells)

fred = book.create_sheet("UNRATE")
with open(data / "us/fred/UNRATE.csv") as f:
    reader = csv.reader(f)
    fred.append(next(reader))
    for date, value in reader:
        if date.startswith(("2019", "2020")):
            fred.append([datetime.date.fromisoformat(date), float(value)])

long_sheet = book.create_sheet("long")
long_sheet.append(["series_id", "period", "value", "vintage"])
long_sheet.append(["fred.UNRATE", "2020-04", 14.8, datetime.date(2020, 6, 5)])

book.save(here / "workbook.xlsx")
