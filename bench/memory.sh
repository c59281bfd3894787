#!/usr/bin/env bash
# Peak memory of lmo on hostile inputs, and on generated arrears months. See bench/README.md.
#   bench/memory.sh                          # the hostile probes (a few minutes, ~2.5 GB of disk)
#   MONTHS="300000 1500000" bench/memory.sh  # also `lmo arrears` on months of that many employers
#   LMO_BIN=path/to/lmo bench/memory.sh      # skip the release build
# Each hostile input must be refused (exit 3) with peak RSS under 512 MiB; it exits 1 if not.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

MONTHS=${MONTHS:-}
LIMIT_KIB=$((512 * 1024))
OUT=bench/out
REPORT=$OUT/memory-$(date +%F).md
mkdir -p "$OUT"
say() { printf '==> %s\n' "$*" >&2; }

[[ -x /usr/bin/time ]] || { say "needs GNU time (/usr/bin/time): apt-get install time"; exit 1; }
LMO=${LMO_BIN:-}
if [[ -z $LMO ]]; then
    say "cargo build --release -p cli"
    cargo build --release -p cli
    LMO=target/release/lmo
fi
LMO=$(realpath "$LMO")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lmo-memory.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export LMO_DATA_DIR=$WORK/data
export LMO_PSEUDONYM_KEY=memory-bench-key-not-a-secret-0001

# --- the hostile inputs ----------------------------------------------------------------
say "Writing the hostile inputs into $WORK"
python3 - "$WORK" <<'PY'
import sys, zipfile, zlib

work = sys.argv[1]
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS} xmlns:r="{REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}

def workbook(path, rows, dimension=None):
    """An XLSX file whose only sheet holds `rows` (an iterable of XML chunks)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in PARTS.items():
            z.writestr(name, text)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>'.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for chunk in rows:
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")

def cell(ref):
    row = "".join(c for c in ref if c.isdigit())
    return f'<row r="{row}"><c r="{ref}"><v>1</v></c></row>'.encode()

workbook(f"{work}/xfd1048576.xlsx", [cell("A1"), cell("XFD1048576")], "A1:XFD1048576")
workbook(f"{work}/zz50000.xlsx", [cell("A1"), cell("ZZ50000")], "A1:ZZ50000")
# A zip bomb: 6 GiB of one repeated row, deflated to a few megabytes.
row = b'<row><c t="inlineStr"><is><t>bomb</t></is></c></row>'
block = row * (4 * 1024 * 1024 // len(row))
workbook(f"{work}/zip-bomb.xlsx", (block for _ in range(6 * 1024 // 4)))

# JSON documents are read whole: one just under the 64 MiB limit, and one over it.
def document(path, size):
    with open(path, "w") as out:
        out.write("[")
        n = 0
        while out.tell() < size:
            out.write("," if n else "")
            out.write(f'{{"series_id":"bench.s{n % 1000:05d}","period":"{1950 + n // 12000}-{1 + n // 1000 % 12:02d}","value":{n % 997 / 10}}}')
            n += 1
        out.write("]")
document(f"{work}/records-63m.json", 63 * 1024 * 1024)
document(f"{work}/records-300m.json", 300 * 1024 * 1024)
PY
ls -l "$WORK"/*.xlsx >&2
say "Writing a line of 2 GiB without a line end"
# employer_id is the first column of every arrears input; ingest sees a long first line.
{ printf 'employer_id,'; head -c $((2 * 1024 * 1024 * 1024)) /dev/zero | tr '\0' '9'; } >"$WORK/line-2g.csv"
{ head -c $((2 * 1024 * 1024 * 1024)) /dev/zero | tr '\0' '9'; } >"$WORK/line-2g-body"
# The same line after a valid payroll header: the reader is past the header when it meets it.
{ echo 'employer_id,employee_id,employee_name,period_start,period_end,wages_due,wages_paid,paid_on,hours_worked'
  cat "$WORK/line-2g-body"; } >"$WORK/payroll-line-2g.csv"
rm "$WORK/line-2g-body"

# --- measuring -----------------------------------------------------------------------
"$LMO" --quiet gen arrears --out "$WORK/month" --employers 50 --seed 3 >/dev/null
REGISTER=$WORK/month/employers.csv
declare -a rows
failed=0
# probe NAME EXPECTED_EXIT CMD...: exit code, peak RSS, wall time and the message of CMD.
probe() {
    local name=$1 expected=$2
    shift 2
    say "$name: $*"
    local code=0
    /usr/bin/time -v -o "$WORK/time.txt" "$@" >"$WORK/out.txt" 2>"$WORK/err.txt" || code=$?
    local kib seconds message verdict=ok
    kib=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time.txt")
    seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ {
        n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$WORK/time.txt")
    message=$(grep -v '^\s*$' "$WORK/err.txt" | head -n1 | cut -c1-160 | sed 's/|/\\|/g')
    if [[ $code != "$expected" ]]; then verdict="FAIL: exit $code"; failed=1; fi
    if ((kib > LIMIT_KIB)); then verdict="FAIL: over 512 MiB"; failed=1; fi
    grep -q panicked "$WORK/err.txt" && { verdict="FAIL: panic"; failed=1; }
    rows+=("| $name | $code | $(awk -v k="$kib" 'BEGIN { printf "%.1f", k / 1024 }') | $seconds | $verdict | $message |")
}

for workbook in xfd1048576 zz50000 zip-bomb; do
    probe "lmo ingest $workbook.xlsx" 3 "$LMO" --quiet ingest "$WORK/$workbook.xlsx"
    probe "lmo arrears --payroll $workbook.xlsx" 3 "$LMO" --quiet arrears --period 2025-06 \
        --as-of 2025-07-31 --register "$REGISTER" --payroll "$WORK/$workbook.xlsx"
done
probe "lmo ingest records-63m.json (63 MiB of records of unknown series)" 3 \
    "$LMO" --quiet ingest "$WORK/records-63m.json"
probe "lmo ingest records-300m.json (300 MiB)" 3 "$LMO" --quiet ingest "$WORK/records-300m.json"
rm -f "$WORK"/records-*.json
probe "lmo ingest line-2g.csv (2 GiB, one line)" 3 "$LMO" --quiet ingest "$WORK/line-2g.csv"
probe "lmo ingest --format long line-2g.csv" 3 "$LMO" --quiet ingest --format long "$WORK/line-2g.csv"
probe "lmo arrears --register line-2g.csv" 3 "$LMO" --quiet arrears --period 2025-06 \
    --as-of 2025-07-31 --register "$WORK/line-2g.csv"
probe "lmo arrears --payroll (header, then a 2 GiB line)" 3 "$LMO" --quiet arrears --period 2025-06 \
    --as-of 2025-07-31 --register "$REGISTER" --payroll "$WORK/payroll-line-2g.csv"
rm -f "$WORK"/*line-2g*

# --- generated months ----------------------------------------------------------------
declare -a months
for employers in $MONTHS; do
    dir=$WORK/month-$employers
    say "Generating $employers employers"
    "$LMO" --quiet gen arrears --out "$dir" --employers "$employers" --seed 1 >/dev/null
    rows_in=$(($(wc -l <"$dir/mpf_remittances.csv") - 1))
    probe "lmo arrears, $employers employers, $rows_in remittance + $rows_in payroll rows" 0 \
        "$LMO" --quiet arrears --period 2025-06 --as-of 2025-07-31 --register "$dir/employers.csv" \
        --mpf "$dir/mpf_remittances.csv" --payroll "$dir/payroll.csv" \
        --reports "$dir/worker_reports.csv" --rejects "$WORK/rejects.csv" --csv
    months+=("$employers employers, $(du -h "$dir/mpf_remittances.csv" | cut -f1) of remittances")
    rm -rf "$dir"
done

{
    echo "# Memory benchmark, $(date '+%F %H:%M')"
    echo
    echo "$(nproc) cores; lmo at commit $(git rev-parse --short HEAD 2>/dev/null || echo none)${LMO_BIN:+ (binary given: $LMO_BIN)}; limit $((LIMIT_KIB / 1024)) MiB peak RSS."
    echo
    echo "| run | exit | peak RSS MiB | seconds | verdict | first line of stderr |"
    echo "|---|---:|---:|---:|---|---|"
    printf '%s\n' "${rows[@]}"
} | tee "$REPORT"
say "Saved $REPORT"
exit "$failed"
