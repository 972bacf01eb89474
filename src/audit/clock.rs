//! The clock rule: a commit carries two times, when its command was worked (the author time)
//! and when it reached the branch (the committer time). Commands take their time from the
//! commit, so neither may be set back: a backdated assignment would meet a deadline it missed.
//!
//! - It reaches the branch no earlier than the commit it builds on (clocks of different
//!   machines may disagree by [`CLOCK_SKEW_SECONDS`]).
//! - It is worked no later than it reached the branch.
//! - Work done in a clone and brought to the office later by `claims sync` keeps the time it
//!   was worked, but no more than [`OFFLINE_DAYS`] before it reached the branch: older work
//!   is not taken on its word, and `claims sync` keeps it aside to be done again.
//!
//! The rule is judged on times alone (no I/O): the store applies it before it commits, the
//! audit to every commit of the history.

use chrono::{DateTime, FixedOffset};

use super::CLOCK_SKEW_SECONDS;

/// How long work may wait in a clone before it reaches the office's branch.
pub const OFFLINE_DAYS: i64 = 7;

/// A commit's two times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Times {
    /// When the command was worked (author time).
    pub worked: DateTime<FixedOffset>,
    /// When it reached the branch (committer time).
    pub landed: DateTime<FixedOffset>,
}

impl Times {
    /// A commit's times as git records them.
    pub fn of(commit: &git2::Commit<'_>) -> Times {
        Times {
            worked: super::time_of(commit.author().when()),
            landed: super::time_of(commit.committer().when()),
        }
    }
}

/// What is wrong with `times` on top of a parent landed at `parent_landed`, in words that
/// follow "commit X " or "the change ", or `None` when the times keep the rule.
pub fn judge(times: Times, parent_landed: Option<DateTime<FixedOffset>>) -> Option<String> {
    let Times { worked, landed } = times;
    if let Some(before) = parent_landed {
        if landed.timestamp() + CLOCK_SKEW_SECONDS < before.timestamp() {
            return Some(format!(
                "is dated {}, before the commit it builds on ({}): its time was set back",
                landed.to_rfc3339(),
                before.to_rfc3339()
            ));
        }
    }
    if worked.timestamp() > landed.timestamp() + CLOCK_SKEW_SECONDS {
        return Some(format!(
            "says it was worked at {}, after it reached the branch ({})",
            worked.to_rfc3339(),
            landed.to_rfc3339()
        ));
    }
    let waited = landed.timestamp() - worked.timestamp();
    if waited > OFFLINE_DAYS * 86_400 {
        return Some(format!(
            "was worked at {} but reached the branch only at {}, {} days later: work kept in a clone more than {OFFLINE_DAYS} days is not taken on its word",
            worked.to_rfc3339(),
            landed.to_rfc3339(),
            waited / 86_400
        ));
    }
    None
}

/// [`judge`] for a commit of `repo`, against each of its parents.
pub fn judge_commit(
    repo: &git2::Repository,
    commit: &git2::Commit<'_>,
) -> Result<Option<String>, git2::Error> {
    let times = Times::of(commit);
    if commit.parent_count() == 0 {
        return Ok(judge(times, None));
    }
    for p in commit.parent_ids() {
        let parent = repo.find_commit(p)?;
        if let Some(why) = judge(times, Some(Times::of(&parent).landed)) {
            return Ok(Some(why));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn times(worked: &str, landed: &str) -> Times {
        Times {
            worked: t(worked),
            landed: t(landed),
        }
    }

    #[test]
    fn a_commit_worked_and_landed_at_once_after_its_parent_keeps_the_rule() {
        let at = "2026-11-20T10:00:00-05:00";
        assert_eq!(
            judge(times(at, at), Some(t("2026-11-20T09:00:00-05:00"))),
            None
        );
        // Ten minutes of clock skew between machines is tolerated, eleven are not.
        assert_eq!(
            judge(times(at, at), Some(t("2026-11-20T10:10:00-05:00"))),
            None
        );
        let why = judge(times(at, at), Some(t("2026-11-20T10:11:00-05:00"))).unwrap();
        assert!(why.contains("before the commit it builds on"), "{why}");
    }

    #[test]
    fn work_synced_later_keeps_its_time_for_up_to_a_week() {
        let parent = Some(t("2026-11-20T09:00:00-05:00"));
        // Worked on the 16th in a clone, before the parent landed; synced on the 20th.
        let synced = times("2026-11-16T15:00:00-05:00", "2026-11-20T10:00:00-05:00");
        assert_eq!(judge(synced, parent), None);
        let stale = times("2026-11-12T15:00:00-05:00", "2026-11-20T10:00:00-05:00");
        let why = judge(stale, parent).unwrap();
        assert!(why.contains("7 days"), "{why}");
    }

    #[test]
    fn a_command_never_says_it_was_worked_after_it_landed() {
        let why = judge(
            times("2026-11-21T10:00:00-05:00", "2026-11-20T10:00:00-05:00"),
            None,
        )
        .unwrap();
        assert!(why.contains("after it reached the branch"), "{why}");
    }
}
