//! `claims completions SHELL` and `claims man`: the shell completion script and the manual
//! pages, generated from the same command definitions as `--help` (clap_complete,
//! clap_mangen), so they never drift from what the tool accepts.

use std::path::PathBuf;

use super::output::Out;
use crate::error::{Error, Result};

/// Print the shell completion script for bash, zsh, fish, elvish or powershell.
///
/// `claims completions bash > ~/.local/share/bash-completion/completions/claims`; `make
/// install` puts each where its shell looks.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn run(a: Args) -> Result<i32> {
    let mut cmd = <super::Cli as clap::CommandFactory>::command();
    let mut script = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "claims", &mut script);
    let mut out = Out::new();
    out.write_str(&String::from_utf8_lossy(&script));
    out.flush();
    Ok(0)
}

/// Print the manual page of claims (roff), or write one page per command into a folder.
///
/// `claims man | man -l -` reads it now; `claims man --out DIR` writes claims.1 and
/// claims-COMMAND.1 for every command (`make install` puts them in share/man/man1).
#[derive(clap::Args, Debug)]
pub struct ManArgs {
    /// Write every command's page into this folder (created if missing) instead of printing
    /// the main page.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn run_man(g: &super::Globals, a: ManArgs) -> Result<i32> {
    let cmd = <super::Cli as clap::CommandFactory>::command();
    match a.out {
        Some(dir) => {
            std::fs::create_dir_all(&dir).map_err(|e| Error::io(dir.display(), e))?;
            clap_mangen::generate_to(cmd, &dir).map_err(|e| Error::io(dir.display(), e))?;
            let pages = std::fs::read_dir(&dir)
                .map_err(|e| Error::io(dir.display(), e))?
                .filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "1"))
                .count();
            g.say(format!(
                "wrote {} into {}",
                super::counted(pages, "manual page"),
                dir.display()
            ));
        }
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut page)
                .map_err(|e| Error::environment(format!("rendering the manual page: {e}")))?;
            let mut out = Out::new();
            out.write_str(&String::from_utf8_lossy(&page));
            out.flush();
        }
    }
    Ok(0)
}
