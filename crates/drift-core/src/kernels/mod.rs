//! Hot kernels: extraction of finite `f64` values from Arrow buffers, moments,
//! radix sort, counting into runs of (value, count) for tie-heavy columns
//! ([`sorted`]), histogram binning and the ECDF merges and searches.
//!
//! Every kernel has a plain scalar reference implementation. Kernels whose
//! inner loops vectorise are compiled twice — once for the baseline target and
//! once with `#[target_feature(enable = "avx2")]` — and the AVX2 build is
//! selected once at runtime (cached), the way `memchr` selects its
//! implementations. Both builds run the *same* Rust code with the same fixed
//! reduction order, so their results are bit-identical; the AVX2 build only
//! lets LLVM use 256-bit registers. Setting `DRIFT_SIMD=scalar` in the
//! environment forces the portable build.

pub mod buffer;
pub(crate) mod dd;
pub mod ecdf;
pub mod extract;
pub mod histogram;
pub mod moments;
pub mod sort;
pub mod sorted;

use std::sync::OnceLock;

/// Which implementation the dispatching kernels use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimdLevel {
    /// Portable code compiled for the baseline target.
    Scalar,
    /// The same code compiled with AVX2 enabled (x86-64 only, runtime-detected).
    Avx2,
}

/// The SIMD level in effect: AVX2 when the CPU has it and `DRIFT_SIMD` is not
/// `scalar`; detected once and cached.
pub fn simd_level() -> SimdLevel {
    static LEVEL: OnceLock<SimdLevel> = OnceLock::new();
    *LEVEL.get_or_init(|| {
        let forced_scalar = std::env::var("DRIFT_SIMD")
            .map(|v| v.eq_ignore_ascii_case("scalar"))
            .unwrap_or(false);
        if forced_scalar {
            return SimdLevel::Scalar;
        }
        #[cfg(target_arch = "x86_64")]
        {
            if std::is_x86_feature_detected!("avx2") {
                return SimdLevel::Avx2;
            }
        }
        SimdLevel::Scalar
    })
}

/// Defines `$name` dispatching to a baseline build and an AVX2 build of the
/// same body. `$name::scalar` / `$name::avx2` are exposed for tests and benches.
macro_rules! multiversion {
    (
        $(#[$meta:meta])*
        $vis:vis fn $name:ident($($arg:ident : $ty:ty),* $(,)?) $(-> $ret:ty)? $body:block
    ) => {
        $(#[$meta])*
        $vis fn $name($($arg: $ty),*) $(-> $ret)? {
            match $crate::kernels::simd_level() {
                #[cfg(target_arch = "x86_64")]
                $crate::kernels::SimdLevel::Avx2 => {
                    // SAFETY: simd_level() returns Avx2 only after runtime detection.
                    // JUSTIFICATION: each kernel's doc names the criterion
                    // figure (`dispatch/<kernel>/{avx2,scalar}_build`) that
                    // pays for this call.
                    unsafe { $name::avx2($($arg),*) }
                }
                _ => $name::scalar($($arg),*),
            }
        }

        #[allow(missing_docs)]
        #[doc(hidden)]
        $vis mod $name {
            #[allow(unused_imports)]
            use super::*;

            /// Baseline build of the kernel.
            #[inline]
            pub fn scalar($($arg: $ty),*) $(-> $ret)? $body

            /// AVX2 build of the same kernel body.
            ///
            /// # Safety
            /// The CPU must support AVX2.
            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx2")]
            pub unsafe fn avx2($($arg: $ty),*) $(-> $ret)? $body
        }
    };
}
pub(crate) use multiversion;

/// Number of independent accumulators in reductions: a fixed reduction tree
/// that both builds share, so they agree bit for bit.
pub const LANES: usize = 8;
