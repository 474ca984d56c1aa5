//! MinHash signatures of a text's character shingles, and the LSH bands that find
//! candidate pairs among many signatures without comparing every pair.
//!
//! A text's shingles are its runs of [`SHINGLE_CHARS`] letters, digits and CJK characters
//! (spaces and punctuation dropped, so layout and full-width forms do not matter; the text
//! is normalised first, so traditional and simplified copies agree). The signature keeps,
//! for each of [`HASHES`] hash functions, the smallest value over the shingles; two
//! signatures agree at a position with probability equal to the Jaccard similarity of the
//! two shingle sets. Each value is stored in its low 16 bits (b-bit MinHash): the chance
//! that two different minima agree by accident is 1/65,536, negligible against the
//! threshold. (The high bits would not do: a minimum of a thousand values is small, and its
//! high bits are nearly always zero.)
//!
//! Banding: [`BANDS`] bands of [`BAND_ROWS`] values. Two texts are candidates when one band
//! is equal in both: probability `1 - (1 - J^3)^42`, 0.996 at J = 0.5 and 0.02 at J = 0.1.
//! Candidates are then checked on the whole signature against [`THRESHOLD`].

use std::sync::LazyLock;

/// Characters per shingle.
pub const SHINGLE_CHARS: usize = 4;
/// Hash functions per signature.
pub const HASHES: usize = 126;
/// Values per LSH band.
pub const BAND_ROWS: usize = 3;
/// LSH bands per signature.
pub const BANDS: usize = HASHES / BAND_ROWS;
/// Texts with fewer shingles are never anyone's reprint: too little text to tell a copy
/// from a coincidence (a caption, a one-line brief).
pub const MIN_SHINGLES: usize = 40;
/// The estimated Jaccard similarity of shingle sets at which two texts are one story.
pub const THRESHOLD: f64 = 0.5;

/// A text's MinHash signature.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Signature(pub [u16; HASHES]);

/// The hash functions: `(a * x + b) >> 32` over 64-bit shingle hashes, with odd `a`
/// (multiply-shift hashing), the multipliers and the addends in two arrays so that the loop
/// over them runs on vectors ([`minima`]). Fixed, so signatures from different builds compare.
static FUNCTIONS: LazyLock<Functions> = LazyLock::new(|| {
    let mut state = 0x243F_6A88_85A3_08D3_u64; // the digits of pi: nothing up the sleeve
    let mut next = || {
        // splitmix64
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut f = Functions {
        a: [0; HASHES],
        b: [0; HASHES],
    };
    for i in 0..HASHES {
        f.a[i] = next() | 1;
        f.b[i] = next();
    }
    f
});

struct Functions {
    a: [u64; HASHES],
    b: [u64; HASHES],
}

/// For each hash function, its smallest value over `hashes`. The same loop, compiled for
/// AVX-512 (eight 64-bit multiplies at once) or AVX2 where the processor has them: the
/// signature stage was as costly as tagging facets, done one multiply at a time.
fn minima(hashes: &[u64]) -> [u32; HASHES] {
    #[cfg(target_arch = "x86_64")]
    {
        if is_x86_feature_detected!("avx512dq") {
            // SAFETY: the processor has the features the function is compiled for.
            return unsafe { minima_avx512(hashes) };
        }
        if is_x86_feature_detected!("avx2") {
            // SAFETY: as above.
            return unsafe { minima_avx2(hashes) };
        }
    }
    minima_of(hashes)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq")]
unsafe fn minima_avx512(hashes: &[u64]) -> [u32; HASHES] {
    minima_of(hashes)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn minima_avx2(hashes: &[u64]) -> [u32; HASHES] {
    minima_of(hashes)
}

#[inline(always)]
fn minima_of(hashes: &[u64]) -> [u32; HASHES] {
    let f = &*FUNCTIONS;
    let mut mins = [u32::MAX; HASHES];
    for &x in hashes {
        for ((m, &a), &b) in mins.iter_mut().zip(&f.a).zip(&f.b) {
            let v = (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32;
            *m = (*m).min(v);
        }
    }
    mins
}

/// A shingle's 64-bit hash.
fn shingle_hash(chars: &[char]) -> u64 {
    let mut h = 0xCBF2_9CE4_8422_2325_u64;
    for &c in chars {
        h = (h ^ c as u64).wrapping_mul(0x0000_0100_0000_01B3);
        h ^= h >> 29;
    }
    // murmur3's finaliser spreads the low bits over the word
    h = (h ^ (h >> 33)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h = (h ^ (h >> 33)).wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

/// The signature of a normalised text, or None when it is too short to compare.
pub fn signature(normalized: &str) -> Option<Signature> {
    let chars: Vec<char> = normalized.chars().filter(|c| c.is_alphanumeric()).collect();
    if chars.len() < SHINGLE_CHARS + MIN_SHINGLES - 1 {
        return None;
    }
    // A shingle seen twice changes no minimum: no need to sort them out first.
    let hashes: Vec<u64> = chars.windows(SHINGLE_CHARS).map(shingle_hash).collect();
    let mins = minima(&hashes);
    // The low bits: a minimum over many values is small, so its high bits are mostly zero
    // and would agree by accident.
    Some(Signature(mins.map(|m| m as u16)))
}

impl Signature {
    /// The estimated Jaccard similarity of the two texts' shingle sets.
    pub fn similarity(&self, other: &Signature) -> f64 {
        let same = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        same as f64 / HASHES as f64
    }

    /// The key of LSH band `i`: the band's number and its values, exactly, in one word.
    pub fn band(&self, i: usize) -> u64 {
        self.0[i * BAND_ROWS..(i + 1) * BAND_ROWS]
            .iter()
            .fold(i as u64, |key, &v| (key << 16) | u64::from(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_build_of_the_minima_gives_the_same_values() {
        let hashes: Vec<u64> = (0..1000u64)
            .map(|i| shingle_hash(&[char::from_u32(0x4E00 + (i % 2000) as u32).unwrap(); 4]) ^ i)
            .collect();
        let want = minima_of(&hashes);
        assert_eq!(minima(&hashes), want);
        // The first values of the first function, worked out by hand from its definition.
        let (a, b) = (FUNCTIONS.a[0], FUNCTIONS.b[0]);
        let first = hashes
            .iter()
            .map(|&x| (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32)
            .min();
        assert_eq!(Some(want[0]), first);
    }

    fn text(seed: u32, len: usize) -> String {
        // A deterministic stream of CJK characters: distinct seeds share next to nothing.
        let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                char::from_u32(0x4E00 + x % 2000).unwrap()
            })
            .collect()
    }

    #[test]
    fn copies_agree_and_strangers_do_not() {
        let a = text(1, 800);
        let b = text(2, 800);
        let sa = signature(&a).unwrap();
        assert_eq!(sa.similarity(&signature(&a).unwrap()), 1.0);
        assert!(sa.similarity(&signature(&b).unwrap()) < 0.05);
        // Spaces and punctuation do not change the shingles.
        let spaced: String = a.chars().flat_map(|c| [c, ' ', '，']).collect();
        assert_eq!(signature(&spaced).unwrap(), sa);
    }

    #[test]
    fn the_estimate_follows_the_jaccard_similarity() {
        // b keeps the first 3/4 of a: J = 0.75 (up to shingles at the cut).
        let a = text(3, 2000);
        let b: String = a.chars().take(1500).collect();
        let s = signature(&a).unwrap().similarity(&signature(&b).unwrap());
        assert!((0.6..0.9).contains(&s), "{s}");
    }

    #[test]
    fn short_texts_have_no_signature() {
        assert!(signature("新华社北京1月1日电").is_none());
        assert!(signature(&text(4, 30)).is_none());
    }

    #[test]
    fn band_keys_are_distinct_per_band() {
        let s = signature(&text(5, 500)).unwrap();
        let keys: std::collections::HashSet<u64> = (0..BANDS).map(|i| s.band(i)).collect();
        assert_eq!(keys.len(), BANDS);
    }
}
