//! Null-aware extraction of finite `f64` values.
//!
//! NaN policy: NaN and ±inf are *not* copied; they are counted in
//! [`Counts::nan`] and [`Counts::infinite`]. Null slots are counted in
//! [`Counts::nulls`] and their (arbitrary) payload is never read as data.
//! Negative zero is normalised to +0 so that it ties with +0 everywhere.

use super::multiversion;
use crate::counts::Counts;
use arrow_buffer::NullBuffer;

/// Counts `x` as NaN or infinite, or appends it (−0 normalised) to `out`.
#[inline(always)]
fn classify_push(x: f64, out: &mut Vec<f64>, c: &mut Counts) {
    if x.is_nan() {
        c.nan += 1;
    } else if x.is_infinite() {
        c.infinite += 1;
    } else {
        out.push(x + 0.0);
    }
}

/// Branch-free compaction of the finite values of `values` into `out`,
/// counting the others: `(nan, infinite)`.
fn compact_finite(values: &[f64], out: &mut Vec<f64>) -> (u64, u64) {
    let start = out.len();
    out.resize(start + values.len(), 0.0);
    let buf = &mut out[start..];
    let (mut k, mut nan) = (0usize, 0u64);
    for &x in values {
        buf[k] = x + 0.0;
        k += x.is_finite() as usize;
        nan += x.is_nan() as u64;
    }
    out.truncate(start + k);
    (nan, (values.len() - k) as u64 - nan)
}

multiversion! {
    /// Appends `x + 0.0` for every x of the slice (normalises −0) and returns
    /// whether all were finite, in one pass.
    ///
    /// Dispatch: `dispatch/append_normalised_checked/{avx2,scalar}_build`,
    /// 171 µs against 254 µs per 1M values (medians, benches/README.md).
    pub fn append_normalised_checked(values: &[f64], out: &mut Vec<f64>) -> bool {
        // Safe on purpose: writing the spare capacity lane by lane and then
        // `set_len` (the former, unsafe build) measured no faster than this
        // extend: 270 µs against 202 µs per 1M values
        // (`dispatch/extract_f64/kernel_all_finite`, benches/README.md).
        let mut bad = 0u64;
        out.extend(values.iter().map(|&x| {
            bad |= (!x.is_finite()) as u64;
            x + 0.0
        }));
        bad == 0
    }
}

fn extract_dense(values: &[f64], out: &mut Vec<f64>) -> Counts {
    // one pass in the common all-finite case; NaN/inf are counted and
    // compacted away only when the pass saw some
    let start = out.len();
    let (nan, infinite) = if append_normalised_checked(values, out) {
        (0, 0)
    } else {
        out.truncate(start);
        compact_finite(values, out)
    };
    Counts {
        count: values.len() as u64,
        nulls: 0,
        nan,
        infinite,
    }
}

/// Appends the finite, non-null values of `values` (validity in `nulls`,
/// already sliced to the same offset and length) to `out`.
///
/// Path chosen once per array: no null buffer → dense loop; otherwise the
/// validity bitmap is walked 64 bits at a time, with all-valid words taking
/// the dense path and all-null words skipped.
///
/// ```
/// use drift_core::kernels::extract::extract_f64;
/// let mut out = Vec::new();
/// let c = extract_f64(&[1.0, f64::NAN, f64::INFINITY, -0.0], None, &mut out);
/// assert_eq!((c.nan, c.infinite, c.valid()), (1, 1, 2));
/// assert_eq!(out, vec![1.0, 0.0]);
/// assert!(out[1].is_sign_positive());
/// ```
pub fn extract_f64(values: &[f64], nulls: Option<&NullBuffer>, out: &mut Vec<f64>) -> Counts {
    let nulls = match nulls {
        Some(n) if n.null_count() > 0 => n,
        _ => return extract_dense(values, out),
    };
    debug_assert_eq!(nulls.len(), values.len());
    let mut total = Counts {
        count: values.len() as u64,
        nulls: nulls.null_count() as u64,
        ..Counts::default()
    };
    if nulls.null_count() == values.len() {
        return total;
    }
    let chunks = nulls.inner().bit_chunks();
    let mut base = 0usize;
    let word_pass =
        |word: u64, base: usize, width: usize, out: &mut Vec<f64>, total: &mut Counts| {
            let full = if width == 64 {
                u64::MAX
            } else {
                (1u64 << width) - 1
            };
            if word == full {
                let c = extract_dense(&values[base..base + width], out);
                total.nan += c.nan;
                total.infinite += c.infinite;
            } else if word != 0 {
                let mut w = word;
                while w != 0 {
                    let bit = w.trailing_zeros() as usize;
                    let x = values[base + bit];
                    classify_push(x, out, total);
                    w &= w - 1;
                }
            }
        };
    for word in chunks.iter() {
        word_pass(word, base, 64, out, &mut total);
        base += 64;
    }
    let rem = chunks.remainder_len();
    if rem > 0 {
        word_pass(chunks.remainder_bits(), base, rem, out, &mut total);
    }
    total
}

/// Scalar reference of [`extract_f64`]: one slot at a time.
#[cfg(test)]
fn extract_f64_reference(values: &[f64], nulls: Option<&NullBuffer>, out: &mut Vec<f64>) -> Counts {
    let mut c = Counts {
        count: values.len() as u64,
        ..Counts::default()
    };
    for (i, &x) in values.iter().enumerate() {
        if nulls.is_some_and(|n| n.is_null(i)) {
            c.nulls += 1;
        } else if x.is_nan() {
            c.nan += 1;
        } else if x.is_infinite() {
            c.infinite += 1;
        } else {
            out.push(x + 0.0);
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn nb(bits: &[bool]) -> NullBuffer {
        NullBuffer::from(bits.to_vec())
    }

    fn cases() -> Vec<(Vec<f64>, Option<Vec<bool>>)> {
        let mut v = Vec::new();
        for len in [0usize, 1, 7, 8, 9, 63, 64, 65, 127, 128, 129, 200] {
            let vals: Vec<f64> = (0..len)
                .map(|i| match i % 11 {
                    3 => f64::NAN,
                    5 => f64::INFINITY,
                    6 => f64::NEG_INFINITY,
                    7 => -0.0,
                    _ => i as f64 * 0.5 - 3.0,
                })
                .collect();
            v.push((vals.clone(), None));
            v.push((vals.clone(), Some((0..len).map(|i| i % 3 != 0).collect())));
            v.push((
                vals.clone(),
                Some((0..len).map(|i| i != 63 && i != 64).collect()),
            ));
            v.push((vals.clone(), Some(vec![false; len])));
            v.push((vals, Some(vec![true; len])));
        }
        v
    }

    #[test]
    fn fast_equals_reference_on_edge_cases() {
        for (vals, valid) in cases() {
            let nulls = valid.as_deref().map(nb);
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let ca = extract_f64(&vals, nulls.as_ref(), &mut a);
            let cb = extract_f64_reference(&vals, nulls.as_ref(), &mut b);
            assert_eq!(ca, cb, "len {}", vals.len());
            assert_eq!(
                a.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                b.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn sliced_null_buffer_with_offset() {
        let vals: Vec<f64> = (0..300).map(|i| i as f64).collect();
        let full = nb(&(0..300).map(|i| i % 5 != 0).collect::<Vec<_>>());
        for off in [0usize, 1, 13, 64, 65] {
            let len = 300 - off - 3;
            let sl = full.slice(off, len);
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let ca = extract_f64(&vals[off..off + len], Some(&sl), &mut a);
            let cb = extract_f64_reference(&vals[off..off + len], Some(&sl), &mut b);
            assert_eq!(ca, cb);
            assert_eq!(a, b);
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn append_checked_builds_agree() {
        if !std::is_x86_feature_detected!("avx2") {
            return;
        }
        for (vals, _) in cases() {
            let (mut a, mut b) = (vec![1.0], vec![1.0]);
            // SAFETY: AVX2 detected above.
            let simd = unsafe { append_normalised_checked::avx2(&vals, &mut a) };
            assert_eq!(simd, append_normalised_checked::scalar(&vals, &mut b));
            assert_eq!(
                a.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                b.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
            );
        }
    }

    proptest! {
        #[test]
        fn prop_fast_equals_reference(vals in proptest::collection::vec(prop_oneof![
                any::<f64>(), Just(f64::NAN), Just(-0.0), Just(f64::INFINITY)], 0..300),
            mask in proptest::collection::vec(any::<bool>(), 300), use_mask: bool, off in 0usize..5) {
            let off = off.min(vals.len());
            let vals = &vals[off..];
            let nulls = use_mask.then(|| nb(&mask[..vals.len()]));
            let (mut a, mut b) = (Vec::new(), Vec::new());
            prop_assert_eq!(extract_f64(vals, nulls.as_ref(), &mut a), extract_f64_reference(vals, nulls.as_ref(), &mut b));
            prop_assert_eq!(a.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), b.iter().map(|x| x.to_bits()).collect::<Vec<_>>());
        }
    }
}
