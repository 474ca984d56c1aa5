//! Responses written as they are made: `/api/export` streams every match of a search, which
//! may be a million rows, without holding them. The rows are written on a worker thread
//! (the same workers as searches, see [`AppState::run`]) into a [`BodyWriter`], whose chunks
//! travel through a small channel to the response body. A full channel blocks the writer,
//! so a slow client slows the export down instead of filling memory; a client that goes away
//! ends it.

use std::io::{self, Write};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::Body;
use tokio::sync::{mpsc, oneshot};

use super::{AppState, RunError};
use crate::home::Home;
use crate::{Error, Result};

/// Bytes sent to the client at once.
const CHUNK: usize = 64 * 1024;
/// Chunks that may wait for the client.
const CHUNKS_WAITING: usize = 4;

type Chunk = io::Result<Vec<u8>>;

/// The writer of a streamed body (blocking: use it on a worker thread).
pub struct BodyWriter {
    tx: mpsc::Sender<Chunk>,
    buf: Vec<u8>,
}

impl BodyWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for BodyWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

impl Drop for BodyWriter {
    fn drop(&mut self) {
        let _ = self.send();
    }
}

/// Handed to the work of [`AppState::run_streaming`]: once the work knows it will succeed
/// (the query parsed, the filters resolved), [`StreamStart::begin`] sends the response's
/// head and gives the writer of its body.
pub struct StreamStart<H> {
    head: oneshot::Sender<H>,
    chunks: mpsc::Sender<Chunk>,
}

impl<H> StreamStart<H> {
    pub fn begin(self, head: H) -> BodyWriter {
        let _ = self.head.send(head);
        BodyWriter {
            tx: self.chunks,
            buf: Vec::with_capacity(CHUNK),
        }
    }
}

/// The body's side of the channel.
struct Chunks(mpsc::Receiver<Chunk>);

impl futures_core::Stream for Chunks {
    type Item = Chunk;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Chunk>> {
        self.0.poll_recv(cx)
    }
}

/// Whether an error is the client closing the connection (not worth a log line).
pub fn client_went_away(e: &Error) -> bool {
    matches!(e, Error::Io { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
}

impl AppState {
    /// Runs `work` on a worker as [`AppState::run`] does, and answers as soon as it calls
    /// [`StreamStart::begin`]: with the head it gave and a body of what it writes after.
    /// An error before `begin` is the answer (a 400 with advice, say); an error after it
    /// breaks the connection, so a client never takes a cut-off download for a whole one.
    pub async fn run_streaming<H, F>(
        self: &Arc<Self>,
        work: F,
    ) -> std::result::Result<(H, Body), RunError>
    where
        F: FnOnce(&Home, StreamStart<H>) -> Result<()> + Send + 'static,
        H: Send + 'static,
    {
        let (head_tx, head_rx) = oneshot::channel();
        let (tx, rx) = mpsc::channel(CHUNKS_WAITING);
        let on_failure = tx.clone();
        let state = self.clone();
        let running = tokio::spawn(async move {
            let start = StreamStart {
                head: head_tx,
                chunks: tx,
            };
            state.run(move |index| work(index, start)).await
        });
        match head_rx.await {
            Ok(head) => {
                tokio::spawn(async move {
                    let why = match running.await {
                        Ok(Ok(())) => return,
                        Ok(Err(RunError::Failed(e))) if client_went_away(&e) => return,
                        Ok(Err(e)) => e.message(),
                        Err(e) => format!("the streaming task failed: {e}"),
                    };
                    eprintln!("a streamed answer broke off: {why}");
                    let _ = on_failure.send(Err(io::Error::other(why))).await;
                });
                Ok((head, Body::from_stream(Chunks(rx))))
            }
            Err(_) => Err(match running.await {
                Ok(Err(e)) => e,
                Ok(Ok(())) => {
                    RunError::Failed(Error::Internal("the answer ended before it began".into()))
                }
                Err(e) => RunError::Failed(Error::Internal(format!("search task failed: {e}"))),
            }),
        }
    }
}
