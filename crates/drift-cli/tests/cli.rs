//! Integration tests: the real `drift` binary over the committed fixtures.
#![allow(clippy::unwrap_used)] // tests fail loudly by design

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fx(p: &str) -> String {
    root()
        .join("fixtures")
        .join(p)
        .to_string_lossy()
        .into_owned()
}

fn drift(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_drift"))
        .args(args)
        .env("NO_COLOR", "1")
        .current_dir(root())
        .output()
        .expect("run drift")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("drift-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("temp dir");
    d.join(name)
}

/// An error is exactly one line starting with `drift: error:`, exit 2, no panic.
fn assert_error(o: &Output, needle: &str) {
    let e = stderr(o);
    assert_eq!(code(o), 2, "stderr: {e}");
    assert_eq!(e.lines().count(), 1, "one line expected: {e}");
    assert!(e.starts_with("drift: error: "), "{e}");
    assert!(e.contains(needle), "'{needle}' not in: {e}");
    assert!(!e.contains("panicked"), "{e}");
}

#[test]
fn exit_0_when_no_drift() {
    let o = drift(&[
        "compare",
        &fx("no_drift/reference.parquet"),
        &fx("no_drift/current.parquet"),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("no drift: 0 of 6 tested columns drifted"),
        "{out}"
    );
}

#[test]
fn exit_1_on_dataset_drift() {
    let o = drift(&[
        "compare",
        &fx("drift/reference.parquet"),
        &fx("drift/current.parquet"),
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("DATASET DRIFT: 4 of 6"), "{out}");
    // drifted columns are listed first
    let first_row = out.lines().nth(3).unwrap();
    assert!(first_row.ends_with("drift"), "{out}");
}

#[test]
fn fail_on_policies() {
    let mixed = [fx("mixed/reference.parquet"), fx("mixed/current.parquet")];
    // 2 of 7 columns drift: below the dataset rule
    assert_eq!(code(&drift(&["compare", &mixed[0], &mixed[1]])), 0);
    assert_eq!(
        code(&drift(&[
            "compare",
            &mixed[0],
            &mixed[1],
            "--fail-on",
            "column"
        ])),
        1
    );
    assert_eq!(
        code(&drift(&[
            "compare",
            &fx("drift/reference.parquet"),
            &fx("drift/current.parquet"),
            "--fail-on",
            "never"
        ])),
        0
    );
    assert_eq!(
        code(&drift(&[
            "compare",
            &mixed[0],
            &mixed[1],
            "--drift-share",
            "0.25"
        ])),
        1
    );
}

#[test]
fn exit_2_error_wins_over_alert() {
    let o = drift(&[
        "compare",
        &fx("drift/reference.parquet"),
        &fx("drift/current.parquet"),
        "--json",
        "/nonexistent-dir/x.json",
    ]);
    assert_error(&o, "/nonexistent-dir/x.json");
}

#[test]
fn bad_inputs_are_one_line_errors() {
    let cur = fx("drift/current.parquet");
    assert_error(
        &drift(&["compare", "missing.parquet", &cur]),
        "reference file missing.parquet: no such file",
    );
    assert_error(
        &drift(&["compare", &cur, &fx("golden")]),
        "no Parquet files found",
    );
    assert_error(
        &drift(&["compare", &fx("empty/not_parquet.parquet"), &cur]),
        "not_parquet.parquet",
    );
    assert_error(
        &drift(&["compare", &fx("empty/zero_rows.parquet"), &cur]),
        "zero rows",
    );
    // truncated Parquet file
    let t = tmp("truncated.parquet");
    let bytes = std::fs::read(fx("drift/reference.parquet")).unwrap();
    std::fs::write(&t, &bytes[..bytes.len() / 2]).unwrap();
    assert_error(
        &drift(&["compare", t.to_str().unwrap(), &cur]),
        "truncated.parquet",
    );
    // no columns in common
    assert_error(
        &drift(&[
            "compare",
            &fx("schema_change/reference.parquet"),
            &fx("schema_change/current.parquet"),
            "--columns",
            "new_col",
        ]),
        "no columns in common",
    );
    // unknown column in a flag
    assert_error(
        &drift(&[
            "compare",
            &fx("drift/reference.parquet"),
            &cur,
            "--exclude",
            "nope",
        ]),
        "unknown column 'nope'",
    );
    // invalid threshold
    assert_error(
        &drift(&[
            "compare",
            &fx("drift/reference.parquet"),
            &cur,
            "--threshold",
            "ks=7",
        ]),
        "ks.threshold",
    );
    assert_error(
        &drift(&[
            "compare",
            &fx("drift/reference.parquet"),
            &cur,
            "--threshold",
            "psi=x",
        ]),
        "not a number",
    );
    // bad arguments
    let o = drift(&["compare", "--bogus"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn config_file_errors_have_line_numbers() {
    let cur = fx("drift/current.parquet");
    let r = fx("drift/reference.parquet");
    let bad_key = tmp("bad_key.toml");
    std::fs::write(
        &bad_key,
        "drift_share = 0.4\n\n[psi]\nthreshold = 0.2\nwarnn = 0.1\n",
    )
    .unwrap();
    assert_error(
        &drift(&["compare", &r, &cur, "--config", bad_key.to_str().unwrap()]),
        "line 5",
    );
    let bad_syntax = tmp("bad_syntax.toml");
    std::fs::write(&bad_syntax, "drift_share = \n").unwrap();
    assert_error(
        &drift(&[
            "compare",
            &r,
            &cur,
            "--config",
            bad_syntax.to_str().unwrap(),
        ]),
        "line 1",
    );
    let unknown_col = tmp("unknown_col.toml");
    std::fs::write(&unknown_col, "[columns.ghost]\nkind = \"categorical\"\n").unwrap();
    assert_error(
        &drift(&[
            "compare",
            &r,
            &cur,
            "--config",
            unknown_col.to_str().unwrap(),
        ]),
        "unknown column 'ghost'",
    );
}

#[test]
fn config_file_and_flag_override() {
    let cfg = tmp("cfg.toml");
    std::fs::write(&cfg, "fail_on = \"never\"\n[wasserstein]\nthreshold = 5.0\n[columns.country.psi]\nthreshold = 10.0\n").unwrap();
    let (r, c) = (fx("drift/reference.parquet"), fx("drift/current.parquet"));
    let o = drift(&[
        "compare",
        &r,
        &c,
        "--config",
        cfg.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["summary"]["drifted_columns"], 0);
    // flags override the file
    let o = drift(&[
        "compare",
        &r,
        &c,
        "--config",
        cfg.to_str().unwrap(),
        "--fail-on",
        "column",
        "--threshold",
        "wasserstein=0.1",
    ]);
    assert_eq!(code(&o), 1);
}

#[test]
fn init_config_round_trips() {
    let o = drift(&["init-config"]);
    assert_eq!(code(&o), 0);
    let p = tmp("init.toml");
    std::fs::write(&p, &o.stdout).unwrap();
    let o = drift(&[
        "compare",
        &fx("no_drift/reference.parquet"),
        &fx("no_drift/current.parquet"),
        "--config",
        p.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn json_output_matches_schema_and_expected() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schema/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    for name in ["no_drift", "drift", "mixed", "schema_change"] {
        let o = drift(&[
            "compare",
            &format!("fixtures/{name}/reference.parquet"),
            &format!("fixtures/{name}/current.parquet"),
            "--format",
            "json",
        ]);
        assert!(code(&o) < 2, "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        let errors: Vec<String> = validator
            .iter_errors(&v)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        let expected = root().join(format!("fixtures/{name}/expected.json"));
        if std::env::var_os("DRIFT_BLESS").is_some() {
            std::fs::write(&expected, &o.stdout).unwrap();
        }
        let want: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(&expected).expect("expected.json (DRIFT_BLESS=1 to create)"),
        )
        .unwrap();
        if v != want {
            let (a, b) = (
                serde_json::to_string_pretty(&want).unwrap(),
                serde_json::to_string_pretty(&v).unwrap(),
            );
            let diff: Vec<String> = a
                .lines()
                .zip(b.lines())
                .enumerate()
                .filter(|(_, (x, y))| x != y)
                .take(10)
                .map(|(i, (x, y))| format!("line {}: expected {x}\n          got {y}", i + 1))
                .collect();
            panic!(
                "{name}: output differs from expected.json (DRIFT_BLESS=1 to update):\n{}",
                diff.join("\n")
            );
        }
    }
}

#[test]
fn per_column_problems_do_not_abort() {
    let o = drift(&[
        "compare",
        &fx("mixed/reference.parquet"),
        &fx("mixed/current.parquet"),
        "--format",
        "json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let status = |n: &str| {
        v["columns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == n)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status("all_null"), "no_data");
    assert_eq!(status("tags"), "skipped");
    assert_eq!(status("blob"), "skipped");
    assert_eq!(status("with_nulls"), "drift");
    let o = drift(&[
        "compare",
        &fx("schema_change/reference.parquet"),
        &fx("schema_change/current.parquet"),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["schema"]["only_in_reference"],
        serde_json::json!(["score"])
    );
    assert_eq!(
        v["schema"]["only_in_current"],
        serde_json::json!(["new_col"])
    );
    assert_eq!(v["schema"]["type_changes"][0]["column"], "age");
}

#[test]
fn html_is_self_contained_escaped_and_bounded() {
    let p = tmp("r.html");
    let o = drift(&[
        "compare",
        &fx("mixed/reference.parquet"),
        &fx("mixed/current.parquet"),
        "--html",
        p.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(code(&o), 0);
    assert!(
        o.stdout.is_empty() && o.stderr.is_empty(),
        "--quiet prints nothing"
    );
    let html = std::fs::read_to_string(&p).unwrap();
    assert!(
        !html.contains("<script>alert(1)</script>"),
        "column name must be escaped"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(
        !html.contains("http://") && !html.contains("https://") && !html.contains("src="),
        "no external resources"
    );
    assert!(html.len() < 300_000, "size {}", html.len());
    // the page for a larger current side (3 files) is about the same size
    let p2 = tmp("r2.html");
    drift(&[
        "compare",
        &fx("drift/reference.parquet"),
        &fx("dataset/current"),
        "--html",
        p2.to_str().unwrap(),
        "-q",
    ]);
    let p3 = tmp("r3.html");
    drift(&[
        "compare",
        &fx("drift/reference.parquet"),
        &fx("drift/current.parquet"),
        "--html",
        p3.to_str().unwrap(),
        "-q",
    ]);
    let (a, b) = (
        std::fs::metadata(&p2).unwrap().len() as f64,
        std::fs::metadata(&p3).unwrap().len() as f64,
    );
    assert!((a / b - 1.0).abs() < 0.1, "{a} vs {b}");
}

#[test]
fn markdown_and_junit() {
    let o = drift(&[
        "compare",
        &fx("drift/reference.parquet"),
        &fx("drift/current.parquet"),
        "--format",
        "markdown",
    ]);
    let md = String::from_utf8_lossy(&o.stdout);
    assert!(md.starts_with("### 🔴 drift: DATASET DRIFT"), "{md}");
    assert!(md.contains("| amount | numeric | wasserstein |"));
    let o = drift(&[
        "compare",
        &fx("mixed/reference.parquet"),
        &fx("mixed/current.parquet"),
        "--format",
        "junit",
    ]);
    let x = String::from_utf8_lossy(&o.stdout);
    assert!(
        x.contains("<testsuites name=\"drift\" tests=\"10\" failures=\"2\" skipped=\"3\">"),
        "{x}"
    );
    assert!(x.contains("name=\"&lt;script&gt;alert(1)&lt;/script&gt;\""));
}

#[test]
fn directory_and_glob_inputs() {
    let o = drift(&[
        "compare",
        &fx("drift/reference.parquet"),
        &fx("dataset/current"),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["inputs"]["current"]["rows"], 2100);
    let o = drift(&[
        "compare",
        &fx("drift/reference.parquet"),
        &format!("{}/part-*.parquet", fx("dataset/current")),
        "--format",
        "json",
    ]);
    let w: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(w["inputs"]["current"]["rows"], 2100);
    assert_eq!(v["columns"], w["columns"]);
}

#[test]
fn threads_do_not_change_output() {
    let run = |t: &str| {
        drift(&[
            "compare",
            &fx("mixed/reference.parquet"),
            &fx("mixed/current.parquet"),
            "--format",
            "json",
            "--threads",
            t,
            "--max-memory",
            "1M",
        ])
        .stdout
    };
    // one column in flight (--max-memory): 4 and 6 threads also read each
    // side's 3 row groups as 2 and 3 parallel parts, merged
    let one = run("1");
    for t in ["2", "4", "6"] {
        assert_eq!(one, run(t), "--threads {t}");
    }
}

#[test]
fn closed_stdout_pipe_is_not_an_error() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_drift"))
        .args([
            "compare",
            &fx("mixed/reference.parquet"),
            &fx("mixed/current.parquet"),
            "--format",
            "json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // close the read end at once
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn help_documents_exit_status() {
    let o = drift(&["compare", "--help"]);
    assert_eq!(code(&o), 0);
    let h = String::from_utf8_lossy(&o.stdout);
    assert!(
        h.contains("EXIT STATUS") && h.contains("0  the run completed and no drift alert"),
        "{h}"
    );
}

#[test]
fn fit_then_compare_the_profile_gives_the_same_report() {
    let prof = tmp("fit.drift");
    let o = drift(&[
        "fit",
        &fx("drift/reference.parquet"),
        "-o",
        prof.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let json = |r: &str| {
        let o = drift(&[
            "compare",
            r,
            &fx("drift/current.parquet"),
            "--format",
            "json",
        ]);
        assert_eq!(code(&o), 1, "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        serde_json::to_string(&(&v["columns"], &v["summary"], &v["schema"])).unwrap()
    };
    assert_eq!(
        json(&fx("drift/reference.parquet")),
        json(prof.to_str().unwrap())
    );
    // detected by content, whatever the name
    let renamed = tmp("looks_like_data.parquet");
    std::fs::copy(&prof, &renamed).unwrap();
    assert_eq!(
        json(&fx("drift/reference.parquet")),
        json(renamed.to_str().unwrap())
    );
}

#[test]
fn merge_of_profiles_and_no_writing_over_inputs() {
    let (a, b, ab) = (tmp("a.drift"), tmp("b.drift"), tmp("ab.drift"));
    let parts = root().join("fixtures/dataset/current");
    let files: Vec<String> = std::fs::read_dir(&parts)
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(
        code(&drift(&["fit", &files[0], "-o", a.to_str().unwrap()])),
        0
    );
    assert_eq!(
        code(&drift(&["fit", &files[1], "-o", b.to_str().unwrap()])),
        0
    );
    let o = drift(&[
        "merge",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "-o",
        ab.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_error(
        &drift(&[
            "merge",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "-o",
            a.to_str().unwrap(),
        ]),
        "is an input of this command",
    );
    assert_error(
        &drift(&["fit", &files[0], "-o", &files[0]]),
        "is an input of this command",
    );
    // a data file is not a profile
    assert_error(
        &drift(&[
            "merge",
            &files[0],
            a.to_str().unwrap(),
            "-o",
            tmp("x.drift").to_str().unwrap(),
        ]),
        "not a drift profile",
    );
}

/// Issue #11: a report never overwrites an input, two reports never share a
/// path, and a silly thread count is capped rather than obeyed.
#[test]
fn reports_never_overwrite_inputs_or_each_other() {
    let reference = tmp("own-ref.parquet");
    std::fs::copy(fx("drift/reference.parquet"), &reference).unwrap();
    let before = std::fs::read(&reference).unwrap();
    let r = reference.to_string_lossy().into_owned();
    let cur = fx("drift/current.parquet");
    for flag in ["-o", "--json", "--html", "--markdown", "--junit"] {
        let o = drift(&["compare", &r, &cur, flag, &r]);
        assert_error(&o, "is an input of this command; not writing over it");
        assert_eq!(std::fs::read(&reference).unwrap(), before, "{flag}");
    }
    // the current side too, a file inside a directory input
    let ds = tmp("own-dataset");
    std::fs::create_dir_all(&ds).unwrap();
    for part in ["part-0", "part-1", "part-2"] {
        std::fs::copy(
            fx(&format!("dataset/current/{part}.parquet")),
            ds.join(format!("{part}.parquet")),
        )
        .unwrap();
    }
    let inside = ds.join("part-1.parquet");
    let part_before = std::fs::read(&inside).unwrap();
    let o = drift(&[
        "compare",
        &r,
        &ds.to_string_lossy(),
        "--html",
        &inside.to_string_lossy(),
    ]);
    assert_error(&o, "is an input of this command");
    assert_eq!(std::fs::read(&inside).unwrap(), part_before);
    let out = tmp("same.json").to_string_lossy().into_owned();
    let o = drift(&["compare", &r, &cur, "--json", &out, "--html", &out]);
    assert_error(
        &o,
        "the JSON report and the HTML report would both be written to",
    );
    assert!(!Path::new(&out).exists());
    let o = drift(&[
        "compare",
        &fx("no_drift/reference.parquet"),
        &fx("no_drift/current.parquet"),
        "--threads",
        "5000",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--threads 5000 capped at"),
        "{}",
        stderr(&o)
    );
}

/// Issue #11: only the top-level `fail_on` key is the CLI's; a key that
/// merely starts with it, or `fail_on` inside a table, is an unknown key.
#[test]
fn config_keys_resembling_fail_on_are_errors() {
    let (r, c) = (fx("drift/reference.parquet"), fx("drift/current.parquet"));
    for (name, text, line) in [
        (
            "typo.toml",
            "drift_share = 0.4\nfail_on_typo = 1\n",
            "line 2",
        ),
        (
            "nested.toml",
            "fail_on = \"never\"\n[columns.country]\nfail_on = \"never\"\n",
            "line 3",
        ),
    ] {
        let p = tmp(name);
        std::fs::write(&p, text).unwrap();
        let o = drift(&["compare", &r, &c, "--config", p.to_str().unwrap()]);
        assert_error(&o, line);
        assert!(stderr(&o).contains("fail_on"), "{}", stderr(&o));
    }
    // the real key still works (exit 0 despite drift)
    let p = tmp("ok.toml");
    std::fs::write(&p, "  fail_on = \"never\"\n").unwrap();
    let o = drift(&[
        "compare",
        &r,
        &c,
        "--config",
        p.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

/// Issue #11: control characters in file (and column) names never reach
/// the terminal raw: text, Markdown and stderr show them escaped.
#[test]
fn control_characters_never_reach_the_terminal() {
    let evil = tmp("a\u{1b}[2J\u{1b}]0;pwned\u{7}.parquet");
    std::fs::copy(fx("drift/reference.parquet"), &evil).unwrap();
    let e = evil.to_string_lossy().into_owned();
    let cur = fx("drift/current.parquet");
    let bad_path = tmp("b\u{1b}[2J.parquet");
    std::fs::write(&bad_path, b"not parquet").unwrap();
    let bad = bad_path.to_string_lossy().into_owned();
    for args in [
        vec!["compare", e.as_str(), cur.as_str()],
        vec!["compare", e.as_str(), cur.as_str(), "--format", "markdown"],
        vec!["compare", cur.as_str(), bad.as_str()],
    ] {
        let o = drift(&args);
        assert!(
            !o.stdout.contains(&0x1b) && !o.stderr.contains(&0x1b),
            "raw ESC in output of {args:?}"
        );
        assert!(
            !o.stdout.contains(&0x07) && !o.stderr.contains(&0x07),
            "raw BEL in output of {args:?}"
        );
        let all = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
        assert!(all.contains("\\u{1b}[2J"), "{all}");
    }
}

/// Issue #11: a column whose name holds `=` and `,` is addressed through
/// the configuration file (quoted TOML keys), as the README says.
#[test]
fn names_with_separators_are_addressed_through_the_config_file() {
    let (r, c) = (
        fx("hostile/names_ref.parquet"),
        fx("hostile/names_cur.parquet"),
    );
    let cfg = tmp("names.toml");
    std::fs::write(
        &cfg,
        "include = [\"a=b,c\"]\ndecision = \"wasserstein\"\n[columns.\"a=b,c\".wasserstein]\nthreshold = 50.0\n",
    )
    .unwrap();
    let o = drift(&[
        "compare",
        &r,
        &c,
        "--config",
        cfg.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let cols = v["columns"].as_array().unwrap();
    assert_eq!(cols.len(), 1);
    assert_eq!(cols[0]["name"], "a=b,c");
    assert_eq!(cols[0]["tests"][1]["threshold"], 50.0);
    // the same threshold through a flag cannot name it: its name is split
    let o = drift(&["compare", &r, &c, "--columns", "a=b,c"]);
    assert_error(&o, "unknown column");
}
