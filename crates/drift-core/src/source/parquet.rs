//! Parquet datasets as a source: a file, a directory of Parquet files
//! (recursing into sub-directories such as hive-style `key=value/`
//! partitions), or a glob. Every file's footer is read once, when the
//! dataset is opened; columns are then read by projection, row groups as
//! parallel parts.

use super::{ColumnSource, Footprint, Part};
use crate::error::{Error, Result};
use arrow_array::Array;
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::ProjectionMask;
use parquet::file::metadata::ParquetMetaData;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// A Parquet dataset: one or more files sharing one schema.
///
/// ```no_run
/// use drift_core::source::{ColumnSource, ParquetSource};
/// let reference = ParquetSource::open("data/2026-11-*/*.parquet")?;
/// println!("{} rows in {} columns", reference.num_rows(), reference.schema().fields().len());
/// # Ok::<(), drift_core::Error>(())
/// ```
#[derive(Debug)]
pub struct ParquetSource {
    spec: String,
    files: Vec<OpenFile>,
    schema: SchemaRef,
    /// (file, row group) of every read unit, in order.
    units: Vec<(usize, usize)>,
    unit_rows: Vec<u64>,
    rows: u64,
}

#[derive(Debug)]
struct OpenFile {
    path: PathBuf,
    reader: positioned::PositionedFile,
    /// The footer, decoded once.
    metadata: ArrowReaderMetadata,
    /// The same footer with string columns read as dictionaries (built on
    /// first use, once per file).
    dictionary: OnceLock<std::result::Result<ArrowReaderMetadata, String>>,
    /// The leaf columns of each root field (contiguous in Parquet).
    roots: Vec<std::ops::Range<usize>>,
}

fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Data files of a directory tree: `*.parquet` / `*.parq`, recursing into
/// sub-directories; names starting with `_` or `.` (`_SUCCESS`,
/// `_metadata`, `.crc` files, hidden folders) are left out, as Spark and
/// pyarrow datasets do.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(['_', '.']));
        if hidden {
            continue;
        }
        if p.is_dir() {
            walk(&p, out)?;
        } else if p.is_file()
            && p.extension().is_some_and(|e| {
                e.eq_ignore_ascii_case("parquet") || e.eq_ignore_ascii_case("parq")
            })
        {
            out.push(p);
        }
    }
    Ok(())
}

fn list_files(spec: &str) -> Result<Vec<PathBuf>> {
    let p = Path::new(spec);
    let mut files: Vec<PathBuf> = if is_glob(spec) && !p.exists() {
        let paths = glob::glob(spec).map_err(|e| Error::Source(format!("pattern {spec}: {e}")))?;
        paths
            .filter_map(|r| r.ok())
            .filter(|p| p.is_file())
            .collect()
    } else if p.is_dir() {
        let mut v = Vec::new();
        walk(p, &mut v).map_err(|e| Error::Source(format!("directory {spec}: {e}")))?;
        v
    } else if p.exists() {
        vec![p.to_path_buf()]
    } else {
        return Err(Error::Source(format!(
            "file {spec}: no such file or directory"
        )));
    };
    files.sort();
    if files.is_empty() {
        return Err(Error::Source(format!("{spec}: no Parquet files found")));
    }
    Ok(files)
}

fn strip_metadata(s: &Schema) -> Schema {
    Schema::new(
        s.fields()
            .iter()
            .map(|f| Field::new(f.name(), f.data_type().clone(), f.is_nullable()))
            .collect::<Vec<_>>(),
    )
}

/// Dictionary columns declared with keys narrower than 32 bits (pandas'
/// `category` dtype: int8 codes) are read with `Int32` keys: a batch that
/// spans row groups with different dictionaries holds their union, which
/// overflows an `Int8` key at 128 categories ("dictionary key overflow", a
/// panic in the reader) although the file is valid.
fn widen_dictionary_keys(
    md: ArrowReaderMetadata,
) -> std::result::Result<ArrowReaderMetadata, String> {
    let narrow = |dt: &DataType| matches!(dt, DataType::Dictionary(k, _) if matches!(**k, DataType::Int8 | DataType::Int16 | DataType::UInt8 | DataType::UInt16));
    if !md.schema().fields().iter().any(|f| narrow(f.data_type())) {
        return Ok(md);
    }
    with_int32_dictionaries(&md, |dt| match dt {
        DataType::Dictionary(_, v) if narrow(dt) => Some(v.as_ref().clone()),
        _ => None,
    })
}

/// The metadata read with the fields for which `values` gives a value type
/// as `Dictionary(Int32, that type)`, the others as they are.
fn with_int32_dictionaries(
    md: &ArrowReaderMetadata,
    values: impl Fn(&DataType) -> Option<DataType>,
) -> std::result::Result<ArrowReaderMetadata, String> {
    let fields: Vec<Field> = md
        .schema()
        .fields()
        .iter()
        .map(|f| match values(f.data_type()) {
            Some(v) => Field::new(
                f.name(),
                DataType::Dictionary(Box::new(DataType::Int32), Box::new(v)),
                f.is_nullable(),
            ),
            None => f.as_ref().clone(),
        })
        .collect();
    let options = ArrowReaderOptions::new().with_schema(Arc::new(Schema::new(fields)));
    ArrowReaderMetadata::try_new(Arc::clone(md.metadata()), options)
        .map_err(|e| clean(&e.to_string()))
}

/// Parquet/Arrow errors sometimes span lines; keep one.
fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn file_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Source(format!(
        "file {}: {}",
        path.display(),
        clean(&e.to_string())
    ))
}

impl OpenFile {
    fn open(path: PathBuf) -> Result<OpenFile> {
        let reader = positioned::PositionedFile::open(&path).map_err(|e| file_error(&path, e))?;
        let metadata = super::guard::catch(
            || format!("file {}", path.display()),
            || {
                ArrowReaderMetadata::load(&reader, ArrowReaderOptions::new())
                    .map_err(|e| file_error(&path, e))
            },
        )?;
        let metadata = widen_dictionary_keys(metadata).map_err(|e| file_error(&path, e))?;
        let schema = metadata.parquet_schema();
        let mut roots: Vec<std::ops::Range<usize>> = Vec::new();
        for l in 0..schema.num_columns() {
            let r = schema.get_column_root_idx(l);
            if roots.len() <= r {
                roots.resize(r + 1, l..l);
            }
            roots[r].end = l + 1;
        }
        Ok(OpenFile {
            path,
            reader,
            metadata,
            dictionary: OnceLock::new(),
            roots,
        })
    }

    fn parquet(&self) -> &Arc<ParquetMetaData> {
        self.metadata.metadata()
    }

    /// The footer with every string column read as a dictionary.
    fn dictionary_metadata(&self) -> Result<&ArrowReaderMetadata> {
        let md = self.dictionary.get_or_init(|| {
            with_int32_dictionaries(&self.metadata, |dt| {
                matches!(dt, DataType::Utf8 | DataType::LargeUtf8).then(|| dt.clone())
            })
        });
        md.as_ref().map_err(|e| file_error(&self.path, e))
    }
}

impl ParquetSource {
    /// Opens a dataset: `spec` is a file, a directory (searched
    /// recursively) or a glob. Every file's footer is read here, once, and
    /// the files must share one schema.
    pub fn open(spec: &str) -> Result<ParquetSource> {
        let paths = list_files(spec)?;
        let mut files = Vec::with_capacity(paths.len());
        let mut schema: Option<SchemaRef> = None;
        let mut units = Vec::new();
        let mut unit_rows = Vec::new();
        let mut rows = 0u64;
        for (fi, path) in paths.into_iter().enumerate() {
            let f = OpenFile::open(path)?;
            let s = Arc::new(strip_metadata(f.metadata.schema()));
            match &schema {
                None => schema = Some(s),
                Some(first) if first.as_ref() != s.as_ref() => {
                    return Err(Error::Source(format!(
                        "file {}: its schema differs from {} (all files of a dataset must share one schema)",
                        f.path.display(),
                        files.first().map(|f: &OpenFile| f.path.display().to_string()).unwrap_or_default()
                    )));
                }
                _ => {}
            }
            rows = rows.saturating_add(f.parquet().file_metadata().num_rows().max(0) as u64);
            for (gi, rg) in f.parquet().row_groups().iter().enumerate() {
                units.push((fi, gi));
                unit_rows.push(rg.num_rows().max(0) as u64);
            }
            files.push(f);
        }
        let schema = schema.ok_or_else(|| Error::Source(format!("{spec}: no Parquet files")))?;
        if schema.fields().is_empty() {
            return Err(Error::Source(format!(
                "{spec}: the Parquet schema has no columns"
            )));
        }
        Ok(ParquetSource {
            spec: spec.to_string(),
            files,
            schema,
            units,
            unit_rows,
            rows,
        })
    }

    /// The path or pattern as given.
    pub fn spec(&self) -> &str {
        &self.spec
    }

    /// The files of the dataset, in read order.
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|f| f.path.as_path())
    }

    /// The key-value metadata of the dataset's only file (`None` for a
    /// dataset of several files).
    pub fn single_file_metadata(&self, key: &str) -> Option<String> {
        match self.files.as_slice() {
            [f] => f
                .parquet()
                .file_metadata()
                .key_value_metadata()?
                .iter()
                .find(|kv| kv.key == key)?
                .value
                .clone(),
            _ => None,
        }
    }
}

impl ColumnSource for ParquetSource {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }
    fn num_rows(&self) -> u64 {
        self.rows
    }
    fn location(&self) -> Option<String> {
        Some(self.spec.clone())
    }
    fn unit_rows(&self) -> Vec<u64> {
        self.unit_rows.clone()
    }

    /// From the footers: values = rows − nulls where the column chunk's
    /// statistics count nulls (rows otherwise); bytes = uncompressed size.
    fn footprint(&self, column: usize) -> Footprint {
        let mut fp = Footprint::default();
        for &(fi, gi) in &self.units {
            let rg = self.files[fi].parquet().row_group(gi);
            let rows = rg.num_rows().max(0) as u64;
            // a root column may span several leaves (nested types); the
            // first leaf's chunk gives its nulls, all give its bytes
            let leaves = self.files[fi].roots.get(column).cloned().unwrap_or(0..0);
            let mut nulls = 0;
            for (k, l) in leaves.enumerate() {
                let Some(c) = rg.columns().get(l) else {
                    continue;
                };
                fp.bytes = fp.bytes.saturating_add(c.uncompressed_size().max(0) as u64);
                if k == 0 {
                    nulls = c
                        .statistics()
                        .and_then(|s| s.null_count_opt())
                        .unwrap_or(0)
                        .min(rows);
                }
            }
            fp.values = fp.values.saturating_add(rows - nulls);
        }
        fp
    }

    fn scan(
        &self,
        column: usize,
        part: &Part,
        dictionary: bool,
        sink: &mut dyn FnMut(&dyn Array) -> Result<()>,
    ) -> Result<()> {
        self.scan_columns(&[column], part, dictionary, &mut |_, a| sink(a))
    }

    /// One projection for all the columns (a reader's set-up walks the
    /// file's whole schema, so one per column would cost time quadratic in
    /// the number of columns).
    fn scan_columns(
        &self,
        columns: &[usize],
        part: &Part,
        dictionary: bool,
        sink: &mut dyn FnMut(usize, &dyn Array) -> Result<()>,
    ) -> Result<()> {
        // a projection yields its columns in file order
        let mut order: Vec<(usize, usize)> = columns.iter().copied().zip(0..).collect();
        order.sort_unstable();
        if order.windows(2).any(|w| w[0].0 == w[1].0) {
            return Err(Error::Internal("a column asked for twice".into()));
        }
        let dictionary = dictionary
            && columns.iter().any(|&c| {
                matches!(
                    self.schema.field(c).data_type(),
                    DataType::Utf8 | DataType::LargeUtf8
                )
            });
        let units = &self.units[part.units.clone()];
        let mut i = 0;
        while i < units.len() {
            let fi = units[i].0;
            let mut groups = Vec::new();
            while i < units.len() && units[i].0 == fi {
                groups.push(units[i].1);
                i += 1;
            }
            let f = &self.files[fi];
            let names = || {
                order
                    .iter()
                    .map(|o| format!("'{}'", self.schema.field(o.0).name()))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            super::guard::catch(
                || format!("file {}, column {}", f.path.display(), names()),
                || self.scan_file(f, groups, &order, dictionary, sink),
            )?;
        }
        Ok(())
    }
}

impl ParquetSource {
    /// Reads row groups `groups` of one file (the columns of `order`).
    fn scan_file(
        &self,
        f: &OpenFile,
        groups: Vec<usize>,
        order: &[(usize, usize)],
        dictionary: bool,
        sink: &mut dyn FnMut(usize, &dyn Array) -> Result<()>,
    ) -> Result<()> {
        {
            let md = if dictionary {
                f.dictionary_metadata()?.clone()
            } else {
                f.metadata.clone()
            };
            let mask = ProjectionMask::roots(md.parquet_schema(), order.iter().map(|o| o.0));
            let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(f.reader.clone(), md)
                .with_row_groups(groups)
                .with_projection(mask)
                .with_batch_size(64 * 1024)
                .build()
                .map_err(|e| file_error(&f.path, e))?;
            for batch in reader {
                let batch = batch.map_err(|e| file_error(&f.path, e))?;
                if batch.num_columns() != order.len() {
                    return Err(file_error(
                        &f.path,
                        "the projection returned another number of columns",
                    ));
                }
                for (k, &(_, j)) in order.iter().enumerate() {
                    sink(j, batch.column(k).as_ref())?;
                }
            }
        }
        Ok(())
    }
}

pub(crate) mod positioned {
    //! Parquet's `ChunkReader` for `File` duplicates the descriptor, seeks,
    //! reads and closes it for every page header and every page (on the L
    //! benchmark 41k times each, plus 8 KiB buffered reads for headers of a
    //! few dozen bytes). This one reads by offset on one shared descriptor:
    //! one system call per page.

    use bytes::Bytes;
    use parquet::errors::{ParquetError, Result};
    use parquet::file::reader::{ChunkReader, Length};
    use std::fs::File;
    use std::io::{BufReader, Read};
    use std::path::Path;
    use std::sync::Arc;

    /// A file read by offset, shareable across threads.
    #[derive(Debug, Clone)]
    pub struct PositionedFile {
        file: Arc<File>,
        len: u64,
    }

    impl PositionedFile {
        /// Opens `path` for reading by offset.
        pub fn open(path: &Path) -> std::io::Result<PositionedFile> {
            let file = File::open(path)?;
            let len = file.metadata()?.len();
            Ok(PositionedFile {
                file: Arc::new(file),
                len,
            })
        }
    }

    #[cfg(unix)]
    fn read_at(f: &File, buf: &mut [u8], pos: u64) -> std::io::Result<usize> {
        std::os::unix::fs::FileExt::read_at(f, buf, pos)
    }
    #[cfg(windows)]
    fn read_at(f: &File, buf: &mut [u8], pos: u64) -> std::io::Result<usize> {
        std::os::windows::fs::FileExt::seek_read(f, buf, pos)
    }

    /// A reader from an offset on (page headers).
    pub struct At {
        file: Arc<File>,
        pos: u64,
        len: u64,
    }

    impl Read for At {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            // a page header never runs past the end of the file: say so
            // rather than return 0, which parquet's Thrift skipping of a
            // damaged header takes as more to skip, forever (a fuzz finding:
            // fuzz/findings/parquet_compare-thrift-skip-hang)
            if self.pos >= self.len && !buf.is_empty() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "a page header runs past the end of the file",
                ));
            }
            let n = read_at(&self.file, buf, self.pos)?;
            self.pos += n as u64;
            Ok(n)
        }
    }

    impl Length for PositionedFile {
        fn len(&self) -> u64 {
            self.len
        }
    }

    impl ChunkReader for PositionedFile {
        type T = BufReader<At>;

        fn get_read(&self, start: u64) -> Result<Self::T> {
            // page headers are tens of bytes; a small buffer reads little
            // of the page behind them
            Ok(BufReader::with_capacity(
                1024,
                At {
                    file: Arc::clone(&self.file),
                    pos: start,
                    len: self.len,
                },
            ))
        }

        fn get_bytes(&self, start: u64, length: usize) -> Result<Bytes> {
            // a length beyond the file is corrupt metadata: refuse it before
            // allocating
            if start.saturating_add(length as u64) > self.len {
                return Err(ParquetError::EOF(format!(
                    "{length} bytes at offset {start} lie beyond the end of the file ({} bytes)",
                    self.len
                )));
            }
            // zero-filled, then read over: the zeroing costs what a memset
            // of the page costs, against a decode of the same bytes
            let mut buf = vec![0u8; length];
            let mut done = 0usize;
            while done < length {
                match read_at(&self.file, &mut buf[done..], start + done as u64) {
                    Ok(0) => {
                        return Err(ParquetError::EOF(format!(
                            "expected {length} bytes at offset {start}, read only {done}"
                        )))
                    }
                    Ok(n) => done += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(ParquetError::External(Box::new(e))),
                }
            }
            Ok(buf.into())
        }
    }
}
