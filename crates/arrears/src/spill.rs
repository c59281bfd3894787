//! Rows written to a temporary file and read back, for the duplicate check of a file that
//! is not grouped by employer (see [`crate::duplicates`]). The files are lmo's own, unnamed
//! and gone when closed; a row is written as parsed, so it holds a pseudonym, never an
//! HKID or a name.

use std::io;

use jiff::civil::Date;
use labour_law::{Money, Percent, Pseudonym};

use crate::EmployerKey;

/// Appends values to a byte buffer, little-endian.
#[derive(Default)]
pub(crate) struct Encoder {
    pub(crate) bytes: Vec<u8>,
}

impl Encoder {
    pub(crate) fn u8(&mut self, value: u8) {
        self.bytes.push(value);
    }

    pub(crate) fn u32(&mut self, value: u32) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    pub(crate) fn u64(&mut self, value: u64) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    pub(crate) fn money(&mut self, value: Money) {
        self.bytes.extend_from_slice(&value.cents().to_le_bytes());
    }

    pub(crate) fn date(&mut self, date: Date) {
        self.bytes.extend_from_slice(&date.year().to_le_bytes());
        self.bytes.push(date.month() as u8);
        self.bytes.push(date.day() as u8);
    }

    pub(crate) fn optional_date(&mut self, date: Option<Date>) {
        self.u8(u8::from(date.is_some()));
        self.date(date.unwrap_or_default());
    }

    pub(crate) fn optional_u32(&mut self, value: Option<u32>) {
        self.u8(u8::from(value.is_some()));
        self.u32(value.unwrap_or_default());
    }

    pub(crate) fn optional_money(&mut self, value: Option<Money>) {
        self.u8(u8::from(value.is_some()));
        self.money(value.unwrap_or_default());
    }

    pub(crate) fn employer(&mut self, key: EmployerKey) {
        self.u32(key.as_u32());
    }

    pub(crate) fn pseudonym(&mut self, pseudonym: Pseudonym) {
        self.bytes.extend_from_slice(&pseudonym.to_bytes());
    }

    pub(crate) fn text(&mut self, text: &str) {
        self.u32(u32::try_from(text.len()).unwrap_or(u32::MAX));
        self.bytes.extend_from_slice(text.as_bytes());
    }
}

/// Reads back what an [`Encoder`] wrote; an error when the bytes end too soon or do not
/// read back.
pub(crate) struct Decoder<'a> {
    pub(crate) bytes: &'a [u8],
}

fn broken() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        "a spill file does not read back",
    )
}

impl Decoder<'_> {
    fn take<const N: usize>(&mut self) -> io::Result<[u8; N]> {
        let (taken, rest) = self.bytes.split_first_chunk::<N>().ok_or_else(broken)?;
        self.bytes = rest;
        Ok(*taken)
    }

    pub(crate) fn u8(&mut self) -> io::Result<u8> {
        self.take::<1>().map(|[byte]| byte)
    }

    pub(crate) fn u32(&mut self) -> io::Result<u32> {
        self.take().map(u32::from_le_bytes)
    }

    pub(crate) fn u64(&mut self) -> io::Result<u64> {
        self.take().map(u64::from_le_bytes)
    }

    pub(crate) fn money(&mut self) -> io::Result<Money> {
        self.take()
            .map(|bytes| Money::from_cents(i64::from_le_bytes(bytes)))
    }

    pub(crate) fn date(&mut self) -> io::Result<Date> {
        let year = i16::from_le_bytes(self.take()?);
        let [month, day] = self.take()?;
        Date::new(year, month as i8, day as i8).map_err(|_| broken())
    }

    pub(crate) fn optional_date(&mut self) -> io::Result<Option<Date>> {
        let present = self.u8()? == 1;
        let date = self.date()?;
        Ok(present.then_some(date))
    }

    pub(crate) fn optional_u32(&mut self) -> io::Result<Option<u32>> {
        let present = self.u8()? == 1;
        let value = self.u32()?;
        Ok(present.then_some(value))
    }

    pub(crate) fn optional_money(&mut self) -> io::Result<Option<Money>> {
        let present = self.u8()? == 1;
        let value = self.money()?;
        Ok(present.then_some(value))
    }

    pub(crate) fn percent(&mut self) -> io::Result<Percent> {
        Percent::from_hundredths(self.u32()?).ok_or_else(broken)
    }

    pub(crate) fn employer(&mut self) -> io::Result<EmployerKey> {
        self.u32().map(EmployerKey::from_u32)
    }

    pub(crate) fn pseudonym(&mut self) -> io::Result<Pseudonym> {
        self.take().map(Pseudonym::from_bytes)
    }

    pub(crate) fn text(&mut self) -> io::Result<String> {
        let length = self.u32()? as usize;
        let (text, rest) = self.bytes.split_at_checked(length).ok_or_else(broken)?;
        self.bytes = rest;
        String::from_utf8(text.to_vec()).map_err(|_| broken())
    }
}
