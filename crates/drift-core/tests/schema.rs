//! The published JSON Schema (schema/report.schema.json) is generated from
//! the report types; this test keeps the file current.
//! Regenerate with: DRIFT_BLESS=1 cargo test -p drift-core --test schema
#![allow(clippy::unwrap_used)] // tests fail loudly by design

#[test]
fn published_schema_is_current() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../schema/report.schema.json"
    );
    let want = serde_json::to_string_pretty(&drift_core::report::json_schema()).unwrap() + "\n";
    if std::env::var_os("DRIFT_BLESS").is_some() {
        std::fs::write(path, &want).unwrap();
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(have == want, "schema/report.schema.json is stale: run DRIFT_BLESS=1 cargo test -p drift-core --test schema");
}
