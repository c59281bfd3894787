//! How far the stored data has moved: a version that changes with every import and every
//! alert decision, so that answers computed from the data can be cached until it moves.

use crate::sql::query_one;
use crate::{SqlStore, StoreError};

/// Versions of the stored data.
pub trait Versions {
    fn data_version(&mut self) -> Result<DataVersion, StoreError>;
}

/// The latest ids of the append-only tables that answers are computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DataVersion {
    /// Every change to series and observations is an import (derived series included).
    pub imports: i64,
    pub acknowledgements: i64,
    pub mutes: i64,
}

impl Versions for SqlStore {
    fn data_version(&mut self) -> Result<DataVersion, StoreError> {
        let row = query_one(
            &mut *self.database,
            "SELECT (SELECT coalesce(max(id), 0) FROM imports),
                    (SELECT coalesce(max(id), 0) FROM alert_acknowledgements),
                    (SELECT coalesce(max(id), 0) FROM alert_mutes)",
            &[],
        )?;
        Ok(DataVersion {
            imports: row.int(0)?,
            acknowledgements: row.int(1)?,
            mutes: row.int(2)?,
        })
    }
}
