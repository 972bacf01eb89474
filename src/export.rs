//! The examiner's claim file (`claims export`): for each claim, its record and every letter and
//! attachment as committed at HEAD, its dated timeline ([`crate::domain::timeline`]), its
//! signed history (every commit that touched it, with its signature and verdict as
//! [`crate::audit::audit`] judges them — the audit of the whole history runs once per export),
//! and a README for the examiner saying what each file is and how to verify the history with
//! plain git.
//!
//! [`gather`] reads everything first (an unknown claim, a link in a claim's folder: refused
//! before anything is written); [`write`] then puts it in a temporary folder (or file) next to
//! the destination and renames it into place at the end, so a failure leaves nothing half-made.
//! The claims come as a list of ids, from the command line or from whatever picks them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use git2::{Oid, Repository, Tree};

use crate::audit::{History, Signature};
use crate::domain::claim::{Claim, Timestamp};
use crate::domain::claim_id::{ClaimFolders, ClaimId};
use crate::domain::office::Office;
use crate::domain::timeline;
use crate::error::{Error, Result};
use crate::store::files::{parse_claim_text, parse_office};

/// Who exports, when, and with what command line (for the READMEs).
pub struct Context {
    pub exported_at: Timestamp,
    /// The acting person's email (git's user.email or `--as`), if any.
    pub actor: Option<String>,
    pub command_line: String,
}

/// Where the export goes.
pub enum Destination {
    /// A new folder (absent, or empty).
    Folder(PathBuf),
    /// A new zip file, holding what the folder would.
    Zip(PathBuf),
}

impl Destination {
    pub fn path(&self) -> &Path {
        match self {
            Destination::Folder(p) | Destination::Zip(p) => p,
        }
    }
}

/// One commit of a claim's signed history.
pub struct Commit {
    pub id: Oid,
    /// Author time, RFC 3339 with the commit's own offset.
    pub when: String,
    pub author: String,
    pub committer: String,
    /// The `Command:` trailer, or `(hand edit)`.
    pub command: String,
    /// The first line of the message.
    pub subject: String,
    /// Whose key verified it (empty unless good).
    pub signer: String,
    /// `good (signer EMAIL, key ...)`, `unsigned`, `bad (...)`, `wrong key (...)`.
    pub signature: String,
    pub good: bool,
    /// The audit's verdict and finding codes (`replayed`, `failed (A001 error)`).
    pub audit: String,
    /// The audit's findings in full (`error[A001]: ...`).
    pub findings: Vec<String>,
    /// The audit failed it.
    pub failed: bool,
}

/// One claim, read for the examiner.
pub struct ClaimFile {
    pub id: ClaimId,
    pub claim: Claim,
    /// The record as committed at HEAD.
    pub record: Vec<u8>,
    /// The claim folder's files, by path relative to the folder, with their blob ids.
    pub files: BTreeMap<String, (Oid, Vec<u8>)>,
    pub timeline: Vec<timeline::Row>,
    pub history: Vec<Commit>,
}

/// Everything an export writes, read from HEAD.
pub struct Bundle {
    pub office: Office,
    pub exported_at: Timestamp,
    pub tz: chrono_tz::Tz,
    pub head: Oid,
    pub claims: Vec<ClaimFile>,
    /// Paths (relative to the destination) and contents, in the order written.
    pub files: Vec<(String, Vec<u8>)>,
}

/// What an export wrote.
pub struct Exported {
    pub claims: Vec<ExportedClaim>,
    pub files: usize,
}

/// One claim of an export, counted.
pub struct ExportedClaim {
    pub id: String,
    pub events: usize,
    pub commits: usize,
    /// Commits whose signature is not good.
    pub not_good: usize,
    /// Commits the audit failed (any error, the signature's included).
    pub failed: usize,
}

/// Exports `ids` to `dest`: [`gather`], then [`write`].
pub fn export_claims(
    repo: &Repository,
    ids: &[ClaimId],
    ctx: &Context,
    dest: &Destination,
) -> Result<Exported> {
    refuse_destination(dest)?;
    let bundle = gather(repo, ids, ctx)?;
    write(&bundle, dest)?;
    Ok(Exported {
        claims: bundle
            .claims
            .iter()
            .map(|c| ExportedClaim {
                id: c.id.to_string(),
                events: c.timeline.len(),
                commits: c.history.len(),
                not_good: c.history.iter().filter(|h| !h.good).count(),
                failed: c.history.iter().filter(|h| h.failed).count(),
            })
            .collect(),
        files: bundle.files.len(),
    })
}

/// Refuses a destination that is there already: a folder that is not empty, a file, a link.
pub fn refuse_destination(dest: &Destination) -> Result<()> {
    let path = dest.path();
    let parent = parent_of(path);
    if !parent.is_dir() {
        return Err(Error::refused(format!(
            "{} does not exist: the export is written next to its destination",
            parent.display()
        )));
    }
    let md = match std::fs::symlink_metadata(path) {
        Ok(md) => md,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(path.display(), e)),
    };
    let empty_folder = md.is_dir()
        && matches!(dest, Destination::Folder(_))
        && std::fs::read_dir(path)
            .map_err(|e| Error::io(path.display(), e))?
            .next()
            .is_none();
    if empty_folder {
        return Ok(());
    }
    Err(Error::refused(format!(
        "{} exists{}; the export writes a new {} and never adds to or overwrites what is there",
        path.display(),
        if md.is_dir() { " and is not empty" } else { "" },
        match dest {
            Destination::Folder(_) => "folder",
            Destination::Zip(_) => "file",
        }
    ))
    .hint("name a new folder (or file), or remove the old export first"))
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Reads the claims at HEAD, their folders, timelines and histories, and lays out the files of
/// the export. Refused, with nothing written, for a claim HEAD does not hold or a claim folder
/// holding a link or a submodule.
pub fn gather(repo: &Repository, ids: &[ClaimId], ctx: &Context) -> Result<Bundle> {
    let head = repo
        .head()
        .and_then(|h| h.peel_to_commit())
        .map_err(|e| Error::environment(format!("the office has no commit: {}", e.message())))?;
    let tree = head.tree()?;
    let office_text = blob_text(repo, &tree, crate::store::files::AUTHORITY_FILE)?
        .ok_or_else(|| Error::refused("HEAD holds no authority.yaml"))?;
    let office = parse_office(&office_text)?;
    let tz = crate::workflow::desk::office_zone(&office)?;
    let mut seen = HashSet::new();
    let ids: Vec<&ClaimId> = ids.iter().filter(|i| seen.insert(i.to_string())).collect();
    if ids.is_empty() {
        return Err(Error::usage("name at least one claim to export"));
    }
    let mut claims = Vec::new();
    for id in &ids {
        let rel = office.claim_file(id);
        let record = match tree.get_path(Path::new(&rel)) {
            Ok(e) if e.kind() == Some(git2::ObjectType::Blob) && e.filemode() != 0o120000 => {
                repo.find_blob(e.id())?.content().to_vec()
            }
            Ok(_) => {
                return Err(Error::refused(format!(
                    "{rel} at HEAD is not a file; nothing was written"
                )))
            }
            Err(_) => {
                return Err(Error::refused(format!(
                    "no claim {id} at HEAD (no file {rel}); nothing was written"
                )))
            }
        };
        let text = String::from_utf8(record.clone())
            .map_err(|_| Error::refused(format!("{rel} is not UTF-8 text")))?;
        let claim = parse_claim_text(&rel, &text)?;
        let files = folder_files(repo, &tree, &office.claim_folder(id))?;
        for generated in GENERATED {
            if files.contains_key(*generated) {
                return Err(Error::refused(format!(
                    "{}/{generated} would be overwritten by the export's own {generated}; nothing was written",
                    office.claim_folder(id)
                )));
            }
        }
        let timeline = timeline::timeline(&claim, tz);
        claims.push(ClaimFile {
            id: (*id).clone(),
            claim,
            record,
            files,
            timeline,
            history: Vec::new(),
        });
    }
    let histories = histories(repo, &ids)?;
    for (c, h) in claims.iter_mut().zip(histories) {
        c.history = h;
    }
    let mut bundle = Bundle {
        office,
        exported_at: ctx.exported_at,
        tz,
        head: head.id(),
        claims,
        files: Vec::new(),
    };
    bundle.files = lay_out(&bundle, ctx);
    Ok(bundle)
}

/// The files the export makes itself in each claim's folder.
const GENERATED: &[&str] = &[
    "record.yaml",
    "timeline.csv",
    "timeline.txt",
    "history.csv",
    "history.txt",
    "README.txt",
    "allowed_signers",
];

fn blob_text(repo: &Repository, tree: &Tree<'_>, path: &str) -> Result<Option<String>> {
    match tree.get_path(Path::new(path)) {
        Ok(e) => {
            let blob = repo.find_blob(e.id())?;
            Ok(Some(String::from_utf8(blob.content().to_vec()).map_err(
                |_| Error::refused(format!("{path} is not UTF-8 text")),
            )?))
        }
        Err(_) => Ok(None),
    }
}

/// Every file under `folder` at HEAD, by path relative to it; a link or submodule is refused
/// (the export never follows one).
fn folder_files(
    repo: &Repository,
    tree: &Tree<'_>,
    folder: &str,
) -> Result<BTreeMap<String, (Oid, Vec<u8>)>> {
    let mut out = BTreeMap::new();
    let sub = match tree.get_path(Path::new(folder)) {
        Ok(e) if e.kind() == Some(git2::ObjectType::Tree) => repo.find_tree(e.id())?,
        Ok(_) => {
            return Err(Error::refused(format!(
                "{folder} at HEAD is not a folder; nothing was written"
            )))
        }
        Err(_) => return Ok(out),
    };
    let mut refusal = None;
    let walked = sub.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
        let name = entry.name().unwrap_or("");
        let rel = format!("{dir}{name}");
        let safe = !name.is_empty()
            && name != "."
            && name != ".."
            && !name.contains(['\\', '\0'])
            && entry.name().is_ok();
        if !safe {
            refusal = Some(format!("{folder}/{rel} is not a name the export can write"));
            return git2::TreeWalkResult::Abort;
        }
        match (entry.kind(), entry.filemode()) {
            (Some(git2::ObjectType::Tree), _) => {}
            (Some(git2::ObjectType::Blob), 0o120000) => {
                refusal = Some(format!(
                    "{folder}/{rel} is a symbolic link; the export does not follow links"
                ));
                return git2::TreeWalkResult::Abort;
            }
            (Some(git2::ObjectType::Blob), _) => match repo.find_blob(entry.id()) {
                Ok(b) => {
                    out.insert(rel, (entry.id(), b.content().to_vec()));
                }
                Err(e) => {
                    refusal = Some(format!("{folder}/{rel}: {}", e.message()));
                    return git2::TreeWalkResult::Abort;
                }
            },
            _ => {
                refusal = Some(format!(
                    "{folder}/{rel} is a submodule; the claim's folder holds files only"
                ));
                return git2::TreeWalkResult::Abort;
            }
        }
        git2::TreeWalkResult::Ok
    });
    if let Some(r) = refusal {
        return Err(Error::refused(format!("{r}; nothing was written")));
    }
    walked?;
    Ok(out)
}

/// The record's and the folder's object ids in `tree`, after the id of the folder holding
/// them (first: when it is the same, so are both) — filed by shard or by month, whichever
/// `tree` holds (a claim's history spans a `claims migrate`).
fn claim_ids_in(tree: &Tree<'_>, id: &ClaimId) -> (Option<Oid>, Option<Oid>, Option<Oid>) {
    let at = |p: &str| tree.get_path(Path::new(p)).ok().map(|e| e.id());
    for folders in [ClaimFolders::Shard, ClaimFolders::Month] {
        let file = at(&id.file_path(folders));
        if file.is_some() {
            return (at(&id.parent(folders)), file, at(&id.folder(folders)));
        }
    }
    (None, None, None)
}

/// For each claim, the commits on HEAD's history that changed its record or folder, oldest
/// first — the commits `git log -- RECORD FOLDER/` lists: a commit that changed them against
/// its parent (a first commit: that holds them; a merge: against every parent), each with its
/// signature judged by the audit's own check.
fn histories(repo: &Repository, ids: &[&ClaimId]) -> Result<Vec<Vec<Commit>>> {
    let mut walk = repo.revwalk()?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
    walk.push_head()?;
    let mut touched: Vec<Vec<Oid>> = vec![Vec::new(); ids.len()];
    for oid in walk {
        let oid = oid?;
        let commit = repo.find_commit(oid)?;
        let tree = commit.tree()?;
        let parents: Vec<Tree<'_>> = commit
            .parents()
            .map(|p| p.tree())
            .collect::<std::result::Result<_, _>>()?;
        for (n, id) in ids.iter().enumerate() {
            let (m, file, folder) = claim_ids_in(&tree, id);
            let changed_against = |p: &Tree<'_>| {
                let (pm, pf, pd) = claim_ids_in(p, id);
                // The same month folder holds the same record and folder.
                pm != m && (pf, pd) != (file, folder)
            };
            let changed = if parents.is_empty() {
                file.is_some() || folder.is_some()
            } else {
                parents.iter().all(changed_against)
            };
            if changed {
                touched[n].push(oid);
            }
        }
    }
    // The audit of the whole history, once: its judgement of each commit is the office's (a
    // change of authority.yaml that broke the rules does not take effect for what follows).
    let report = crate::audit::audit(repo, None)?;
    let by_commit: HashMap<String, &crate::audit::Judged> = report
        .commits
        .iter()
        .map(|j| (j.commit.clone(), j))
        .collect();
    let mut history = History::new(repo);
    let mut out = Vec::new();
    for commits in touched {
        let mut rows = Vec::new();
        for oid in commits {
            let audited = by_commit.get(&oid.to_string()).copied().ok_or_else(|| {
                Error::environment(format!("the audit did not judge commit {oid}"))
            })?;
            rows.push(judged(repo, &mut history, oid, audited)?);
        }
        out.push(rows);
    }
    Ok(out)
}

/// One commit, as `claims audit` judged it: its signature (the key authority.yaml gave the
/// commit's author at its parent), its verdict and findings.
fn judged(
    repo: &Repository,
    history: &mut History<'_>,
    oid: Oid,
    audited: &crate::audit::Judged,
) -> Result<Commit> {
    let entry = history.head(oid)?;
    let commit = repo.find_commit(oid)?;
    let person = |s: git2::Signature<'_>| {
        format!("{} <{}>", s.name().unwrap_or(""), s.email().unwrap_or(""))
    };
    let (signer, signature, good) = match &audited.signature {
        Signature::Good { signer } => {
            let key = history
                .judging_office(&commit)
                .and_then(|o| o.person(signer).and_then(|p| p.signing_key.clone()))
                .map(|k| key_label(&k))
                .unwrap_or_default();
            (
                signer.clone(),
                format!("good (signer {signer}, key {key})"),
                true,
            )
        }
        Signature::Unsigned => (String::new(), "unsigned".to_string(), false),
        Signature::Bad(why) => (String::new(), format!("bad ({why})"), false),
        Signature::NotTheAuthor(why) => (String::new(), format!("wrong key ({why})"), false),
    };
    Ok(Commit {
        id: oid,
        when: git_time(entry.when),
        author: person(commit.author()),
        committer: person(commit.committer()),
        command: entry
            .trailer("Command")
            .unwrap_or("(hand edit)")
            .to_string(),
        subject: entry.subject.clone(),
        signer,
        signature,
        good,
        audit: audit_word(audited),
        failed: audited.verdict == crate::audit::Verdict::Failed,
        findings: audited
            .findings
            .iter()
            .map(|f| format!("{}[{}]: {}", f.severity.as_str(), f.code, f.message))
            .collect(),
    })
}

/// The audit's verdict and the codes it found: `replayed`, `hand_edit (A004 warning)`,
/// `failed (A001 error, A010 error)`.
fn audit_word(j: &crate::audit::Judged) -> String {
    let word = crate::workflow::plain(&j.verdict);
    if j.findings.is_empty() {
        return word;
    }
    let codes: Vec<String> = j
        .findings
        .iter()
        .map(|f| format!("{} {}", f.code, f.severity.as_str()))
        .collect();
    format!("{word} ({})", codes.join(", "))
}

/// A key as git names it when it verifies: `ED25519 SHA256:...` for SSH, the fingerprint for
/// OpenPGP.
fn key_label(key: &str) -> String {
    if let Some(fpr) = key.strip_prefix("openpgp:") {
        return format!("OpenPGP {}", fpr.trim());
    }
    match ssh_key::PublicKey::from_openssh(key.trim()) {
        Ok(k) => format!(
            "{} {}",
            k.algorithm()
                .as_str()
                .trim_start_matches("ssh-")
                .to_uppercase(),
            k.fingerprint(ssh_key::HashAlg::Sha256)
        ),
        Err(_) => key.trim().to_string(),
    }
}

fn git_time(t: git2::Time) -> String {
    let offset = chrono::FixedOffset::east_opt(t.offset_minutes() * 60)
        .unwrap_or(chrono::FixedOffset::east_opt(0).expect("UTC"));
    chrono::DateTime::from_timestamp(t.seconds(), 0)
        .map(|u| {
            u.with_timezone(&offset)
                .format("%Y-%m-%dT%H:%M:%S%:z")
                .to_string()
        })
        .unwrap_or_default()
}

fn history_csv(rows: &[Commit]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "commit",
        "author_time",
        "author",
        "committer",
        "command",
        "subject",
        "signer",
        "signature",
        "audit",
    ])
    .expect("writes to memory");
    for r in rows {
        w.write_record([
            r.id.to_string(),
            r.when.clone(),
            r.author.clone(),
            r.committer.clone(),
            r.command.clone(),
            r.subject.clone(),
            r.signer.clone(),
            r.signature.clone(),
            r.audit.clone(),
        ])
        .expect("writes to memory");
    }
    String::from_utf8(w.into_inner().expect("writes to memory")).expect("text")
}

fn history_txt(c: &ClaimFile) -> String {
    let mut out = format!(
        "Signed history of claim {}: every commit that changed its record or folder, oldest first\n\n",
        c.id
    );
    for r in &c.history {
        out.push_str(&format!(
            "{}  {}\n  author     {}\n  committer  {}\n  command    {}\n  subject    {}\n  signature  {}\n  audit      {}\n",
            r.id, r.when, r.author, r.committer, r.command, r.subject, r.signature, r.audit
        ));
        for f in &r.findings {
            out.push_str(&format!("             {f}\n"));
        }
        out.push('\n');
    }
    let bad = c.history.iter().filter(|r| !r.good).count();
    out.push_str(&format!(
        "{} commits, {} with a good signature{}\n",
        c.history.len(),
        c.history.len() - bad,
        if bad > 0 {
            format!(", {bad} NOT GOOD (see their signature lines)")
        } else {
            String::new()
        }
    ));
    out
}

/// The acting person as authority.yaml names them.
fn actor_line(office: &Office, actor: Option<&str>) -> String {
    match actor {
        Some(email) => match office.person(email) {
            Some(p) => format!("{} <{}>, {}", p.name, p.email, p.role),
            None => format!("{email} (not a person of authority.yaml)"),
        },
        None => "nobody named (git has no user.email here)".into(),
    }
}

fn claim_readme(b: &Bundle, c: &ClaimFile, ctx: &Context) -> String {
    let cl = &c.claim;
    let tz = b.tz;
    let local = |t: &Timestamp| t.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z").to_string();
    let folder = b.office.claim_folder(&c.id);
    let record = b.office.claim_file(&c.id);
    let party = |p: &Option<crate::domain::claim::Party>| {
        p.as_ref()
            .and_then(|p| p.name.clone().or(p.organization.clone()))
            .unwrap_or_default()
    };
    let bad = c.history.iter().filter(|h| !h.good).count();
    let mut s = String::new();
    s.push_str(&format!(
        "Claim file {id}\n\
         {rule}\n\n\
         Office:        {office}\n\
         Exported:      {at}\n\
         Exported by:   {by}\n\
         From:          commit {head} (HEAD), the record as committed there\n\n",
        id = c.id,
        rule = "=".repeat(11 + c.id.to_string().len()),
        office = b.office.office.name,
        at = local(&ctx.exported_at),
        by = actor_line(&b.office, ctx.actor.as_deref()),
        head = b.head,
    ));
    s.push_str("The claim\n---------\n");
    let mut line = |k: &str, v: String| {
        if !v.is_empty() {
            s.push_str(&format!("{k:<15}{v}\n"));
        }
    };
    line("Line:", cl.lob.to_string());
    line("State:", cl.jurisdiction.clone());
    line("Status:", cl.status.to_string());
    line("Received:", local(&cl.received_at));
    line("Policy:", cl.policy_number.clone().unwrap_or_default());
    line("Insured:", party(&cl.insured));
    line(
        "Loss date:",
        cl.loss.date.map(|d| d.to_string()).unwrap_or_default(),
    );
    line(
        "Coverage:",
        cl.triage
            .as_ref()
            .map(|t| crate::workflow::plain(&t.coverage))
            .unwrap_or_default(),
    );
    line(
        "Priority:",
        cl.priority()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
    );
    line("Handled by:", cl.handled_by().unwrap_or("").to_string());
    line(
        "Assigned:",
        cl.assignment
            .as_ref()
            .map(|a| local(&a.at))
            .unwrap_or_default(),
    );
    line("Reserve:", cl.effective_reserve().to_string());
    line("Paid:", cl.paid().to_string());
    line(
        "Closed:",
        cl.closure
            .as_ref()
            .map(|x| local(&x.at))
            .unwrap_or_default(),
    );
    line(
        "Last status:",
        cl.history
            .last()
            .map(|e| format!("{} {} by {}", local(&e.at), e.event, e.by))
            .unwrap_or_default(),
    );
    s.push_str(&format!(
        "\nFiles\n-----\n\
         record.yaml     the claim record, {record} as committed at HEAD (byte for byte)\n\
         timeline.csv    every dated event of the record, in time order (times in the office's zone, {tz}):\n\
         timeline.txt      when, what, by whom, detail; dates without a time sort after what they follow;\n\
         \x20                 what the record dates nowhere (a waived task, a document outstanding) is last\n\
         history.csv     every commit that changed the record or the claim's folder, oldest first:\n\
         history.txt       commit, author time, author, committer, command, subject, signer, the\n\
         \x20                 signature as `claims audit` judges it ({commits}, {bad} not good), and the\n\
         \x20                 audit's verdict: founding, replayed (the command re-run on the commit's\n\
         \x20                 parent makes it to the byte), hand_edit, merge, legacy or failed, with the\n\
         \x20                 codes of its findings (`claims explain CODE`; history.txt has them in full)\n\
         allowed_signers the office's signing keys from authority.yaml at HEAD, for plain git (below)\n",
        commits = crate::cli::counted(c.history.len(), "commit"),
    ));
    if c.files.is_empty() {
        s.push_str("(the claim has no letters or attachments)\n");
    } else {
        s.push_str(&format!(
            "\nThe claim's letters and attachments, copied from {folder}/ at HEAD (path, git object id):\n"
        ));
        for (p, (oid, _)) in &c.files {
            s.push_str(&format!("  {p}  {oid}\n"));
        }
    }
    s.push_str(&format!(
        "\nVerifying the history with plain git\n------------------------------------\n\
         In a clone of the office's repository, with this folder's allowed_signers:\n\n\
         \x20 git -c gpg.ssh.allowedSignersFile=\"$PWD/allowed_signers\" verify-commit COMMIT\n\
         \x20 git -c gpg.ssh.allowedSignersFile=\"$PWD/allowed_signers\" log --show-signature -- {record} {folder}/\n\
         \x20 git log --format=%H -- {record} {folder}/      (the commits of history.csv, newest first)\n\
         \x20 git show {head}:{record} | cmp - record.yaml\n\
         \x20 git rev-parse {head}:{folder}/PATH             (the object ids listed above)\n\n\
         git verify-commit says whether a commit is signed by a key the file lists. `claims audit`\n\
         goes further, and history.csv says what it finds: the key must be the one authority.yaml\n\
         gave the commit's author as it stood at the commit's parent, so a key added later does not\n\
         bless an earlier commit. OpenPGP-signed commits verify with the signer's public key in gpg.\n",
        head = b.head,
    ));
    s
}

fn index_readme(b: &Bundle, ctx: &Context) -> String {
    let local = |t: &Timestamp| {
        t.with_timezone(&b.tz)
            .format("%Y-%m-%d %H:%M %Z")
            .to_string()
    };
    let mut s = format!(
        "Claim files exported from {office}\n\n\
         Exported:     {at}\n\
         Exported by:  {by}\n\
         Command:      {cmd}\n\
         From:         commit {head} (HEAD)\n\n\
         {n} claim{plural}, one folder each (its README.txt says what each file is and how to\n\
         verify the history with plain git):\n\n",
        office = b.office.office.name,
        at = local(&ctx.exported_at),
        by = actor_line(&b.office, ctx.actor.as_deref()),
        cmd = ctx.command_line,
        head = b.head,
        n = b.claims.len(),
        plural = if b.claims.len() == 1 { "" } else { "s" },
    );
    s.push_str(&format!(
        "  {:<20}{:<24}{:<7}{:<20}{:>7}{:>7}{:>9}{:>10}{:>14}\n",
        "claim",
        "line",
        "state",
        "status",
        "files",
        "events",
        "commits",
        "not good",
        "audit failed"
    ));
    for c in &b.claims {
        s.push_str(&format!(
            "  {:<20}{:<24}{:<7}{:<20}{:>7}{:>7}{:>9}{:>10}{:>14}\n",
            c.id.to_string(),
            c.claim.lob.to_string(),
            c.claim.jurisdiction,
            c.claim.status.to_string(),
            c.files.len(),
            c.timeline.len(),
            c.history.len(),
            c.history.iter().filter(|h| !h.good).count(),
            c.history.iter().filter(|h| h.failed).count()
        ));
    }
    let total = |f: &dyn Fn(&ClaimFile) -> usize| b.claims.iter().map(f).sum::<usize>();
    s.push_str(&format!(
        "\nIn all: {} letters and attachments, {} timeline events, {} commits ({} not good, {} failed by the audit).\n",
        total(&|c| c.files.len()),
        total(&|c| c.timeline.len()),
        total(&|c| c.history.len()),
        total(&|c| c.history.iter().filter(|h| !h.good).count()),
        total(&|c| c.history.iter().filter(|h| h.failed).count()),
    ));
    s
}

/// The export's files, relative to its destination.
fn lay_out(b: &Bundle, ctx: &Context) -> Vec<(String, Vec<u8>)> {
    let signers = crate::store::session::allowed_signers_for(&b.office);
    let mut out = vec![("README.txt".to_string(), index_readme(b, ctx).into_bytes())];
    for c in &b.claims {
        let dir = c.id.to_string();
        let title = format!(
            "Timeline of claim {} ({}, {}), times in {}",
            c.id, c.claim.lob, c.claim.jurisdiction, b.tz
        );
        let mut put = |name: &str, bytes: Vec<u8>| out.push((format!("{dir}/{name}"), bytes));
        put("README.txt", claim_readme(b, c, ctx).into_bytes());
        put("record.yaml", c.record.clone());
        put(
            "timeline.csv",
            timeline::to_csv(&c.timeline, b.tz).into_bytes(),
        );
        put(
            "timeline.txt",
            timeline::to_text(&c.timeline, b.tz, &title).into_bytes(),
        );
        put("history.csv", history_csv(&c.history).into_bytes());
        put("history.txt", history_txt(c).into_bytes());
        put("allowed_signers", signers.clone().into_bytes());
        for (p, (_, bytes)) in &c.files {
            put(p, bytes.clone());
        }
    }
    out
}

/// Writes the bundle to `dest` through a temporary folder (or file) next to it, renamed into
/// place at the end.
pub fn write(b: &Bundle, dest: &Destination) -> Result<()> {
    refuse_destination(dest)?;
    let path = dest.path();
    let parent = parent_of(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "export".into());
    let io = |p: &Path| {
        let p = p.display().to_string();
        move |e: std::io::Error| Error::io(&p, e)
    };
    match dest {
        Destination::Folder(_) => {
            let tmp = tempfile::Builder::new()
                .prefix(&format!(".{name}.export-"))
                .tempdir_in(&parent)
                .map_err(io(&parent))?;
            for (rel, bytes) in &b.files {
                let target = tmp.path().join(rel);
                if let Some(d) = target.parent() {
                    crate::store::nofollow::create_dir(d).map_err(io(d))?;
                }
                crate::store::nofollow::options()
                    .write(true)
                    .create_new(true)
                    .open(&target)
                    .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
                    .map_err(io(&target))?;
            }
            // Renaming onto an empty folder replaces it; anything else there is refused.
            std::fs::rename(tmp.path(), path).map_err(io(path))?;
            let _ = tmp.keep();
        }
        Destination::Zip(_) => {
            let tmp = tempfile::Builder::new()
                .prefix(&format!(".{name}.export-"))
                .tempfile_in(&parent)
                .map_err(io(&parent))?;
            let mut zip = zip::ZipWriter::new(tmp.as_file());
            let stamp = zip_time(b.exported_at, b.tz);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .unix_permissions(0o644)
                .last_modified_time(stamp);
            for (rel, bytes) in &b.files {
                zip.start_file(rel.as_str(), options)
                    .and_then(|()| zip.write_all(bytes).map_err(Into::into))
                    .map_err(|e| Error::environment(format!("{}: {e}", path.display())))?;
            }
            zip.finish()
                .map_err(|e| Error::environment(format!("{}: {e}", path.display())))?;
            tmp.as_file().sync_all().map_err(io(path))?;
            tmp.persist_noclobber(path).map_err(|e| io(path)(e.error))?;
        }
    }
    Ok(())
}

/// The time the zip's entries carry: the export's, in the office's zone (zip has no zone).
fn zip_time(at: Timestamp, tz: chrono_tz::Tz) -> zip::DateTime {
    use chrono::{Datelike, Timelike};
    let now = at.with_timezone(&tz).naive_local();
    zip::DateTime::from_date_and_time(
        now.year().clamp(1980, 2107) as u16,
        now.month() as u8,
        now.day() as u8,
        now.hour() as u8,
        now.minute() as u8,
        now.second() as u8,
    )
    .unwrap_or_default()
}
