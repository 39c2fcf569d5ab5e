//! Reference profiles as files: a fitted [`Reference`] saved and loaded.
//!
//! A profile is one Parquet file that standard tools open
//! (`duckdb -c "select * from 'ref.drift' limit 5"`,
//! `pyarrow.parquet.read_table`). Its rows hold the fitted data, one row
//! group per fitted column:
//!
//! | field      | type          | numeric (values) | numeric (runs) | categorical |
//! |------------|---------------|------------------|----------------|-------------|
//! | `column`   | uint32        | column number    | column number  | column number |
//! | `value`    | float64, null | sorted value     | distinct value | null        |
//! | `count`    | uint64, null  | null             | run length     | count       |
//! | `category` | utf8, null    | null             | null           | category    |
//!
//! `column` is the column's position in the metadata's `columns` list (its
//! name is there). Numeric values are the reference's finite values in ascending order
//! (runs: each distinct value with its count, when there are few distinct
//! values); categories are sorted. Everything else — `profile_version`, the
//! fitted schema, the settings used, and per column its kind, type, missing
//! counts and which row group holds its data (skipped columns: the reason,
//! no rows) — is JSON under the key-value metadata key `drift.profile`.
//! Moments, distinct counts and PSI bins are recomputed from the stored
//! values on load, by the code that computed them at fit, so a loaded
//! profile gives the same numbers, bit for bit, as the fit it was saved
//! from. Loading reads only the row groups of the columns asked for, and
//! checks everything it reads (an untrusted file is an error, never a
//! panic or a wrong comparison).

use crate::accumulate::SortedValues;
use crate::config::{ColumnKind, Config};
use crate::counts::Counts;
use crate::engine::{Engine, Fitted};
use crate::error::{Error, Result};
use crate::fit::{ColumnProfile, NumericProfile, ProfileData};
use crate::kernels::sorted::{Sorted, SortedSample};
use crate::reference::{check_fitted, Reference};
use crate::report::{Input, Report};
pub use crate::source::parquet::positioned::PositionedFile;
use crate::source::ColumnSource;
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, UInt64Type};
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::arrow_writer::{compute_leaves, ArrowColumnChunk, ArrowRowGroupWriterFactory};
use parquet::arrow::{ArrowWriter, ProjectionMask};
use parquet::basic::{Compression, Encoding};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::reader::ChunkReader;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::ColumnPath;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::Arc;

/// The profile format version this build writes and the newest it reads.
pub const PROFILE_VERSION: u32 = 1;

/// The key-value metadata key of a profile's JSON.
pub const PROFILE_KEY: &str = "drift.profile";

/// The key of the metadata JSON's checksum.
const CHECKSUM_KEY: &str = "drift.profile.checksum";

fn meta_digest(json: &str) -> String {
    let mut d = Digest::new();
    d.bytes(json.as_bytes());
    format!("{:016x}", d.finish())
}

/// Rows per batch when writing (bounds the temporary Arrow arrays).
const WRITE_BATCH: usize = 1 << 20;
/// Rows per batch when loading (one batch is held at a time).
const READ_BATCH: usize = 1 << 16;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Meta {
    profile_version: u32,
    created_by: String,
    rows: u64,
    #[serde(default)]
    source: Option<String>,
    config: Config,
    columns: Vec<ColumnMeta>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Stored {
    Values,
    Runs,
    Categories,
    Skipped,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnMeta {
    name: String,
    dtype: DataType,
    nullable: bool,
    kind: Option<ColumnKind>,
    count: u64,
    nulls: u64,
    nan: u64,
    infinite: u64,
    stored: Stored,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    row_group: Option<usize>,
    /// Rows in the column's row group.
    #[serde(default)]
    stored_rows: u64,
    /// The numeric column's moments and distinct count as computed at fit
    /// (f64 as their bit patterns, so that they load exactly): loading
    /// need not pass over the values again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    moments: Option<StoredMoments>,
    /// Checksum of the stored data (see [`Digest`]), so that a damaged
    /// value is an error, not a different comparison.
    #[serde(default)]
    checksum: u64,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredMoments {
    min: u64,
    max: u64,
    mean: u64,
    std: u64,
    distinct: u64,
}

impl StoredMoments {
    fn of(v: &SortedValues) -> StoredMoments {
        StoredMoments {
            min: v.moments.min.to_bits(),
            max: v.moments.max.to_bits(),
            mean: v.moments.mean.to_bits(),
            std: v.moments.std.to_bits(),
            distinct: v.distinct,
        }
    }
}

/// A 64-bit digest of a column's stored data (values' bits, counts,
/// category bytes), fixed by this format: words are dealt round-robin to
/// four lanes (independent chains, so the digest runs at memory speed),
/// each mixed by a multiply–xorshift round (the 64-bit finaliser of
/// MurmurHash3), and the lanes folded in order at the end.
#[derive(Debug, Clone)]
struct Digest {
    lanes: [u64; 4],
    next: usize,
    words: u64,
}

#[inline(always)]
fn mix(s: u64, w: u64) -> u64 {
    let mut x = s ^ w;
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^= x >> 33;
    x.wrapping_add(w.rotate_left(17))
}

impl Digest {
    fn new() -> Digest {
        Digest {
            lanes: [
                0x9e37_79b9_7f4a_7c15,
                0xbf58_476d_1ce4_e5b9,
                0x94d0_49bb_1331_11eb,
                0x2545_f491_4f6c_dd1d,
            ],
            next: 0,
            words: 0,
        }
    }
    fn word(&mut self, w: u64) {
        self.lanes[self.next] = mix(self.lanes[self.next], w);
        self.next = (self.next + 1) & 3;
        self.words += 1;
    }
    fn words(&mut self, ws: impl Iterator<Item = u64>) {
        // four words at a time into the four lanes, whatever the offset
        for w in ws {
            self.word(w);
        }
    }
    fn bytes(&mut self, b: &[u8]) {
        self.word(b.len() as u64);
        let mut chunks = b.chunks_exact(8);
        for c in &mut chunks {
            self.word(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
        }
        let mut last = [0u8; 8];
        last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        self.word(u64::from_le_bytes(last));
    }
    fn finish(&self) -> u64 {
        self.lanes
            .iter()
            .fold(mix(0, self.words), |acc, &l| mix(acc, l))
    }
    fn of_values(values: &[f64], counts: &[u64]) -> u64 {
        let mut d = Digest::new();
        let mut quads = values.chunks_exact(4);
        for q in &mut quads {
            // the lanes are independent: the compiler interleaves them
            #[allow(clippy::needless_range_loop)] // four independent lanes
            for k in 0..4 {
                d.lanes[k] = mix(d.lanes[k], q[k].to_bits());
            }
        }
        d.words += (values.len() - quads.remainder().len()) as u64;
        d.words(quads.remainder().iter().map(|v| v.to_bits()));
        d.words(counts.iter().copied());
        d.finish()
    }
    fn of_categories(cats: &[(String, u64)]) -> u64 {
        let mut d = Digest::new();
        for (s, c) in cats {
            d.bytes(s.as_bytes());
            d.word(*c);
        }
        d.finish()
    }
}

/// The checksum of stored values and counts ([`Digest::of_values`]),
/// whether every value is finite, and whether they ascend in total order
/// (−0.0 before 0.0), in one pass.
fn scan_values(values: &[f64], counts: &[u64]) -> (u64, bool, bool) {
    let key = |x: f64| {
        let b = x.to_bits();
        if b >> 63 == 1 {
            !b
        } else {
            b | (1 << 63)
        }
    };
    let mut d = Digest::new();
    let (mut finite, mut ascending) = (true, true);
    let mut prev = 0u64;
    let mut quads = values.chunks_exact(4);
    for q in &mut quads {
        let mut f = true;
        let mut a = true;
        #[allow(clippy::needless_range_loop)] // four independent lanes
        for k in 0..4 {
            d.lanes[k] = mix(d.lanes[k], q[k].to_bits());
            f &= q[k].is_finite();
            let kk = key(q[k]);
            a &= kk >= prev;
            prev = kk;
        }
        finite &= f;
        ascending &= a;
    }
    d.words += (values.len() - quads.remainder().len()) as u64;
    for &x in quads.remainder() {
        d.word(x.to_bits());
        finite &= x.is_finite();
        let kk = key(x);
        ascending &= kk >= prev;
        prev = kk;
    }
    d.words(counts.iter().copied());
    (d.finish(), finite, ascending)
}

fn data_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("column", DataType::UInt32, false),
        Field::new("value", DataType::Float64, true),
        Field::new("count", DataType::UInt64, true),
        Field::new("category", DataType::Utf8, true),
    ]))
}

fn perr(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Profile(format!(
        "{what}: {}",
        e.to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    ))
}

impl Reference {
    /// Writes the reference as a profile file (see the module docs of the
    /// format). The file is written next to `path` and renamed over it once
    /// complete, so a failed save never leaves half a profile and a reader
    /// never sees one. It is not fsynced (0.45 s of a 1 GB save here):
    /// call `sync` when the profile must survive a power loss right away.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        write_atomically(path.as_ref(), |w| self.write_to(w))
    }

    /// The profile file's bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        self.write_to(Vec::new())
    }

    fn write_to<W: std::io::Write + Send>(&self, w: W) -> Result<W> {
        let mut out = ProfileWriter::new(w, self.schema())?;
        // a few columns at a time: encoded in parallel, appended in order
        let window = 2 * rayon::current_num_threads().max(1);
        for part in self.columns().chunks(window) {
            out.append(part)?;
        }
        out.finish(self.rows(), self.location(), self.config())
    }

    /// Loads a profile file, every column.
    pub fn load(path: impl AsRef<Path>) -> Result<Reference> {
        ProfileFile::open(path)?.load(None)
    }

    /// Loads a profile from its bytes.
    pub fn from_bytes(bytes: impl Into<bytes::Bytes>) -> Result<Reference> {
        ProfileFile::from_reader(bytes.into(), "profile".into())?.load(None)
    }
}

/// Writes a profile file column by column: each fitted column becomes a
/// row group as soon as it is appended (so a fit can stream its columns
/// out while later ones are read), and the metadata goes into the footer
/// at the end.
struct ProfileWriter<W: std::io::Write + Send> {
    writer: SerializedFileWriter<W>,
    factory: ArrowRowGroupWriterFactory,
    schema: SchemaRef,
    fields: std::collections::HashMap<String, bool>,
    columns: Vec<ColumnMeta>,
    groups: usize,
}

const WHAT: &str = "writing profile";

impl<W: std::io::Write + Send> ProfileWriter<W> {
    /// A writer for the columns of `fitted` (the fitted schema).
    fn new(w: W, fitted: &SchemaRef) -> Result<Self> {
        // Values PLAIN and uncompressed: sorted doubles barely compress
        // (LZ4 over byte-stream-split: 4.8 bytes per value on the L
        // benchmark), and encoding or decoding them is then a copy.
        // Measured on L (20 columns, 10M rows): compare through the profile
        // 2.40 s with LZ4 + byte stream split, 1.80 s plain; the profile
        // 598 MB against 1,030 MB (the reference file: 1,115 MB). The
        // column number is constant per row group: PLAIN + LZ4 is a few
        // bytes, and cheaper to encode than a dictionary (an intern per
        // row, 8 % of a fit) or delta encoding (10 %).
        let props = WriterProperties::builder()
            .set_compression(Compression::LZ4_RAW)
            .set_max_row_group_row_count(None)
            .set_max_row_group_bytes(None)
            .set_dictionary_enabled(false)
            .set_column_encoding(ColumnPath::from("value"), Encoding::PLAIN)
            .set_column_compression(ColumnPath::from("value"), Compression::UNCOMPRESSED)
            .set_column_encoding(ColumnPath::from("column"), Encoding::PLAIN)
            .set_column_dictionary_enabled(ColumnPath::from("category"), true)
            .build();
        let schema = data_schema();
        let (writer, factory) = ArrowWriter::try_new(w, schema.clone(), Some(props))
            .and_then(|w| w.into_serialized_writer())
            .map_err(|e| perr(WHAT, e))?;
        let fields = fitted
            .fields()
            .iter()
            .map(|f| (f.name().clone(), f.is_nullable()))
            .collect();
        Ok(ProfileWriter {
            writer,
            factory,
            schema,
            fields,
            columns: Vec::new(),
            groups: 0,
        })
    }

    /// Appends fitted columns, in order: their row groups are encoded in
    /// parallel, then written one after another.
    fn append(&mut self, part: &[ColumnProfile]) -> Result<()> {
        let first = self.groups;
        let mut g = first;
        let groups: Vec<Option<usize>> = part
            .iter()
            .map(|c| {
                (stored_rows(c) > 0).then(|| {
                    g += 1;
                    g - 1
                })
            })
            .collect();
        let (factory, schema) = (&self.factory, &self.schema);
        // each column's metadata (its checksum is a pass over its values)
        // is computed in the same parallel task that encodes it
        let (fields, base) = (&self.fields, self.columns.len());
        let encoded = part
            .par_iter()
            .zip(&groups)
            .enumerate()
            .map(|(k, (c, rg))| {
                let meta = meta_of(fields, c, *rg)?;
                let chunks = match rg {
                    Some(rg) => encode_group(factory, *rg, c, (base + k) as u32, schema)
                        .map_err(|e| perr(WHAT, e))?,
                    None => None,
                };
                Ok((meta, chunks))
            })
            .collect::<Result<Vec<_>>>()?;
        for (meta, chunks) in encoded {
            if let Some(chunks) = chunks {
                let mut w = self.writer.next_row_group().map_err(|e| perr(WHAT, e))?;
                for chunk in chunks {
                    chunk
                        .append_to_row_group(&mut w)
                        .map_err(|e| perr(WHAT, e))?;
                }
                w.close().map_err(|e| perr(WHAT, e))?;
                self.groups += 1;
            }
            self.columns.push(meta);
        }
        Ok(())
    }

    /// Writes the metadata and the footer.
    fn finish(mut self, rows: u64, source: Option<&str>, config: &Config) -> Result<W> {
        let meta = Meta {
            profile_version: PROFILE_VERSION,
            created_by: format!("drift {}", env!("CARGO_PKG_VERSION")),
            rows,
            source: source.map(str::to_string),
            config: config.clone(),
            columns: std::mem::take(&mut self.columns),
        };
        let json = serde_json::to_string(&meta).map_err(|e| perr(WHAT, e))?;
        let sum = meta_digest(&json);
        self.writer
            .append_key_value_metadata(KeyValue::new(PROFILE_KEY.to_string(), json));
        self.writer
            .append_key_value_metadata(KeyValue::new(CHECKSUM_KEY.to_string(), sum));
        self.writer.into_inner().map_err(|e| perr(WHAT, e))
    }
}

/// A fitted column's entry in the profile metadata (with the checksum of
/// its stored data).
fn meta_of(
    fields: &std::collections::HashMap<String, bool>,
    c: &ColumnProfile,
    row_group: Option<usize>,
) -> Result<ColumnMeta> {
    let nullable = *fields
        .get(c.name())
        .ok_or_else(|| perr(WHAT, format!("no field for column '{}'", c.name())))?;
    let (stored, reason, checksum) = match &c.data {
        ProfileData::Numeric(n) => match &n.values.sorted {
            Sorted::Values(v) => (Stored::Values, None, Digest::of_values(v, &[])),
            Sorted::Runs(r) => {
                let counts: Vec<u64> = r.runs().map(|(_, c)| c).collect();
                (Stored::Runs, None, Digest::of_values(r.values(), &counts))
            }
        },
        ProfileData::Categorical(cc) => (Stored::Categories, None, Digest::of_categories(cc)),
        ProfileData::Skipped(r) => (Stored::Skipped, Some(r.clone()), 0),
    };
    let k = c.counts();
    Ok(ColumnMeta {
        name: c.name().to_string(),
        dtype: c.dtype().clone(),
        nullable,
        kind: c.kind(),
        count: k.count,
        nulls: k.nulls,
        nan: k.nan,
        infinite: k.infinite,
        stored,
        reason,
        row_group,
        stored_rows: stored_rows(c) as u64,
        moments: match &c.data {
            ProfileData::Numeric(n) => Some(StoredMoments::of(&n.values)),
            _ => None,
        },
        checksum,
    })
}

/// Writes `path` through a temporary file next to it, renamed over it once
/// complete (a failed write never leaves half a file, and a reader never
/// sees one). Not fsynced: see [`Reference::save`].
fn write_atomically(
    path: &Path,
    write: impl FnOnce(std::io::BufWriter<std::fs::File>) -> Result<std::io::BufWriter<std::fs::File>>,
) -> Result<()> {
    let what = format!("writing profile {}", path.display());
    let tmp = path.with_extension(format!(
        "{}.tmp{}",
        path.extension().and_then(|e| e.to_str()).unwrap_or(""),
        std::process::id()
    ));
    let file = std::fs::File::create(&tmp).map_err(|e| perr(&what, e))?;
    let r = write(std::io::BufWriter::with_capacity(1 << 20, file))
        .and_then(|w| w.into_inner().map(drop).map_err(|e| perr(&what, e.error())))
        .and_then(|_| std::fs::rename(&tmp, path).map_err(|e| perr(&what, e)));
    if r.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    r
}

impl Engine {
    /// Fits a reference from a source and saves it as a profile file at
    /// `path`, streaming: each fitted column is written (and dropped) as
    /// soon as every column before it is, while later columns are still
    /// read, so memory stays that of the columns in flight — unlike
    /// [`Engine::fit`] + [`Reference::save`], which hold every fitted
    /// column. The same file, byte for byte. Returns the run's notes.
    pub fn fit_to_file(
        &self,
        reference: &dyn ColumnSource,
        path: impl AsRef<Path>,
    ) -> Result<Vec<String>> {
        let fitted = self.fitted_schema(reference)?;
        let mut notes = Vec::new();
        write_atomically(path.as_ref(), |w| {
            let out = std::sync::Mutex::new(ProfileWriter::new(w, &fitted)?);
            let emit = |cols: Vec<ColumnProfile>| -> Result<()> {
                out.lock()
                    .map_err(|_| Error::Internal("profile writer poisoned".into()))?
                    .append(&cols)
            };
            let (fit, rest) = self.fit_columns(reference, Some(&emit))?;
            let mut out = out
                .into_inner()
                .map_err(|_| Error::Internal("profile writer poisoned".into()))?;
            out.append(&rest)?;
            notes = fit.notes;
            out.finish(fit.rows, reference.location().as_deref(), self.config())
        })?;
        Ok(notes)
    }
}

/// Encodes one fitted column's row group (`None` when it stores no rows):
/// its four leaf columns in parallel, each built a batch at a time.
fn encode_group(
    factory: &ArrowRowGroupWriterFactory,
    group: usize,
    c: &ColumnProfile,
    index: u32,
    schema: &SchemaRef,
) -> parquet::errors::Result<Option<Vec<ArrowColumnChunk>>> {
    if stored_rows(c) == 0 {
        return Ok(None);
    }
    factory
        .create_column_writers(group)?
        .into_par_iter()
        .enumerate()
        .map(|(i, mut w)| {
            let field = &schema.fields()[i];
            field_chunks(c, index, i, &mut |a| {
                for leaf in compute_leaves(field, &a)? {
                    w.write(&leaf)?;
                }
                Ok(())
            })?;
            w.close()
        })
        .collect::<parquet::errors::Result<Vec<_>>>()
        .map(Some)
}

/// The arrays of field `field` (0 column, 1 value, 2 count, 3 category) of
/// one fitted column's row group, [`WRITE_BATCH`] rows at a time.
fn field_chunks(
    c: &ColumnProfile,
    index: u32,
    field: usize,
    each: &mut dyn FnMut(ArrayRef) -> parquet::errors::Result<()>,
) -> parquet::errors::Result<()> {
    // the column's position in the metadata's `columns` (a name per row
    // would cost the writer a string interning per row: a third of a fit)
    let number =
        |n: usize| -> ArrayRef { Arc::new(arrow_array::UInt32Array::from(vec![index; n])) };
    match &c.data {
        ProfileData::Numeric(p) => {
            let (values, counts): (&[f64], Option<Vec<u64>>) = match &p.values.sorted {
                Sorted::Values(v) => (v, None),
                Sorted::Runs(r) => (
                    r.values(),
                    (field == 2).then(|| r.runs().map(|(_, c)| c).collect()),
                ),
            };
            for (k, chunk) in values.chunks(WRITE_BATCH).enumerate() {
                let n = chunk.len();
                each(match field {
                    0 => number(n),
                    1 => Arc::new(Float64Array::from(chunk.to_vec())),
                    2 => match &counts {
                        Some(cs) => Arc::new(UInt64Array::from(
                            cs[k * WRITE_BATCH..k * WRITE_BATCH + n].to_vec(),
                        )),
                        None => Arc::new(UInt64Array::new_null(n)),
                    },
                    _ => Arc::new(StringArray::new_null(n)),
                })?;
            }
        }
        ProfileData::Categorical(cc) => {
            for chunk in cc.chunks(WRITE_BATCH) {
                let n = chunk.len();
                each(match field {
                    0 => number(n),
                    1 => Arc::new(Float64Array::new_null(n)),
                    2 => Arc::new(UInt64Array::from_iter_values(chunk.iter().map(|(_, c)| *c))),
                    _ => Arc::new(StringArray::from_iter_values(
                        chunk.iter().map(|(s, _)| s.as_str()),
                    )),
                })?;
            }
        }
        ProfileData::Skipped(_) => {}
    }
    Ok(())
}

/// Rows a fitted column stores (its row group's length; 0: no row group).
fn stored_rows(c: &ColumnProfile) -> usize {
    match &c.data {
        ProfileData::Numeric(p) => match &p.values.sorted {
            Sorted::Values(v) => v.len(),
            Sorted::Runs(r) => r.values().len(),
        },
        ProfileData::Categorical(cc) => cc.len(),
        ProfileData::Skipped(_) => 0,
    }
}

/// A profile file opened: its metadata read and checked, its data not yet.
#[derive(Debug)]
pub struct ProfileFile<R: Reopen = PositionedFile> {
    reader: R,
    what: String,
    metadata: ArrowReaderMetadata,
    meta: Meta,
    schema: SchemaRef,
}

/// A buffer pre-size from a stored count, which is untrusted: capped (the
/// buffer grows beyond it as rows arrive).
fn presize(rows: u64) -> usize {
    rows.min(1 << 26) as usize
}

/// A profile's bytes: a file or a buffer, read again for each column.
pub trait Reopen: ChunkReader + Sized + Sync + 'static {
    /// Another handle on the same bytes.
    fn reopen(&self) -> std::io::Result<Self>;
}

/// A file read by offset (`pread`): handles read concurrently without
/// sharing a file position (a `File` clone shares one, so parallel column
/// loads through it would interleave their reads).
impl Reopen for PositionedFile {
    fn reopen(&self) -> std::io::Result<Self> {
        Ok(self.clone())
    }
}

impl Reopen for bytes::Bytes {
    fn reopen(&self) -> std::io::Result<Self> {
        Ok(self.clone())
    }
}

/// Whether the Parquet file at `path` is a drift profile (by its content:
/// the profile key in its metadata), damaged or not: the same check as
/// [`ProfileFile::open_if_profile`], guarded against a reader's panic.
pub fn is_profile(path: &Path) -> bool {
    !matches!(ProfileFile::open_if_profile(path), Ok(None))
}

impl ProfileFile<PositionedFile> {
    /// Opens a profile file and checks its metadata.
    pub fn open(path: impl AsRef<Path>) -> Result<ProfileFile<PositionedFile>> {
        let path = path.as_ref();
        let what = format!("profile {}", path.display());
        let f = PositionedFile::open(path).map_err(|e| perr(&what, e))?;
        ProfileFile::from_reader(f, what)
    }
}

impl ProfileFile<PositionedFile> {
    /// Opens `path` as a profile when it is one, judged by its content
    /// (the profile key in its Parquet metadata, read once): `Ok(None)` for
    /// anything else (another Parquet file, not Parquet, not a file), an
    /// error for a profile that is damaged or too new.
    pub fn open_if_profile(path: impl AsRef<Path>) -> Result<Option<ProfileFile<PositionedFile>>> {
        let path = path.as_ref();
        let Ok(f) = PositionedFile::open(path) else {
            return Ok(None);
        };
        let loaded = crate::source::guard::catch(
            || path.display().to_string(),
            || ArrowReaderMetadata::load(&f, reader_options()).map_err(|e| perr("", e)),
        );
        let Ok(metadata) = loaded else {
            return Ok(None);
        };
        let marked = metadata
            .metadata()
            .file_metadata()
            .key_value_metadata()
            .is_some_and(|kv| kv.iter().any(|k| k.key == PROFILE_KEY));
        if !marked {
            return Ok(None);
        }
        ProfileFile::from_metadata(f, format!("profile {}", path.display()), metadata).map(Some)
    }
}

fn reader_options() -> ArrowReaderOptions {
    ArrowReaderOptions::new().with_skip_arrow_metadata(true)
}

impl<R: Reopen> ProfileFile<R> {
    fn from_reader(reader: R, what: String) -> Result<ProfileFile<R>> {
        let metadata = crate::source::guard::catch(
            || what.clone(),
            || {
                ArrowReaderMetadata::load(&reader, reader_options())
                    .map_err(|e| perr(&format!("{what}: not a readable Parquet file"), e))
            },
        )?;
        ProfileFile::from_metadata(reader, what, metadata)
    }

    fn from_metadata(
        reader: R,
        what: String,
        metadata: ArrowReaderMetadata,
    ) -> Result<ProfileFile<R>> {
        let json = metadata
            .metadata()
            .file_metadata()
            .key_value_metadata()
            .and_then(|kv| kv.iter().find(|k| k.key == PROFILE_KEY))
            .and_then(|k| k.value.clone())
            .ok_or_else(|| {
                Error::Profile(format!(
                    "{what}: a Parquet file, but not a drift profile (no '{PROFILE_KEY}' metadata)"
                ))
            })?;
        // the version first, so a newer profile is named as such even when
        // the rest of its metadata is unknown to this build
        let version = serde_json::from_str::<serde_json::Value>(&json)
            .ok()
            .and_then(|v| v.get("profile_version")?.as_u64());
        match version {
            Some(v) if v > PROFILE_VERSION as u64 => {
                return Err(Error::Profile(format!(
                    "{what}: profile_version {v} was written by a newer drift; this one reads up to {PROFILE_VERSION}"
                )))
            }
            Some(0) | None => {
                return Err(Error::Profile(format!("{what}: corrupt metadata (no valid profile_version)")))
            }
            _ => {}
        }
        let sum = metadata
            .metadata()
            .file_metadata()
            .key_value_metadata()
            .and_then(|kv| kv.iter().find(|k| k.key == CHECKSUM_KEY))
            .and_then(|k| k.value.clone());
        if sum.as_deref() != Some(meta_digest(&json).as_str()) {
            return Err(Error::Profile(format!(
                "{what}: corrupt metadata (its checksum does not match)"
            )));
        }
        let meta: Meta = serde_json::from_str(&json)
            .map_err(|e| perr(&format!("{what}: corrupt metadata"), e))?;
        meta.config
            .validate()
            .map_err(|e| perr(&format!("{what}: corrupt settings"), e))?;
        let groups = metadata.metadata().row_groups();
        let schema = metadata.schema();
        if schema.fields().len() != 4
            || data_schema()
                .fields()
                .iter()
                .zip(schema.fields())
                .any(|(a, b)| a.name() != b.name() || a.data_type() != b.data_type())
        {
            return Err(Error::Profile(format!(
                "{what}: corrupt data (unexpected columns)"
            )));
        }
        let mut seen = std::collections::HashSet::new();
        let mut fields = Vec::with_capacity(meta.columns.len());
        for c in &meta.columns {
            if !seen.insert(c.name.as_str()) {
                return Err(Error::Profile(format!(
                    "{what}: column '{}' is listed twice",
                    c.name
                )));
            }
            let ok_counts = c
                .nulls
                .checked_add(c.nan)
                .and_then(|x| x.checked_add(c.infinite))
                .is_some_and(|m| m <= c.count);
            let ok_group = match (&c.stored, c.row_group) {
                (Stored::Skipped, None) => c.stored_rows == 0,
                (Stored::Skipped, Some(_)) => false,
                (_, None) => c.stored_rows == 0,
                (_, Some(g)) => groups
                    .get(g)
                    .is_some_and(|rg| rg.num_rows() >= 0 && rg.num_rows() as u64 == c.stored_rows),
            };
            if !ok_counts || !ok_group {
                return Err(Error::Profile(format!(
                    "{what}: corrupt metadata for column '{}'",
                    c.name
                )));
            }
            fields.push(Field::new(&c.name, c.dtype.clone(), c.nullable));
        }
        Ok(ProfileFile {
            reader,
            what,
            metadata,
            schema: Arc::new(Schema::new(fields)),
            meta,
        })
    }

    /// The schema of the fitted columns.
    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// The settings the profile was fitted with.
    pub fn config(&self) -> &Config {
        &self.meta.config
    }

    /// Loads the fitted columns named in `columns` (all when `None`); the
    /// row groups of the others are not read.
    pub fn load(&self, columns: Option<&[String]>) -> Result<Reference> {
        let asked: Option<std::collections::HashSet<&str>> =
            columns.map(|c| c.iter().map(String::as_str).collect());
        let wanted: Vec<&ColumnMeta> = self
            .meta
            .columns
            .iter()
            .filter(|c| asked.as_ref().is_none_or(|a| a.contains(c.name.as_str())))
            .collect();
        // columns decode in parallel (each its own row group)
        let out = wanted
            .par_iter()
            .map(|c| self.load_column(c))
            .collect::<Result<Vec<_>>>()?;
        Ok(Reference::new(
            self.schema.clone(),
            out,
            self.meta.rows,
            self.meta.config.clone(),
            self.meta.source.clone(),
        ))
    }

    /// Compares a source against this profile with `engine`'s settings:
    /// each fitted column is loaded when its turn comes and dropped after,
    /// so memory stays that of the columns in flight (a [`Reference`]
    /// loaded whole holds every column). Gives the same report as loading
    /// the profile and [`Engine::compare_to`].
    pub fn compare(&self, engine: &Engine, current: &dyn ColumnSource) -> Result<Report> {
        let by_name: std::collections::HashMap<&str, &ColumnMeta> = self
            .meta
            .columns
            .iter()
            .map(|c| (c.name.as_str(), c))
            .collect();
        let input = Input {
            path: self.meta.source.clone(),
            rows: self.meta.rows,
        };
        engine.compare_fitted(&self.schema, input, current, &|plan| {
            let meta = by_name
                .get(plan.name.as_str())
                .ok_or_else(|| Error::UnknownColumn(plan.name.clone()))?;
            let p = self.load_column(meta)?;
            check_fitted(&p, plan, &self.meta.config, engine.config())?;
            Ok(Fitted::Owned(Box::new(p)))
        })
    }

    /// Sets where the reference came from, as reports show it.
    pub fn with_location(mut self, location: impl Into<String>) -> Self {
        self.meta.source = Some(location.into());
        self
    }

    /// Reads row group `g` (the given leaf columns) batch by batch into
    /// `each`, without holding more than one batch.
    fn read_group(
        &self,
        g: usize,
        leaves: &[usize],
        each: &mut dyn FnMut(RecordBatch) -> Result<()>,
    ) -> Result<()> {
        crate::source::guard::catch(
            || format!("{}: row group {g}", self.what),
            || {
                let corrupt = |e: parquet::errors::ParquetError| {
                    perr(&format!("{}: corrupt data", self.what), e)
                };
                let mask =
                    ProjectionMask::leaves(self.metadata.parquet_schema(), leaves.iter().copied());
                let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(
                    self.reader.reopen().map_err(|e| perr(&self.what, e))?,
                    self.metadata.clone(),
                )
                .with_row_groups(vec![g])
                .with_projection(mask)
                .with_batch_size(READ_BATCH)
                .build()
                .map_err(corrupt)?;
                for b in reader {
                    each(b.map_err(|e| perr(&format!("{}: corrupt data", self.what), e))?)?;
                }
                Ok(())
            },
        )
    }

    fn load_column(&self, c: &ColumnMeta) -> Result<ColumnProfile> {
        let corrupt =
            |why: &str| Error::Profile(format!("{}: column '{}': {why}", self.what, c.name));
        let counts = Counts {
            count: c.count,
            nulls: c.nulls,
            nan: c.nan,
            infinite: c.infinite,
        };
        let data = match (&c.stored, c.row_group) {
            (Stored::Skipped, _) => ProfileData::Skipped(c.reason.clone().unwrap_or_default()),
            (Stored::Values | Stored::Runs, g) => {
                let (values, run_counts) = match g {
                    None => (Vec::new(), Vec::new()),
                    Some(g) => {
                        let runs = matches!(c.stored, Stored::Runs);
                        let mut values = Vec::with_capacity(presize(c.stored_rows));
                        let mut rc = Vec::new();
                        self.read_group(g, if runs { &[1, 2] } else { &[1] }, &mut |b| {
                            let v = b
                                .column(0)
                                .as_primitive_opt::<Float64Type>()
                                .ok_or_else(|| corrupt("values are not float64"))?;
                            if v.null_count() > 0 {
                                return Err(corrupt("a stored value is null"));
                            }
                            values.extend_from_slice(v.values());
                            if matches!(c.stored, Stored::Runs) {
                                let n = b
                                    .column(1)
                                    .as_primitive_opt::<UInt64Type>()
                                    .ok_or_else(|| corrupt("counts are not uint64"))?;
                                if n.null_count() > 0 {
                                    return Err(corrupt("a stored count is null"));
                                }
                                rc.extend_from_slice(n.values());
                            }
                            if values.len() as u64 > c.stored_rows {
                                return Err(corrupt(
                                    "the row group holds more values than the metadata says",
                                ));
                            }
                            Ok(())
                        })?;
                        if values.len() as u64 != c.stored_rows {
                            return Err(corrupt("the row group holds another number of values than the metadata says"));
                        }
                        (values, rc)
                    }
                };
                // one pass: checksum, finite, ascending in total order
                let (digest, finite, ascending) = scan_values(&values, &run_counts);
                if digest != c.checksum {
                    return Err(corrupt(
                        "the stored values do not match their checksum (the file is damaged)",
                    ));
                }
                if !finite {
                    return Err(corrupt("a stored value is not finite"));
                }
                let sorted = match c.stored {
                    // runs are few: their own checks (strictly ascending,
                    // positive counts) are cheap
                    Stored::Runs => Sorted::runs_checked(values, &run_counts),
                    _ if ascending => Ok(Sorted::Values(values)),
                    _ => Err("the stored values are not sorted".into()),
                }
                .map_err(|e| corrupt(&e))?;
                if sorted.len() as u64 != counts.valid() {
                    return Err(corrupt("the stored values do not match the counts"));
                }
                if c.kind != Some(ColumnKind::Numeric) {
                    return Err(corrupt("numeric data for a column not fitted as numeric"));
                }
                let bins = self
                    .meta
                    .config
                    .resolve(&c.name, ColumnKind::Numeric)
                    .psi_bins;
                let values = match &c.moments {
                    // the fit's own moments; their range checked against
                    // the values
                    Some(m) => {
                        let (lo, hi) = match sorted.len() {
                            0 => (0f64, 0f64),
                            n => (sorted.at(0), sorted.at(n - 1)),
                        };
                        if lo.to_bits() != m.min
                            || hi.to_bits() != m.max
                            || m.distinct > sorted.len() as u64
                        {
                            return Err(corrupt("the stored moments do not match the values"));
                        }
                        SortedValues::from_parts(
                            sorted,
                            crate::kernels::moments::Moments {
                                count: counts.valid(),
                                min: f64::from_bits(m.min),
                                max: f64::from_bits(m.max),
                                mean: f64::from_bits(m.mean),
                                std: f64::from_bits(m.std),
                            },
                            m.distinct,
                        )
                    }
                    None => SortedValues::of_sorted(sorted),
                };
                ProfileData::Numeric(NumericProfile::new(values, bins))
            }
            (Stored::Categories, g) => {
                let mut cats: Vec<(String, u64)> = Vec::with_capacity(presize(c.stored_rows));
                if let Some(g) = g {
                    self.read_group(g, &[2, 3], &mut |b| {
                        let n = b
                            .column(0)
                            .as_primitive_opt::<UInt64Type>()
                            .ok_or_else(|| corrupt("counts are not uint64"))?;
                        let s = b
                            .column(1)
                            .as_string_opt::<i32>()
                            .ok_or_else(|| corrupt("categories are not utf8"))?;
                        if n.null_count() > 0 || s.null_count() > 0 {
                            return Err(corrupt("a stored category or count is null"));
                        }
                        for (k, v) in s.iter().zip(n.values()) {
                            cats.push((k.unwrap_or_default().to_string(), *v));
                        }
                        if cats.len() as u64 > c.stored_rows {
                            return Err(corrupt(
                                "the row group holds more categories than the metadata says",
                            ));
                        }
                        Ok(())
                    })?;
                }
                if Digest::of_categories(&cats) != c.checksum {
                    return Err(corrupt(
                        "the stored categories do not match their checksum (the file is damaged)",
                    ));
                }
                if cats.windows(2).any(|w| w[0].0 >= w[1].0) || cats.iter().any(|(_, n)| *n == 0) {
                    return Err(corrupt(
                        "the stored categories are not sorted and distinct with positive counts",
                    ));
                }
                let total = cats.iter().try_fold(0u64, |t, (_, n)| t.checked_add(*n));
                if total.is_none_or(|t| t > counts.count) {
                    return Err(corrupt(
                        "the stored category counts do not match the counts",
                    ));
                }
                if c.kind != Some(ColumnKind::Categorical) {
                    return Err(corrupt("categories for a column not fitted as categorical"));
                }
                ProfileData::Categorical(cats)
            }
        };
        Ok(ColumnProfile {
            name: c.name.clone(),
            dtype: c.dtype.clone(),
            kind: c.kind,
            counts,
            data,
        })
    }
}
