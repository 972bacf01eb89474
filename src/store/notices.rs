//! Warnings the store has for the person at the terminal that are not errors: a change that
//! landed but whose working-tree update needs finishing, a repair made on the way in. The
//! command line prints them (after the command's own output) whatever the command's outcome.

use std::sync::Mutex;

static NOTICES: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// Every warning queued in this process, printed or not.
static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Queues a warning for the command line to print.
/// A warning already queued is not queued again (recovery may run more than once in a
/// command and meet the same trouble each time).
pub fn warn(message: impl Into<String>) {
    let message = message.into();
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    if !seen.contains(&message) {
        seen.push(message.clone());
        NOTICES
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(message);
    }
}

/// The warnings queued so far, oldest first; the queue is left empty.
pub fn take() -> Vec<String> {
    std::mem::take(&mut *NOTICES.lock().unwrap_or_else(|e| e.into_inner()))
}
