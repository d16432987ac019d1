//! `wrk` as the load benchmarks drive it: one thread, [`CONNECTIONS`] connections, each
//! sending its next request as soon as the last is answered, so the C client takes as
//! little of the two cores as possible; its latency distribution parsed from `--latency`.

use std::path::Path;
use std::process::Command;

/// Connections wrk keeps busy.
pub const CONNECTIONS: usize = 32;

/// One request shape.
pub struct Target {
    /// Names the round in the output (and wrk's script file).
    pub name: &'static str,
    pub method: &'static str,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

/// What wrk reports for one run.
pub struct Outcome {
    pub requests: u64,
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub errors: u64,
}

/// A Lua string literal (Rust's debug quoting is valid Lua for these ASCII values).
fn lua_string(s: &str) -> String {
    format!("{s:?}")
}

/// Runs wrk for `seconds` against `base` + the target's path; `dir` holds its script.
pub fn run(dir: &Path, base: &str, t: &Target, seconds: f64) -> Outcome {
    let mut script = format!("wrk.method = {}\n", lua_string(t.method));
    if let Some(b) = &t.body {
        script.push_str(&format!("wrk.body = {}\n", lua_string(b)));
    }
    for (k, v) in &t.headers {
        script.push_str(&format!("wrk.headers[{}] = {}\n", lua_string(k), lua_string(v)));
    }
    let file = dir.join(format!("{}.lua", t.name.replace(' ', "_")));
    std::fs::write(&file, script).expect("write wrk script");
    let out = Command::new("wrk")
        .args([
            "-t1",
            &format!("-c{CONNECTIONS}"),
            &format!("-d{seconds}s"),
            "--latency",
            "-s",
        ])
        .arg(&file)
        .arg(format!("{base}{}", t.path))
        .output()
        .expect("wrk on PATH (scripts/bench.sh installs it)");
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |prefix: &str| -> Option<String> {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(prefix))
            .map(|v| v.trim().to_owned())
    };
    let ms = |v: String| -> f64 {
        let split = v.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(v.len());
        let (num, unit) = v.split_at(split);
        let n: f64 = num.parse().unwrap_or(f64::NAN);
        match unit {
            "us" => n / 1000.0,
            "s" => n * 1000.0,
            _ => n,
        }
    };
    Outcome {
        requests: text
            .lines()
            .find_map(|l| l.trim().split_once(" requests in "))
            .and_then(|(n, _)| n.trim().parse().ok())
            .unwrap_or(0),
        rps: field("Requests/sec:").and_then(|v| v.parse().ok()).unwrap_or(0.0),
        p50_ms: field("50%").map_or(f64::NAN, ms),
        p99_ms: field("99%").map_or(f64::NAN, ms),
        errors: field("Non-2xx or 3xx responses:")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
    }
}

/// The middle value (upper middle for an even count).
pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
