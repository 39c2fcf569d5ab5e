//! Writing reports: to files or standard output; a closed pipe is not an error.

use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

/// Writes `text` to `path`, or to standard output when `path` is `-` or absent.
pub fn write(path: Option<&Path>, text: &str, what: &str) -> Result<()> {
    match path {
        Some(p) if p.as_os_str() != "-" => {
            std::fs::write(p, text)
                .with_context(|| format!("writing {what} to {}", p.display()))?;
        }
        _ => {
            let mut out = std::io::stdout().lock();
            if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    return Err(e).with_context(|| format!("writing {what} to standard output"));
                }
            }
        }
    }
    Ok(())
}

/// Checks that an output path can be created before the (possibly long) run.
pub fn check_writable(path: &Path, what: &str) -> Result<()> {
    if path.as_os_str() == "-" {
        return Ok(());
    }
    let existed = path.exists();
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("cannot write {what} to {}", path.display()))?;
    if !existed {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}
