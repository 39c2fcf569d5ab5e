//! Record batches in memory as a source.

use super::{ColumnSource, Footprint, Part};
use crate::error::{Error, Result};
use arrow_array::{Array, RecordBatch};
use arrow_schema::SchemaRef;

/// Record batches already in memory (any number and sizes, one schema).
/// Reading a column hands out the batches' arrays; nothing is copied.
#[derive(Debug, Clone)]
pub struct Batches {
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
    location: Option<String>,
}

impl Batches {
    /// The batches as one source. They must share one schema (names and
    /// types; field metadata may differ); an empty list is an error, as
    /// there is no schema to compare.
    pub fn new(batches: impl IntoIterator<Item = RecordBatch>) -> Result<Batches> {
        let batches: Vec<RecordBatch> = batches.into_iter().collect();
        let schema = batches
            .first()
            .map(|b| b.schema())
            .ok_or_else(|| Error::EmptyInput("no record batches".into()))?;
        Self::with_schema(schema, batches)
    }

    /// Batches with a known schema (possibly none of them).
    pub fn with_schema(schema: SchemaRef, batches: Vec<RecordBatch>) -> Result<Batches> {
        for b in &batches {
            let s = b.schema();
            let same = s.fields().len() == schema.fields().len()
                && s.fields()
                    .iter()
                    .zip(schema.fields())
                    .all(|(a, b)| a.name() == b.name() && a.data_type() == b.data_type());
            if !same {
                return Err(Error::InvalidInput(
                    "record batches with different schemas in one source".into(),
                ));
            }
        }
        Ok(Batches {
            schema,
            batches,
            location: None,
        })
    }

    /// Records where the data came from (shown in reports).
    pub fn with_location(mut self, location: impl Into<String>) -> Batches {
        self.location = Some(location.into());
        self
    }
}

impl ColumnSource for Batches {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }
    fn num_rows(&self) -> u64 {
        self.batches.iter().map(|b| b.num_rows() as u64).sum()
    }
    fn location(&self) -> Option<String> {
        self.location.clone()
    }
    fn unit_rows(&self) -> Vec<u64> {
        self.batches.iter().map(|b| b.num_rows() as u64).collect()
    }
    fn footprint(&self, column: usize) -> Footprint {
        let mut f = Footprint::default();
        for b in &self.batches {
            let a = b.column(column);
            f.values += (a.len() - a.logical_null_count()) as u64;
            f.bytes += a.get_array_memory_size() as u64;
        }
        f
    }
    fn scan(
        &self,
        column: usize,
        part: &Part,
        _dictionary: bool,
        sink: &mut dyn FnMut(&dyn Array) -> Result<()>,
    ) -> Result<()> {
        for b in &self.batches[part.units.clone()] {
            sink(b.column(column).as_ref())?;
        }
        Ok(())
    }
}
