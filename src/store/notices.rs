//! Warnings the store has for the person at the terminal that are not errors: a change that
//! landed but whose working-tree update needs finishing, a repair made on the way in. The
//! command line prints them (after the command's own output) whatever the command's outcome.

use std::sync::Mutex;

static NOTICES: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Queues a warning for the command line to print.
pub fn warn(message: impl Into<String>) {
    NOTICES
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(message.into());
}

/// The warnings queued so far, oldest first; the queue is left empty.
pub fn take() -> Vec<String> {
    std::mem::take(&mut *NOTICES.lock().unwrap_or_else(|e| e.into_inner()))
}
