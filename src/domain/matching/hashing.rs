//! Hashing for the reference index: one fast, well-mixed 64-bit hash fed in pieces (so that
//! "FA" + "2024123" hashes like "FA2024123" without building it), and a tiny filter on the
//! shape of keys that answers most "is this word an invoice number?" questions from L1.

use std::hash::{BuildHasherDefault, Hasher};

/// Two independent hashes of the same bytes, fed in pieces: 64-bit FNV-1a (the table key)
/// and 32-bit FNV-1a (a check kept beside the entry). Two keys are taken as equal when both
/// agree: 96 bits, so the odds of a false match in a run of millions of lookups are below
/// one in 10^15, and no lookup has to read the invoice's own text.
#[derive(Clone, Copy)]
pub(super) struct Fnv {
    key: u64,
    check: u32,
}

impl Fnv {
    pub(super) fn new() -> Fnv {
        Fnv {
            key: 0xcbf2_9ce4_8422_2325,
            check: 0x811c_9dc5,
        }
    }

    pub(super) fn bytes(mut self, bytes: &[u8]) -> Fnv {
        for &b in bytes {
            self.key ^= u64::from(b);
            self.key = self.key.wrapping_mul(0x0100_0000_01b3);
            self.check ^= u32::from(b);
            self.check = self.check.wrapping_mul(0x0100_0193);
        }
        self
    }

    /// (table key, check). The key goes through a SplitMix64 finaliser so that every bit of
    /// it depends on every input byte.
    pub(super) fn finish(self) -> Hashed {
        let mut h = self.key;
        h ^= h >> 30;
        h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h ^= h >> 27;
        h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
        Hashed {
            key: h ^ (h >> 31),
            check: self.check ^ (self.check >> 15),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Hashed {
    pub key: u64,
    pub check: u32,
}

pub(super) fn hash_bytes(bytes: &[u8]) -> Hashed {
    Fnv::new().bytes(bytes).finish()
}

/// The keys of the index maps are already hashes. The index picks its partition from the
/// top bits, which are then the same for every key of a partition: mix them again so that
/// the table's bucket bits (low) and tag bits (high) both stay random.
#[derive(Default)]
pub(super) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = hash_bytes(bytes).key ^ self.0.rotate_left(17);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (n ^ (n >> 32)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

pub(super) type KeyBuild = BuildHasherDefault<KeyHasher>;

/// A filter on the shape of a key (its length and first two bytes): words of a shape that
/// no invoice number has are refused without touching the large tables. A company's invoice
/// numbers share a handful of shapes, bank text has many.
#[derive(Clone)]
pub(super) struct Shapes {
    bits: Box<[u64; 1024]>,
}

impl Default for Shapes {
    fn default() -> Self {
        Shapes {
            bits: Box::new([0; 1024]),
        }
    }
}

impl Shapes {
    fn slot(len: usize, first: u8, second: u8) -> usize {
        let x = ((len.min(63) as u32) << 16) | (u32::from(first) << 8) | u32::from(second);
        (x.wrapping_mul(0x9e37_79b1) >> 16) as usize
    }

    fn of(parts: &[&[u8]]) -> usize {
        let len = parts.iter().map(|p| p.len()).sum();
        let mut bytes = parts.iter().flat_map(|p| p.iter().copied());
        let a = bytes.next().unwrap_or(0);
        let b = bytes.next().unwrap_or(0);
        Self::slot(len, a, b)
    }

    pub(super) fn insert(&mut self, parts: &[&[u8]]) {
        let s = Self::of(parts);
        self.bits[s >> 6] |= 1 << (s & 63);
    }

    pub(super) fn insert_shape(&mut self, len: usize, first: [u8; 2]) {
        let s = Self::slot(len, first[0], first[1]);
        self.bits[s >> 6] |= 1 << (s & 63);
    }

    pub(super) fn may_contain(&self, parts: &[&[u8]]) -> bool {
        let s = Self::of(parts);
        self.bits[s >> 6] & (1 << (s & 63)) != 0
    }

    pub(super) fn merge(&mut self, other: &Shapes) {
        for (a, b) in self.bits.iter_mut().zip(other.bits.iter()) {
            *a |= b;
        }
    }
}

/// Runs `f` over `0..n` cut into one contiguous range per thread and returns the results in
/// range order, so the outcome does not depend on the number of threads.
pub(super) fn par_ranges<T: Send>(
    n: usize,
    threads: usize,
    f: impl Fn(std::ops::Range<usize>) -> T + Sync,
) -> Vec<T> {
    let threads = threads.clamp(1, n.max(1));
    if threads == 1 {
        return vec![f(0..n)];
    }
    let step = n.div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let range = (t * step).min(n)..((t + 1) * step).min(n);
                let f = &f;
                scope.spawn(move || f(range))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| match h.join() {
                Ok(v) => v,
                // A panic in a worker is a bug: carry it to the caller unchanged.
                Err(payload) => std::panic::resume_unwind(payload),
            })
            .collect()
    })
}

/// How many threads a run of `n` items deserves: one below a size where threads pay off.
pub(super) fn threads_for(n: usize) -> usize {
    if n < 20_000 {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |p| p.get().min(8))
}
