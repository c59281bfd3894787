#!/usr/bin/env bash
# Fuzz lmo with mutated copies of the real files in data/ and of generated arrears inputs.
# Not part of scripts/test (it takes minutes); see scripts/README.md.
#   scripts/fuzz.sh                     # 3,600 mutated files, seed 1
#   COUNT=300 scripts/fuzz.sh           # a quick round
#   SEED=7 JOBS=2 scripts/fuzz.sh       # another seed; parallel runs (default: 2)
#   LMO_BIN=target/release/lmo scripts/fuzz.sh
# Each file is read by `lmo ingest` or `lmo arrears` under a time limit (TIMEOUT seconds,
# default 60) and an address-space cap (4 GiB, to protect the machine). A run fails on a
# panic, an exit code other than 0 or 3, a timeout, a peak RSS over 512 MiB, or an HKID or a
# worker's name in its output, stderr or rejects file. Failing inputs are kept under
# bench/out/fuzz-failures/; the script exits 1 if there is any.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

COUNT=${COUNT:-3600}
SEED=${SEED:-1}
JOBS=${JOBS:-2}
TIMEOUT=${TIMEOUT:-60}
OUT=bench/out
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
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lmo-fuzz.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

say "Generating the arrears inputs"
LMO_PSEUDONYM_KEY=fuzz-key-not-a-secret-0001 "$LMO" --quiet gen arrears --out "$WORK/month" \
    --employers 40 --seed "$SEED" >/dev/null

exec python3 - "$LMO" "$WORK" "$COUNT" "$SEED" "$JOBS" "$TIMEOUT" "$OUT" <<'PY'
import concurrent.futures, io, os, random, re, shutil, subprocess, sys, time, zipfile
from collections import Counter, defaultdict
from pathlib import Path

lmo, work, count, seed, jobs, timeout, out = sys.argv[1:8]
work, out = Path(work), Path(out)
count, seed, jobs, timeout = int(count), int(seed), int(jobs), int(timeout)
RSS_LIMIT_KIB = 512 * 1024
ADDRESS_SPACE_KIB = 4 * 1024 * 1024
KEY = "fuzz-key-not-a-secret-0001"

# --- the seeds ---------------------------------------------------------------------------
data = Path("data")
ingest_seeds = []
for path in sorted(data.rglob("*")):
    if path.suffix in {".csv", ".json", ".xlsx", ".xls"} and path.is_file():
        mapping = path.with_suffix(".map.toml")
        family = {".csv": "csv", ".json": "json", ".xlsx": "xlsx", ".xls": "xls"}[path.suffix]
        if family == "csv":
            head = path.read_bytes()[:300]
            family = ("csv: csd-table" if b"Table " in head[:40]
                      else "csv: mapped" if mapping.exists()
                      else "csv: fred" if path.parent.name in {"fred", "jolts"}
                      else "csv: other")
        ingest_seeds.append((family, path, mapping if mapping.exists() else None))

month = work / "month"
(month / "closures.csv").write_text("date,warning\n2025-07-10,black-rainstorm\n2025-07-11,gale\n")
employers = [line.split(",")[0] for line in (month / "employers.csv").read_text().splitlines()[1:]]
(month / "prior.csv").write_text("employer_id,period,level,workers_affected,arrears\n" + "".join(
    f"{e},2025-05,yellow,1,100.00\n" for e in employers[:10]))
ARREARS = {  # flag: file
    "--register": "employers.csv", "--mpf": "mpf_remittances.csv", "--payroll": "payroll.csv",
    "--reports": "worker_reports.csv", "--prior": "prior.csv", "--closures": "closures.csv",
}

def xlsx_bytes(csv_text):
    """A minimal XLSX workbook holding `csv_text` as one sheet of inline strings."""
    import csv as csvmodule
    from xml.sax.saxutils import escape
    rows = []
    for r, record in enumerate(csvmodule.reader(io.StringIO(csv_text)), start=1):
        cells = []
        for c, value in enumerate(record):
            col, n = "", c + 1
            while n:
                n, rem = divmod(n - 1, 26)
                col = chr(65 + rem) + col
            cells.append(f'<c r="{col}{r}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} xmlns:r="{rel}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>{"".join(rows)}</sheetData></worksheet>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return buffer.getvalue()

targets = [("ingest", family, mapping, path) for family, path, mapping in ingest_seeds]
for flag, name in ARREARS.items():
    targets.append(("arrears", f"arrears {flag[2:]}: csv", flag, month / name))
    if flag in {"--register", "--mpf", "--payroll", "--reports"}:
        xlsx = month / (Path(name).stem + ".xlsx")
        xlsx.write_bytes(xlsx_bytes((month / name).read_text()))
        targets.append(("arrears", f"arrears {flag[2:]}: xlsx", flag, xlsx))

# Personal data of the seeds, and what the mutations put in: none may come out.
people = set()
for name in ("mpf_remittances.csv", "payroll.csv"):
    for line in (month / name).read_text().splitlines()[1:]:
        fields = line.split(",")
        people.update({fields[1], fields[1].replace("(", "").replace(")", ""), fields[2]})
INJECTED = ["K135790(4)", "Chan Tai Man", "陳大文", "Zyxw Qvut", "A123456(3)", "M975310(6)"]
# "Chan, Tai Man" is injected too: split at its comma, its parts must not come out either.
LEAK = re.compile("|".join(re.escape(p) for p in sorted(
    people | set(INJECTED) | {"Tai Man", "K135790", "A1234563", "M975310"}, key=len, reverse=True)))
# In the register a name is an employer's name, shown as it is: there only HKIDs are looked for.
HKID = re.compile(r"[A-Z]{1,2}[0-9]{6}\([0-9A]\)|" + "|".join(
    re.escape(p) for p in people | set(INJECTED) if re.fullmatch(r"[A-Z]{1,2}[0-9]{6}\(?[0-9A]\)?", p)))

# --- mutations ---------------------------------------------------------------------------
HOSTILE_CELLS = ["", " ", "99999999999999999999.99", "92233720368547758.08", "1e400", "1e-400",
                 "-0", "NaN", "inf", "2999-12-31", "0000-00-00", "2025-02-30", "\ufeff", "\"",
                 "\"unclosed", "a\"b", "=1+1", "\xa0", "１２３", "-1.00", "0.001", "12.5",
                 "Chan, Tai Man"] + INJECTED

def mutate(data, rng, workbook):
    if workbook and rng.random() < 0.6:
        return mutate_workbook(data, rng)
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(14)
        n = len(data)
        if n == 0:
            data += b"x"
            continue
        at = rng.randrange(n)
        if kind == 0:  # flip bits
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(n)] ^= 1 << rng.randrange(8)
        elif kind == 1:  # random bytes in
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif kind == 2:  # a range out
            del data[at:at + rng.randint(1, 200)]
        elif kind == 3:  # a range repeated (rows again)
            end = min(n, at + rng.randint(1, 4000))
            data[end:end] = data[at:end] * rng.randint(1, 3)
        elif kind == 4:  # cut short
            del data[at:]
        elif kind == 5:  # line ends rewritten
            lines = bytes(data).replace(b"\r\n", b"\n").split(b"\n")
            style = rng.randrange(4)
            ends = [[b"\r"], [b"\r\n"], [b"\r"] + [b"\n"] * len(lines), None][style]
            joined = bytearray()
            for i, line in enumerate(lines):
                joined += line
                if i < len(lines) - 1:
                    joined += ends[min(i, len(ends) - 1)] if ends else rng.choice([b"\n", b"\r\n", b"\r"])
            data = joined
        elif kind == 6:  # quotes
            for _ in range(rng.randint(1, 3)):
                data.insert(rng.randrange(len(data) + 1), ord('"'))
        elif kind in (7, 8, 9):  # a cell replaced by a hostile value
            lines = bytes(data).split(b"\n")
            i = rng.randrange(len(lines))
            cells = lines[i].split(b",")
            j = rng.randrange(len(cells))
            cells[j] = rng.choice(HOSTILE_CELLS).encode()
            lines[i] = b",".join(cells)
            data = bytearray(b"\n".join(lines))
        elif kind == 10:  # lines shuffled (employers scattered)
            lines = bytes(data).split(b"\n")
            body = lines[1:]
            rng.shuffle(body)
            data = bytearray(b"\n".join(lines[:1] + body))
        elif kind == 11:  # header out, or a blank line in
            lines = bytes(data).split(b"\n")
            if rng.random() < 0.5:
                lines = lines[1:]
            else:
                lines.insert(rng.randrange(len(lines) + 1), b"")
            data = bytearray(b"\n".join(lines))
        elif kind == 12:  # bytes that are not UTF-8
            data[at:at] = rng.choice([b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"\x00"])
        else:  # a long line, now and then past the 1 MiB row limit
            size = rng.choice([5000, 70000, 1100000])
            data[at:at] = b"9" * size
    return bytes(data)

def mutate_workbook(data, rng):
    """Mutations inside a zipped workbook's XML parts."""
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        parts = {info.filename: source.read(info) for info in source.infolist()}
    except Exception:
        return mutate(data, rng, False)
    sheets = [name for name in parts if "sheet" in name and name.endswith(".xml")] or list(parts)
    name = rng.choice(sheets)
    xml = parts[name]
    kind = rng.randrange(5)
    if kind == 0:  # a cell moved far out
        refs = re.findall(rb'r="([A-Z]+[0-9]+)"', xml)
        if refs:
            far = rng.choice([b"XFD1048576", b"ZZ50000", b"IV65536", b"A1048576"])
            xml = xml.replace(b'r="' + rng.choice(refs) + b'"', b'r="' + far + b'"', 1)
    elif kind == 1:  # a declared dimension
        xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml)
    elif kind == 2:  # values replaced
        values = re.findall(rb"<v>[^<]*</v>|<t>[^<]*</t>", xml)
        if values:
            old = rng.choice(values)
            new = rng.choice(HOSTILE_CELLS).encode()
            xml = xml.replace(old, old[:3] + new + old[-4:], 1)
    elif kind == 3:  # bytes of the XML mutated
        xml = mutate(xml, rng, False)
    if kind == 4 and len(parts) > 1:  # a part dropped
        del parts[name]
    else:
        parts[name] = xml
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for part, content in parts.items():
            z.writestr(part, content)
    return buffer.getvalue()

# --- running -----------------------------------------------------------------------------
def run(case):
    number, target = case
    rng = random.Random(seed * 1_000_003 + number)
    kind, family, where, seed_path = target
    suffix = "".join(Path(seed_path).suffixes[-1:])
    workbook = suffix in {".xlsx", ".xls"}
    directory = work / f"case-{number}"
    directory.mkdir()
    mutated = directory / f"input{suffix}"
    mutated.write_bytes(mutate(Path(seed_path).read_bytes(), rng, workbook and suffix == ".xlsx"))
    rejects = directory / "rejects.csv"
    env = dict(os.environ, LMO_DATA_DIR=str(directory / "data"), LMO_PSEUDONYM_KEY=KEY)
    if kind == "ingest":
        if where is not None:
            shutil.copy(where, directory / "input.map.toml")
        command = [lmo, "--quiet", "ingest", str(mutated), "--rejects", str(rejects)]
    else:
        command = [lmo, "--quiet", "arrears", "--period", "2025-06", "--as-of", "2025-07-31",
                   "--rejects", str(rejects)]
        for flag, name in ARREARS.items():
            command += [flag, str(mutated if flag == where else month / name)]
    shell = f"ulimit -v {ADDRESS_SPACE_KIB}; exec \"$@\""
    started = time.monotonic()
    # GNU time runs lmo itself (sh execs it), in a session of its own, killed whole on timeout.
    process = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", str(directory / "rss"),
                                "sh", "-c", shell, "sh", *command], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    try:
        stdout, stderr_bytes = process.communicate(timeout=timeout)
        code = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        stdout, stderr_bytes = process.communicate()
        code = "timeout"
    seconds = time.monotonic() - started
    try:
        rss = int((directory / "rss").read_text().split()[-1])
    except Exception:
        rss = 0
    problems = []
    stderr = stderr_bytes.decode("utf-8", "replace")
    if code == "timeout":
        problems.append(f"timeout after {timeout} s")
    elif code not in (0, 3):
        problems.append(f"exit {code}")
    if "panicked" in stderr:
        problems.append("panic")
    if rss > RSS_LIMIT_KIB:
        problems.append(f"peak RSS {rss // 1024} MiB")
    if kind == "arrears":
        outputs = {"stderr": stderr, "stdout": stdout.decode("utf-8", "replace"),
                   "rejects": rejects.read_text("utf-8", "replace") if rejects.exists() else ""}
        for what, text in outputs.items():
            leak = (HKID if where == "--register" else LEAK).search(text)
            if leak:
                problems.append(f"personal data in {what}: {leak.group(0)!r}")
    if problems:
        keep = out / "fuzz-failures" / f"seed{seed}-{number}"
        keep.mkdir(parents=True, exist_ok=True)
        shutil.copy(mutated, keep / mutated.name)
        (keep / "command.txt").write_text(" ".join(command) + "\n")
        (keep / "stderr.txt").write_text(stderr)
        if rejects.exists():
            shutil.copy(rejects, keep / "rejects.csv")
    shutil.rmtree(directory, ignore_errors=True)
    return number, family, problems, rss, seconds

# Each kind of input gets its share, whatever the number of seed files of that kind.
families = sorted({target[1] for target in targets})
by_kind = {family: [t for t in targets if t[1] == family] for family in families}
cases = []
for number in range(count):
    family = families[number % len(families)]
    choices = by_kind[family]
    cases.append((number, choices[(number // len(families)) % len(choices)]))
by_family, failures, codes = Counter(), defaultdict(list), Counter()
peak, slowest = 0, 0.0
started = time.monotonic()
with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
    for done, (number, family, problems, rss, seconds) in enumerate(pool.map(run, cases), start=1):
        by_family[family] += 1
        peak, slowest = max(peak, rss), max(slowest, seconds)
        for problem in problems:
            failures[family].append((number, problem))
        if done % 200 == 0:
            print(f"==> {done} of {count} files, {sum(map(len, failures.values()))} failures", file=sys.stderr)
elapsed = time.monotonic() - started
failed = sum(len(found) for found in failures.values())
print(f"# Fuzz run, seed {seed}: {count} mutated files in {elapsed:.0f} s, {jobs} at a time\n")
print(f"Largest peak RSS {peak / 1024:.0f} MiB (limit {RSS_LIMIT_KIB // 1024} MiB), slowest run {slowest:.1f} s.\n")
print("| input | files | failures |\n|---|---:|---:|")
for family in sorted(by_family):
    print(f"| {family} | {by_family[family]} | {len(failures[family])} |")
for family in sorted(failures):
    for number, problem in failures[family][:20]:
        print(f"- {family}, case {number}: {problem} (kept in {out}/fuzz-failures/seed{seed}-{number})")
sys.exit(1 if failed else 0)
PY
