//! A PostgreSQL cluster of the test's own: `initdb` in a temporary directory, started on a
//! free port with its socket in that directory, stopped (and deleted) when dropped — never
//! the machine's shared PostgreSQL. Each test makes its own databases in it.
//!
//! `initdb` refuses to run as root, so as root the binaries run as the `postgres` user
//! (Debian's package creates it), which must own the directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use tempfile::TempDir;

use crate::redis_server::free_port;

pub struct PgServer {
    pub port: u16,
    dir: TempDir,
    bin: PathBuf,
}

/// Debian's PostgreSQL binaries (the newest installed version).
fn bin_dir() -> PathBuf {
    let base = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<PathBuf> = std::fs::read_dir(base)
        .expect("PostgreSQL's binaries in /usr/lib/postgresql (scripts/setup.sh --test installs them)")
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|p| p.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop().expect("an initdb under /usr/lib/postgresql/*/bin")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

impl PgServer {
    pub fn start() -> Self {
        let dir = tempfile::Builder::new().prefix("pmr-pg-").tempdir().expect("temp dir");
        let s = Self {
            port: free_port(),
            dir,
            bin: bin_dir(),
        };
        if is_root() {
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(s.dir.path())
                .status()
                .expect("chown");
            assert!(ok.success(), "chown the cluster directory to postgres");
        }
        let data = s.dir.path().join("data");
        s.run(
            "initdb",
            &["-D", path(&data), "-A", "trust", "-U", "pmr", "--no-sync", "-E", "UTF8"],
        );
        let opts = s.options();
        s.pg_ctl_start(&opts);
        s
    }

    /// Fast but honest: `fsync=off` only matters if the machine crashes; commits still wait
    /// for the WAL write, so a `crash()` (immediate stop) loses no acknowledged write.
    fn options(&self) -> String {
        format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off \
             -c full_page_writes=off -c max_connections=200",
            self.port,
            path(self.dir.path())
        )
    }

    fn pg_ctl_start(&self, opts: &str) {
        let (data, log) = (self.dir.path().join("data"), self.dir.path().join("log"));
        self.run(
            "pg_ctl",
            &["-D", path(&data), "-o", opts, "-l", path(&log), "-w", "start"],
        );
    }

    /// Starts the cluster again after [`Self::crash`], on the same port with the same data.
    pub fn restart(&self) {
        self.pg_ctl_start(&self.options());
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let exe = self.bin.join(tool);
        let mut cmd = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        let out = cmd
            .args(args)
            .current_dir(self.dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .expect("a PostgreSQL tool runs");
        assert!(
            out.status.success(),
            "{tool} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// A new, empty database in this cluster; its URL.
    pub fn database(&self) -> String {
        static N: AtomicU32 = AtomicU32::new(0);
        let name = format!("pmr_{}_{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst));
        self.run(
            "createdb",
            &["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "pmr", &name],
        );
        format!("postgres://pmr@127.0.0.1:{}/{name}", self.port)
    }

    /// Stops the cluster at once, as a crash would (tests of what survives).
    pub fn crash(&self) {
        let data = self.dir.path().join("data");
        self.run("pg_ctl", &["-D", path(&data), "-m", "immediate", "stop"]);
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        let exe = self.bin.join("pg_ctl");
        let mut cmd = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        let _ = cmd
            .args(["-D", path(&data), "-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}
