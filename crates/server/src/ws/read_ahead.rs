//! Reading a customer socket's connection in reads that grow while the socket is busy, holding no
//! buffer while it waits.
//!
//! tungstenite reads at most its `read_buffer_size` per `read` call, and that buffer is allocated
//! with the socket for its whole life, so its size is a trade: a small one keeps an idle
//! session's memory low (`mod.rs`, `CUSTOMER_READ_BUFFER`), but a message just over it needs two
//! calls into the kernel, and a burst of messages one call (and one wake-up of the reader) per
//! buffer's length. [`ReadAhead`] sits between tungstenite and the connection: tungstenite's
//! reads are served from its buffer by a copy, and only an empty buffer reads from the
//! connection, [`ReadAhead::size`] bytes at a time. That size adapts to what the connection
//! brings: a read that fills it doubles it (up to [`MAX_READ`]: a busy socket's backlog comes in
//! a few calls), a read that brings less than a quarter of it halves it (down to [`MIN_READ`],
//! which still takes a typical DOM batch, and one of 4 KiB with its headers, in one call). When
//! the connection has nothing more (the read would wait), the buffer is empty and let go, so a
//! waiting socket holds no memory here, however busy it was before.
//!
//! Writes pass through untouched.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, ReadBuf};

/// Smallest read from the connection, in bytes.
const MIN_READ: usize = 8 * 1024;
/// Largest read from the connection, in bytes (the memory of a busy socket's buffer).
const MAX_READ: usize = 64 * 1024;

/// A connection read through an adaptive buffer (see the module documentation).
pub(crate) struct ReadAhead<S> {
    inner: S,
    /// Bytes read from the connection: `buf[pos..end]` not taken yet. No allocation while the
    /// socket waits.
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    /// Bytes asked of the connection by the next read.
    size: usize,
}

impl<S> ReadAhead<S> {
    pub(crate) fn new(inner: S) -> Self {
        Self {
            inner,
            buf: Vec::new(),
            pos: 0,
            end: 0,
            size: MIN_READ,
        }
    }

    /// The size of the next read and the capacity held (tests).
    #[cfg(test)]
    fn state(&self) -> (usize, usize) {
        (self.size, self.buf.capacity())
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for ReadAhead<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        out: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if this.pos == this.end {
            // Zero-filled once per allocation (no `unsafe` here to read into uninitialised
            // memory); the buffer is kept while reads keep bringing data.
            if this.buf.len() != this.size {
                this.buf = vec![0; this.size];
            }
            this.pos = 0;
            this.end = 0;
            let mut read = ReadBuf::new(&mut this.buf);
            let polled = Pin::new(&mut this.inner).poll_read(cx, &mut read);
            let n = read.filled().len();
            match polled {
                Poll::Pending => {
                    // Nothing buffered and nothing to read: the socket waits; hold nothing.
                    this.buf = Vec::new();
                    return Poll::Pending;
                }
                Poll::Ready(Err(e)) => {
                    this.buf = Vec::new();
                    return Poll::Ready(Err(e));
                }
                Poll::Ready(Ok(())) => {}
            }
            let size = this.size;
            if n == size {
                this.size = (size * 2).min(MAX_READ);
            } else if n < size / 4 {
                this.size = (size / 2).max(MIN_READ);
            }
            if n == 0 {
                // End of stream: nothing to give, and nothing more will come.
                this.buf = Vec::new();
                return Poll::Ready(Ok(()));
            }
            this.end = n;
        }
        let n = (this.end - this.pos).min(out.remaining());
        out.put_slice(&this.buf[this.pos..this.pos + n]);
        this.pos += n;
        Poll::Ready(Ok(()))
    }
}

writes_pass_through!(ReadAhead);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// Reads what is buffered or readable now, `chunk` bytes at a time (as tungstenite does),
    /// until the reader would wait.
    async fn read_available<S: AsyncRead + Unpin>(r: &mut ReadAhead<S>, chunk: usize) -> Vec<u8> {
        let mut got = Vec::new();
        let mut piece = vec![0u8; chunk];
        loop {
            let mut read = ReadBuf::new(&mut piece);
            let polled =
                std::future::poll_fn(|cx| Poll::Ready(Pin::new(&mut *r).poll_read(cx, &mut read)))
                    .await;
            match polled {
                Poll::Ready(Ok(())) if !read.filled().is_empty() => {
                    got.extend_from_slice(read.filled());
                }
                Poll::Ready(Ok(())) | Poll::Pending => return got,
                Poll::Ready(Err(e)) => panic!("{e}"),
            }
        }
    }

    #[tokio::test]
    async fn grows_while_reads_fill_it_shrinks_after_small_ones_and_holds_nothing_while_waiting() {
        let (mut client, server) = tokio::io::duplex(1 << 20);
        let mut r = ReadAhead::new(server);
        // Reads of 8, 16, 32, 64 and 64 KiB, each filled.
        let data: Vec<u8> = (0..184 * 1024u32).map(|i| (i % 251) as u8).collect();
        client.write_all(&data).await.unwrap();
        let got = read_available(&mut r, 4096).await;
        assert_eq!(got, data, "every byte, in order");
        let (size, held) = r.state();
        assert_eq!(
            size, MAX_READ,
            "full reads doubled the read size up to its maximum"
        );
        assert_eq!(held, 0, "a socket that waits holds no buffer");

        // Small messages: each read brings under a quarter of the size, which halves it.
        for _ in 0..4 {
            client.write_all(&[7; 100]).await.unwrap();
            assert_eq!(read_available(&mut r, 4096).await, [7; 100]);
        }
        assert_eq!(r.state(), (MIN_READ, 0));
    }

    #[tokio::test]
    async fn a_read_smaller_than_what_is_buffered_gets_the_rest_next_time_and_eof_is_eof() {
        let (mut client, server) = tokio::io::duplex(1 << 16);
        let mut r = ReadAhead::new(server);
        client.write_all(b"hello, relay").await.unwrap();
        drop(client);
        let mut first = [0u8; 5];
        r.read_exact(&mut first).await.unwrap();
        assert_eq!(&first, b"hello");
        let mut rest = Vec::new();
        r.read_to_end(&mut rest).await.unwrap();
        assert_eq!(rest, b", relay");
    }
}
