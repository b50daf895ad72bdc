//! Maps keyed by values that are already hashes (a digest, a keyed 64-bit hash): hashing them
//! again would only cost time.

use std::hash::{BuildHasherDefault, Hasher};

/// The `S` of a `HashMap<u64, _, S>` or `HashSet<u64, S>` whose keys are hashes.
pub type Prehashed = BuildHasherDefault<PassThrough>;

#[derive(Default)]
pub struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}
