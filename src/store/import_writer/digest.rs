//! The file digests behind the already-imported check: the SHA-256 (the file's identity)
//! and the BLAKE3 (checked first, about four times faster).

use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicBool, Ordering};

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    hex(&digest)
}

/// `sha256_hex`, given up (`None`) as soon as `stop` is raised: hashed on a helper thread
/// while the file is decoded, and not worth finishing once the file is known already.
pub fn sha256_hex_unless(bytes: &[u8], stop: &AtomicBool) -> Option<String> {
    let mut hasher = Sha256::new();
    for chunk in bytes.chunks(1 << 20) {
        if stop.load(Ordering::Relaxed) {
            return None;
        }
        hasher.update(chunk);
    }
    Some(hex(&hasher.finalize()))
}

/// BLAKE3 of the file, hex: about four times faster than SHA-256, for the already-imported
/// check. The SHA-256 stays the file's identity (imports before this digest have only it).
pub fn blake3_hex(bytes: &[u8]) -> String {
    hex(blake3::hash(bytes).as_bytes())
}

/// Lower-case hex without a `format!` per byte.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod digest_tests {
    use super::*;

    #[test]
    fn the_chunked_sha256_is_the_whole_one_and_gives_up_when_asked() {
        // Larger than one chunk, and not a multiple of it.
        let bytes: Vec<u8> = (0..(3 << 20) + 17).map(|k| (k % 251) as u8).collect();
        let go = AtomicBool::new(false);
        assert_eq!(sha256_hex_unless(&bytes, &go), Some(sha256_hex(&bytes)));
        assert_eq!(sha256_hex_unless(b"", &go), Some(sha256_hex(b"")));
        let stop = AtomicBool::new(true);
        assert_eq!(sha256_hex_unless(&bytes, &stop), None);
    }
}
