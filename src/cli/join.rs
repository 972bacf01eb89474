//! `claims join` and `claims clone`: a person's own clone of a shared office, set up in one
//! command.

use std::path::{Path, PathBuf};

use super::Globals;
use crate::error::{Error, Result};
use crate::store::office_init::{join_office, Joined, Standing};

/// Set up your clone of the office: your git identity, your signing key (the SSH key git
/// already signs with, the one given, or one made for you; its public key is printed for the
/// manager to add to authority.yaml), commits signed by default, the allowed-signers file from
/// authority.yaml (so plain `git verify-commit` works on every commit), the git hooks, and the
/// claim-aware merge driver. Writes nothing to the office's history.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Your email, as authority.yaml lists you (default: git's user.email).
    #[arg(long)]
    pub email: Option<String>,
    /// Your SSH private key (its `.pub` beside it); default: the key git signs with, else one
    /// is made for you.
    #[arg(long, value_name = "PATH")]
    pub key: Option<PathBuf>,
}

/// Clone an office with your own `git clone` (its credentials and ssh configuration), then
/// set the clone up for you as `claims join` does.
#[derive(clap::Args, Debug)]
pub struct CloneArgs {
    /// The office's remote: a URL or path git can clone.
    pub url: String,
    /// The folder to clone into (default: git's choice from the URL).
    pub dir: Option<PathBuf>,
    #[command(flatten)]
    pub join: Args,
}

pub fn run(g: &Globals, args: Args) -> Result<i32> {
    let root = crate::store::files::find_office_root(g.repo.as_deref())?;
    join(g, &root, &args)
}

pub fn run_clone(g: &Globals, args: CloneArgs) -> Result<i32> {
    let dir = match &args.dir {
        Some(d) => d.clone(),
        None => PathBuf::from(guess_dir(&args.url)),
    };
    let mut git = std::process::Command::new("git");
    git.arg("clone");
    if g.quiet {
        git.arg("--quiet");
    }
    let status = git
        .arg("--")
        .arg(&args.url)
        .arg(&dir)
        .status()
        .map_err(|e| Error::environment(format!("could not run git: {e}")))?;
    if !status.success() {
        return Err(Error::environment(format!(
            "`git clone {}` failed (git said why above); nothing was set up",
            args.url
        )));
    }
    join(g, &dir, &args.join)
}

/// The folder `git clone URL` makes: the URL's last part without `.git`.
fn guess_dir(url: &str) -> String {
    let last = url
        .trim_end_matches('/')
        .rsplit(['/', ':'])
        .next()
        .unwrap_or(url);
    let name = last.strip_suffix(".git").unwrap_or(last);
    if name.is_empty() {
        "office".into()
    } else {
        name.into()
    }
}

fn join(g: &Globals, root: &Path, args: &Args) -> Result<i32> {
    let joined = join_office(root, args.email.as_deref(), args.key.as_deref())?;
    let who = match &joined.name {
        Some(n) => format!("{n} <{}>", joined.email),
        None => joined.email.clone(),
    };
    g.say(format!("set up {} for {who}", root.display()));
    g.say(format!(
        "  signing key: {}{}",
        joined.key.display(),
        if joined.generated { " (made now)" } else { "" }
    ));
    g.say(format!(
        "  allowed signers: {} ({} from authority.yaml)",
        crate::store::session::allowed_signers_path(&git2::Repository::open(root)?).display(),
        super::counted(joined.signers, "key")
    ));
    let repo_root = Some(root.to_path_buf());
    let here = Globals {
        repo: repo_root,
        as_email: None,
        format: g.format,
        quiet: true,
        dry_run: false,
    };
    match super::hooks::run(
        &here,
        super::hooks::Args {
            action: super::hooks::Action::Install {
                force: false,
                server: false,
            },
        },
    ) {
        Ok(_) => g.say(
            "  hooks: pre-commit (claims check), pre-push (claims audit); the claim merge driver",
        ),
        Err(e) => super::warn(&format!("hooks not installed: {}", e.message)),
    }
    // The public key goes to stdout: it is what the person sends to the manager.
    println!("{}", joined.public_key);
    say_standing(g, &joined);
    Ok(0)
}

fn say_standing(g: &Globals, j: &Joined) {
    match &j.standing {
        Standing::Ready { role } => g.say(format!(
            "ready: authority.yaml lists {} as {role} with this key; next: claims queue, claims sync",
            j.email
        )),
        Standing::OtherKey => eprintln!(
            "warning: authority.yaml lists {} with another signing key, so the office will refuse what this key signs; send the public key above to a manager, who registers it (`claims authority propose`), or rotate your own (`claims keys rotate`)",
            j.email
        ),
        Standing::Inactive => eprintln!(
            "warning: authority.yaml lists {} as no longer active; a manager reactivates people (`claims authority propose`)",
            j.email
        ),
        Standing::Absent => eprintln!(
            "warning: {} is not in authority.yaml yet; send the public key above to a manager, who adds you (`claims authority propose`); once that is approved and you ran `claims sync`, you can work",
            j.email
        ),
    }
}
