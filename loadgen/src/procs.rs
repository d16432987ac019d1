//! The server processes' resident memory and CPU time, read from `/proc/<pid>/status` and
//! `/proc/<pid>/stat` (Linux), and the machine's load average. A process that has gone away
//! (killed in a drill) reads as `None`.

use serde::Serialize;

/// Clock ticks per second of `/proc/<pid>/stat` times: 100 on every Linux this runs on.
const TICKS_PER_SECOND: f64 = 100.0;

/// One process at one moment.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Sample {
    pub rss_kib: u64,
    /// User plus system CPU time since the process started, seconds.
    pub cpu_s: f64,
}

pub fn sample(pid: u32) -> Option<Sample> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rss_kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())?;
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces, so split after its ')').
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line: 12 and 13 after the name.
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(Sample {
        rss_kib,
        cpu_s: ticks / TICKS_PER_SECOND,
    })
}

pub fn sample_all(pids: &[u32]) -> Vec<Option<Sample>> {
    pids.iter().map(|&p| sample(p)).collect()
}

/// The 1-minute load average.
pub fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_this_process() {
        let s = super::sample(std::process::id()).expect("this process");
        assert!(s.rss_kib > 0);
        assert!(super::load_average().is_some());
    }
}
