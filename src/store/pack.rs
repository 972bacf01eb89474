//! Writing git packfiles (version 2, with a version 2 index) for batch commits.
//!
//! A batch of claim commits rewrites the same month folder thousands of times, each version
//! differing from the one before by a single entry. Stored as loose objects every version is a
//! separate compressed file; here each version is stored as a git delta against the version it
//! replaced (a copy of the common head, the new bytes, a copy of the common tail), so a pack of
//! a thousand commits costs little more than the claim files themselves.
//!
//! The format is git's own (`Documentation/gitformat-pack.txt`): `PACK`, version 2, the object
//! count; each object as a type-and-size header and zlib data (a `REF_DELTA` carries its base's
//! id first); the SHA-1 of everything before as trailer. The index lists the ids sorted with a
//! fan-out table, the CRC-32 of every packed entry and its offset. A pack here never refers to
//! an object outside itself (no "thin" packs), and delta chains stay at most [`MAX_DEPTH`] long,
//! git's own default, so reading an old version stays cheap.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::Compression;
use git2::{ObjectType, Oid};

/// Longest delta chain written (git's `pack.depth` default).
pub const MAX_DEPTH: u32 = 50;

/// git's largest copy in one delta instruction as its own delta writer emits it.
const MAX_COPY: usize = 0x10000;
/// The longest literal run in one delta instruction.
const MAX_INSERT: usize = 0x7f;

const OBJ_COMMIT: u8 = 1;
const OBJ_TREE: u8 = 2;
const OBJ_BLOB: u8 = 3;
const OBJ_TAG: u8 = 4;
const OBJ_REF_DELTA: u8 = 7;

/// A pack being assembled in memory.
pub struct PackWriter {
    buf: Vec<u8>,
    /// One compressor for every object (setting one up costs more than a small object).
    zlib: flate2::Compress,
    /// id → (offset, CRC-32 of the entry, delta depth)
    entries: HashMap<Oid, (u64, u32, u32)>,
    order: Vec<Oid>,
}

impl Default for PackWriter {
    fn default() -> Self {
        PackWriter::new()
    }
}

impl PackWriter {
    pub fn new() -> PackWriter {
        let mut buf = Vec::with_capacity(1 << 20);
        buf.extend_from_slice(b"PACK");
        buf.extend_from_slice(&2u32.to_be_bytes());
        buf.extend_from_slice(&0u32.to_be_bytes()); // the count, filled in by `finish`
        PackWriter {
            buf,
            zlib: flate2::Compress::new(Compression::fast(), true),
            entries: HashMap::new(),
            order: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    pub fn contains(&self, id: Oid) -> bool {
        self.entries.contains_key(&id)
    }

    /// The delta depth of `id` if it is in this pack.
    pub fn depth(&self, id: Oid) -> Option<u32> {
        self.entries.get(&id).map(|e| e.2)
    }

    /// Adds an object whole. Adding an id twice keeps the first.
    pub fn add(&mut self, id: Oid, kind: ObjectType, data: &[u8]) {
        if self.contains(id) {
            return;
        }
        let type_code = match kind {
            ObjectType::Commit => OBJ_COMMIT,
            ObjectType::Tree => OBJ_TREE,
            ObjectType::Blob => OBJ_BLOB,
            ObjectType::Tag => OBJ_TAG,
            other => panic!("cannot pack a {other:?} object"),
        };
        let start = self.buf.len();
        push_entry_header(&mut self.buf, type_code, data.len());
        deflate_into(&mut self.zlib, &mut self.buf, data);
        self.record(id, start, 0);
    }

    /// Adds `data` as a delta against `base`, which must already be in this pack with a chain
    /// shorter than [`MAX_DEPTH`]; otherwise (or when the delta would not be smaller) whole.
    pub fn add_against(
        &mut self,
        id: Oid,
        kind: ObjectType,
        data: &[u8],
        base: Oid,
        base_data: &[u8],
    ) {
        if self.contains(id) {
            return;
        }
        let Some(depth) = self.depth(base).filter(|d| *d < MAX_DEPTH) else {
            return self.add(id, kind, data);
        };
        let delta = delta(base_data, data);
        if delta.len() >= data.len() {
            return self.add(id, kind, data);
        }
        let start = self.buf.len();
        push_entry_header(&mut self.buf, OBJ_REF_DELTA, delta.len());
        self.buf.extend_from_slice(base.as_bytes());
        deflate_into(&mut self.zlib, &mut self.buf, &delta);
        self.record(id, start, depth + 1);
    }

    fn record(&mut self, id: Oid, start: usize, depth: u32) {
        let crc = crc32fast::hash(&self.buf[start..]);
        self.entries.insert(id, (start as u64, crc, depth));
        self.order.push(id);
    }

    /// Writes `pack-HASH.pack` and then `pack-HASH.idx` into `pack_dir` (each through a
    /// temporary file renamed into place, so a reader never sees half a pack) and returns the
    /// path of the index. Nothing is written for an empty pack.
    pub fn finish(mut self, pack_dir: &Path) -> std::io::Result<Option<PathBuf>> {
        if self.order.is_empty() {
            return Ok(None);
        }
        let count = u32::try_from(self.order.len()).expect("fewer than 2^32 objects");
        self.buf[8..12].copy_from_slice(&count.to_be_bytes());
        let checksum = sha1(&self.buf);
        self.buf.extend_from_slice(&checksum);
        let index = self.index(&checksum);

        let name = format!("pack-{}", hex(&checksum));
        let pack_path = pack_dir.join(format!("{name}.pack"));
        let idx_path = pack_dir.join(format!("{name}.idx"));
        std::fs::create_dir_all(pack_dir)?;
        write_read_only(pack_dir, &pack_path, &self.buf)?;
        write_read_only(pack_dir, &idx_path, &index)?;
        Ok(Some(idx_path))
    }

    /// The version 2 index for the pack whose trailer is `pack_checksum`.
    fn index(&self, pack_checksum: &[u8; 20]) -> Vec<u8> {
        let mut ids: Vec<Oid> = self.order.clone();
        ids.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        let mut out = Vec::with_capacity(8 + 256 * 4 + ids.len() * 28 + 40);
        out.extend_from_slice(b"\xfftOc");
        out.extend_from_slice(&2u32.to_be_bytes());
        let mut fanout = [0u32; 256];
        for id in &ids {
            fanout[id.as_bytes()[0] as usize] += 1;
        }
        let mut running = 0u32;
        for n in fanout {
            running += n;
            out.extend_from_slice(&running.to_be_bytes());
        }
        for id in &ids {
            out.extend_from_slice(id.as_bytes());
        }
        for id in &ids {
            out.extend_from_slice(&self.entries[id].1.to_be_bytes());
        }
        let mut large: Vec<u64> = Vec::new();
        for id in &ids {
            let offset = self.entries[id].0;
            if offset < 0x8000_0000 {
                out.extend_from_slice(&(offset as u32).to_be_bytes());
            } else {
                let slot = 0x8000_0000 | large.len() as u32;
                out.extend_from_slice(&slot.to_be_bytes());
                large.push(offset);
            }
        }
        for offset in large {
            out.extend_from_slice(&offset.to_be_bytes());
        }
        out.extend_from_slice(pack_checksum);
        let own = sha1(&out);
        out.extend_from_slice(&own);
        out
    }
}

fn write_read_only(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = tempfile::Builder::new()
        .prefix("tmp_pack_")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    // On disk before the branch can point into it (a power loss must not leave a ref to a
    // pack that never reached the disk).
    tmp.as_file().sync_all()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o444))?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    super::durable::sync_dir(dir)
}

fn sha1(bytes: &[u8]) -> [u8; 20] {
    use sha1::Digest;
    sha1::Sha1::digest(bytes).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An entry header: the type in bits 4–6 of the first byte, then the size, 4 bits in the first
/// byte and 7 in each following one, least significant first.
fn push_entry_header(buf: &mut Vec<u8>, type_code: u8, size: usize) {
    let mut size = size as u64;
    let mut byte = (type_code << 4) | (size & 0x0f) as u8;
    size >>= 4;
    while size > 0 {
        buf.push(byte | 0x80);
        byte = (size & 0x7f) as u8;
        size >>= 7;
    }
    buf.push(byte);
}

/// Appends `data` to `buf` as one complete zlib stream.
fn deflate_into(zlib: &mut flate2::Compress, buf: &mut Vec<u8>, data: &[u8]) {
    zlib.reset();
    let mut chunk = [0u8; 64 * 1024];
    let mut input = data;
    loop {
        let (in_before, out_before) = (zlib.total_in(), zlib.total_out());
        let status = zlib
            .compress(input, &mut chunk, flate2::FlushCompress::Finish)
            .expect("compressing into memory");
        input = &input[(zlib.total_in() - in_before) as usize..];
        buf.extend_from_slice(&chunk[..(zlib.total_out() - out_before) as usize]);
        if status == flate2::Status::StreamEnd {
            return;
        }
    }
}

/// A size in a delta header: 7 bits a byte, least significant first.
fn push_varint(out: &mut Vec<u8>, mut n: usize) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn push_copy(out: &mut Vec<u8>, mut offset: usize, mut len: usize) {
    while len > 0 {
        let n = len.min(MAX_COPY);
        let mut op = 0x80u8;
        let mut args = Vec::with_capacity(7);
        for i in 0..4 {
            let b = ((offset >> (8 * i)) & 0xff) as u8;
            if b != 0 {
                op |= 1 << i;
                args.push(b);
            }
        }
        // A size of 0x10000 is written as no size bytes at all.
        let size = if n == MAX_COPY { 0 } else { n };
        for i in 0..3 {
            let b = ((size >> (8 * i)) & 0xff) as u8;
            if b != 0 {
                op |= 0x10 << i;
                args.push(b);
            }
        }
        out.push(op);
        out.extend_from_slice(&args);
        offset += n;
        len -= n;
    }
}

fn push_insert(out: &mut Vec<u8>, bytes: &[u8]) {
    for chunk in bytes.chunks(MAX_INSERT) {
        out.push(chunk.len() as u8);
        out.extend_from_slice(chunk);
    }
}

/// Blocks compared at once when looking for where two versions part (a `memcmp` each).
const BLOCK: usize = 4096;

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut at = 0;
    while at + BLOCK <= n && a[at..at + BLOCK] == b[at..at + BLOCK] {
        at += BLOCK;
    }
    at + a[at..n]
        .iter()
        .zip(&b[at..n])
        .take_while(|(x, y)| x == y)
        .count()
}

fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (a, b) = (&a[a.len() - n..], &b[b.len() - n..]);
    let mut at = n; // a[at..] == b[at..]
    while at >= BLOCK && a[at - BLOCK..at] == b[at - BLOCK..at] {
        at -= BLOCK;
    }
    let same = a[..at]
        .iter()
        .rev()
        .zip(b[..at].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    n - at + same
}

/// A git delta turning `base` into `target`: copy the common head, insert what differs, copy
/// the common tail. Exact for any pair; small when the two differ in one place, as successive
/// versions of a folder do.
pub fn delta(base: &[u8], target: &[u8]) -> Vec<u8> {
    let head = common_prefix(base, target);
    let room = base.len().min(target.len()) - head;
    let tail = common_suffix(&base[base.len() - room..], &target[target.len() - room..]);
    let mut out = Vec::with_capacity(32 + target.len() - head - tail);
    push_varint(&mut out, base.len());
    push_varint(&mut out, target.len());
    push_copy(&mut out, 0, head);
    push_insert(&mut out, &target[head..target.len() - tail]);
    push_copy(&mut out, base.len() - tail, tail);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// git's delta application, written from the format description, to check [`delta`].
    fn apply(base: &[u8], delta: &[u8]) -> Vec<u8> {
        fn varint(d: &[u8], pos: &mut usize) -> usize {
            let (mut n, mut shift) = (0usize, 0);
            loop {
                let b = d[*pos];
                *pos += 1;
                n |= ((b & 0x7f) as usize) << shift;
                shift += 7;
                if b & 0x80 == 0 {
                    return n;
                }
            }
        }
        let mut pos = 0;
        assert_eq!(varint(delta, &mut pos), base.len());
        let size = varint(delta, &mut pos);
        let mut out = Vec::new();
        while pos < delta.len() {
            let op = delta[pos];
            pos += 1;
            if op & 0x80 != 0 {
                let (mut off, mut len) = (0usize, 0usize);
                for i in 0..4 {
                    if op & (1 << i) != 0 {
                        off |= (delta[pos] as usize) << (8 * i);
                        pos += 1;
                    }
                }
                for i in 0..3 {
                    if op & (0x10 << i) != 0 {
                        len |= (delta[pos] as usize) << (8 * i);
                        pos += 1;
                    }
                }
                if len == 0 {
                    len = 0x10000;
                }
                out.extend_from_slice(&base[off..off + len]);
            } else {
                assert!(op > 0, "reserved opcode");
                out.extend_from_slice(&delta[pos..pos + op as usize]);
                pos += op as usize;
            }
        }
        assert_eq!(out.len(), size);
        out
    }

    #[test]
    fn deltas_rebuild_the_target_exactly() {
        let big: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut inserted = big.clone();
        inserted.splice(150_001..150_001, b"CLM-2611-7K3F-QM2X.yaml".iter().copied());
        let mut removed = big.clone();
        removed.drain(10..400);
        let cases: Vec<(&[u8], &[u8])> = vec![
            (b"", b""),
            (b"", b"new"),
            (b"old", b""),
            (b"same", b"same"),
            (b"aaaa", b"aaaaaa"),
            (b"abcabc", b"abc"),
            (&big, &inserted),
            (&inserted, &big),
            (&big, &removed),
            (&big[..70_000], &big[..200]),
        ];
        for (base, target) in cases {
            assert_eq!(apply(base, &delta(base, target)), target);
        }
        // One inserted entry in a 300 kB folder: a delta of a few dozen bytes.
        assert!(delta(&big, &inserted).len() < 80);
    }

    #[test]
    fn entry_headers_carry_type_and_size() {
        let mut b = Vec::new();
        push_entry_header(&mut b, OBJ_BLOB, 15);
        assert_eq!(b, [0x3f]);
        b.clear();
        push_entry_header(&mut b, OBJ_TREE, 16);
        assert_eq!(b, [0xa0, 0x01]);
        b.clear();
        push_entry_header(&mut b, OBJ_COMMIT, 300);
        // 300 = 0b1_0010_1100: low nibble 0xc, then 300 >> 4 = 18
        assert_eq!(b, [0x9c, 18]);
    }
}
