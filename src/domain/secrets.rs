//! Private key material: never committed into an office. A signing key in the repository is a
//! key anyone with a clone can sign as. Recognised: PEM private key blocks (OpenSSH, RSA, EC,
//! DSA, PKCS#8, encrypted), OpenPGP private key blocks, PuTTY key files and the binary OpenSSH
//! key format — as they are, or base64-encoded inside a file (an email's attachment part).

use memchr::memmem;

/// The kind of private key material in `bytes`, if there is any.
pub fn private_key_in(bytes: &[u8]) -> Option<&'static str> {
    const MARKERS: &[(&[u8], &str)] = &[
        (
            b"-----BEGIN OPENSSH PRIVATE KEY-----",
            "an OpenSSH private key",
        ),
        (
            b"-----BEGIN PGP PRIVATE KEY BLOCK-----",
            "an OpenPGP private key",
        ),
        (b"-----BEGIN RSA PRIVATE KEY-----", "an RSA private key"),
        (b"-----BEGIN EC PRIVATE KEY-----", "an EC private key"),
        (b"-----BEGIN DSA PRIVATE KEY-----", "a DSA private key"),
        (
            b"-----BEGIN ENCRYPTED PRIVATE KEY-----",
            "an encrypted private key",
        ),
        (b"-----BEGIN PRIVATE KEY-----", "a private key"),
        (b"PuTTY-User-Key-File-", "a PuTTY private key"),
        (b"openssh-key-v1\0", "an OpenSSH private key"),
    ];
    for (marker, what) in MARKERS {
        if memmem::find(bytes, marker).is_some() {
            return Some(what);
        }
    }
    // Encoded: the base64 of "PRIVATE KEY-----" or of the binary OpenSSH magic, at each of
    // the three byte alignments (the characters that depend on neighbours left out).
    let encoded = |hay: &[u8]| {
        encoded_needles()
            .iter()
            .any(|n| memmem::find(hay, n.as_bytes()).is_some())
    };
    // Base64 in mail and PEM is wrapped into lines: look again with the line breaks taken out.
    if encoded(bytes) || encoded(&unwrapped(bytes)) {
        return Some("private key material (base64-encoded)");
    }
    None
}

fn unwrapped(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(i) = memchr::memchr2(b'\n', b'\r', rest) {
        out.extend_from_slice(&rest[..i]);
        rest = &rest[i + 1..];
    }
    out.extend_from_slice(rest);
    out
}

fn encoded_needles() -> &'static [String] {
    static NEEDLES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    NEEDLES.get_or_init(|| {
        let mut out = Vec::new();
        for plain in [&b"PRIVATE KEY-----"[..], &b"openssh-key-v1\0"[..]] {
            for shift in 0..3 {
                let mut padded = vec![0u8; shift];
                padded.extend_from_slice(plain);
                let encoded = base64(&padded);
                // Characters mixing the padding bytes, and the last (partial) group, vary.
                let start = if shift == 0 {
                    0
                } else {
                    (shift * 8).div_ceil(6)
                };
                let whole = (padded.len() / 3) * 4;
                if whole > start + 8 {
                    out.push(encoded[start..whole].to_string());
                }
            }
        }
        out
    })
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_plain_and_encoded_and_ordinary_text_is_not() {
        let key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n";
        assert_eq!(
            private_key_in(key.as_bytes()),
            Some("an OpenSSH private key")
        );
        assert!(private_key_in(b"note: -----BEGIN RSA PRIVATE KEY----- pasted").is_some());
        assert!(private_key_in(b"-----BEGIN PGP PRIVATE KEY BLOCK-----").is_some());
        // The body of an OpenSSH key alone (base64 of the binary format), at any offset.
        for prefix in ["", "x", "xy", "xyz"] {
            let body = format!("{prefix}b3BlbnNzaC1rZXktdjEAAAAABG5vbmU");
            assert!(private_key_in(body.as_bytes()).is_some(), "{body}");
        }
        // A whole PEM key base64-encoded again (an .eml attachment part), at any alignment.
        for prefix in ["", "a", "ab"] {
            let wrapped = base64(format!("{prefix}{key}").as_bytes());
            assert!(private_key_in(wrapped.as_bytes()).is_some(), "{prefix:?}");
        }
        // ... also wrapped at 76 characters, as mail does.
        let wrapped = base64(key.as_bytes());
        let lines: Vec<&str> = wrapped
            .as_bytes()
            .chunks(76)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        assert!(private_key_in(lines.join("\r\n").as_bytes()).is_some());
        assert_eq!(
            private_key_in(b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ0 public"),
            None
        );
        assert_eq!(
            private_key_in("The insured keeps a spare key under the mat.".as_bytes()),
            None
        );
        assert_eq!(private_key_in(b"-----BEGIN PUBLIC KEY-----"), None);
    }
}
