//! Row and missing-value counts of one side of one column.

/// Per-side missing-value counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    /// Rows seen.
    pub count: u64,
    /// Null rows.
    pub nulls: u64,
    /// NaN values.
    pub nan: u64,
    /// ±inf values.
    pub infinite: u64,
}

impl Counts {
    /// Rows that hold a finite value: `count − nulls − nan − infinite`.
    pub fn valid(&self) -> u64 {
        self.count
            .saturating_sub(self.nulls)
            .saturating_sub(self.nan)
            .saturating_sub(self.infinite)
    }
    /// Adds another partition's counts (mergeable state).
    pub fn merge(&mut self, o: &Counts) {
        self.count = self.count.saturating_add(o.count);
        self.nulls = self.nulls.saturating_add(o.nulls);
        self.nan = self.nan.saturating_add(o.nan);
        self.infinite = self.infinite.saturating_add(o.infinite);
    }
}
