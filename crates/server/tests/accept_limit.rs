//! The server at its limit of open files (`ulimit -n`): it keeps every connection it could open,
//! answers the ones beyond the limit promptly (`503` or a close, not a hang), says why in its
//! log, stays up, and accepts again once connections close. The binary runs under a small soft
//! limit set by the shell (`ulimit -n` in `sh`), so the test does not touch its own limit.

#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const LIMIT: usize = 160;

/// Sends a health request on `tcp` and reads the status line; `None` when the connection was
/// closed or reset without one.
fn health(tcp: &mut TcpStream) -> Option<u16> {
    tcp.write_all(b"GET /cobrowse/health HTTP/1.1\r\nhost: localhost\r\n\r\n")
        .ok()?;
    let mut buf = [0u8; 1024];
    let mut got = Vec::new();
    loop {
        match tcp.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                got.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&got);
                // Headers and the (short) body of a health answer.
                if let Some(end) = text.find("\r\n\r\n") {
                    let status = text.get(9..12)?.parse().ok()?;
                    let length = text
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().to_owned())
                        })
                        .and_then(|v| v.parse::<usize>().ok())
                        .unwrap_or(0);
                    if got.len() >= end + 4 + length {
                        return Some(status);
                    }
                }
            }
        }
    }
    let text = String::from_utf8_lossy(&got);
    text.get(9..12).and_then(|s| s.parse().ok())
}

fn connect(addr: &str) -> TcpStream {
    let tcp = TcpStream::connect(addr).unwrap();
    // A refused connection must be answered well within this; a hang fails the test.
    tcp.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    tcp
}

#[test]
fn out_of_file_descriptors_refuses_promptly_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -n {LIMIT} && exec \"$0\" serve --listen 127.0.0.1:0"
        ))
        .arg(env!("CARGO_BIN_EXE_cobrowse"))
        .env("COBROWSE_DATA_DIR", dir.path())
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let addr = loop {
        let mut line = String::new();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "server ended");
        if let Some(addr) = line.trim().strip_prefix("cobrowse listening on http://") {
            break addr.to_owned();
        }
    };

    // Open connections, each answered once and kept, until one is refused.
    let mut held = Vec::new();
    let refused_status = loop {
        assert!(
            held.len() < LIMIT,
            "{} connections held under a limit of {LIMIT}",
            held.len()
        );
        let mut tcp = connect(&addr);
        let started = Instant::now();
        match health(&mut tcp) {
            Some(200) => held.push(tcp),
            other => {
                assert!(
                    started.elapsed() < Duration::from_secs(4),
                    "the refusal took {:?}",
                    started.elapsed()
                );
                break other;
            }
        }
    };
    // The server's own files (runtime, database, spare descriptor) take the rest of the limit.
    assert!(
        held.len() >= LIMIT / 2,
        "only {} connections before the first refusal",
        held.len()
    );
    assert!(
        matches!(refused_status, Some(503) | None),
        "refused with {refused_status:?}"
    );
    // Refused again, promptly, and the server is still up.
    let mut again = connect(&addr);
    let started = Instant::now();
    assert_ne!(health(&mut again), Some(200));
    assert!(started.elapsed() < Duration::from_secs(4));
    assert!(child.try_wait().unwrap().is_none(), "the server exited");
    // The connections held still work.
    assert_eq!(health(&mut held[0]), Some(200));

    // Free some descriptors: the server accepts again.
    held.truncate(held.len() - 20);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mut tcp = connect(&addr);
        if health(&mut tcp) == Some(200) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no connection accepted after closing 20"
        );
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        log.contains("run out of file descriptors")
            && log.contains("open_files_limit")
            && log.contains(&LIMIT.to_string()),
        "{log}"
    );
}
