//! Private key material: never committed into an office. A signing key in the repository is a
//! key anyone with a clone can sign as. Recognised: PEM private key blocks (OpenSSH, RSA, EC,
//! DSA, PKCS#8, encrypted), OpenPGP private key blocks, PuTTY key files and the binary OpenSSH
//! key format — as they are, or base64-encoded inside a file (an email's attachment part).

use memchr::memmem;

/// The kind of private key material in `bytes`, if there is any — also inside a gzip file or
/// a zip archive (a .docx, an .xlsx), one level down.
pub fn private_key_in(bytes: &[u8]) -> Option<&'static str> {
    if let Some(what) = private_key_in_plain(bytes) {
        return Some(what);
    }
    unpacked(bytes).iter().find_map(|b| private_key_in_plain(b))
}

/// At most this much is unpacked from one file (a key is a few kilobytes).
const UNPACK_LIMIT: u64 = 64 << 20;

/// What a gzip file or zip archive holds, unpacked; nothing for other files.
fn unpacked(bytes: &[u8]) -> Vec<Vec<u8>> {
    use std::io::Read;
    let inflate = |r: &mut dyn Read| {
        let mut out = Vec::new();
        let _ = r.take(UNPACK_LIMIT).read_to_end(&mut out);
        out
    };
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return vec![inflate(&mut flate2::read::MultiGzDecoder::new(bytes))];
    }
    let mut out = Vec::new();
    let mut rest = bytes;
    // Zip local file headers, one after another: sizes, name, extra field, then the data.
    while rest.len() >= 30 && rest.starts_with(b"PK\x03\x04") && out.len() < 1000 {
        let u16_at = |i: usize| usize::from(u16::from_le_bytes([rest[i], rest[i + 1]]));
        let u32_at = |i: usize| {
            u32::from_le_bytes([rest[i], rest[i + 1], rest[i + 2], rest[i + 3]]) as usize
        };
        let (method, size) = (u16_at(8), u32_at(18));
        let start = 30 + u16_at(26) + u16_at(28);
        let Some(data) = rest.get(start..start + size) else {
            break;
        };
        match method {
            0 => out.push(data.to_vec()),
            8 => out.push(inflate(&mut flate2::read::DeflateDecoder::new(data))),
            _ => {}
        }
        rest = &rest[start + size..];
    }
    out
}

fn private_key_in_plain(bytes: &[u8]) -> Option<&'static str> {
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
        // Gzip'd, as a "document".
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, key.as_bytes()).unwrap();
        assert!(private_key_in(&gz.finish().unwrap()).is_some());
        // Deflated inside a zip archive (as a .docx holds its parts).
        let mut deflated =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut deflated, key.as_bytes()).unwrap();
        let data = deflated.finish().unwrap();
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend_from_slice(&[20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        zip.extend_from_slice(&(data.len() as u32).to_le_bytes());
        zip.extend_from_slice(&(key.len() as u32).to_le_bytes());
        zip.extend_from_slice(&5u16.to_le_bytes());
        zip.extend_from_slice(&0u16.to_le_bytes());
        zip.extend_from_slice(b"a.txt");
        zip.extend_from_slice(&data);
        assert!(private_key_in(&zip).is_some());
    }
}
