//! The `cobrowse` command: `serve`, `migrate`, `user add | list | passwd` and
//! `apikey create | list | revoke`. Thin: parses the command line,
//! sets up logging (stderr; stdout is reserved for the lines harnesses read), and calls the library.

use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};
use cobrowse_protocol::Role;
use cobrowse_server::auth::Hashing;
use cobrowse_server::store::SqliteStore;
use cobrowse_server::{Config, ServeArgs, accounts, apikeys};
use std::io::Read;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "cobrowse",
    version,
    about = "Self-hosted web co-browsing server"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server.
    #[command(
        after_help = "Precedence: flag > environment > --config file > default.\n\
        Durations: 500ms, 30s, 10m, 2h, or a number of seconds. \
        Sizes: 512KiB, 16MiB, 1GiB, or a number of bytes."
    )]
    Serve(Box<ServeArgs>),
    /// Create or upgrade the database in the data directory, then exit.
    Migrate {
        #[command(flatten)]
        data: DataDir,
    },
    /// Manage the users of the agent desktop.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage the API keys of contact-centre integrations (they may end live sessions).
    Apikey {
        #[command(subcommand)]
        command: ApiKeyCommand,
    },
}

#[derive(Debug, Subcommand)]
enum ApiKeyCommand {
    /// Create a key and print it (once: only its hash is stored).
    Create {
        name: String,
        #[command(flatten)]
        data: DataDir,
    },
    /// List keys: name and creation time, one per line.
    List {
        #[command(flatten)]
        data: DataDir,
    },
    /// Revoke (delete) a key.
    Revoke {
        name: String,
        #[command(flatten)]
        data: DataDir,
    },
}

#[derive(Debug, clap::Args)]
struct DataDir {
    /// Directory of the database.
    #[arg(
        long,
        env = "COBROWSE_DATA_DIR",
        default_value = "./data",
        value_name = "DIR"
    )]
    data_dir: PathBuf,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create a user. Without --password-stdin a random password is generated and printed.
    Add {
        name: String,
        #[arg(long, value_enum, default_value_t = RoleArg::Agent)]
        role: RoleArg,
        /// Read the password from standard input (one line).
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        data: DataDir,
    },
    /// List users: name and role, one per line.
    List {
        #[command(flatten)]
        data: DataDir,
    },
    /// Change a user's password (and log them out everywhere).
    Passwd {
        name: String,
        /// Read the password from standard input (one line).
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        data: DataDir,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RoleArg {
    Agent,
    Admin,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Self {
        match r {
            RoleArg::Agent => Role::Agent,
            RoleArg::Admin => Role::Admin,
        }
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    match Cli::parse().command {
        Command::Serve(args) => serve(&args).await,
        Command::Migrate { data } => {
            SqliteStore::open(&data.data_dir).await?;
            println!("database in {} is up to date", data.data_dir.display());
            Ok(())
        }
        Command::User { command } => user(command).await,
        Command::Apikey { command } => apikey(command).await,
    }
}

async fn serve(args: &ServeArgs) -> anyhow::Result<()> {
    let config = Config::load(args)?;
    tracing::debug!(?config, "configuration");
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    cobrowse_server::run(config, listener, shutdown_signal()).await?;
    Ok(())
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

/// Reads a password from stdin (one line, without its line ending).
fn read_password() -> anyhow::Result<String> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("cannot read the password from standard input")?;
    let line = input.lines().next().unwrap_or("");
    if line.is_empty() {
        bail!("the password is empty");
    }
    Ok(line.to_owned())
}

async fn user(command: UserCommand) -> anyhow::Result<()> {
    let hashing = Hashing::default();
    match command {
        UserCommand::Add {
            name,
            role,
            password_stdin,
            data,
        } => {
            let (password, generated) = if password_stdin {
                (read_password()?, false)
            } else {
                (cobrowse_server::auth::generate_password(), true)
            };
            let store = SqliteStore::open(&data.data_dir).await?;
            let user = accounts::add_user(&store, &hashing, &name, role.into(), &password).await?;
            println!(
                "created {} \"{}\"",
                accounts::role_name(user.role),
                user.name
            );
            if generated {
                println!("password: {password}");
            }
        }
        UserCommand::List { data } => {
            let store = SqliteStore::open(&data.data_dir).await?;
            for user in cobrowse_server::store::Store::list_users(&store).await? {
                println!("{} {}", user.name, accounts::role_name(user.role));
            }
        }
        UserCommand::Passwd {
            name,
            password_stdin,
            data,
        } => {
            if !password_stdin {
                bail!("pass the new password on standard input with --password-stdin");
            }
            let password = read_password()?;
            let store = SqliteStore::open(&data.data_dir).await?;
            accounts::set_password(&store, &hashing, &name, &password).await?;
            println!("password of \"{name}\" changed");
        }
    }
    Ok(())
}

async fn apikey(command: ApiKeyCommand) -> anyhow::Result<()> {
    use cobrowse_server::store::Store;
    match command {
        ApiKeyCommand::Create { name, data } => {
            let store = SqliteStore::open(&data.data_dir).await?;
            let key = apikeys::create(&store, &name).await?;
            println!("created API key \"{name}\"");
            println!("key: {key}");
        }
        ApiKeyCommand::List { data } => {
            let store = SqliteStore::open(&data.data_dir).await?;
            for key in store.list_api_keys().await? {
                println!("{} {}", key.name, key.created_at);
            }
        }
        ApiKeyCommand::Revoke { name, data } => {
            let store = SqliteStore::open(&data.data_dir).await?;
            store.revoke_api_key(&name).await?;
            println!("API key \"{name}\" revoked");
        }
    }
    Ok(())
}
