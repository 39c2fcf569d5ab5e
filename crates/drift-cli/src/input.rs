//! Reading Parquet datasets: a file, a directory of Parquet files, or a glob.
//! Columns are read one at a time (projection), so memory follows the
//! columns in flight, not the table.

use anyhow::{anyhow, bail, Context, Result};
use arrow_array::ArrayRef;
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::arrow_reader::{ArrowReaderOptions, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ProjectionMask;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[cfg(unix)]
use positioned::PositionedFile as Source;
#[cfg(not(unix))]
use std::fs::File as Source;

/// Opens a Parquet file as a chunk reader.
fn open_source(f: &Path) -> std::io::Result<Source> {
    #[cfg(unix)]
    return positioned::PositionedFile::open(f);
    #[cfg(not(unix))]
    return std::fs::File::open(f);
}

#[cfg(unix)]
mod positioned {
    //! Parquet's `ChunkReader` for `File` duplicates the descriptor, seeks,
    //! reads and closes it for every page header and every page (on the L
    //! benchmark 41k times each, plus 8 KiB buffered reads for headers of a
    //! few dozen bytes). This one reads with `pread` on one shared
    //! descriptor: one system call per page.

    use bytes::Bytes;
    use parquet::errors::{ParquetError, Result};
    use parquet::file::reader::{ChunkReader, Length};
    use std::fs::File;
    use std::io::{BufReader, Read};
    use std::os::unix::fs::FileExt;
    use std::os::unix::io::AsRawFd;
    use std::path::Path;
    use std::sync::Arc;

    /// A file read by offset, shareable across threads.
    pub struct PositionedFile {
        file: Arc<File>,
        len: u64,
    }

    impl PositionedFile {
        pub fn open(path: &Path) -> std::io::Result<PositionedFile> {
            let file = File::open(path)?;
            let len = file.metadata()?.len();
            Ok(PositionedFile {
                file: Arc::new(file),
                len,
            })
        }
    }

    /// A reader from an offset on (page headers).
    pub struct At {
        file: Arc<File>,
        pos: u64,
    }

    impl Read for At {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.file.read_at(buf, self.pos)?;
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
                },
            ))
        }

        fn get_bytes(&self, start: u64, length: usize) -> Result<Bytes> {
            let mut buf: Vec<u8> = Vec::with_capacity(length);
            let mut done = 0usize;
            while done < length {
                let off = start + done as u64;
                let off = libc::off_t::try_from(off)
                    .map_err(|_| ParquetError::General(format!("offset {off} too large")))?;
                // SAFETY: pread writes at most `length - done` bytes at
                // `buf.as_mut_ptr() + done`, inside the capacity reserved
                // above; nothing reads those bytes before they are written
                // (the length is set below, once all are).
                let r = unsafe {
                    libc::pread(
                        self.file.as_raw_fd(),
                        buf.as_mut_ptr().add(done).cast(),
                        length - done,
                        off,
                    )
                };
                if r < 0 {
                    let e = std::io::Error::last_os_error();
                    if e.kind() == std::io::ErrorKind::Interrupted {
                        continue;
                    }
                    return Err(ParquetError::External(Box::new(e)));
                }
                if r == 0 {
                    return Err(ParquetError::EOF(format!(
                        "expected {length} bytes at offset {start}, read only {done}"
                    )));
                }
                done += r as usize;
            }
            // SAFETY: the loop above initialised all `length` bytes.
            unsafe { buf.set_len(length) };
            Ok(buf.into())
        }
    }
}

/// One side of the comparison.
#[derive(Debug)]
pub struct Dataset {
    /// "reference" or "current".
    pub side: &'static str,
    /// The path or pattern as given.
    pub spec: String,
    files: Vec<PathBuf>,
    /// Arrow schema shared by all files.
    pub schema: SchemaRef,
    /// Total rows.
    pub rows: u64,
    /// Total compressed bytes per column (for memory planning).
    pub column_bytes: Vec<u64>,
    /// Rows of every row group, per file.
    row_groups: Vec<Vec<u64>>,
}

/// A contiguous share of a dataset's row groups, read as one task.
#[derive(Debug, Clone, Default)]
pub struct Part {
    /// (file index, row groups of that file)
    units: Vec<(usize, Vec<usize>)>,
    /// Rows in the part.
    pub rows: u64,
}

fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

fn list_files(spec: &str, side: &str) -> Result<Vec<PathBuf>> {
    let p = Path::new(spec);
    let mut files: Vec<PathBuf> = if is_glob(spec) && !p.exists() {
        let paths = glob::glob(spec).map_err(|e| anyhow!("{side} pattern {spec}: {e}"))?;
        paths
            .filter_map(|r| r.ok())
            .filter(|p| p.is_file())
            .collect()
    } else if p.is_dir() {
        let rd =
            std::fs::read_dir(p).with_context(|| format!("reading {side} directory {spec}"))?;
        rd.filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_file()
                    && p.extension().is_some_and(|e| {
                        e.eq_ignore_ascii_case("parquet") || e.eq_ignore_ascii_case("parq")
                    })
            })
            .collect()
    } else if p.exists() {
        vec![p.to_path_buf()]
    } else {
        bail!("{side} file {spec}: no such file or directory");
    };
    files.sort();
    if files.is_empty() {
        bail!("{side} {spec}: no Parquet files found");
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

impl Dataset {
    /// Opens every file's footer and checks that the schemas agree.
    pub fn open(spec: &str, side: &'static str) -> Result<Dataset> {
        let files = list_files(spec, side)?;
        let mut schema: Option<SchemaRef> = None;
        let mut rows = 0u64;
        let mut column_bytes: Vec<u64> = Vec::new();
        let mut row_groups = Vec::with_capacity(files.len());
        for f in &files {
            let file =
                open_source(f).with_context(|| format!("reading {side} file {}", f.display()))?;
            let b = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| {
                anyhow!(
                    "reading {side} file {}: {}",
                    f.display(),
                    clean(&e.to_string())
                )
            })?;
            let md = b.metadata();
            rows += md.file_metadata().num_rows().max(0) as u64;
            let s = Arc::new(strip_metadata(b.schema()));
            if column_bytes.is_empty() {
                column_bytes = vec![0; s.fields().len()];
            }
            let mut group_rows = Vec::with_capacity(md.num_row_groups());
            for rg in md.row_groups() {
                group_rows.push(rg.num_rows().max(0) as u64);
                for (i, c) in rg.columns().iter().enumerate() {
                    if let Some(slot) = column_bytes.get_mut(i) {
                        *slot += c.uncompressed_size().max(0) as u64;
                    }
                }
            }
            row_groups.push(group_rows);
            match &schema {
                None => schema = Some(s),
                Some(first) if first.as_ref() != s.as_ref() => {
                    bail!("reading {side} file {}: its schema differs from {} (all files of a dataset must share one schema)", f.display(), files[0].display())
                }
                _ => {}
            }
        }
        let schema = schema.ok_or_else(|| anyhow!("{side} {spec}: no Parquet files"))?;
        if schema.fields().is_empty() {
            bail!("{side} {spec}: the Parquet schema has no columns");
        }
        Ok(Dataset {
            side,
            spec: spec.to_string(),
            files,
            schema,
            rows,
            column_bytes,
            row_groups,
        })
    }

    /// Splits the dataset's row groups (across all its files, in order) into
    /// at most `k` contiguous parts of about equal rows, for reading one
    /// side of a column as parallel tasks.
    pub fn parts(&self, k: usize) -> Vec<Part> {
        let target = self.rows.div_ceil(k.max(1) as u64).max(1);
        let mut parts: Vec<Part> = vec![Part::default()];
        for (fi, groups) in self.row_groups.iter().enumerate() {
            for (gi, &rows) in groups.iter().enumerate() {
                let cur = parts.last_mut().expect("one part");
                if cur.rows >= target && parts.len() < k {
                    parts.push(Part::default());
                }
                let cur = parts.last_mut().expect("one part");
                match cur.units.last_mut() {
                    Some((f, g)) if *f == fi => g.push(gi),
                    _ => cur.units.push((fi, vec![gi])),
                }
                cur.rows += rows;
            }
        }
        parts.retain(|p| !p.units.is_empty());
        parts
    }

    /// Uncompressed bytes of one column across the dataset.
    pub fn column_size(&self, name: &str) -> u64 {
        self.schema
            .index_of(name)
            .ok()
            .and_then(|i| self.column_bytes.get(i).copied())
            .unwrap_or(0)
    }

    /// Streams one column of one part (see [`Dataset::parts`]; one part is
    /// the whole dataset), batch by batch, to `sink`. String columns that
    /// will be counted as categories are read as dictionaries, so Parquet
    /// dictionary pages are counted by key instead of materialising a string
    /// per row.
    pub fn for_each_batch(
        &self,
        part: &Part,
        name: &str,
        as_dictionary: bool,
        mut sink: impl FnMut(ArrayRef),
    ) -> Result<()> {
        let idx = self
            .schema
            .index_of(name)
            .map_err(|_| anyhow!("{} has no column '{name}'", self.side))?;
        for (fi, groups) in &part.units {
            let f = &self.files[*fi];
            let file = open_source(f)
                .with_context(|| format!("reading {} file {}", self.side, f.display()))?;
            let mut options = ArrowReaderOptions::new();
            if as_dictionary
                && matches!(
                    self.schema.field(idx).data_type(),
                    DataType::Utf8 | DataType::LargeUtf8
                )
            {
                let fields: Vec<Field> = self
                    .schema
                    .fields()
                    .iter()
                    .enumerate()
                    .map(|(i, fl)| {
                        if i == idx {
                            Field::new(
                                fl.name(),
                                DataType::Dictionary(
                                    Box::new(DataType::Int32),
                                    Box::new(fl.data_type().clone()),
                                ),
                                fl.is_nullable(),
                            )
                        } else {
                            fl.as_ref().clone()
                        }
                    })
                    .collect();
                options = options.with_schema(Arc::new(Schema::new(fields)));
            }
            let err = |e: parquet::errors::ParquetError| {
                anyhow!(
                    "reading {} file {}: {}",
                    self.side,
                    f.display(),
                    clean(&e.to_string())
                )
            };
            let builder = ParquetRecordBatchReaderBuilder::try_new_with_options(file, options)
                .map_err(err)?;
            let mask = ProjectionMask::roots(builder.parquet_schema(), [idx]);
            let reader = builder
                .with_row_groups(groups.clone())
                .with_projection(mask)
                .with_batch_size(64 * 1024)
                .build()
                .map_err(err)?;
            for batch in reader {
                let batch = batch.map_err(|e| {
                    anyhow!(
                        "reading {} file {}: {}",
                        self.side,
                        f.display(),
                        clean(&e.to_string())
                    )
                })?;
                sink(batch.column(0).clone());
            }
        }
        Ok(())
    }
}

/// Parquet/Arrow errors sometimes span lines; keep one.
fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
