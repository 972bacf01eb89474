//! The tool's own files under `.git` (the lock, the journal folder and its files, the allowed
//! signers list) are opened without following symbolic links: a link planted there must never
//! make the tool read or write a file elsewhere.

use std::fs;
use std::io;
use std::path::Path;

/// An error unless `path` is absent or not a symbolic link.
pub fn refuse_link(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(md) if md.file_type().is_symlink() => Err(io::Error::other(format!(
            "{} is a symbolic link: the tool does not follow links among its own files",
            path.display()
        ))),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Options that refuse to open a symbolic link (`O_NOFOLLOW`).
pub fn options() -> fs::OpenOptions {
    #[allow(unused_mut)]
    let mut o = fs::OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NOFOLLOW);
    }
    o
}

/// Reads a file that must not be a symbolic link.
pub fn read(path: &Path) -> io::Result<Vec<u8>> {
    use std::io::Read;
    refuse_link(path)?;
    let mut f = options().read(true).open(path)?;
    let mut out = Vec::new();
    f.read_to_end(&mut out)?;
    Ok(out)
}

/// Creates `dir` (and its parents) unless it exists, refusing it as a link.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    refuse_link(dir)?;
    fs::create_dir_all(dir)?;
    refuse_link(dir)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_are_refused() {
        let d = tempfile::tempdir().unwrap();
        let target = d.path().join("target");
        fs::write(&target, "x").unwrap();
        let link = d.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(read(&link).is_err());
        assert!(options().write(true).open(&link).is_err());
        assert!(create_dir(&link).is_err());
        assert_eq!(read(&target).unwrap(), b"x");
    }
}
