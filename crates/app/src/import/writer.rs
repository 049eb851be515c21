//! One chunk written in the background while the importer plans the next.
//!
//! Most of an import's time is the database's (SQLite's worker thread, PostgreSQL's server
//! process) writing a chunk, and most of the rest is the importer planning one; with one
//! write in flight the two run side by side on two cores. The writes still go one after
//! another, in file order, into the batch's one transaction, and the session is only used
//! for anything else (a lookup, the batch checks, the commit) after the write before it
//! has finished, so every read sees every earlier row of the batch.

use sipmas_store::{DbResult, ImportSession, ImportWrite};
use tokio::task::JoinHandle;

use crate::AppError;

type Session = Box<dyn ImportSession>;

enum State {
    Idle(Session),
    Writing(JoinHandle<(Session, DbResult<()>)>),
    /// A write failed: the session may only be rolled back.
    Failed(Session),
    /// A write task panicked: its transaction was dropped, hence rolled back.
    Lost,
}

/// How a writer ends.
pub(super) enum Finished {
    /// Every write succeeded: the session may be committed.
    Ready(Session),
    /// A write failed: roll the session back.
    Failed(Session),
    /// A write task panicked and took the transaction with it.
    Lost,
}

/// The batch's session, with at most one chunk being written.
pub(super) struct Writer {
    state: State,
}

fn lost() -> AppError {
    AppError::Invalid("penulisan impor terhenti tanpa hasil; tidak ada yang disimpan".to_owned())
}

impl Writer {
    pub(super) fn new(session: Session) -> Self {
        Writer {
            state: State::Idle(session),
        }
    }

    /// The session once the write in flight, if any, has finished; its error if it failed.
    pub(super) async fn settle(&mut self) -> Result<&mut dyn ImportSession, AppError> {
        if let State::Writing(_) = self.state {
            let State::Writing(task) = std::mem::replace(&mut self.state, State::Lost) else {
                unreachable!("matched above");
            };
            let (session, done) = task.await.map_err(|_| lost())?;
            if let Err(e) = done {
                // Kept failed: a later call must not find a session that looks whole
                // (a PostgreSQL transaction after an error commits as a rollback).
                self.state = State::Failed(session);
                return Err(e.into());
            }
            self.state = State::Idle(session);
        }
        match &mut self.state {
            State::Idle(session) => Ok(session.as_mut()),
            State::Failed(_) => Err(AppError::Invalid(
                "penulisan impor sudah gagal; tidak ada yang disimpan".to_owned(),
            )),
            _ => Err(lost()),
        }
    }

    /// Starts writing `w` once the write before it has finished.
    pub(super) async fn write(&mut self, w: ImportWrite) -> Result<(), AppError> {
        self.settle().await?;
        let State::Idle(mut session) = std::mem::replace(&mut self.state, State::Lost) else {
            return Err(lost());
        };
        self.state = State::Writing(tokio::spawn(async move {
            let t = std::time::Instant::now();
            let done = session.write(&w).await;
            if done.is_ok() {
                tracing::debug!(
                    people = w.new_members.len() + w.member_updates.len(),
                    write_ms = t.elapsed().as_millis(),
                    "chunk written"
                );
            }
            (session, done)
        }));
        Ok(())
    }

    /// The session back once any write in flight has ended, saying whether every write
    /// succeeded.
    pub(super) async fn finish(mut self) -> Finished {
        let _ = self.settle().await;
        match self.state {
            State::Idle(session) => Finished::Ready(session),
            State::Failed(session) => Finished::Failed(session),
            State::Writing(_) | State::Lost => Finished::Lost,
        }
    }
}
