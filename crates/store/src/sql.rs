//! The dialect layer: one way to run a statement and read its rows on either backend.
//!
//! Statements are written once, in the SQL both databases accept, with PostgreSQL's `$1`
//! placeholders (the SQLite backend rewrites them to `?1`). Parameters are [`Param`]s and
//! rows come back as [`Row`]s of [`Value`]s, so the store's logic never sees a driver type.
//! The PostgreSQL backend converts a parameter to whatever type the server expects for it
//! (text to `date`, a 64-bit integer to `integer`, …), so statements need no casts for that.

use crate::StoreError;

/// A value bound to a placeholder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Param<'a> {
    Null,
    Int(i64),
    Real(f64),
    /// Text; where the column is a PostgreSQL `date`, an ISO date.
    Text(&'a str),
    Bytes(&'a [u8]),
    Bool(bool),
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(text: &'a str) -> Param<'a> {
        Param::Text(text)
    }
}

impl<'a> From<&'a String> for Param<'a> {
    fn from(text: &'a String) -> Param<'a> {
        Param::Text(text)
    }
}

impl<'a> From<&'a [u8]> for Param<'a> {
    fn from(bytes: &'a [u8]) -> Param<'a> {
        Param::Bytes(bytes)
    }
}

impl From<i64> for Param<'_> {
    fn from(value: i64) -> Self {
        Param::Int(value)
    }
}

impl From<u64> for Param<'_> {
    /// Counts are stored as signed 64-bit integers; no count reaches 2^63.
    fn from(value: u64) -> Self {
        Param::Int(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

impl From<f64> for Param<'_> {
    fn from(value: f64) -> Self {
        Param::Real(value)
    }
}

impl From<bool> for Param<'_> {
    fn from(value: bool) -> Self {
        Param::Bool(value)
    }
}

impl<'a, T> From<Option<T>> for Param<'a>
where
    T: Into<Param<'a>>,
{
    fn from(value: Option<T>) -> Param<'a> {
        value.map_or(Param::Null, Into::into)
    }
}

/// `params![a, b, …]`: the arguments as a slice of [`Param`]s.
macro_rules! params {
    ($($value:expr),* $(,)?) => {
        &[$($crate::sql::Param::from($value)),*] as &[$crate::sql::Param<'_>]
    };
}
pub(crate) use params;

/// A value read from a row. Dates come back as ISO text, booleans as 0 or 1.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bytes(Vec<u8>),
}

impl Value {
    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Int(_) => "an integer",
            Value::Real(_) => "a real number",
            Value::Text(_) => "text",
            Value::Bytes(_) => "bytes",
        }
    }
}

/// One row of a result.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    pub(crate) values: Vec<Value>,
}

impl Row {
    fn value(&self, index: usize) -> Result<&Value, StoreError> {
        self.values.get(index).ok_or_else(|| StoreError::Corrupt {
            table: "query result",
            reason: format!("no column {index}"),
        })
    }

    fn mismatch(&self, index: usize, expected: &str) -> StoreError {
        let found = self.values.get(index).map_or("nothing", Value::kind);
        StoreError::Corrupt {
            table: "query result",
            reason: format!("column {index} holds {found}, expected {expected}"),
        }
    }

    pub(crate) fn text(&self, index: usize) -> Result<String, StoreError> {
        match self.value(index)? {
            Value::Text(text) => Ok(text.clone()),
            _ => Err(self.mismatch(index, "text")),
        }
    }

    pub(crate) fn opt_text(&self, index: usize) -> Result<Option<String>, StoreError> {
        match self.value(index)? {
            Value::Null => Ok(None),
            _ => self.text(index).map(Some),
        }
    }

    pub(crate) fn int(&self, index: usize) -> Result<i64, StoreError> {
        match self.value(index)? {
            Value::Int(value) => Ok(*value),
            _ => Err(self.mismatch(index, "an integer")),
        }
    }

    pub(crate) fn opt_int(&self, index: usize) -> Result<Option<i64>, StoreError> {
        match self.value(index)? {
            Value::Null => Ok(None),
            _ => self.int(index).map(Some),
        }
    }

    /// A row count, which is never negative.
    pub(crate) fn count(&self, index: usize) -> Result<u64, StoreError> {
        let value = self.int(index)?;
        u64::try_from(value).map_err(|_| StoreError::Corrupt {
            table: "query result",
            reason: format!("column {index} holds the negative count {value}"),
        })
    }

    pub(crate) fn real(&self, index: usize) -> Result<f64, StoreError> {
        match self.value(index)? {
            Value::Real(value) => Ok(*value),
            // SQLite keeps a whole REAL as an integer when the column has no type.
            Value::Int(value) => Ok(*value as f64),
            _ => Err(self.mismatch(index, "a real number")),
        }
    }

    pub(crate) fn bytes(&self, index: usize) -> Result<Vec<u8>, StoreError> {
        match self.value(index)? {
            Value::Bytes(bytes) => Ok(bytes.clone()),
            _ => Err(self.mismatch(index, "bytes")),
        }
    }
}

/// Something that runs statements: a connection, a transaction, an import in progress.
pub(crate) trait Sql {
    /// Runs one statement and returns the number of rows it changed.
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, StoreError>;

    /// Runs one statement and returns all its rows.
    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, StoreError>;

    /// Runs several statements separated by semicolons, without parameters.
    fn batch(&mut self, sql: &str) -> Result<(), StoreError>;
}

/// The first row, if any.
pub(crate) fn query_opt(
    sql: &mut (impl Sql + ?Sized),
    statement: &str,
    params: &[Param<'_>],
) -> Result<Option<Row>, StoreError> {
    Ok(sql.query(statement, params)?.into_iter().next())
}

/// The one row a statement always returns (an aggregate, `RETURNING`).
pub(crate) fn query_one(
    sql: &mut (impl Sql + ?Sized),
    statement: &str,
    params: &[Param<'_>],
) -> Result<Row, StoreError> {
    query_opt(sql, statement, params)?.ok_or_else(|| StoreError::Corrupt {
        table: "query result",
        reason: format!("no row from: {}", statement.trim()),
    })
}

/// Every row decoded by `decode`.
pub(crate) fn query_map<T>(
    sql: &mut (impl Sql + ?Sized),
    statement: &str,
    params: &[Param<'_>],
    decode: impl FnMut(&Row) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    sql.query(statement, params)?.iter().map(decode).collect()
}

/// A stored row that could not be read back. Reads skip such a row rather than fail, so
/// that one damaged row never takes a whole command down; [`crate::Store::take_skipped_rows`]
/// reports them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedRow {
    pub table: &'static str,
    /// Which row: its series and period, or its id.
    pub key: String,
    pub reason: String,
}

/// Every row decoded by `decode`, except rows that do not decode as stored data
/// ([`StoreError::Corrupt`]): those are added to `skipped`, named by `key`.
pub(crate) fn query_map_skipping<T>(
    sql: &mut (impl Sql + ?Sized),
    statement: &str,
    params: &[Param<'_>],
    skipped: &mut Vec<SkippedRow>,
    key: impl Fn(&Row) -> String,
    mut decode: impl FnMut(&Row) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let rows = sql.query(statement, params)?;
    let mut decoded = Vec::with_capacity(rows.len());
    for row in &rows {
        match decode(row) {
            Ok(value) => decoded.push(value),
            Err(StoreError::Corrupt { table, reason }) => skipped.push(SkippedRow {
                table,
                key: key(row),
                reason,
            }),
            Err(error) => return Err(error),
        }
    }
    Ok(decoded)
}

/// A database connection: statements outside a transaction, and transactions.
pub(crate) trait Database: Sql + Send {
    fn backend(&self) -> crate::Backend;

    /// Starts a write transaction; dropping it without [`Transaction::commit`] rolls back.
    fn transaction(&mut self) -> Result<Box<dyn Transaction + '_>, StoreError>;

    /// Starts an import: a write transaction with an empty staging table.
    fn begin_staging(&mut self) -> Result<Box<dyn crate::import::Staging + '_>, StoreError>;
}

/// A write transaction.
pub(crate) trait Transaction: Sql {
    /// Waits until no other transaction holds the lock `name`, then holds it until this
    /// transaction ends: for work that must not interleave with itself.
    fn lock(&mut self, name: &str) -> Result<(), StoreError>;

    fn commit(self: Box<Self>) -> Result<(), StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_refuse_the_wrong_type_naming_the_column() {
        let row = Row {
            values: vec![Value::Text("a".to_owned()), Value::Int(-1), Value::Null],
        };
        assert_eq!(row.text(0).unwrap(), "a");
        assert_eq!(row.opt_text(2).unwrap(), None);
        assert_eq!(row.real(1).unwrap(), -1.0);
        assert_eq!(
            row.int(0).unwrap_err().to_string(),
            "corrupt row in table query result: column 0 holds text, expected an integer"
        );
        assert!(row.count(1).is_err());
        assert!(row.text(3).is_err());
    }

    #[test]
    fn options_bind_null() {
        let none: Option<&str> = None;
        assert_eq!(
            params![none, Some("x"), 3_i64],
            [Param::Null, Param::Text("x"), Param::Int(3)]
        );
    }
}
