//! The real `mensa` binary as a child process: what an orchestrator runs, signals included.

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

pub struct MensaProcess {
    child: Child,
    pub addr: SocketAddr,
    /// The pagoPA creditor listener's address, as its start-up line says.
    pub pagopa_addr: SocketAddr,
    logs: Arc<Mutex<Vec<String>>>,
}

impl MensaProcess {
    /// Starts `mensa serve` with only `env` (and JSON logs, no GraphQL rate limits) in its
    /// environment, on a free port, and returns once it says it is serving.
    pub async fn serve(env: &[(&str, String)]) -> MensaProcess {
        gateway::tls::install_provider();
        let mut command = Command::new(env!("CARGO_BIN_EXE_mensa"));
        command
            .arg("serve")
            .env_clear()
            .env("MENSA_ADDR", "127.0.0.1:0")
            .env("MENSA_PAGOPA_ADDR", "127.0.0.1:0")
            .env("MENSA_LOG_FORMAT", "json")
            .env("RUST_LOG", "info")
            // Load tests send thousands of calls a minute from one address and one login.
            .env("MENSA_GRAPHQL_RATE_PER_ADDRESS", "1000000")
            .env("MENSA_GRAPHQL_RATE_PER_CREDENTIAL", "1000000")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("the mensa binary starts");
        let logs = Arc::new(Mutex::new(Vec::new()));
        let (serving, address) = mpsc::channel();
        let (creditor, creditor_address) = mpsc::channel();
        collect(
            child.stdout.take().unwrap(),
            Arc::clone(&logs),
            Some((serving, creditor)),
        );
        collect(child.stderr.take().unwrap(), Arc::clone(&logs), None);
        let addr =
            tokio::task::spawn_blocking(move || address.recv_timeout(Duration::from_secs(120)))
                .await
                .unwrap();
        let mut process = MensaProcess {
            child,
            addr: "127.0.0.1:0".parse().unwrap(),
            pagopa_addr: "127.0.0.1:0".parse().unwrap(),
            logs,
        };
        match (addr, creditor_address.try_recv()) {
            (Ok(addr), Ok(pagopa_addr)) => {
                process.addr = addr;
                process.pagopa_addr = pagopa_addr;
            }
            _ => panic!(
                "mensa did not start serving; its output:\n{}",
                process.output()
            ),
        }
        process
    }

    /// Everything the process wrote so far, for a failing assertion's message.
    pub fn output(&self) -> String {
        self.logs.lock().unwrap().join("\n")
    }

    /// The warnings and errors the process logged.
    pub fn warnings(&self) -> String {
        let logs = self.logs.lock().unwrap();
        let bad = logs.iter().filter(|line| {
            line.contains("\"level\":\"WARN\"") || line.contains("\"level\":\"ERROR\"")
        });
        bad.cloned().collect::<Vec<_>>().join("\n")
    }

    /// SIGTERM, as Kubernetes sends before stopping a pod.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -TERM failed");
    }

    /// Waits for the process to exit, at most `limit`.
    pub async fn wait(&mut self, limit: Duration) -> ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                started.elapsed() < limit,
                "mensa did not exit within {limit:?}; its output:\n{}",
                self.output()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for MensaProcess {
    fn drop(&mut self) {
        // A failed test must not leave a server running.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Keeps every line of `stream`; the first "mensa is serving" line gives the address,
/// the creditor listener's line (logged before it) the listener's.
fn collect(
    stream: impl Read + Send + 'static,
    logs: Arc<Mutex<Vec<String>>>,
    serving: Option<(mpsc::Sender<SocketAddr>, mpsc::Sender<SocketAddr>)>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some((serving, creditor)) = &serving
                && let Ok(event) = serde_json::from_str::<serde_json::Value>(&line)
                && let Some(addr) = event["addr"].as_str().and_then(|a| a.parse().ok())
            {
                if event["message"] == "mensa is serving" {
                    let _ = serving.send(addr);
                } else if event["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("pagoPA creditor listener"))
                {
                    let _ = creditor.send(addr);
                }
            }
            logs.lock().unwrap().push(line);
        }
    });
}
