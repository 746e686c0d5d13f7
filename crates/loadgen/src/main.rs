//! `cobrowse-loadgen`: `relay` (our server), `baseline` (the bare relay), `idle` (memory per idle
//! session, both), `bench` (the interleaved set of `scripts/loadgen.sh`, writing
//! `docs/benchmarks.md`) and `bare-relay` (the baseline server process itself).

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use cobrowse_loadgen::bench::{self, Kind, Run, Scenario};
use cobrowse_loadgen::load::Load;
use cobrowse_loadgen::process::{self, Server};
use cobrowse_loadgen::report::{self, IdleSeries, Report};
use cobrowse_loadgen::target::Target;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Parser)]
#[command(
    name = "cobrowse-loadgen",
    about = "Load generator of the cobrowse relay"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Sessions on a cobrowse server (started from --server-bin, or running at --server).
    Relay {
        #[command(flatten)]
        server: ServerArgs,
        #[command(flatten)]
        load: LoadArgs,
    },
    /// The same load on the bare tokio-tungstenite relay (started as a child process).
    Baseline {
        #[command(flatten)]
        load: LoadArgs,
    },
    /// Resident memory per idle session: ours (from --server-bin) and the bare relay, the slope
    /// of each fresh process's RSS between --base-sessions and --sessions idle sessions.
    Idle {
        #[arg(long)]
        server_bin: PathBuf,
        #[arg(long, default_value_t = 3000)]
        sessions: usize,
        #[arg(long, default_value_t = 1000)]
        base_sessions: usize,
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        #[arg(long)]
        json: bool,
    },
    /// The interleaved benchmark set: throughput, latency and idle memory, ours against the bare
    /// relay, median of --rounds runs each.
    Bench(BenchArgs),
    /// The long hold: many sessions on one or more server processes (nodes) for minutes at a
    /// fixed rate, the client side spread over worker processes; every frame must arrive.
    Soak(SoakArgs),
    /// Compares the per-frame traces of a paired latency run (`bench --trace-dir`): each
    /// server's p50 and p99, its frames at or above its p99, and how many of those had no such
    /// frame of the other server within --window-ms (slow frames of its own, not the machine's).
    Tails {
        ours: PathBuf,
        bare: PathBuf,
        #[arg(long, default_value_t = 5.0)]
        window_ms: f64,
        #[arg(long)]
        json: bool,
    },
    /// One worker of `soak` (reads its sessions from stdin).
    #[command(hide = true)]
    SoakWorker,
    /// Run the bare relay (the baseline) until killed; prints `listening on ADDR`.
    #[command(hide = true)]
    BareRelay {
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: String,
    },
}

#[derive(Debug, Args)]
struct ServerArgs {
    /// The `cobrowse` binary to start (temporary data directory, agents created with the CLI).
    #[arg(long, conflicts_with = "server")]
    server_bin: Option<PathBuf>,
    /// A running server (`http://host:port`); it must allow --origin and have agents
    /// `<agent-prefix>0`, `<agent-prefix>1`, … with --agent-password.
    #[arg(long)]
    server: Option<String>,
    #[arg(long, default_value = process::ORIGIN)]
    origin: String,
    #[arg(long, default_value = "loadgen")]
    agent_prefix: String,
    #[arg(long, env = "LOADGEN_AGENT_PASSWORD", default_value = process::AGENT_PASSWORD)]
    agent_password: String,
    /// With --server-bin: write the agents and their logins into the database before the server
    /// starts (as `bench` does) instead of creating each with the CLI and logging it in, which
    /// costs two argon2 hashes per agent (minutes for a thousand sessions).
    #[arg(long, requires = "server_bin")]
    seeded: bool,
}

#[derive(Debug, Args)]
struct LoadArgs {
    #[arg(long, default_value_t = 16)]
    sessions: usize,
    /// Payload bytes per frame (header not counted).
    #[arg(long, default_value_t = 300)]
    payload: usize,
    /// Frames per second per session; 0: as fast as --window allows.
    #[arg(long, default_value_t = 0.0)]
    rate: f64,
    /// Frames in flight per session at most (with --rate 0).
    #[arg(long, default_value_t = 8)]
    window: usize,
    /// Seconds of sending.
    #[arg(long, default_value_t = 5.0)]
    duration: f64,
    /// Seconds to wait for frames still on their way after the last send.
    #[arg(long, default_value_t = 10.0)]
    drain: f64,
    /// Print the run as JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Write every frame received to this CSV file (`session,seq,sent_us,latency_us`, in order of
    /// sending): a diagnostic run's per-sample trace.
    #[arg(long)]
    trace: Option<PathBuf>,
}

impl LoadArgs {
    fn load(&self) -> Load {
        Load {
            payload: self.payload,
            rate: self.rate,
            window: self.window,
            duration: Duration::from_secs_f64(self.duration),
            drain: Duration::from_secs_f64(self.drain),
        }
    }
}

#[derive(Debug, Args)]
struct BenchArgs {
    #[arg(long)]
    server_bin: PathBuf,
    /// Runs per server and scenario (interleaved).
    #[arg(long, default_value_t = 5)]
    rounds: usize,
    /// Throughput scenarios, SESSIONSxPAYLOAD (comma-separated).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "16x300,16x4096,1000x300,1000x4096"
    )]
    throughput: Vec<String>,
    /// Latency scenarios, SESSIONSxPAYLOAD@RATE (frames per second per session).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "16x300@100,16x4096@100,1000x300@2,1000x4096@2"
    )]
    latency: Vec<String>,
    /// Idle sessions for the memory figure (the slope of RSS from --idle-base to this many);
    /// 0: not measured.
    #[arg(long, default_value_t = 3000)]
    idle: usize,
    #[arg(long, default_value_t = 1000)]
    idle_base: usize,
    /// Seconds of sending per throughput run.
    #[arg(long, default_value_t = 5.0)]
    duration: f64,
    /// Seconds of sending per latency run (a p99 wants samples: 1,000 sessions at 2 frames a
    /// second for 10 s give 20,000); default: --duration.
    #[arg(long)]
    latency_duration: Option<f64>,
    #[arg(long, default_value_t = 8)]
    window: usize,
    /// Write every latency run's samples into this directory (CSV per server and round; see
    /// `relay --trace`).
    #[arg(long)]
    trace_dir: Option<PathBuf>,
    /// The command to show in the report (how the run was started).
    #[arg(long, default_value = "cobrowse-loadgen bench")]
    command_line: String,
    /// Write the tables into this file's SERVER section (docs/benchmarks.md).
    #[arg(long)]
    markdown: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct SoakArgs {
    #[arg(long)]
    server_bin: PathBuf,
    #[arg(long, default_value_t = 10_000)]
    sessions: usize,
    /// Server processes to spread the sessions over; 0: as few as this process's limit of open
    /// files allows (each server inherits it and needs two sockets per session plus its own files).
    #[arg(long, default_value_t = 0)]
    nodes: usize,
    /// Load generator worker processes; 0: one per 8,000 client sockets.
    #[arg(long, default_value_t = 0)]
    workers: usize,
    #[arg(long, default_value_t = 300)]
    payload: usize,
    /// Frames per second per session.
    #[arg(long, default_value_t = 1.0)]
    rate: f64,
    /// Seconds of the hold.
    #[arg(long, default_value_t = 300.0)]
    duration: f64,
    /// Seconds between samples of the servers' memory and CPU.
    #[arg(long, default_value_t = 10.0)]
    sample: f64,
    #[arg(long, default_value = "cobrowse-loadgen soak")]
    command_line: String,
    /// Write the result into this file's SOAK section (docs/benchmarks.md).
    #[arg(long)]
    markdown: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

/// Descriptors a server needs besides its sessions' sockets (database, listener, logs, HTTP
/// connections of the setup): a generous allowance.
const SERVER_OWN_FILES: u64 = 1000;

async fn soak(args: SoakArgs) -> anyhow::Result<()> {
    use cobrowse_loadgen::soak::{self, Node, Plan};
    let limit = process::open_files_limit();
    let sockets = 2 * args.sessions as u64;
    let nodes = if args.nodes > 0 {
        args.nodes
    } else {
        let soft = limit.map_or(1024, |l| l.0);
        usize::try_from((sockets + SERVER_OWN_FILES).div_ceil(soft.max(SERVER_OWN_FILES + 2)))?
            .max(1)
    };
    let workers = if args.workers > 0 {
        args.workers
    } else {
        soak::workers_for(args.sessions)
    };
    let why = match limit {
        Some((soft, hard)) if nodes > 1 => format!(
            "Why {nodes} server processes: the limit of open files per process here is {soft} (hard limit {hard}, which root without CAP_SYS_RESOURCE cannot raise), and one server holding {} sessions needs {sockets} sockets plus its own files; on a machine with a higher `ulimit -n` one process holds them all (`--nodes 1`). Each server has its own port and SQLite database; session i goes to server i mod {nodes}.",
            args.sessions
        ),
        Some((soft, _)) => format!("The limit of open files per process here is {soft}."),
        None => String::new(),
    };
    let http = http()?;
    let per_node = args.sessions.div_ceil(nodes);
    eprintln!(
        "starting {nodes} server(s) with {per_node} agents each (written into their databases)"
    );
    let mut servers = Vec::new();
    for _ in 0..nodes {
        servers.push(process::start_cobrowse_seeded(&args.server_bin, per_node, &http).await?);
    }
    let nodes_list: Vec<Node> = servers
        .iter()
        .map(|s| match &s.target {
            cobrowse_loadgen::target::Target::Cobrowse {
                base,
                origin,
                cookies,
            } => Ok(Node {
                base: base.clone(),
                origin: origin.clone(),
                cookies: cookies.clone(),
                pid: Some(s.pid()),
            }),
            cobrowse_loadgen::target::Target::Bare { .. } => bail!("not a cobrowse server"),
        })
        .collect::<anyhow::Result<_>>()?;
    let plan = Plan {
        sessions: args.sessions,
        workers,
        payload: args.payload,
        rate: args.rate,
        duration_s: args.duration,
        sample_s: args.sample,
    };
    let result = soak::run(&nodes_list, plan).await?;
    drop(servers);
    let markdown = soak::markdown(&result, &args.command_line, &why);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&result)?);
    } else {
        println!("{markdown}");
    }
    if let Some(path) = &args.markdown {
        let doc = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        std::fs::write(path, soak::replace_section(&doc, &markdown)?)?;
        eprintln!("wrote {}", path.display());
    }
    if !result.complete() {
        bail!(
            "{} of {} frames delivered, {} out of order",
            result.delivered,
            result.sent,
            result.out_of_order
        );
    }
    Ok(())
}

fn tails(
    ours: &std::path::Path,
    bare: &std::path::Path,
    window_ms: f64,
    json: bool,
) -> anyhow::Result<()> {
    use cobrowse_loadgen::trace;
    // Milliseconds from the command line to whole microseconds.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let window_us = (window_ms.max(0.0) * 1000.0) as u64;
    let t = trace::compare(&trace::read(ours)?, &trace::read(bare)?, window_us);
    if json {
        println!("{}", serde_json::to_string_pretty(&t)?);
        return Ok(());
    }
    println!(
        "| server | samples | p50 | p99 | frames ≥ p99 | of which alone (no such frame of the other within ±{window_ms} ms) |"
    );
    println!("|---|---|---|---|---|---|");
    for (name, side) in [("ours", &t.ours), ("bare", &t.bare)] {
        println!(
            "| {name} | {} | {} µs | {} µs | {} | {} |",
            side.samples, side.p50_us, side.p99_us, side.tail, side.tail_alone
        );
    }
    println!(
        "correlation of the two servers' largest latency per 100 ms of sending: {:.2}",
        t.max_per_100ms_correlation
    );
    Ok(())
}

fn http() -> anyhow::Result<reqwest::Client> {
    cobrowse_loadgen::target::http_client()
}

fn print_run(run: &Run, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(run)?);
        return Ok(());
    }
    println!(
        "| target | sessions | payload | rate | sent | delivered | lost | out of order | msg/s | p50 | p90 | p99 | max | server CPU s | server RSS KiB |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    println!(
        "| {} | {} | {} | {} | {} | {} | {} | {} | {:.0} | {} µs | {} µs | {} µs | {} µs | {} | {} |",
        run.target,
        run.sessions,
        run.load.payload,
        if run.load.rate > 0.0 {
            format!("{}/s", run.load.rate)
        } else {
            format!("window {}", run.load.window)
        },
        run.sent,
        run.delivered,
        run.lost,
        run.out_of_order,
        run.msgs_per_s,
        run.p50_us,
        run.p90_us,
        run.p99_us,
        run.max_us,
        run.server_cpu_s
            .map_or("-".to_owned(), |c| format!("{c:.2}")),
        run.server_rss_kib.map_or("-".to_owned(), |r| r.to_string()),
    );
    Ok(())
}

/// Fails unless every frame sent arrived in order: the only thing the smoke run checks.
fn check_complete(run: &Run) -> anyhow::Result<()> {
    if !run.complete() {
        bail!(
            "{} of {} frames delivered, {} out of order",
            run.delivered,
            run.sent,
            run.out_of_order
        );
    }
    Ok(())
}

/// `relay` and `baseline`: one measured run, printed; an error unless every frame arrived.
async fn one_run(
    target: &Target,
    pid: Option<u32>,
    load: &LoadArgs,
    http: &reqwest::Client,
) -> anyhow::Result<()> {
    let run = bench::measure(
        target,
        pid,
        load.sessions,
        load.load(),
        http,
        load.trace.as_deref(),
    )
    .await?;
    print_run(&run, load.json)?;
    check_complete(&run)
}

fn parse_scenario(spec: &str, kind: Kind, args: &BenchArgs) -> anyhow::Result<Scenario> {
    let (shape, rate) = match spec.split_once('@') {
        Some((shape, rate)) => (shape, rate.parse::<f64>()?),
        None => (spec, 0.0),
    };
    let (sessions, payload) = shape
        .split_once('x')
        .with_context(|| format!("scenario {spec}: SESSIONSxPAYLOAD"))?;
    let duration = match kind {
        Kind::Throughput => args.duration,
        Kind::Latency => args.latency_duration.unwrap_or(args.duration),
    };
    Ok(Scenario {
        kind,
        sessions: sessions.parse()?,
        load: Load {
            payload: payload.parse()?,
            rate,
            window: args.window,
            duration: Duration::from_secs_f64(duration),
            drain: Duration::from_secs(10),
        },
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::BareRelay { listen } => {
            let listener = tokio::net::TcpListener::bind(&listen).await?;
            println!("listening on {}", listener.local_addr()?);
            cobrowse_loadgen::bare::serve(listener).await
        }
        Command::Relay { server, load } => {
            let http = http()?;
            let (target, child): (Target, Option<Server>) = match (server.server_bin, server.server)
            {
                (Some(bin), _) => {
                    let s = if server.seeded {
                        process::start_cobrowse_seeded(&bin, load.sessions, &http).await?
                    } else {
                        process::start_cobrowse(&bin, load.sessions, &http).await?
                    };
                    (s.target.clone(), Some(s))
                }
                (None, Some(base)) => {
                    let cookies = process::login_all(
                        &http,
                        &base,
                        &server.agent_prefix,
                        &server.agent_password,
                        load.sessions,
                    )
                    .await?;
                    (
                        Target::Cobrowse {
                            base,
                            origin: server.origin,
                            cookies,
                        },
                        None,
                    )
                }
                (None, None) => bail!("give --server-bin or --server"),
            };
            one_run(&target, child.as_ref().map(Server::pid), &load, &http).await
        }
        Command::Baseline { load } => {
            let http = http()?;
            let bare = process::start_bare(&process::loadgen_exe()?)?;
            one_run(&bare.target, Some(bare.pid()), &load, &http).await
        }
        Command::Idle {
            server_bin,
            sessions,
            base_sessions,
            rounds,
            json,
        } => {
            let http = http()?;
            let mut ours = process::start_cobrowse_seeded(&server_bin, sessions, &http).await?;
            let mut bare = process::start_bare(&process::loadgen_exe()?)?;
            let (o, b) =
                bench::idle_series(base_sessions, sessions, rounds, &mut ours, &mut bare, &http)
                    .await?;
            let idle = IdleSeries {
                base_sessions,
                sessions,
                ours: o,
                bare: b,
            };
            if json {
                println!("{}", serde_json::to_string_pretty(&idle)?);
            } else {
                let report = Report {
                    date: report::today(),
                    machine: process::machine(),
                    command: "cobrowse-loadgen idle".to_owned(),
                    rounds,
                    series: Vec::new(),
                    idle: Some(idle),
                };
                println!("{}", report.markdown());
            }
            Ok(())
        }
        Command::Bench(args) => bench_all(args).await,
        Command::Soak(args) => soak(args).await,
        Command::Tails {
            ours,
            bare,
            window_ms,
            json,
        } => tails(&ours, &bare, window_ms, json),
        Command::SoakWorker => cobrowse_loadgen::soak::worker().await,
    }
}

async fn bench_all(args: BenchArgs) -> anyhow::Result<()> {
    let mut scenarios = Vec::new();
    for spec in args.throughput.iter().filter(|s| !s.is_empty()) {
        scenarios.push(parse_scenario(spec, Kind::Throughput, &args)?);
    }
    for spec in args.latency.iter().filter(|s| !s.is_empty()) {
        scenarios.push(parse_scenario(spec, Kind::Latency, &args)?);
    }
    let agents = scenarios
        .iter()
        .map(|s| s.sessions)
        .max()
        .unwrap_or(0)
        .max(args.idle)
        .max(1);
    let http = http()?;
    eprintln!(
        "starting {} with {agents} agents",
        args.server_bin.display()
    );
    // Agents and their logins written into the database (thousands for the idle memory): the
    // sessions are then opened as clients open them.
    let mut ours = process::start_cobrowse_seeded(&args.server_bin, agents, &http).await?;
    let mut bare = process::start_bare(&process::loadgen_exe()?)?;
    let trace_dir = args.trace_dir.as_deref();
    if let Some(dir) = trace_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut report = Report {
        date: report::today(),
        machine: process::machine(),
        command: args.command_line.clone(),
        rounds: args.rounds,
        series: Vec::new(),
        idle: None,
    };
    for scenario in scenarios {
        report
            .series
            .push(bench::series(scenario, args.rounds, &ours, &bare, &http, trace_dir).await?);
    }
    if args.idle > 0 {
        let (o, b) = bench::idle_series(
            args.idle_base,
            args.idle,
            args.rounds,
            &mut ours,
            &mut bare,
            &http,
        )
        .await?;
        report.idle = Some(IdleSeries {
            base_sessions: args.idle_base,
            sessions: args.idle,
            ours: o,
            bare: b,
        });
    }
    let markdown = report.markdown();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!("{markdown}");
    }
    if let Some(path) = &args.markdown {
        let doc = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        std::fs::write(path, report::replace_section(&doc, &markdown)?)?;
        eprintln!("wrote {}", path.display());
    }
    if !report.complete() {
        bail!("some frames were not delivered (see the tables)");
    }
    Ok(())
}
