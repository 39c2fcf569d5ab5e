//! Arrow arrays → the values the statistics need: finite `f64` for numeric
//! columns, category counts for categorical ones, with missing values counted.

use crate::config::ColumnKind;
use crate::counts::Counts;
use crate::error::{Error, Result};
use crate::kernels::extract::extract_f64;
use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{Array, ArrayRef, ArrowPrimitiveType, PrimitiveArray};
use arrow_buffer::ArrowNativeType;
use arrow_schema::{DataType, TimeUnit};
use std::collections::HashMap;
use std::sync::Arc;

/// The kind a type is tested as by default; `None` for untestable types.
///
/// Numeric: integers, floats, decimals, dates, times, timestamps, durations.
/// Categorical: strings (Utf8, LargeUtf8, Utf8View), dictionaries of
/// strings, booleans.
pub fn natural_kind(dt: &DataType) -> Option<ColumnKind> {
    use DataType::*;
    match dt {
        Int8 | Int16 | Int32 | Int64 | UInt8 | UInt16 | UInt32 | UInt64 | Float16 | Float32
        | Float64 | Decimal128(..) | Decimal256(..) | Date32 | Date64 | Timestamp(..)
        | Duration(_) | Time32(_) | Time64(_) => Some(ColumnKind::Numeric),
        Utf8 | LargeUtf8 | Utf8View | Boolean => Some(ColumnKind::Categorical),
        Dictionary(k, v)
            if k.is_dictionary_key_type() && matches!(v.as_ref(), Utf8 | LargeUtf8 | Utf8View) =>
        {
            Some(ColumnKind::Categorical)
        }
        _ => None,
    }
}

/// Whether a column of type `dt` can be tested as `kind` (after an override).
pub fn supports(dt: &DataType, kind: ColumnKind) -> bool {
    match (natural_kind(dt), kind) {
        (None, _) => false,
        (Some(k), want) if k == want => true,
        // numeric → categorical: integers, dates and the like become labels
        (Some(ColumnKind::Numeric), ColumnKind::Categorical) => true,
        // categorical → numeric: only booleans (0/1)
        (Some(ColumnKind::Categorical), ColumnKind::Numeric) => matches!(dt, DataType::Boolean),
        _ => false,
    }
}

fn unit_per_second(u: &TimeUnit) -> f64 {
    match u {
        TimeUnit::Second => 1.0,
        TimeUnit::Millisecond => 1e3,
        TimeUnit::Microsecond => 1e6,
        TimeUnit::Nanosecond => 1e9,
    }
}

fn convert<T: ArrowPrimitiveType>(
    a: &dyn Array,
    f: impl Fn(T::Native) -> f64,
    scratch: &mut Vec<f64>,
    out: &mut Vec<f64>,
) -> Counts {
    let a: &PrimitiveArray<T> = a.as_primitive::<T>();
    scratch.clear();
    scratch.extend(a.values().iter().map(|&v| f(v)));
    extract_f64(scratch, a.nulls(), out)
}

/// Appends the finite values of a numeric array (widened to f64) to `out`.
///
/// Temporal values are in seconds (dates: days × 86400; timestamps, times
/// and durations divided by their unit); decimals are `v / 10^scale`;
/// booleans are 0/1. Nulls, NaN and ±inf are counted, not copied.
pub fn extract_numeric(column: &str, a: &dyn Array, out: &mut Vec<f64>) -> Result<Counts> {
    use DataType::*;
    let mut s = Vec::new();
    let s = &mut s;
    Ok(match a.data_type() {
        Float64 => {
            let p = a.as_primitive::<Float64Type>();
            extract_f64(p.values(), p.nulls(), out)
        }
        Float32 => convert::<Float32Type>(a, |v| v as f64, s, out),
        Float16 => convert::<Float16Type>(a, |v| v.to_f64(), s, out),
        Int8 => convert::<Int8Type>(a, |v| v as f64, s, out),
        Int16 => convert::<Int16Type>(a, |v| v as f64, s, out),
        Int32 => convert::<Int32Type>(a, |v| v as f64, s, out),
        Int64 => convert::<Int64Type>(a, |v| v as f64, s, out),
        UInt8 => convert::<UInt8Type>(a, |v| v as f64, s, out),
        UInt16 => convert::<UInt16Type>(a, |v| v as f64, s, out),
        UInt32 => convert::<UInt32Type>(a, |v| v as f64, s, out),
        UInt64 => convert::<UInt64Type>(a, |v| v as f64, s, out),
        Decimal128(_, scale) => {
            let d = 10f64.powi(*scale as i32);
            convert::<Decimal128Type>(a, |v| v as f64 / d, s, out)
        }
        Decimal256(_, scale) => {
            let d = 10f64.powi(*scale as i32);
            convert::<Decimal256Type>(
                a,
                |v| v.to_string().parse::<f64>().unwrap_or(f64::NAN) / d,
                s,
                out,
            )
        }
        Date32 => convert::<Date32Type>(a, |v| v as f64 * 86400.0, s, out),
        Date64 => convert::<Date64Type>(a, |v| v as f64 / 1e3, s, out),
        Timestamp(u, _) => {
            let d = unit_per_second(u);
            match u {
                TimeUnit::Second => convert::<TimestampSecondType>(a, |v| v as f64 / d, s, out),
                TimeUnit::Millisecond => {
                    convert::<TimestampMillisecondType>(a, |v| v as f64 / d, s, out)
                }
                TimeUnit::Microsecond => {
                    convert::<TimestampMicrosecondType>(a, |v| v as f64 / d, s, out)
                }
                TimeUnit::Nanosecond => {
                    convert::<TimestampNanosecondType>(a, |v| v as f64 / d, s, out)
                }
            }
        }
        Duration(u) => {
            let d = unit_per_second(u);
            match u {
                TimeUnit::Second => convert::<DurationSecondType>(a, |v| v as f64 / d, s, out),
                TimeUnit::Millisecond => {
                    convert::<DurationMillisecondType>(a, |v| v as f64 / d, s, out)
                }
                TimeUnit::Microsecond => {
                    convert::<DurationMicrosecondType>(a, |v| v as f64 / d, s, out)
                }
                TimeUnit::Nanosecond => {
                    convert::<DurationNanosecondType>(a, |v| v as f64 / d, s, out)
                }
            }
        }
        Time32(TimeUnit::Second) => convert::<Time32SecondType>(a, |v| v as f64, s, out),
        Time32(_) => convert::<Time32MillisecondType>(a, |v| v as f64 / 1e3, s, out),
        Time64(TimeUnit::Microsecond) => {
            convert::<Time64MicrosecondType>(a, |v| v as f64 / 1e6, s, out)
        }
        Time64(_) => convert::<Time64NanosecondType>(a, |v| v as f64 / 1e9, s, out),
        Boolean => {
            let b = a.as_boolean();
            s.clear();
            s.extend(b.values().iter().map(|v| if v { 1.0 } else { 0.0 }));
            extract_f64(s, b.nulls(), out)
        }
        other => {
            return Err(Error::UnsupportedType {
                column: column.to_string(),
                data_type: other.clone(),
            })
        }
    })
}

/// Mergeable category counts (update / merge / evaluate).
#[derive(Debug, Clone, Default)]
pub struct CategoryCounts {
    counts: HashMap<String, u64, ahash::RandomState>,
    /// Counts per key of the dictionary of the last dictionary array, not
    /// yet mapped to labels: the Parquet reader hands every batch of a
    /// column chunk the same dictionary (the whole chunk's, e.g. 50,000
    /// values for 64k rows), so keys are counted across those batches and
    /// mapped to labels once per dictionary, not once per batch.
    pending: Option<(ArrayRef, Vec<u64>)>,
    /// Missing-value counts.
    pub missing: Counts,
}

impl CategoryCounts {
    /// Bytes held (an estimate: the labels, their map entries and the
    /// pending key counts).
    pub fn size(&self) -> usize {
        let labels: usize = self.counts.keys().map(|k| k.capacity()).sum();
        let entries = self.counts.capacity() * (std::mem::size_of::<(String, u64)>() + 1);
        let pending = self.pending.as_ref().map_or(0, |(_, v)| v.capacity() * 8);
        labels + entries + pending
    }
    /// Distinct categories so far.
    #[cfg(test)]
    fn distinct(&mut self) -> usize {
        self.flush_pending();
        self.counts.len()
    }
    /// Maps the pending per-key counts to their labels.
    fn flush_pending(&mut self) {
        let Some((values, per_key)) = self.pending.take() else {
            return;
        };
        for (i, &c) in per_key.iter().enumerate() {
            if c == 0 {
                continue;
            }
            // a key pointing at a null value is already counted as null
            // (`logical_null_count` of a dictionary array includes it)
            if let Some(l) = dictionary_label(&values, i) {
                self.add_str(l, c);
            }
        }
    }
    fn add_str(&mut self, k: &str, c: u64) {
        if let Some(v) = self.counts.get_mut(k) {
            *v += c;
        } else {
            self.counts.insert(k.to_string(), c);
        }
    }
    /// Merges another partition's counts.
    pub fn merge(&mut self, mut other: CategoryCounts) {
        self.flush_pending();
        other.flush_pending();
        for (k, v) in other.counts {
            *self.counts.entry(k).or_insert(0) += v;
        }
        self.missing.merge(&other.missing);
    }
    /// Sorted (category, count) pairs.
    pub fn into_sorted(mut self) -> Vec<(String, u64)> {
        self.flush_pending();
        let mut v: Vec<(String, u64)> = self.counts.into_iter().collect();
        v.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        v
    }

    /// Counts the categories of one array. Dictionary arrays count keys and
    /// map them to values once (no string per row). Strings with more than
    /// `limit` distinct values stop early with an error. Numbers become
    /// their decimal text; float NaN/inf are counted as missing.
    pub fn update(&mut self, column: &str, a: &dyn Array, limit: usize) -> Result<()> {
        use DataType::*;
        let len = a.len() as u64;
        let nulls = a.logical_null_count() as u64;
        self.missing.count += len;
        self.missing.nulls += nulls;
        if !matches!(a.data_type(), Dictionary(..)) {
            self.flush_pending();
        }
        match a.data_type() {
            Utf8 => self.count_strs(a.as_string::<i32>().iter(), limit, column)?,
            LargeUtf8 => self.count_strs(a.as_string::<i64>().iter(), limit, column)?,
            Utf8View => self.count_strs(a.as_string_view().iter(), limit, column)?,
            Boolean => {
                let b = a.as_boolean();
                let t = b.true_count() as u64;
                let f = len - nulls - t;
                if t > 0 {
                    self.add_str("true", t);
                }
                if f > 0 {
                    self.add_str("false", f);
                }
            }
            Dictionary(k, _) => match k.as_ref() {
                Int8 => self.count_dict::<Int8Type>(a, column, limit)?,
                Int16 => self.count_dict::<Int16Type>(a, column, limit)?,
                Int32 => self.count_dict::<Int32Type>(a, column, limit)?,
                Int64 => self.count_dict::<Int64Type>(a, column, limit)?,
                UInt8 => self.count_dict::<UInt8Type>(a, column, limit)?,
                UInt16 => self.count_dict::<UInt16Type>(a, column, limit)?,
                UInt32 => self.count_dict::<UInt32Type>(a, column, limit)?,
                UInt64 => self.count_dict::<UInt64Type>(a, column, limit)?,
                _ => {
                    return Err(Error::UnsupportedType {
                        column: column.into(),
                        data_type: a.data_type().clone(),
                    })
                }
            },
            Float16 | Float32 | Float64 => {
                let mut vals = Vec::new();
                let c = extract_numeric(column, a, &mut vals)?;
                self.missing.nan += c.nan;
                self.missing.infinite += c.infinite;
                let mut local: HashMap<u64, u64, ahash::RandomState> = HashMap::default();
                for v in vals {
                    *local.entry(v.to_bits()).or_insert(0) += 1;
                }
                for (bits, c) in local {
                    self.add_str(&f64::from_bits(bits).to_string(), c);
                }
            }
            dt if natural_kind(dt) == Some(ColumnKind::Numeric) => {
                // integers and temporal values: label by their exact integer text
                let mut local: HashMap<String, u64, ahash::RandomState> = HashMap::default();
                let fmt = arrow_array_formatter(a);
                for i in 0..a.len() {
                    if a.is_valid(i) {
                        *local.entry(fmt(i)).or_insert(0) += 1;
                        if local.len() > limit {
                            return Err(too_many(column, limit));
                        }
                    }
                }
                for (k, c) in local {
                    self.add_str(&k, c);
                }
            }
            other => {
                return Err(Error::UnsupportedType {
                    column: column.into(),
                    data_type: other.clone(),
                })
            }
        }
        if self.counts.len() > limit {
            return Err(too_many(column, limit));
        }
        Ok(())
    }

    fn count_strs<'a>(
        &mut self,
        it: impl Iterator<Item = Option<&'a str>>,
        limit: usize,
        column: &str,
    ) -> Result<()> {
        let mut local: HashMap<&str, u64, ahash::RandomState> = HashMap::default();
        for s in it.flatten() {
            *local.entry(s).or_insert(0) += 1;
            if local.len() > limit {
                return Err(too_many(column, limit));
            }
        }
        for (k, c) in local {
            self.add_str(k, c);
        }
        Ok(())
    }

    fn count_dict<K: ArrowDictionaryKeyType>(
        &mut self,
        a: &dyn Array,
        column: &str,
        limit: usize,
    ) -> Result<()> {
        let d = a.as_dictionary::<K>();
        let keys = d.keys();
        let values = d.values();
        let same = matches!(&self.pending, Some((v, _)) if same_dictionary(v, values));
        if !same {
            self.flush_pending();
            if self.counts.len() > limit {
                return Err(too_many(column, limit));
            }
            self.pending = Some((values.clone(), vec![0u64; values.len()]));
        }
        let Some((_, per_key)) = self.pending.as_mut() else {
            return Ok(());
        };
        let kv = keys.values();
        match keys.nulls() {
            None => {
                for k in kv.iter() {
                    if let Some(slot) = k.to_usize().and_then(|i| per_key.get_mut(i)) {
                        *slot += 1;
                    }
                }
            }
            Some(n) => {
                for (i, k) in kv.iter().enumerate() {
                    if n.is_valid(i) {
                        if let Some(slot) = k.to_usize().and_then(|i| per_key.get_mut(i)) {
                            *slot += 1;
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// Whether two dictionaries hold the same values: the same array, or
/// string arrays with equal offsets, bytes and validity. The Parquet reader
/// builds a new values array for every batch of a column chunk, so the
/// contents are compared (one memcmp of the dictionary, far cheaper than
/// mapping every used key to its label again: 50,000 categories per 64k-row
/// batch cost 26 % of the gen2 L run before).
fn same_dictionary(a: &ArrayRef, b: &ArrayRef) -> bool {
    if Arc::ptr_eq(a, b) {
        return true;
    }
    if a.len() != b.len() || a.data_type() != b.data_type() || a.nulls() != b.nulls() {
        return false;
    }
    match a.data_type() {
        DataType::Utf8 => {
            let (x, y) = (a.as_string::<i32>(), b.as_string::<i32>());
            x.value_offsets() == y.value_offsets() && x.value_data() == y.value_data()
        }
        DataType::LargeUtf8 => {
            let (x, y) = (a.as_string::<i64>(), b.as_string::<i64>());
            x.value_offsets() == y.value_offsets() && x.value_data() == y.value_data()
        }
        _ => false,
    }
}

/// The label of dictionary value `i` (borrowed from the dictionary: a
/// String is made only for a category seen for the first time).
fn dictionary_label(values: &ArrayRef, i: usize) -> Option<&str> {
    if values.is_null(i) {
        return None;
    }
    Some(match values.data_type() {
        DataType::Utf8 => values.as_string::<i32>().value(i),
        DataType::LargeUtf8 => values.as_string::<i64>().value(i),
        _ => values.as_string_view().value(i),
    })
}

fn too_many(column: &str, limit: usize) -> Error {
    Error::InvalidConfig(format!(
        "column '{column}' has more than {limit} categories (max_categories)"
    ))
}

/// A formatter for integer-like and temporal arrays as category labels.
fn arrow_array_formatter(a: &dyn Array) -> Box<dyn Fn(usize) -> String + '_> {
    use DataType::*;
    macro_rules! prim {
        ($t:ty) => {{
            let p = a.as_primitive::<$t>();
            Box::new(move |i| p.value(i).to_string())
        }};
    }
    match a.data_type() {
        Int8 => prim!(Int8Type),
        Int16 => prim!(Int16Type),
        Int32 | Date32 | Time32(_) => {
            let p = a.to_data();
            let vals: &[i32] = p.buffer::<i32>(0);
            let off = 0;
            let v = vals.to_vec();
            Box::new(move |i| v[off + i].to_string())
        }
        UInt8 => prim!(UInt8Type),
        UInt16 => prim!(UInt16Type),
        UInt32 => prim!(UInt32Type),
        UInt64 => prim!(UInt64Type),
        Decimal128(_, _) => prim!(Decimal128Type),
        Decimal256(_, _) => prim!(Decimal256Type),
        _ => {
            // Int64 and the 64-bit temporal types share the i64 layout
            let data = a.to_data();
            let v: Vec<i64> = data.buffer::<i64>(0).to_vec();
            Box::new(move |i| v[i].to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{DictionaryArray, Int32Array, StringArray};

    fn dict(keys: &[Option<i32>], values: &[Option<&str>]) -> ArrayRef {
        let d = DictionaryArray::<Int32Type>::try_new(
            Int32Array::from(keys.to_vec()),
            Arc::new(StringArray::from(values.to_vec())),
        );
        Arc::new(d.unwrap_or_else(|e| panic!("{e}")))
    }

    /// Keys are counted across batches whose dictionaries are equal but
    /// separate arrays, flushed when the dictionary changes, and a plain
    /// string batch in between flushes too: every count lands once.
    #[test]
    fn dictionary_counts_across_batches() {
        let v1 = [Some("a"), Some("b"), None];
        let v2 = [Some("b"), Some("c")];
        let mut cc = CategoryCounts::default();
        let batches = [
            dict(&[Some(0), Some(1), Some(1), None], &v1),
            dict(&[Some(2), Some(0)], &v1), // equal dictionary, new array
            Arc::new(StringArray::from(vec![Some("a"), None])) as ArrayRef,
            dict(&[Some(0), Some(1), Some(1)], &v2), // another dictionary
            dict(&[Some(1)], &v2),
        ];
        for b in &batches {
            cc.update("x", b.as_ref(), 10)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(cc.distinct(), 3);
        assert_eq!(cc.missing.count, 12);
        // key nulls (1 + 1 plain) and a key pointing at a null value (1)
        assert_eq!(cc.missing.nulls, 3);
        assert_eq!(
            cc.into_sorted(),
            vec![("a".into(), 3), ("b".into(), 3), ("c".into(), 3)]
        );
        // the limit still holds when the counts are flushed
        let mut small = CategoryCounts::default();
        small
            .update("x", batches[0].as_ref(), 1)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(small.update("x", batches[3].as_ref(), 1).is_err());
    }
}
