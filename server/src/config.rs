//! Configuration, parsed once from the environment into typed structs (SPEC §6). This is
//! the only module that reads environment variables; an invalid value stops start-up with
//! a message naming the variable.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use engine::metrics::RagThresholds;

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// `PMR_LISTEN` (default `127.0.0.1:3000`); port 0 picks a free port.
    pub listen: SocketAddr,
    /// `DATABASE_URL` (default `sqlite://data/pmr.db`; `postgres://…` for several instances).
    pub database_url: String,
    /// `REDIS_URL` (default `redis://127.0.0.1:6379/0`; `off` runs on the in-process cache).
    pub redis_url: Option<String>,
    pub cache: CacheConfig,
    pub monitor: monitor::MonitorConfig,
    pub ws: WsConfig,
    pub auth: AuthConfig,
    pub report: ReportConfig,
    pub http: HttpConfig,
    pub generation: AdmissionConfig,
    /// `PMR_SITE_ROOT` (default `target/site`): the built CSS, JS and WASM.
    pub site_root: PathBuf,
    /// `PMR_DEMO` (default true): load the demo portfolio when the store is empty.
    pub demo: bool,
}

/// Time-to-live per key kind (SPEC §2), plus how the cache talks to Redis.
#[derive(Debug, Clone, PartialEq)]
pub struct CacheConfig {
    pub ttl_report: Duration,
    pub ttl_insights: Duration,
    pub ttl_monte_carlo: Duration,
    pub ttl_metrics: Duration,
    pub ttl_template: Duration,
    pub ttl_section: Duration,
    /// `CACHE_KEY_PREFIX` (default empty): put in front of every key, so tests can share
    /// one Redis.
    pub key_prefix: String,
    /// `CACHE_REDIS_TIMEOUT_MS` (default 250): a Redis call slower than this counts as down.
    pub redis_timeout: Duration,
    /// `CACHE_RECONNECT_INTERVAL_MS` (default 1000): how often a down Redis is retried.
    pub reconnect_interval: Duration,
    /// `CACHE_EARLY_REFRESH_BETA` (default 1.0): eagerness of refresh before expiry.
    pub early_refresh_beta: f64,
    /// `CACHE_MEMORY_CAPACITY` (default 10000 entries) of the in-process fallback.
    pub memory_capacity: u64,
}

/// Limits on HTTP connections and requests (`PMR_HTTP_*`).
#[derive(Debug, Clone, PartialEq)]
pub struct HttpConfig {
    /// `PMR_HTTP_HEADER_TIMEOUT_SECS` (15), `PMR_HTTP_WRITE_TIMEOUT_SECS` (30),
    /// `PMR_HTTP_MAX_CONNECTIONS` (12000), `PMR_HTTP_MAX_CONNECTIONS_PER_CLIENT` (1000),
    /// `PMR_TRUSTED_PROXIES` (none).
    pub limits: crate::edge::serve::Limits,
    /// `PMR_HTTP_REQUEST_TIMEOUT_SECS` (30): a request (body included) that takes longer is
    /// answered 408 and its work cancelled.
    pub request_timeout: Duration,
}

/// Admission control for report generation and Monte Carlo runs (`PMR_GENERATION_*`).
#[derive(Debug, Clone, PartialEq)]
pub struct AdmissionConfig {
    /// `PMR_GENERATION_CONCURRENCY` (default: the number of cores): runs at once.
    pub concurrency: usize,
    /// `PMR_GENERATION_QUEUE` (4): runs that may wait for a slot; beyond, 503.
    pub queue: usize,
    /// `PMR_GENERATION_QUEUE_WAIT_MS` (10000): how long one may wait; then 503.
    pub queue_wait: Duration,
}

/// Live collaboration (SPEC §5, §6).
#[derive(Debug, Clone, PartialEq)]
pub struct WsConfig {
    /// `WS_BATCH_MAX_SIZE` (10): a batch is sent when it holds this many messages.
    pub batch_max_size: usize,
    /// `WS_BATCH_MAX_WAIT_MS` (50): …or this long after its first one.
    pub batch_max_wait: Duration,
    /// `WS_ENABLE_BATCHING` (true).
    pub enable_batching: bool,
    /// `WS_BATCH_FLUSH_WHEN_IDLE` (true): a batch goes out as soon as nothing more is queued
    /// for the connection, so batching only groups a backlog and never delays a lone message.
    pub batch_flush_when_idle: bool,
    /// `WS_IDLE_TIMEOUT_MINUTES` (30): no client message this long → close 4000.
    pub idle_timeout: Duration,
    /// `WS_MAX_PARTICIPANTS` (50) per report session → close 1013 beyond.
    pub max_participants: usize,
    /// `WS_MAX_CONNECTIONS` (10000) per instance → close 1013 beyond.
    pub max_connections: usize,
    /// `WS_MAX_QUEUE_BYTES` (1 MiB) undelivered per connection → close 4001 beyond.
    pub max_queue_bytes: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuthConfig {
    /// `PMR_ALLOW_ANONYMOUS` (default false): readers without a token get the viewer role.
    pub allow_anonymous: bool,
    /// `PMR_SESSION_HOURS` (default 12).
    pub session_ttl: Duration,
    /// `PMR_SECURE_COOKIES` (default false): set `Secure` on cookies and send HSTS; turn on
    /// when served over TLS (directly or behind a proxy).
    pub behind_tls: bool,
    /// `PMR_SIGN_IN_PER_MINUTE` (default 10): failed sign-ins per client address and token
    /// id tried; beyond, 429 (a valid token is never refused).
    pub sign_in_per_minute: u32,
    /// `PMR_GENERATE_PER_MINUTE` (default 30) per principal.
    pub generate_per_minute: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReportConfig {
    pub rag: RagThresholds,
    /// `PMR_INSIGHT_MIN_CONFIDENCE` (default 0.7).
    pub min_confidence: f64,
    /// `PMR_MC_ITERATIONS` (default 10000).
    pub iterations: u64,
    /// `PMR_ALLOW_UNVALIDATED_IMPORT` (default false; tests only): accept project data that
    /// fails cross-item validation, so the pipeline's own refusals can be exercised.
    pub allow_unvalidated_import: bool,
}

/// A variable that could not be used.
#[derive(Debug, thiserror::Error)]
#[error("configuration: {var}: {message}")]
pub struct ConfigError {
    pub var: String,
    pub message: String,
}

type Vars = HashMap<String, String>;

impl Config {
    /// From the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(std::env::vars().collect())
    }

    /// From explicit variables (tests build configurations this way).
    pub fn from_vars(vars: Vars) -> Result<Self, ConfigError> {
        let v = Reader(&vars);
        let redis = v.string("REDIS_URL", "redis://127.0.0.1:6379/0");
        let database_url = v.string("DATABASE_URL", "sqlite://data/pmr.db");
        // A URL the store cannot serve stops start-up here, rather than becoming, say, an
        // SQLite file in a directory named `postgres:`.
        crate::store::Dialect::of(&database_url).map_err(|rule| v.error("DATABASE_URL", &rule))?;
        Ok(Self {
            listen: v.parse("PMR_LISTEN", "127.0.0.1:3000")?,
            database_url,
            redis_url: (!matches!(redis.as_str(), "" | "off" | "none")).then_some(redis),
            cache: cache(&v)?,
            monitor: monitor_config(&v)?,
            ws: WsConfig {
                batch_max_size: v.positive("WS_BATCH_MAX_SIZE", "10")?,
                batch_max_wait: Duration::from_millis(v.positive("WS_BATCH_MAX_WAIT_MS", "50")?),
                enable_batching: v.bool("WS_ENABLE_BATCHING", true)?,
                batch_flush_when_idle: v.bool("WS_BATCH_FLUSH_WHEN_IDLE", true)?,
                idle_timeout: Duration::from_secs(60 * v.positive::<u64>("WS_IDLE_TIMEOUT_MINUTES", "30")?),
                max_participants: v.positive("WS_MAX_PARTICIPANTS", "50")?,
                max_connections: v.positive("WS_MAX_CONNECTIONS", "10000")?,
                max_queue_bytes: v.positive("WS_MAX_QUEUE_BYTES", "1048576")?,
            },
            auth: AuthConfig {
                allow_anonymous: v.bool("PMR_ALLOW_ANONYMOUS", false)?,
                session_ttl: Duration::from_secs(3600 * v.positive::<u64>("PMR_SESSION_HOURS", "12")?),
                behind_tls: v.bool("PMR_SECURE_COOKIES", false)?,
                sign_in_per_minute: v.positive("PMR_SIGN_IN_PER_MINUTE", "10")?,
                generate_per_minute: v.positive("PMR_GENERATE_PER_MINUTE", "30")?,
            },
            report: report(&v)?,
            http: http(&v)?,
            generation: generation(&v)?,
            site_root: PathBuf::from(v.string("PMR_SITE_ROOT", "target/site")),
            demo: v.bool("PMR_DEMO", true)?,
        })
    }
}

fn cache(v: &Reader) -> Result<CacheConfig, ConfigError> {
    let secs = |name: &str, default: &str| -> Result<Duration, ConfigError> {
        Ok(Duration::from_secs(v.positive::<u64>(name, default)?))
    };
    let beta: f64 = v.parse("CACHE_EARLY_REFRESH_BETA", "1.0")?;
    if !(0.0..=10.0).contains(&beta) {
        return Err(v.error("CACHE_EARLY_REFRESH_BETA", "must be between 0 and 10"));
    }
    Ok(CacheConfig {
        ttl_report: secs("CACHE_TTL_REPORT_SECONDS", "3600")?,
        ttl_insights: secs("CACHE_TTL_INSIGHTS_SECONDS", "1800")?,
        ttl_monte_carlo: secs("CACHE_TTL_MONTE_CARLO_SECONDS", "7200")?,
        ttl_metrics: secs("CACHE_TTL_METRICS_SECONDS", "300")?,
        ttl_template: secs("CACHE_TTL_TEMPLATE_SECONDS", "86400")?,
        ttl_section: secs("CACHE_TTL_SECTION_SECONDS", "3600")?,
        key_prefix: v.string("CACHE_KEY_PREFIX", ""),
        redis_timeout: Duration::from_millis(v.positive("CACHE_REDIS_TIMEOUT_MS", "250")?),
        reconnect_interval: Duration::from_millis(v.positive("CACHE_RECONNECT_INTERVAL_MS", "1000")?),
        early_refresh_beta: beta,
        memory_capacity: v.positive("CACHE_MEMORY_CAPACITY", "10000")?,
    })
}

fn http(v: &Reader) -> Result<HttpConfig, ConfigError> {
    let secs = |name: &str, default: &str| -> Result<Duration, ConfigError> {
        Ok(Duration::from_secs(v.positive::<u64>(name, default)?))
    };
    Ok(HttpConfig {
        limits: crate::edge::serve::Limits {
            header_read_timeout: secs("PMR_HTTP_HEADER_TIMEOUT_SECS", "15")?,
            write_timeout: secs("PMR_HTTP_WRITE_TIMEOUT_SECS", "30")?,
            max_connections: v.positive("PMR_HTTP_MAX_CONNECTIONS", "12000")?,
            max_connections_per_client: v.positive("PMR_HTTP_MAX_CONNECTIONS_PER_CLIENT", "1000")?,
            shutdown_grace: Duration::from_secs(10),
            trusted_proxies: trusted_proxies(v)?,
        },
        request_timeout: secs("PMR_HTTP_REQUEST_TIMEOUT_SECS", "30")?,
    })
}

/// `PMR_TRUSTED_PROXIES`: comma-separated IP addresses of the balancers in front.
fn trusted_proxies(v: &Reader) -> Result<Vec<std::net::IpAddr>, ConfigError> {
    let raw = v.string("PMR_TRUSTED_PROXIES", "");
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse()
                .map_err(|_| v.error("PMR_TRUSTED_PROXIES", &format!("{s:?} is not an IP address")))
        })
        .collect()
}

fn generation(v: &Reader) -> Result<AdmissionConfig, ConfigError> {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    Ok(AdmissionConfig {
        concurrency: v.positive("PMR_GENERATION_CONCURRENCY", &cores.to_string())?,
        queue: v.parse("PMR_GENERATION_QUEUE", "4")?,
        queue_wait: Duration::from_millis(v.positive("PMR_GENERATION_QUEUE_WAIT_MS", "10000")?),
    })
}

fn monitor_config(v: &Reader) -> Result<monitor::MonitorConfig, ConfigError> {
    let mut config = monitor::MonitorConfig {
        enabled: v.bool("PERFORMANCE_MONITORING_ENABLED", true)?,
        ..Default::default()
    };
    // Each threshold can be overridden as MONITOR_THRESHOLD_<NAME>, e.g.
    // MONITOR_THRESHOLD_REPORT_GENERATION_TIME=20000.
    let names: Vec<String> = config.thresholds.iter().map(|(n, _)| n.to_owned()).collect();
    for name in names {
        let var = format!("MONITOR_THRESHOLD_{}", name.to_uppercase());
        if v.0.contains_key(&var) {
            let value: f64 = v.parse(&var, "0")?;
            if !(value.is_finite() && value > 0.0) {
                return Err(v.error(&var, "must be a number > 0"));
            }
            config.thresholds.set(&name, value);
        }
    }
    Ok(config)
}

fn report(v: &Reader) -> Result<ReportConfig, ConfigError> {
    let d = RagThresholds::default();
    let min_confidence: f64 = v.parse("PMR_INSIGHT_MIN_CONFIDENCE", "0.7")?;
    if !(0.0..=1.0).contains(&min_confidence) {
        return Err(v.error("PMR_INSIGHT_MIN_CONFIDENCE", "must be between 0 and 1"));
    }
    let iterations: u64 = v.parse("PMR_MC_ITERATIONS", "10000")?;
    if engine::montecarlo::SimConfig::new(iterations, 0).is_err() {
        return Err(v.error("PMR_MC_ITERATIONS", "must be between 1000 and 1000000"));
    }
    Ok(ReportConfig {
        rag: RagThresholds {
            cpi_green: v.parse("RAG_CPI_GREEN", &d.cpi_green.to_string())?,
            cpi_amber: v.parse("RAG_CPI_AMBER", &d.cpi_amber.to_string())?,
            spi_green: v.parse("RAG_SPI_GREEN", &d.spi_green.to_string())?,
            spi_amber: v.parse("RAG_SPI_AMBER", &d.spi_amber.to_string())?,
            slip_red_days: v.parse("RAG_SLIP_RED_DAYS", &d.slip_red_days.to_string())?,
            utilisation_red: v.parse("RAG_UTILISATION_RED", &d.utilisation_red.to_string())?,
            utilisation_amber: v.parse("RAG_UTILISATION_AMBER", &d.utilisation_amber.to_string())?,
            p_on_time_red: v.parse("RAG_P_ON_TIME_RED", &d.p_on_time_red.to_string())?,
            p_on_time_amber: v.parse("RAG_P_ON_TIME_AMBER", &d.p_on_time_amber.to_string())?,
        },
        min_confidence,
        iterations,
        allow_unvalidated_import: v.bool("PMR_ALLOW_UNVALIDATED_IMPORT", false)?,
    })
}

struct Reader<'a>(&'a Vars);

impl Reader<'_> {
    fn string(&self, name: &str, default: &str) -> String {
        self.0.get(name).cloned().unwrap_or_else(|| default.to_owned())
    }

    fn error(&self, name: &str, message: &str) -> ConfigError {
        ConfigError {
            var: name.to_owned(),
            message: format!(
                "{message} (got {:?})",
                self.0.get(name).map(String::as_str).unwrap_or("")
            ),
        }
    }

    fn parse<T: FromStr>(&self, name: &str, default: &str) -> Result<T, ConfigError> {
        let raw = self.0.get(name).map(String::as_str).unwrap_or(default);
        raw.trim()
            .parse()
            .map_err(|_| self.error(name, &format!("must be a valid {}", short_type::<T>())))
    }

    fn positive<T: FromStr + PartialOrd + Default>(&self, name: &str, default: &str) -> Result<T, ConfigError> {
        let v: T = self.parse(name, default)?;
        if v > T::default() {
            Ok(v)
        } else {
            Err(self.error(name, "must be greater than 0"))
        }
    }

    fn bool(&self, name: &str, default: bool) -> Result<bool, ConfigError> {
        match self.0.get(name).map(|s| s.trim().to_ascii_lowercase()) {
            None => Ok(default),
            Some(s) => match s.as_str() {
                "1" | "true" | "yes" | "on" => Ok(true),
                "0" | "false" | "no" | "off" => Ok(false),
                _ => Err(self.error(name, "must be true or false")),
            },
        }
    }
}

fn short_type<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    full.rsplit("::").next().unwrap_or(full)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vars {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn defaults_match_the_spec() {
        let c = Config::from_vars(Vars::new()).expect("defaults are valid");
        assert_eq!(c.cache.ttl_report, Duration::from_secs(3600));
        assert_eq!(c.cache.ttl_insights, Duration::from_secs(1800));
        assert_eq!(c.cache.ttl_monte_carlo, Duration::from_secs(7200));
        assert_eq!(c.cache.ttl_metrics, Duration::from_secs(300));
        assert_eq!(c.cache.ttl_template, Duration::from_secs(86400));
        assert_eq!(c.ws.batch_max_size, 10);
        assert!(c.ws.enable_batching);
        assert!(!c.auth.allow_anonymous);
        assert_eq!(c.redis_url.as_deref(), Some("redis://127.0.0.1:6379/0"));
    }

    #[test]
    fn invalid_values_name_the_variable() {
        for (var, value) in [
            ("WS_BATCH_MAX_SIZE", "ten"),
            ("PMR_LISTEN", "nowhere"),
            ("WS_ENABLE_BATCHING", "maybe"),
            ("CACHE_TTL_SECTION_SECONDS", "0"),
            ("PMR_MC_ITERATIONS", "5"),
            ("MONITOR_THRESHOLD_REPORT_GENERATION_TIME", "-1"),
            ("DATABASE_URL", "mysql://db/pmr"),
            ("DATABASE_URL", "postgres:pmr"),
            ("PMR_TRUSTED_PROXIES", "127.0.0.1, nginx"),
        ] {
            let err = Config::from_vars(vars(&[(var, value)])).expect_err(var);
            assert_eq!(err.var, var);
            assert!(err.to_string().contains(var), "{err}");
        }
    }

    #[test]
    fn redis_can_be_switched_off() {
        let c = Config::from_vars(vars(&[("REDIS_URL", "off")])).expect("valid");
        assert_eq!(c.redis_url, None);
    }
}
