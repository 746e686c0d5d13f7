//! The servers under load, as child processes: the `cobrowse` binary with a temporary data
//! directory and one agent user per session (created with `cobrowse user add --password-stdin`,
//! as an administrator would: an agent holds one session at a time), and the bare relay
//! (this program's `bare-relay` command). Their CPU time and resident memory come from
//! `/proc/<pid>/stat` and `/proc/<pid>/status`.

use crate::target::{Target, login};
use anyhow::{Context, bail};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The password of the agents the load generator creates.
pub const AGENT_PASSWORD: &str = "loadgen password, not a secret";
/// The origin sessions are created from (allowed with `--allowed-origin`).
pub const ORIGIN: &str = "http://loadgen.invalid";

/// The name of agent `i`.
pub fn agent_name(i: usize) -> String {
    format!("loadgen{i}")
}

/// The name of agent `i` with another prefix (a server the load generator did not start).
fn prefixed(prefix: &str, i: usize) -> String {
    format!("{prefix}{i}")
}

/// A server process, killed when dropped.
pub struct Server {
    child: Child,
    pub target: Target,
    /// How to start it again: the binary, and for cobrowse its data directory.
    bin: PathBuf,
    dir: Option<tempfile::TempDir>,
}

impl Server {
    /// Stops the process and starts a fresh one (same data directory, so the agents' logins
    /// stay valid): memory figures start from a process that never held a session.
    pub async fn restart(&mut self, http: &reqwest::Client) -> anyhow::Result<()> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        match (&mut self.target, &self.dir) {
            (Target::Cobrowse { base, .. }, Some(dir)) => {
                let (child, new_base) = spawn_cobrowse(&self.bin, dir.path())?;
                self.child = child;
                *base = new_base;
                wait_healthy(http, base, &mut self.child).await
            }
            (Target::Bare { addr }, _) => {
                let (child, new_addr) = spawn_bare(&self.bin)?;
                self.child = child;
                *addr = new_addr;
                Ok(())
            }
            (Target::Cobrowse { .. }, None) => bail!("a server without its data directory"),
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn usage(&self) -> anyhow::Result<Usage> {
        Usage::of(self.pid())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free port on the loopback interface (the server binary has no way to report the port it
/// picked itself).
fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Creates `agents` agent users in `data_dir` with the CLI, a few processes at a time.
fn add_agents(bin: &Path, data_dir: &Path, agents: usize) -> anyhow::Result<()> {
    // Migrate once first so that parallel `user add`s do not race to create the database.
    let status = Command::new(bin)
        .args(["migrate", "--data-dir"])
        .arg(data_dir)
        .stdout(Stdio::null())
        .status()?;
    if !status.success() {
        bail!("cobrowse migrate failed: {status}");
    }
    // Mostly waiting on the database file (each process opens it and commits once), not CPU.
    let parallel = 16;
    let mut running: Vec<(usize, Child)> = Vec::new();
    for i in 0..agents {
        let mut child = Command::new(bin)
            .args([
                "user",
                "add",
                &agent_name(i),
                "--password-stdin",
                "--data-dir",
            ])
            .arg(data_dir)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot run {}", bin.display()))?;
        if let Some(mut stdin) = child.stdin.take() {
            writeln!(stdin, "{AGENT_PASSWORD}")?;
        }
        running.push((i, child));
        if running.len() >= parallel || i + 1 == agents {
            for (i, mut child) in running.drain(..) {
                let status = child.wait()?;
                if !status.success() {
                    bail!("cobrowse user add {} failed: {status}", agent_name(i));
                }
            }
        }
    }
    Ok(())
}

/// Starts `bin serve` with `agents` agents, waits until it is healthy and logs the agents in.
pub async fn start_cobrowse(
    bin: &Path,
    agents: usize,
    http: &reqwest::Client,
) -> anyhow::Result<Server> {
    let dir = tempfile::tempdir()?;
    // Blocking (child processes): off the runtime's threads, so that several servers can be
    // prepared at once.
    let (bin_owned, dir_path) = (bin.to_owned(), dir.path().to_owned());
    tokio::task::spawn_blocking(move || add_agents(&bin_owned, &dir_path, agents)).await??;
    let (child, base) = spawn_cobrowse(bin, dir.path())?;
    let mut server = Server {
        child,
        target: Target::Bare {
            addr: String::new(),
        },
        bin: bin.to_owned(),
        dir: Some(dir),
    };
    wait_healthy(http, &base, &mut server.child).await?;
    let cookies = login_all(http, &base, "loadgen", AGENT_PASSWORD, agents).await?;
    server.target = Target::Cobrowse {
        base,
        origin: ORIGIN.to_owned(),
        cookies,
    };
    Ok(server)
}

/// Starts `bin serve` on a data directory prepared by this process: `agents` agents and a login
/// of each written straight into its database before it starts (one argon2 hash shared by all,
/// login cookies minted as the login handler mints them). For the thousands of agents of the
/// soak and of the idle memory (`bench`, `idle`): creating each with the CLI and logging each in
/// costs two argon2 computations per agent, tens of minutes on a busy two-core machine. The
/// sessions are then opened as real clients open them.
pub async fn start_cobrowse_seeded(
    bin: &Path,
    agents: usize,
    http: &reqwest::Client,
) -> anyhow::Result<Server> {
    let dir = tempfile::tempdir()?;
    let cookies = seed_agents(dir.path(), agents).await?;
    let (child, base) = spawn_cobrowse(bin, dir.path())?;
    let mut server = Server {
        child,
        target: Target::Cobrowse {
            base: base.clone(),
            origin: ORIGIN.to_owned(),
            cookies,
        },
        bin: bin.to_owned(),
        dir: Some(dir),
    };
    wait_healthy(http, &base, &mut server.child).await?;
    Ok(server)
}

/// Writes agents `loadgen0…` and a login of each (valid for a day) into the database of
/// `data_dir` (created if needed; no server running on it yet) and returns the login cookies.
pub async fn seed_agents(data_dir: &Path, agents: usize) -> anyhow::Result<Vec<String>> {
    use cobrowse_server::store::{SqliteStore, Store, unix_now};
    let store = SqliteStore::open(data_dir).await?;
    let hash = tokio::task::spawn_blocking(|| {
        cobrowse_server::auth::hash_password_blocking(AGENT_PASSWORD)
    })
    .await??;
    let now = unix_now();
    let expires = now + 24 * 3600;
    let mut cookies = Vec::with_capacity(agents);
    for i in 0..agents {
        let user = store
            .create_user(&agent_name(i), cobrowse_protocol::Role::Agent, &hash)
            .await?;
        let (value, login) = cobrowse_server::auth::new_login();
        store.create_login(&login, user.id, now, expires).await?;
        cookies.push(format!("{}={value}", cobrowse_server::auth::COOKIE_NAME));
    }
    Ok(cookies)
}

fn spawn_cobrowse(bin: &Path, dir: &Path) -> anyhow::Result<(Child, String)> {
    let port = free_port()?;
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("server.log"))?;
    let child = Command::new(bin)
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(dir)
        .args(["--allowed-origin", ORIGIN])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .with_context(|| format!("cannot run {}", bin.display()))?;
    Ok((child, format!("http://127.0.0.1:{port}")))
}

/// Logs in agents `{prefix}0..{prefix}{agents - 1}` of a running server, a few at a time (each
/// login verifies an argon2 hash).
pub async fn login_all(
    http: &reqwest::Client,
    base: &str,
    prefix: &str,
    password: &str,
    agents: usize,
) -> anyhow::Result<Vec<String>> {
    use futures_util::StreamExt;
    futures_util::stream::iter(0..agents)
        .map(|i| async move { login(http, base, &prefixed(prefix, i), password).await })
        .buffered(8)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect()
}

async fn wait_healthy(http: &reqwest::Client, base: &str, child: &mut Child) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait()? {
            bail!("the server exited: {status}");
        }
        if let Ok(response) = http.get(format!("{base}/cobrowse/health")).send().await
            && response.status() == 200
        {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the server at {base} did not become healthy in 30 s");
        }
        // Polling a process we do not control: there is nothing to wait on but its port.
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Starts the bare relay (`<this program> bare-relay`).
pub fn start_bare(exe: &Path) -> anyhow::Result<Server> {
    let (child, addr) = spawn_bare(exe)?;
    Ok(Server {
        child,
        target: Target::Bare { addr },
        bin: exe.to_owned(),
        dir: None,
    })
}

/// Runs the bare relay and reads its address from its first line of output.
fn spawn_bare(exe: &Path) -> anyhow::Result<(Child, String)> {
    use std::io::BufRead;
    let mut child = Command::new(exe)
        .args(["bare-relay", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run {}", exe.display()))?;
    let stdout = child.stdout.take().context("no stdout")?;
    let mut line = String::new();
    std::io::BufReader::new(stdout).read_line(&mut line)?;
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .context("the bare relay did not say where it listens")?
        .to_owned();
    Ok((child, addr))
}

/// The program to run as the bare relay: this executable, or `cobrowse-loadgen` beside it (the
/// integration tests run from `target/…/deps`).
pub fn loadgen_exe() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    if exe.file_stem().is_some_and(|s| s == "cobrowse-loadgen") {
        return Ok(exe);
    }
    let beside = exe
        .parent()
        .and_then(Path::parent)
        .map(|dir| dir.join("cobrowse-loadgen"))
        .context("no directory")?;
    Ok(beside)
}

/// CPU time and resident memory of a process.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    /// User + system time, seconds.
    pub cpu_s: f64,
    pub rss_kib: u64,
}

impl Usage {
    pub fn of(pid: u32) -> anyhow::Result<Self> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
        // Fields after the command name (which may hold spaces) start at field 3.
        let after = stat.rsplit_once(')').context("bad /proc stat")?.1;
        let fields: Vec<&str> = after.split_whitespace().collect();
        let ticks = |i: usize| -> anyhow::Result<u64> {
            Ok(fields.get(i).context("short /proc stat")?.parse()?)
        };
        // utime and stime are fields 14 and 15 (1-based); `fields[0]` is field 3. Clock ticks are
        // 100 per second on Linux (USER_HZ).
        let cpu_s = (ticks(11)? + ticks(12)?) as f64 / 100.0;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
        let rss_kib = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .context("no VmRSS")?;
        Ok(Self { cpu_s, rss_kib })
    }
}

/// `model name × cores, MemTotal` from `/proc/cpuinfo` and `/proc/meminfo`.
pub fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|v| v.trim_start_matches([' ', '\t', ':']).trim().to_owned())
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = cpuinfo
        .lines()
        .filter(|l| l.starts_with("processor"))
        .count();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_kib: u64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    format!(
        "{model} × {cores} logical CPUs, {:.1} GiB RAM",
        mem_kib as f64 / 1024.0 / 1024.0
    )
}

/// This process's soft and hard limits of open files, from `/proc/self/limits` (Linux); child
/// processes inherit them.
pub fn open_files_limit() -> Option<(u64, u64)> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    let mut fields = line.split_whitespace().skip(3);
    let soft = fields.next()?.parse().ok()?;
    let hard = fields.next()?.parse().ok()?;
    Some((soft, hard))
}
