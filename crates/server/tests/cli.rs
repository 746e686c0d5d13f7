//! The `cobrowse` binary: user administration and `serve`.

#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn cobrowse(data_dir: &std::path::Path, args: &[&str], stdin: &str) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cobrowse"))
        .args(args)
        .env("COBROWSE_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    (
        output.status.success(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn user_add_list_passwd() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (ok, out, err) = cobrowse(
        d,
        &[
            "user",
            "add",
            "alice",
            "--role",
            "agent",
            "--password-stdin",
        ],
        "secret one\n",
    );
    assert!(ok, "{out}{err}");
    let (ok, _, err) = cobrowse(
        d,
        &[
            "user",
            "add",
            "ALICE",
            "--role",
            "admin",
            "--password-stdin",
        ],
        "x\n",
    );
    assert!(!ok);
    assert!(err.contains("already exists"), "{err}");
    // --data-dir works as well as the environment.
    let other = tempfile::tempdir().unwrap();
    let (ok, out, err) = cobrowse(
        d,
        &[
            "user",
            "add",
            "bob",
            "--role",
            "admin",
            "--password-stdin",
            "--data-dir",
            other.path().to_str().unwrap(),
        ],
        "pw\n",
    );
    assert!(ok, "{out}{err}");
    let (ok, out, _) = cobrowse(d, &["user", "list"], "");
    assert!(ok);
    assert_eq!(out, "alice agent\n");
    let (_, out, _) = cobrowse(
        d,
        &["user", "list", "--data-dir", other.path().to_str().unwrap()],
        "",
    );
    assert_eq!(out, "bob admin\n");

    let (ok, _, err) = cobrowse(d, &["user", "passwd", "alice", "--password-stdin"], "new\n");
    assert!(ok, "{err}");
    let (ok, _, err) = cobrowse(d, &["user", "passwd", "carol", "--password-stdin"], "x\n");
    assert!(!ok);
    assert!(err.contains("no such user"), "{err}");
    let (ok, _, err) = cobrowse(d, &["user", "passwd", "alice", "--password-stdin"], "\n");
    assert!(!ok);
    assert!(err.contains("empty"), "{err}");
    let (ok, _, err) = cobrowse(d, &["user", "add", "bad name", "--password-stdin"], "x\n");
    assert!(!ok);
    assert!(err.contains("user name"), "{err}");
}

#[test]
fn serve_prints_the_admin_password_and_the_address_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cobrowse"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("COBROWSE_DATA_DIR", dir.path())
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let password = line
        .trim_end()
        .strip_prefix("created administrator \"admin\" with password: ")
        .unwrap_or_else(|| panic!("unexpected line {line:?}"))
        .to_owned();
    assert!(password.len() >= 16);
    line.clear();
    stdout.read_line(&mut line).unwrap();
    let addr = line
        .trim_end()
        .strip_prefix("cobrowse listening on http://")
        .unwrap_or_else(|| panic!("unexpected line {line:?}"))
        .to_owned();
    assert!(!addr.ends_with(":0"), "{addr}");

    // The server answers, and the printed password logs in.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        // reqwest has rustls without a provider of its own (see tests/common): give it ring.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::new();
        let health = http
            .get(format!("http://{addr}/cobrowse/health"))
            .send()
            .await
            .unwrap();
        assert_eq!(health.status(), 200);
        let login = http
            .post(format!("http://{addr}/cobrowse/rest/auth/login"))
            .json(&serde_json::json!({"username": "admin", "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(login.status(), 200);
    });

    // SIGTERM: a graceful, successful exit.
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "server did not stop");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");

    // A second start does not create another administrator.
    let mut child = Command::new(env!("CARGO_BIN_EXE_cobrowse"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("COBROWSE_DATA_DIR", dir.path())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    line.clear();
    stdout.read_line(&mut line).unwrap();
    assert!(line.starts_with("cobrowse listening on http://"), "{line}");
    child.kill().unwrap();
    child.wait().unwrap();
}
