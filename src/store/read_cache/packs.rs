//! The read cache's claim records, kept in packs: files `pack-*.rcp` of many records each,
//! written whole by one reading (to a temporary name, then renamed) and never changed after. A
//! later reading adds a pack of what it parsed; a tidy writes the records still in use into one
//! pack and removes the rest. One file for thousands of records: a cold reading of 50,000 claims
//! creates a few files, not 50,000, and a warm one opens a few.
//!
//! A pack: magic, build key, count, CRC-32 of the table; the table, one row per record sorted by
//! nothing in particular (blob id, offset, length, CRC-32 of the blob id and the record); the
//! records. A pack of another build, or whose table does not check, is not read (and a tidy
//! removes it); a record whose CRC does not check is not there.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use git2::Oid;

pub(super) const PREFIX: &str = "pack-";
pub(super) const SUFFIX: &str = ".rcp";
const MAGIC: &[u8; 8] = b"claimspk";
/// Magic, build key (16 bytes), count, table CRC.
const HEAD: usize = 8 + 16 + 4 + 4;
/// Blob id, offset, length, CRC.
const ROW: usize = 20 + 8 + 4 + 4;

/// Where a record lies, and its check.
#[derive(Clone, Copy)]
pub(super) struct Place {
    pack: usize,
    offset: u64,
    pub(super) len: u32,
    pub(super) crc: u32,
}

/// Every pack of a cache folder this build can read, opened once.
pub(super) struct Shelf {
    packs: Vec<File>,
    at: HashMap<Oid, Place>,
    /// Every `pack-*.rcp` file listed, and whether it was read.
    listed: Vec<(PathBuf, bool)>,
}

impl Shelf {
    /// The packs in `dir` written by `build` whose tables check.
    pub(super) fn open(dir: &Path, build: &[u8]) -> Shelf {
        let mut shelf = Shelf {
            packs: Vec::new(),
            at: HashMap::new(),
            listed: Vec::new(),
        };
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !(name.starts_with(PREFIX) && name.ends_with(SUFFIX)) {
                continue;
            }
            let rows = File::open(e.path())
                .ok()
                .and_then(|f| table(&f, build).map(|rows| (f, rows)));
            shelf.listed.push((e.path(), rows.is_some()));
            if let Some((file, rows)) = rows {
                let pack = shelf.packs.len();
                shelf.packs.push(file);
                for (id, offset, len, crc) in rows {
                    let place = Place {
                        pack,
                        offset,
                        len,
                        crc,
                    };
                    shelf.at.insert(id, place);
                }
            }
        }
        shelf
    }

    pub(super) fn place(&self, id: &Oid) -> Option<Place> {
        self.at.get(id).copied()
    }

    /// The record for blob `id`, when a pack holds one whose CRC checks.
    pub(super) fn record(&self, id: &Oid) -> Option<Vec<u8>> {
        let p = self.place(id)?;
        let mut bytes = vec![0; p.len as usize];
        self.packs[p.pack]
            .read_exact_at(&mut bytes, p.offset)
            .ok()?;
        (row_crc(id, &bytes) == p.crc).then_some(bytes)
    }

    /// How many packs were read (of those listed).
    pub(super) fn packs_read(&self) -> usize {
        self.packs.len()
    }

    /// The packs read.
    pub(super) fn read(&self) -> impl Iterator<Item = &PathBuf> {
        self.listed.iter().filter(|(_, r)| *r).map(|(p, _)| p)
    }

    /// The packs listed but not read: another build's, or whose table does not check.
    pub(super) fn unread(&self) -> impl Iterator<Item = &PathBuf> {
        self.listed.iter().filter(|(_, r)| !*r).map(|(p, _)| p)
    }

    /// How many records the packs hold.
    pub(super) fn len(&self) -> usize {
        self.at.len()
    }
}

/// The CRC a row keeps of its record: over the blob id and the record, so a row that points at
/// another blob's record does not check.
pub(super) fn row_crc(id: &Oid, record: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(id.as_bytes());
    h.update(record);
    h.finalize()
}

/// The rows of the pack `file` when it is `build`'s and its table checks.
fn table(file: &File, build: &[u8]) -> Option<Vec<(Oid, u64, u32, u32)>> {
    let size = file.metadata().ok()?.len();
    let mut head = [0u8; HEAD];
    file.read_exact_at(&mut head, 0).ok()?;
    if &head[..8] != MAGIC || &head[8..24] != build {
        return None;
    }
    let count = u32::from_le_bytes(head[24..28].try_into().ok()?) as u64;
    let crc = u32::from_le_bytes(head[28..32].try_into().ok()?);
    let table_len = count.checked_mul(ROW as u64)?;
    if HEAD as u64 + table_len > size {
        return None;
    }
    let mut bytes = vec![0u8; table_len as usize];
    file.read_exact_at(&mut bytes, HEAD as u64).ok()?;
    if crc32fast::hash(&bytes) != crc {
        return None;
    }
    bytes
        .chunks_exact(ROW)
        .map(|r| {
            let id = Oid::from_bytes(&r[..20]).ok()?;
            let offset = u64::from_le_bytes(r[20..28].try_into().ok()?);
            let len = u32::from_le_bytes(r[28..32].try_into().ok()?);
            let crc = u32::from_le_bytes(r[32..36].try_into().ok()?);
            (offset.checked_add(u64::from(len))? <= size).then_some((id, offset, len, crc))
        })
        .collect()
}

/// Writes a pack of `rows` (blob id, record length, row CRC) into `dir`, each record's bytes
/// from `record(i)`: to a temporary name first, renamed into place once whole, so a reader
/// never meets half a pack. Never synced: a pack a crash damages does not check, and is removed.
pub(super) fn write_pack(
    dir: &Path,
    build: &[u8],
    rows: &[(Oid, u32, u32)],
    mut record: impl FnMut(usize) -> Option<Vec<u8>>,
) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .suffix(SUFFIX)
        .tempfile_in(dir)?;
    let mut table = Vec::with_capacity(rows.len() * ROW);
    let mut offset = (HEAD + rows.len() * ROW) as u64;
    for (id, len, crc) in rows {
        table.extend_from_slice(id.as_bytes());
        table.extend_from_slice(&offset.to_le_bytes());
        table.extend_from_slice(&len.to_le_bytes());
        table.extend_from_slice(&crc.to_le_bytes());
        offset += u64::from(*len);
    }
    let mut out = BufWriter::with_capacity(1 << 20, tmp.as_file());
    out.write_all(MAGIC)?;
    out.write_all(build)?;
    out.write_all(&(rows.len() as u32).to_le_bytes())?;
    out.write_all(&crc32fast::hash(&table).to_le_bytes())?;
    out.write_all(&table)?;
    for (i, (_, len, _)) in rows.iter().enumerate() {
        let bytes = record(i).filter(|b| b.len() == *len as usize);
        let bytes = bytes.ok_or_else(|| std::io::Error::other("a record changed while packed"))?;
        out.write_all(&bytes)?;
    }
    out.flush()?;
    drop(out);
    let name = tmp
        .path()
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix(".tmp-"))
        .map(|n| format!("{PREFIX}{n}"))
        .ok_or_else(|| std::io::Error::other("temporary pack name"))?;
    let path = dir.join(name);
    tmp.persist(&path).map_err(|e| e.error)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUILD: &[u8; 16] = b"0123456789abcdef";

    fn id(n: u8) -> Oid {
        Oid::from_bytes(&[n; 20]).unwrap()
    }

    fn records() -> Vec<(Oid, Vec<u8>)> {
        (1..=40u8)
            .map(|n| {
                (
                    id(n),
                    format!("record {n} ").repeat(n as usize).into_bytes(),
                )
            })
            .collect()
    }

    fn pack(dir: &Path, records: &[(Oid, Vec<u8>)]) -> PathBuf {
        let rows: Vec<(Oid, u32, u32)> = records
            .iter()
            .map(|(id, b)| (*id, b.len() as u32, row_crc(id, b)))
            .collect();
        write_pack(dir, BUILD, &rows, |i| Some(records[i].1.clone())).unwrap()
    }

    #[test]
    fn a_pack_gives_back_each_record_by_its_blob_id() {
        let dir = tempfile::tempdir().unwrap();
        let path = pack(dir.path(), &records());
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(PREFIX) && name.ends_with(SUFFIX), "{name}");
        let shelf = Shelf::open(dir.path(), BUILD);
        assert_eq!(shelf.len(), 40);
        for (id, bytes) in records() {
            assert_eq!(shelf.record(&id), Some(bytes));
        }
        assert_eq!(shelf.record(&id(99)), None);
        // Another build's packs are listed (for removal) but not read.
        let other = Shelf::open(dir.path(), b"fedcba9876543210");
        assert_eq!((other.len(), other.unread().count()), (0, 1));
    }

    #[test]
    fn a_damaged_pack_never_gives_a_wrong_record() {
        let dir = tempfile::tempdir().unwrap();
        let path = pack(dir.path(), &records());
        let good = std::fs::read(&path).unwrap();
        let truth: HashMap<Oid, Vec<u8>> = records().into_iter().collect();
        // Every byte flipped in turn, and the pack cut at a few lengths.
        let mut damaged: Vec<Vec<u8>> = (0..good.len())
            .step_by(7)
            .map(|i| {
                let mut b = good.clone();
                b[i] ^= 0x10;
                b
            })
            .collect();
        damaged.extend([0, 10, HEAD, HEAD + ROW * 3, good.len() - 1].map(|n| good[..n].to_vec()));
        for (n, bytes) in damaged.iter().enumerate() {
            std::fs::write(&path, bytes).unwrap();
            let shelf = Shelf::open(dir.path(), BUILD);
            for (id, want) in &truth {
                if let Some(got) = shelf.record(id) {
                    assert_eq!(&got, want, "damage {n}");
                }
            }
        }
    }

    #[test]
    fn a_row_pointing_at_another_blobs_record_does_not_check() {
        let dir = tempfile::tempdir().unwrap();
        let path = pack(dir.path(), &records());
        let mut bytes = std::fs::read(&path).unwrap();
        // Each row's id moved to the next row, the table's own CRC made right again.
        let table = HEAD..HEAD + 40 * ROW;
        let ids: Vec<Vec<u8>> = bytes[table.clone()]
            .chunks_exact(ROW)
            .map(|r| r[..20].to_vec())
            .collect();
        for (i, row) in bytes[table.clone()].chunks_exact_mut(ROW).enumerate() {
            row[..20].copy_from_slice(&ids[(i + 1) % ids.len()]);
        }
        let crc = crc32fast::hash(&bytes[table]);
        bytes[28..32].copy_from_slice(&crc.to_le_bytes());
        std::fs::write(&path, &bytes).unwrap();
        let shelf = Shelf::open(dir.path(), BUILD);
        assert_eq!(shelf.len(), 40, "the table is read");
        for (id, _) in records() {
            assert_eq!(shelf.record(&id), None);
        }
    }
}
