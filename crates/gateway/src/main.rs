//! `mensa`: parse the command line and configuration, then serve, migrate or seed.

use anyhow::Context;
use clap::CommandFactory;
use gateway::Application;
use gateway::cli::{Cli, Command};
use gateway::config::{Config, table};
use gateway::telemetry::Telemetry;

// glibc's allocator serialises threads that free what another thread allocated, which a
// work-stealing runtime does on most requests; mimalloc keeps such frees cheap (figures in
// docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // Before any HTTPS client (OTLP's included) is built.
    gateway::tls::install_provider();
    let cli = Cli::read().context("invalid configuration")?;
    match cli.command {
        Some(Command::Schema) => {
            print_schema();
            return Ok(());
        }
        Some(Command::Settings { update }) => return settings_table(update),
        _ => {}
    }
    let config = Config::from_settings(cli.settings).context("invalid configuration")?;
    let telemetry = Telemetry::init(&config)?;
    let outcome = run(cli.command.unwrap_or(Command::Serve), &config, &telemetry).await;
    // Whatever happened, the spans that tell about it reach the collector. The exporters
    // block while they flush: off the runtime's workers.
    let flushed = tokio::task::spawn_blocking(move || telemetry.shutdown()).await;
    if let Err(error) = flushed {
        tracing::warn!(%error, "telemetry could not be flushed");
    }
    outcome
}

async fn run(command: Command, config: &Config, telemetry: &Telemetry) -> anyhow::Result<()> {
    match command {
        Command::Serve => serve(config, telemetry).await,
        Command::Migrate => {
            gateway::db::open(&config.database).await?;
            tracing::info!("migrations done");
            Ok(())
        }
        Command::Schema => {
            print_schema();
            Ok(())
        }
        Command::Settings { update } => settings_table(update),
        Command::SeedDemo => {
            anyhow::ensure!(
                config.demo,
                "seed-demo only runs in demo mode: set MENSA_DEMO=true (never in production)"
            );
            let state = gateway::startup::build_state(config).await?;
            let outcome = demo::seed(&state.app).await?;
            state.app.accounts.drain().await;
            tracing::info!(%outcome, "demo seed finished");
            Ok(())
        }
    }
}

async fn serve(config: &Config, telemetry: &Telemetry) -> anyhow::Result<()> {
    let app = Application::build(config).await?;
    if let Some(meter) = telemetry.meter() {
        gateway::metrics::export(&meter, app.state());
    }
    let addr = app.local_addr()?;
    let creditor = app.creditor_addr();
    let mutual_tls = app.creditor_mutual_tls();
    tracing::info!(
        addr = %creditor,
        mutual_tls,
        "pagoPA creditor listener is serving /pagopa/paForNode"
    );
    tracing::info!(%addr, demo = config.demo, "mensa is serving");
    if config.demo {
        print_demo_banner(
            addr.port(),
            config.hosts.base_domain(),
            creditor,
            mutual_tls,
        );
    }
    app.run_until(shutdown_signal()).await?;
    tracing::info!("mensa stopped");
    Ok(())
}

#[allow(clippy::print_stdout)]
fn print_schema() {
    print!("{}", gateway::graphql::sdl());
}

/// Prints the table of settings, or writes it into the file's marked section.
#[allow(clippy::print_stdout)]
fn settings_table(update: Option<std::path::PathBuf>) -> anyhow::Result<()> {
    let table = table::markdown(&Cli::command());
    let Some(path) = update else {
        print!("{table}");
        return Ok(());
    };
    let document = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let updated = table::replace(&document, &table).with_context(|| {
        format!(
            "{} lacks the lines {} and {} around the table",
            path.display(),
            table::BEGIN,
            table::END
        )
    })?;
    std::fs::write(&path, updated).with_context(|| format!("cannot write {}", path.display()))
}

/// A person who just typed `cargo run` wants to know where to click and how to log in.
#[allow(clippy::print_stdout)]
fn print_demo_banner(
    port: u16,
    base_domain: &str,
    creditor: std::net::SocketAddr,
    mutual_tls: bool,
) {
    println!("\nMensa demo is running:");
    for (slug, name) in demo::COMUNI {
        println!("  {name}: http://{slug}.{base_domain}:{port}/");
    }
    let scheme = if mutual_tls { "https" } else { "http" };
    println!(
        "  pagoPA creditor listener (the Node's SOAP calls): {scheme}://{creditor}/pagopa/paForNode"
    );
    println!(
        "  logins (each comune): genitore / Mensa-2026 (parent), operatore / Mensa-2026 (staff)\n"
    );
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
