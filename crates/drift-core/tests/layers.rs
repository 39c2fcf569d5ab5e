//! The crate's stages, lowest first, as lib.rs lists them: a module may use
//! (`use crate::…` or a `crate::…` path) only modules of a lower stage or
//! of its own. Doc examples (`drift_core::…`) are compiled as outside crates
//! and are not imports. This is the structure check of issue #10: no
//! import from a lower stage to a higher one, hence no circle.
#![allow(clippy::unwrap_used)] // tests fail loudly by design

const STAGES: &[&[&str]] = &[
    &["counts", "error"],
    &["config", "kernels", "source"],
    &["column", "stats"],
    &["report", "accumulate"],
    &["plan"],
    &["fit", "plot", "decide"],
    &["compare", "reference"],
    &["engine"],
    &["store"],
];

fn stage(module: &str) -> Option<usize> {
    STAGES.iter().position(|s| s.contains(&module))
}

#[test]
fn no_module_imports_a_higher_stage() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut dirs = vec![src.clone()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    let mut checked = 0;
    for f in files {
        let rel = f.strip_prefix(&src).unwrap();
        let module = rel
            .iter()
            .next()
            .unwrap()
            .to_str()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        if module == "lib" {
            continue;
        }
        let own = stage(&module).unwrap_or_else(|| panic!("{module} is in no stage"));
        let text = std::fs::read_to_string(&f).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap();
            for part in code.split("crate::").skip(1) {
                let used: String = part
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if used.is_empty() || used == module {
                    continue;
                }
                let theirs = stage(&used).unwrap_or_else(|| {
                    panic!("{}:{}: crate::{used} is in no stage", rel.display(), i + 1)
                });
                assert!(
                    theirs <= own,
                    "{}:{}: {module} (stage {own}) uses crate::{used} (stage {theirs})",
                    rel.display(),
                    i + 1
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "the check read the imports ({checked})");
}
