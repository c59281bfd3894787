//! An XLS file checked before calamine reads it.
//!
//! An XLS file is a compound file (sectors chained by a table, like a small file system)
//! holding a stream of BIFF records. calamine trusts what the file says: a sector number
//! past the end of the file makes it grow a buffer to that size, a chain that loops never
//! ends, a declared size is reserved as it is, and a sheet's cells are laid out in one
//! dense range of the rectangle they span. So everything calamine would follow or reserve
//! is checked here first, as calamine reads it: the header's counts, every chain it
//! follows (in range, ending, no loop), the sizes it reserves, where each sheet starts, and
//! each sheet's declared dimensions, cells and the rectangle they span.

/// The first bytes of a compound file.
pub(crate) const SIGNATURE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The end of a chain; numbers from `RESERVED` up are not sectors.
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const RESERVED: u32 = 0xFFFF_FFFA;
/// DIFAT entries from this up are not sectors of the allocation table.
const DIFAT_SECTOR: u32 = 0xFFFF_FFFC;
/// Streams shorter than this live in the mini stream, in sectors of 64 bytes.
const MINI_STREAM_CUTOFF: usize = 4096;
const MINI_SECTOR_BYTES: usize = 64;
/// What calamine reserves from a header field it reads by mistake (bytes 62 to 65), in
/// 4-byte entries: a legitimate file keeps it small.
const MISREAD_DIFAT_ENTRIES_MAX: u32 = 1 << 24;

/// Checks `bytes`, a compound file, as calamine would read it; the sheets' cells and the
/// rectangles they span together may not pass `cells_max`.
pub(crate) fn check(bytes: &[u8], cells_max: u64) -> Result<(), String> {
    let file = Compound::read(bytes)?;
    if file.has("_VBA_PROJECT_CUR") {
        return Err(
            "the workbook holds macros, which lmo does not read; save it without them (as .xlsx)"
                .to_owned(),
        );
    }
    let stream = match file.stream("Workbook")? {
        Some(stream) => stream,
        None => file
            .stream("Book")?
            .ok_or_else(|| "no workbook stream".to_owned())?,
    };
    check_records(&stream, cells_max)
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
}

fn broken(what: &str) -> String {
    format!("the compound file is broken ({what})")
}

/// A directory entry: its name, first sector and length.
struct Entry {
    name: String,
    start: u32,
    length: usize,
}

struct Compound<'a> {
    bytes: &'a [u8],
    sector_bytes: usize,
    /// Whole sectors after the header.
    sectors: usize,
    table: Vec<u32>,
    entries: Vec<Entry>,
    mini_stream: Vec<u8>,
    mini_table: Vec<u32>,
}

impl<'a> Compound<'a> {
    fn read(bytes: &'a [u8]) -> Result<Compound<'a>, String> {
        let header = bytes.get(..512).ok_or_else(|| broken("short header"))?;
        let field = |at| u32_at(header, at).ok_or_else(|| broken("header"));
        let sector_bytes = match u16_at(header, 30) {
            Some(9) => 512,
            Some(12) => 4096,
            _ => return Err(broken("sector size")),
        };
        if u16_at(header, 32) != Some(6) {
            return Err(broken("mini sector size"));
        }
        let sectors = bytes.len().saturating_sub(sector_bytes) / sector_bytes;
        let fits = |count: u32| (count as usize).saturating_mul(sector_bytes) <= bytes.len();
        let (directory_sectors, table_sectors) = (field(40)?, field(44)?);
        let (directory_start, mini_table_start) = (field(48)?, field(60)?);
        let (mini_table_sectors, difat_start) = (field(64)?, field(68)?);
        if !fits(directory_sectors)
            || table_sectors as usize > sectors
            || !fits(mini_table_sectors)
            || field(62)? > MISREAD_DIFAT_ENTRIES_MAX
        {
            return Err(broken("header counts"));
        }
        let mut file = Compound {
            bytes,
            sector_bytes,
            sectors,
            table: Vec::new(),
            entries: Vec::new(),
            mini_stream: Vec::new(),
            mini_table: Vec::new(),
        };
        // The table's sectors: 109 in the header, the rest in a chain whose last entry of
        // each sector is the next one (calamine takes it off the end of the list).
        let mut difat: Vec<u32> = header[76..512]
            .chunks_exact(4)
            .filter_map(|word| u32_at(word, 0))
            .collect();
        let mut next = difat_start;
        let mut steps = 0;
        while next < RESERVED {
            steps += 1;
            if steps > sectors {
                return Err(broken("a looping sector chain"));
            }
            let sector = file.sector(next)?;
            difat.extend(sector.chunks_exact(4).filter_map(|word| u32_at(word, 0)));
            next = difat.pop().unwrap_or(END_OF_CHAIN);
        }
        let mut table = Vec::new();
        for &id in difat.iter().filter(|&&id| id < DIFAT_SECTOR) {
            let sector = file.sector(id)?;
            table.extend(sector.chunks_exact(4).filter_map(|word| u32_at(word, 0)));
        }
        file.table = table;
        let mut directory = file.chain(directory_start, false)?;
        if directory_sectors > 0 {
            directory.truncate(directory_sectors as usize * sector_bytes);
        }
        file.entries = directory
            .chunks(128)
            .map(|entry| {
                let start = u32_at(entry, 116).ok_or_else(|| broken("directory entry"))?;
                let length = if sector_bytes == 512 {
                    u32_at(entry, 120).map(|length| length as usize)
                } else {
                    u64_at(entry, 120).and_then(|length| usize::try_from(length).ok())
                }
                .ok_or_else(|| broken("directory entry"))?;
                let name: String = char::decode_utf16(
                    entry[..64]
                        .chunks_exact(2)
                        .filter_map(|pair| u16_at(pair, 0)),
                )
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .take_while(|&c| c != '\0')
                .collect();
                Ok(Entry {
                    name,
                    start,
                    length,
                })
            })
            .collect::<Result<_, String>>()?;
        let root = file.entries.first().ok_or_else(|| broken("no root"))?;
        if mini_table_sectors > 0 {
            if root.length > bytes.len() {
                return Err(broken("mini stream length"));
            }
            let (root_start, root_length) = (root.start, root.length);
            let mut mini_stream = file.chain(root_start, false)?;
            mini_stream.truncate(root_length);
            let mini_table = file.chain(mini_table_start, false)?;
            file.mini_table = mini_table
                .chunks_exact(4)
                .filter_map(|word| u32_at(word, 0))
                .collect();
            file.mini_stream = mini_stream;
        }
        Ok(file)
    }

    /// Sector `id`: a whole sector of the file after the header.
    fn sector(&self, id: u32) -> Result<&'a [u8], String> {
        let id = id as usize;
        if id >= self.sectors {
            return Err(broken("a sector past the end of the file"));
        }
        let start = (id + 1) * self.sector_bytes;
        Ok(&self.bytes[start..start + self.sector_bytes])
    }

    /// The bytes of the chain from `start`, in sectors (or mini sectors); calamine reads a
    /// sector before it looks up the next, and stops only at the end-of-chain mark.
    fn chain(&self, start: u32, mini: bool) -> Result<Vec<u8>, String> {
        let table = if mini { &self.mini_table } else { &self.table };
        let mut bytes = Vec::new();
        let mut next = start;
        let mut steps = 0;
        while next != END_OF_CHAIN {
            steps += 1;
            if steps > table.len() {
                return Err(broken("a looping or unending sector chain"));
            }
            if mini {
                let at = next as usize * MINI_SECTOR_BYTES;
                let piece = self
                    .mini_stream
                    .get(at..at + MINI_SECTOR_BYTES)
                    .ok_or_else(|| broken("a mini sector past the end of the mini stream"))?;
                bytes.extend_from_slice(piece);
            } else {
                bytes.extend_from_slice(self.sector(next)?);
            }
            next = *table
                .get(next as usize)
                .ok_or_else(|| broken("a sector outside the table"))?;
        }
        Ok(bytes)
    }

    fn has(&self, name: &str) -> bool {
        self.entries.iter().any(|entry| entry.name == name)
    }

    /// The stream `name` (the first entry of that name, as calamine finds it).
    fn stream(&self, name: &str) -> Result<Option<Vec<u8>>, String> {
        let Some(entry) = self.entries.iter().find(|entry| entry.name == name) else {
            return Ok(None);
        };
        if entry.length > self.bytes.len() {
            return Err(broken("a stream longer than the file"));
        }
        let mut stream = self.chain(entry.start, entry.length < MINI_STREAM_CUTOFF)?;
        stream.truncate(entry.length);
        Ok(Some(stream))
    }
}

/// The BIFF records of `stream` as calamine walks them: type, data (a record's CONTINUE
/// records belong to it and are skipped).
fn records(mut stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let kind = u16_at(stream, 0)?;
        let length = usize::from(u16_at(stream, 2)?);
        let (record, rest) = stream.split_at_checked(4 + length)?;
        stream = rest;
        while u16_at(stream, 0) == Some(0x003C) {
            let length = usize::from(u16_at(stream, 2)?);
            stream = stream.get(4 + length..)?;
        }
        Some((kind, &record[4..]))
    })
}

/// Checks where each sheet starts, and each sheet's declared dimensions, cells and the
/// rectangle they span; all sheets are held in memory at once.
fn check_records(stream: &[u8], cells_max: u64) -> Result<(), String> {
    let too_many = |what: String| {
        format!("{what}, more than lmo reads from a workbook; export the table as CSV")
    };
    let mut starts = Vec::new();
    for (kind, data) in records(stream) {
        match kind {
            // BoundSheet8: where a sheet's records start.
            0x0085 => {
                let start = u32_at(data, 0).ok_or_else(|| broken("sheet record"))? as usize;
                if start > stream.len() {
                    return Err(broken("a sheet past the end of the stream"));
                }
                starts.push(start);
            }
            0x000A => break,
            _ => {}
        }
    }
    let mut cells: u64 = 0;
    let mut spans: u64 = 0;
    for start in starts {
        let mut first = (u32::MAX, u32::MAX);
        let mut last = (0u32, 0u32);
        let mut mark = |row: u32, column: u32| {
            first = (first.0.min(row), first.1.min(column));
            last = (last.0.max(row), last.1.max(column));
        };
        for (kind, data) in records(&stream[start..]) {
            let at = |offset| u16_at(data, offset).map(u32::from);
            match kind {
                // Dimensions: calamine reserves the rectangle they declare.
                0x0200 => {
                    let (start_row, end_row, start_column, end_column) = match data.len() {
                        10 => (at(0), at(2), at(4), at(6)),
                        14 => (u32_at(data, 0), u32_at(data, 4), at(8), at(10)),
                        _ => continue,
                    };
                    let (Some(sr), Some(er), Some(sc), Some(ec)) =
                        (start_row, end_row, start_column, end_column)
                    else {
                        continue;
                    };
                    if er < sr || ec < sc {
                        return Err(broken("sheet dimensions"));
                    }
                    let declared = (u64::from(er - sr) + 1).saturating_mul(u64::from(ec - sc) + 1);
                    if declared > cells_max {
                        return Err(too_many(format!("a sheet declares {declared} cells")));
                    }
                }
                // Number, label, boolean or error, RK, shared-string label, formula (whose
                // string value, if any, comes in a STRING record at the same place).
                0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                    if let (Some(row), Some(column)) = (at(0), at(2)) {
                        mark(row, column);
                        cells += 1;
                        if kind == 0x0006 {
                            cells += 1;
                        }
                    }
                }
                // Several RK numbers in one row.
                0x00BD => {
                    let (Some(row), Some(first_column)) = (at(0), at(2)) else {
                        continue;
                    };
                    let last_column = data
                        .len()
                        .checked_sub(2)
                        .and_then(|end| u16_at(data, end))
                        .map_or(0, u32::from);
                    if last_column >= first_column {
                        mark(row, first_column);
                        mark(row, last_column);
                        cells += u64::from(last_column - first_column) + 1;
                    }
                }
                0x000A => break,
                _ => {}
            }
        }
        if first.0 <= last.0 {
            spans = spans.saturating_add(
                (u64::from(last.0 - first.0) + 1).saturating_mul(u64::from(last.1 - first.1) + 1),
            );
        }
        if cells > cells_max || spans > cells_max {
            return Err(too_many(format!(
                "the sheets hold {cells} cells spanning {spans}"
            )));
        }
    }
    Ok(())
}
