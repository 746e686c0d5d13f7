//! The queue of DOM frames waiting for one agent socket, bounded in bytes.
//!
//! The session actor pushes with [`FrameQueue::try_push`], which never waits: a frame that does
//! not fit is handed back and the actor starts a resync. The socket's writer task pops with
//! [`FrameQueue::pop`]. When the writer takes the last queued byte it wakes
//! [`FrameQueue::wait_drained`], which the actor uses to retry a snapshot that did not fit.
//!
//! Invariant: `bytes` is the sum of the lengths of `frames`. An empty queue accepts one frame of
//! any size (the actor has already checked it against the frame size limit), so a full snapshot
//! larger than the bound can still be delivered; the memory held is therefore at most
//! `max(bound, largest frame)` plus the frame being written.

use bytes::Bytes;
use std::collections::VecDeque;
use std::sync::Mutex;
use tokio::sync::Notify;

/// A byte-bounded single-producer (actor), single-consumer (writer) frame queue.
#[derive(Debug)]
pub struct FrameQueue {
    // Lock: shared between the actor and the writer; held only to push or pop (never across an
    // .await), so contention is a few instructions.
    inner: Mutex<Inner>,
    bound: usize,
    /// Wakes the writer when a frame is pushed.
    pushed: Notify,
    /// Wakes the actor when the writer has taken the last queued byte.
    drained: Notify,
}

#[derive(Debug, Default)]
struct Inner {
    frames: VecDeque<Bytes>,
    bytes: usize,
}

impl FrameQueue {
    pub fn new(bound: usize) -> Self {
        Self {
            inner: Mutex::new(Inner::default()),
            bound,
            pushed: Notify::new(),
            drained: Notify::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding this lock cannot leave `Inner` inconsistent (each critical
        // section updates `frames` and `bytes` together without calling out), so a poisoned lock
        // is safe to use.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Queues `frame` if it fits (or the queue is empty); otherwise gives it back.
    pub fn try_push(&self, frame: Bytes) -> Result<(), Bytes> {
        {
            let mut inner = self.lock();
            if inner.bytes != 0 && inner.bytes.saturating_add(frame.len()) > self.bound {
                return Err(frame);
            }
            inner.bytes += frame.len();
            inner.frames.push_back(frame);
        }
        self.pushed.notify_one();
        Ok(())
    }

    /// Bytes waiting (not counting a frame the writer is writing).
    pub fn queued_bytes(&self) -> usize {
        self.lock().bytes
    }

    /// The next frame, if one is queued (the writer takes what is already there to write it
    /// with the frame it popped, in one flush).
    pub fn try_pop(&self) -> Option<Bytes> {
        let (frame, now_empty) = {
            let mut inner = self.lock();
            let frame = inner.frames.pop_front()?;
            // Cannot underflow: `bytes` is the sum of the queued frames, this one included.
            inner.bytes -= frame.len();
            (frame, inner.bytes == 0)
        };
        if now_empty {
            self.drained.notify_one();
        }
        Some(frame)
    }

    /// The next frame, waiting for one. Cancel-safe: a frame is only taken in the poll that
    /// returns it.
    pub async fn pop(&self) -> Bytes {
        loop {
            let pushed = self.pushed.notified();
            if let Some(frame) = self.try_pop() {
                return frame;
            }
            pushed.await;
        }
    }

    /// Resolves once the queue is empty. Cancel-safe.
    pub async fn wait_drained(&self) {
        loop {
            let drained = self.drained.notified();
            if self.queued_bytes() == 0 {
                return;
            }
            drained.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn bounded_in_bytes_but_an_empty_queue_takes_anything() {
        let q = FrameQueue::new(10);
        assert!(
            q.try_push(Bytes::from_static(&[0; 25])).is_ok(),
            "empty queue"
        );
        assert!(q.try_push(Bytes::from_static(&[0; 1])).is_err());
        assert_eq!(q.pop().await.len(), 25);
        assert!(q.try_push(Bytes::from_static(&[0; 6])).is_ok());
        assert!(q.try_push(Bytes::from_static(&[0; 4])).is_ok());
        assert!(q.try_push(Bytes::from_static(&[0; 1])).is_err());
        assert_eq!(q.queued_bytes(), 10);
    }

    #[tokio::test]
    async fn drained_wakes_when_the_last_byte_is_taken() {
        let q = std::sync::Arc::new(FrameQueue::new(10));
        q.try_push(Bytes::from_static(b"abc")).unwrap();
        q.try_push(Bytes::from_static(b"de")).unwrap();
        let waiter = tokio::spawn({
            let q = q.clone();
            async move { q.wait_drained().await }
        });
        assert_eq!(&q.pop().await[..], b"abc");
        assert!(!waiter.is_finished());
        assert_eq!(&q.pop().await[..], b"de");
        tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .unwrap()
            .unwrap();
    }

    #[tokio::test]
    async fn pop_waits_for_a_push() {
        let q = std::sync::Arc::new(FrameQueue::new(10));
        let popper = tokio::spawn({
            let q = q.clone();
            async move { q.pop().await }
        });
        tokio::task::yield_now().await;
        q.try_push(Bytes::from_static(b"x")).unwrap();
        let got = tokio::time::timeout(Duration::from_secs(5), popper)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(&got[..], b"x");
    }
}
