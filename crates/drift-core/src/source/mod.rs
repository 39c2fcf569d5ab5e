//! Where the data of one side comes from.
//!
//! The engine reads a side one column at a time (projection), so memory
//! follows the columns in flight, not the table. A [`ColumnSource`] is data
//! that can be read that way, column by column and in parallel parts:
//!
//! * [`Batches`] — record batches already in memory;
//! * [`ParquetSource`] — a Parquet file, a directory of them (recursing
//!   into hive-style `key=value/` folders) or a glob (feature `parquet`, on
//!   by default).
//!
//! A stream of batches that can be read only once (any
//! `Iterator<Item = Result<RecordBatch, ArrowError>>`, e.g. an Arrow
//! `RecordBatchReader`) is consumed in one pass by
//! `Engine::fit_stream` and
//! `Reference::compare_stream`, all
//! columns at once, without collecting the batches.

pub mod guard;
mod memory;
#[cfg(feature = "parquet")]
pub(crate) mod parquet;

pub use memory::Batches;
#[cfg(feature = "parquet")]
pub use parquet::ParquetSource;

use crate::error::Result;
use arrow_array::Array;
use arrow_schema::SchemaRef;
use std::ops::Range;

/// A contiguous share of a source's read units (row groups, batches), read
/// as one task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The units of the part, in source order.
    pub units: Range<usize>,
    /// Rows in the part.
    pub rows: u64,
}

/// What one column of a source will take once accumulated, from the
/// source's metadata (no data read).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Footprint {
    /// Non-null values (an upper bound when the source does not know its
    /// null counts).
    pub values: u64,
    /// Bytes of the column's values uncompressed (strings: their text).
    pub bytes: u64,
}

/// Columnar data that can be read one column at a time, in parts.
pub trait ColumnSource: Sync {
    /// The Arrow schema of every batch the source yields.
    fn schema(&self) -> SchemaRef;
    /// Rows in total.
    fn num_rows(&self) -> u64;
    /// Where the data came from, shown in reports (`inputs.*.path`).
    fn location(&self) -> Option<String> {
        None
    }
    /// Rows of each read unit, in order (row groups of every file, batches).
    fn unit_rows(&self) -> Vec<u64>;
    /// The memory footprint of column `column` (see [`Footprint`]).
    fn footprint(&self, column: usize) -> Footprint;
    /// Streams column `column` of the units of `part`, array by array, to
    /// `sink`. With `dictionary`, string columns may be delivered as
    /// dictionary arrays (cheaper to count as categories).
    fn scan(
        &self,
        column: usize,
        part: &Part,
        dictionary: bool,
        sink: &mut dyn FnMut(&dyn Array) -> Result<()>,
    ) -> Result<()>;

    /// Streams several columns of the units of `part` (`columns` distinct),
    /// calling `sink(j, array)` with `j` the position in `columns`. Sources
    /// that can read several columns at once (one Parquet projection)
    /// override it; the default reads them one after another.
    fn scan_columns(
        &self,
        columns: &[usize],
        part: &Part,
        dictionary: bool,
        sink: &mut dyn FnMut(usize, &dyn Array) -> Result<()>,
    ) -> Result<()> {
        for (j, &c) in columns.iter().enumerate() {
            self.scan(c, part, dictionary, &mut |a| sink(j, a))?;
        }
        Ok(())
    }

    /// Splits the units into at most `k` contiguous parts of about equal
    /// rows.
    fn parts(&self, k: usize) -> Vec<Part> {
        split_units(&self.unit_rows(), k)
    }
}

/// Splits units with the given rows into at most `k` contiguous parts of
/// about equal rows (no empty part; none at all when there are no units).
pub fn split_units(rows: &[u64], k: usize) -> Vec<Part> {
    // footer counts are untrusted: sums saturate
    let total: u64 = rows.iter().fold(0u64, |a, &r| a.saturating_add(r));
    let target = total.div_ceil(k.max(1) as u64).max(1);
    let mut parts: Vec<Part> = Vec::new();
    let mut start = 0usize;
    let mut acc = 0u64;
    for (i, &r) in rows.iter().enumerate() {
        if acc >= target && parts.len() + 1 < k {
            parts.push(Part {
                units: start..i,
                rows: acc,
            });
            start = i;
            acc = 0;
        }
        acc = acc.saturating_add(r);
    }
    if start < rows.len() {
        parts.push(Part {
            units: start..rows.len(),
            rows: acc,
        });
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_units_is_contiguous_and_covers_all() {
        for rows in [
            vec![],
            vec![5],
            vec![1, 1, 1, 1, 1],
            vec![10, 0, 0, 3, 7, 7],
        ] {
            for k in 1..6 {
                let p = split_units(&rows, k);
                assert!(p.len() <= k.max(1));
                let mut next = 0;
                for part in &p {
                    assert_eq!(part.units.start, next);
                    assert!(part.units.end > part.units.start);
                    assert_eq!(part.rows, rows[part.units.clone()].iter().sum::<u64>());
                    next = part.units.end;
                }
                assert_eq!(next, rows.len());
            }
        }
        assert_eq!(split_units(&[4, 4, 4, 4], 2).len(), 2);
    }
}
