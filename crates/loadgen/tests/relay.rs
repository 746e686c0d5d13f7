//! The load generator against a real server started in-process (port 0, temporary SQLite, two
//! agents) and against the bare relay, also in-process: every frame arrives, in order, and every
//! frame's latency is recorded.

#![allow(clippy::unwrap_used)]

use cobrowse_loadgen::bench;
use cobrowse_loadgen::load::Load;
use cobrowse_loadgen::process::{AGENT_PASSWORD, ORIGIN, agent_name, login_all};
use cobrowse_loadgen::target::Target;
use cobrowse_protocol::Role;
use cobrowse_server::auth::Hashing;
use cobrowse_server::store::SqliteStore;
use std::time::Duration;

const SESSIONS: usize = 2;

fn load(rate: f64) -> Load {
    Load {
        payload: 300,
        rate,
        window: 4,
        duration: Duration::from_secs(1),
        drain: Duration::from_secs(10),
    }
}

/// A server in this process, with `agents` agents; its base URL, and how to stop it.
struct InProcess {
    base: String,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<Result<(), cobrowse_server::Error>>,
    _dir: tempfile::TempDir,
}

impl InProcess {
    async fn start(agents: usize) -> Self {
        Self::start_in(tempfile::tempdir().unwrap(), agents).await
    }

    /// The server on `dir`, with `agents` more agents created first.
    async fn start_in(dir: tempfile::TempDir, agents: usize) -> Self {
        {
            let store = SqliteStore::open(dir.path()).await.unwrap();
            for i in 0..agents {
                cobrowse_server::accounts::add_user(
                    &store,
                    &Hashing::default(),
                    &agent_name(i),
                    Role::Agent,
                    AGENT_PASSWORD,
                )
                .await
                .unwrap();
            }
        }
        let mut config = cobrowse_server::Config::new(dir.path());
        config.allowed_origins = vec![ORIGIN.to_owned()];
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(cobrowse_server::run(config, listener, async {
            let _ = stopped.await;
        }));
        Self {
            base,
            stop,
            server,
            _dir: dir,
        }
    }

    async fn stop(self) {
        let _ = self.stop.send(());
        tokio::time::timeout(Duration::from_secs(10), self.server)
            .await
            .expect("server stops in time")
            .unwrap()
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relay_delivers_every_frame_and_records_latency() {
    let server = InProcess::start(SESSIONS).await;
    let base = server.base.clone();
    let http = cobrowse_loadgen::target::http_client().unwrap();
    let cookies = login_all(&http, &base, "loadgen", AGENT_PASSWORD, SESSIONS)
        .await
        .unwrap();
    let target = Target::Cobrowse {
        base,
        origin: ORIGIN.to_owned(),
        cookies,
    };
    // Both pacings, one after the other on the same agents: the first run's sessions must have
    // ended (agents released) for the second to open.
    for rate in [0.0, 200.0] {
        let run = bench::measure(&target, None, SESSIONS, load(rate), &http, None)
            .await
            .unwrap();
        assert!(run.sent > 0, "nothing sent at rate {rate}");
        assert_eq!(
            run.delivered, run.sent,
            "frames lost at rate {rate}: {run:?}"
        );
        assert_eq!(run.out_of_order, 0, "{run:?}");
        assert_eq!(run.resyncs, 0, "{run:?}");
        assert!(run.p50_us > 0 && run.p99_us >= run.p50_us, "{run:?}");
        assert!(run.msgs_per_s > 0.0, "{run:?}");
        assert!(run.complete());
    }

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bare_relay_delivers_every_frame() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let relay = tokio::spawn(cobrowse_loadgen::bare::serve(listener));
    let target = Target::Bare { addr };
    let http = cobrowse_loadgen::target::http_client().unwrap();
    let run = bench::measure(&target, None, SESSIONS, load(0.0), &http, None)
        .await
        .unwrap();
    assert!(run.sent > 0);
    assert_eq!(run.delivered, run.sent, "{run:?}");
    assert_eq!(run.out_of_order, 0);
    assert!(run.p50_us > 0);
    relay.abort();
}

/// A paired latency run (`bench`'s latency rounds): ours and the bare relay over the same
/// seconds, every frame delivered on both, and each side's per-frame trace written, the two
/// sides' frames taking turns in time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paired_run_measures_both_servers_over_the_same_seconds() {
    let server = InProcess::start(SESSIONS).await;
    let http = cobrowse_loadgen::target::http_client().unwrap();
    let cookies = login_all(&http, &server.base, "loadgen", AGENT_PASSWORD, SESSIONS)
        .await
        .unwrap();
    let ours = Target::Cobrowse {
        base: server.base.clone(),
        origin: ORIGIN.to_owned(),
        cookies,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let relay = tokio::spawn(cobrowse_loadgen::bare::serve(listener));
    let bare = Target::Bare { addr };
    let dir = tempfile::tempdir().unwrap();
    let (ours_csv, bare_csv) = (dir.path().join("ours.csv"), dir.path().join("bare.csv"));
    let (a, b) = bench::measure_paired(
        (&ours, None),
        (&bare, None),
        SESSIONS,
        load(50.0),
        &http,
        Some((&ours_csv, &bare_csv)),
    )
    .await
    .unwrap();
    assert_eq!((a.target, b.target), ("ours", "bare"));
    for run in [&a, &b] {
        assert!(run.sent >= 20, "a second at 50/s per session: {run:?}");
        assert!(run.complete(), "{run:?}");
    }
    let read = |path: &std::path::Path| -> Vec<(u64, u64)> {
        let text = std::fs::read_to_string(path).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("session,seq,sent_us,latency_us"));
        lines
            .map(|line| {
                let f: Vec<u64> = line.split(',').map(|v| v.parse().unwrap()).collect();
                (f[2], f[3])
            })
            .collect()
    };
    let (ours_samples, bare_samples) = (read(&ours_csv), read(&bare_csv));
    assert_eq!(ours_samples.len() as u64, a.delivered);
    assert_eq!(bare_samples.len() as u64, b.delivered);
    // Same seconds: each side's first frame went out before the other's last.
    let span = |s: &[(u64, u64)]| (s.first().unwrap().0, s.last().unwrap().0);
    let (o, b) = (span(&ours_samples), span(&bare_samples));
    assert!(o.0 < b.1 && b.0 < o.1, "ours {o:?}, bare {b:?}");
    relay.abort();
    server.stop().await;
}

/// The soak's machinery in small: two server nodes, sessions spread over two worker processes
/// (`cobrowse-loadgen soak-worker`), every frame delivered, latency merged, servers sampled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soak_over_two_nodes_and_two_workers_delivers_every_frame() {
    use cobrowse_loadgen::soak::{self, Node, Plan};
    const SOAK_SESSIONS: usize = 6;
    // Agents and logins written into each database, as the soak prepares its servers.
    let mut servers = Vec::new();
    let mut nodes = Vec::new();
    for _ in 0..2 {
        let dir = tempfile::tempdir().unwrap();
        let cookies = cobrowse_loadgen::process::seed_agents(dir.path(), 3)
            .await
            .unwrap();
        let server = InProcess::start_in(dir, 0).await;
        nodes.push(Node {
            base: server.base.clone(),
            origin: ORIGIN.to_owned(),
            cookies,
            // Both servers are in this process: its memory is what gets sampled.
            pid: Some(std::process::id()),
        });
        servers.push(server);
    }
    let plan = Plan {
        sessions: SOAK_SESSIONS,
        workers: 2,
        payload: 300,
        rate: 20.0,
        duration_s: 1.5,
        sample_s: 0.5,
    };
    let result = soak::run(&nodes, plan).await.unwrap();
    assert!(result.complete(), "{result:?}");
    // 6 sessions × 20 frames/s × 1.5 s, give or take the first tick of each.
    assert!(result.sent >= 120, "{result:?}");
    assert_eq!(result.worker_rss_kib.len(), 2);
    assert!(
        result.p99_us >= result.p50_us && result.p50_us > 0,
        "{result:?}"
    );
    assert!(result.samples.len() >= 2, "{result:?}");
    assert!(
        result
            .samples
            .iter()
            .all(|s| s.rss_kib.len() == 2 && s.rss_kib[0] > 0)
    );
    let markdown = soak::markdown(&result, "test", "");
    assert!(
        markdown.contains(&format!(
            "| frames delivered | {} of {} ",
            result.sent, result.sent
        )),
        "{markdown}"
    );
    for server in servers {
        server.stop().await;
    }
}
