//! Serving HTTP/1.1 on a bound listener, with the limits `axum::serve` does not offer: a
//! header-read timeout that also ends idle kept-alive connections, a write timeout for
//! clients that stop reading, a cap on open connections overall and per client address,
//! and `TCP_NODELAY` (a response's head and body go out at once instead of waiting on the
//! client's delayed ACK). Shutdown stops accepting, lets in-flight requests finish, and
//! gives up on the stragglers after a grace period.

mod write_timeout;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tower::ServiceExt;

use self::write_timeout::WriteTimeout;

/// Connection limits (SPEC §6 configuration, `PMR_HTTP_*`).
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Time to send a request head, and the longest a kept-alive connection may sit idle.
    pub header_read_timeout: Duration,
    /// A write that makes no progress for this long closes the connection.
    pub write_timeout: Duration,
    /// Open connections at once; beyond it the server stops accepting until one closes.
    pub max_connections: usize,
    /// Open connections from one client address; beyond it new ones are closed at once.
    pub max_connections_per_client: usize,
    /// After shutdown begins, how long in-flight requests may take to finish.
    pub shutdown_grace: Duration,
    /// Balancers in front (`PMR_TRUSTED_PROXIES`): from these peers the client is the last
    /// address in `X-Forwarded-For`, and the per-client cap does not apply to the peer
    /// itself (it carries everyone's connections).
    pub trusted_proxies: Vec<IpAddr>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(15),
            write_timeout: Duration::from_secs(30),
            max_connections: 12_000,
            max_connections_per_client: 1_000,
            shutdown_grace: Duration::from_secs(10),
            trusted_proxies: Vec::new(),
        }
    }
}

/// The client a request comes from: the peer, or, behind a trusted proxy, the address the
/// proxy appended last to `X-Forwarded-For` (earlier entries are the client's own say-so).
fn client_of<B>(req: &hyper::Request<B>, peer: SocketAddr, proxied: bool) -> SocketAddr {
    if !proxied {
        return peer;
    }
    req.headers()
        .get_all("x-forwarded-for")
        .iter()
        .next_back()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|last| last.trim().parse::<IpAddr>().ok())
        .map_or(peer, |ip| SocketAddr::new(ip, 0))
}

/// Open connections per client address.
#[derive(Default)]
struct PerClient(Mutex<HashMap<IpAddr, usize>>);

/// Counts one connection for an address while alive.
struct ClientSlot {
    table: Arc<PerClient>,
    ip: IpAddr,
}

impl PerClient {
    fn enter(self: &Arc<Self>, ip: IpAddr, max: usize) -> Option<ClientSlot> {
        let mut t = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let n = t.entry(ip).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(ClientSlot {
            table: self.clone(),
            ip,
        })
    }
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut t = self.table.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = t.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                t.remove(&self.ip);
            }
        }
    }
}

/// Resolves once `shutdown` turns true (or its sender is gone).
async fn stopped(shutdown: &mut watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stop| *stop).await;
}

/// Serves `app` until `shutdown` turns true.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    mut shutdown: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let open = Arc::new(Semaphore::new(limits.max_connections));
    let per_client = Arc::new(PerClient::default());
    loop {
        // Backpressure: with every slot taken, stop accepting (the kernel queues the rest).
        let permit = tokio::select! {
            p = open.clone().acquire_owned() => p.map_err(std::io::Error::other)?,
            _ = stopped(&mut shutdown) => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // EMFILE and friends: back off briefly rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stopped(&mut shutdown) => break,
        };
        let proxied = limits.trusted_proxies.contains(&peer.ip());
        let slot = if proxied {
            None
        } else {
            let Some(slot) = per_client.enter(peer.ip(), limits.max_connections_per_client) else {
                tracing::debug!(client = %peer.ip(), "too many connections from one client; closed");
                continue;
            };
            Some(slot)
        };
        let _ = stream.set_nodelay(true);
        let io = TokioIo::new(WriteTimeout::new(stream, limits.write_timeout));
        let service = TowerToHyperService::new(app.clone().map_request(move |mut req: hyper::Request<Incoming>| {
            let client = client_of(&req, peer, proxied);
            req.extensions_mut().insert(ConnectInfo::<SocketAddr>(client));
            req
        }));
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_read_timeout)
            .serve_connection(io, service)
            .with_upgrades();
        let mut stop = shutdown.clone();
        tokio::spawn(async move {
            let mut conn = std::pin::pin!(conn);
            let ended = tokio::select! {
                ended = conn.as_mut() => ended,
                _ = stopped(&mut stop) => {
                    // Finish the request in flight, then close instead of keeping alive.
                    conn.as_mut().graceful_shutdown();
                    conn.await
                }
            };
            if let Err(e) = ended {
                tracing::debug!(error = %e, "connection ended with an error");
            }
            drop((permit, slot));
        });
    }
    drop(listener);
    // Every connection returns its permit when it ends: wait for all of them, up to the grace.
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    if tokio::time::timeout(limits.shutdown_grace, open.acquire_many(all))
        .await
        .is_err()
    {
        tracing::warn!("shutdown: some connections did not finish in time");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(forwarded: &[&str]) -> hyper::Request<()> {
        let mut b = hyper::Request::builder();
        for f in forwarded {
            b = b.header("x-forwarded-for", *f);
        }
        b.body(()).expect("request")
    }

    #[test]
    fn behind_a_trusted_proxy_the_client_is_the_address_it_appended() {
        let proxy: SocketAddr = "127.0.0.1:40000".parse().expect("addr");
        let client = |f: &[&str], proxied| client_of(&req(f), proxy, proxied).ip().to_string();
        assert_eq!(client(&["203.0.113.9"], true), "203.0.113.9");
        // The client may send its own header; only the proxy's last entry counts.
        assert_eq!(client(&["10.0.0.1, 198.51.100.7"], true), "198.51.100.7");
        assert_eq!(client(&["1.1.1.1", "198.51.100.7"], true), "198.51.100.7");
        assert_eq!(client(&["not an address"], true), "127.0.0.1");
        assert_eq!(client(&[], true), "127.0.0.1");
        // From anyone else the header is ignored.
        assert_eq!(client(&["203.0.113.9"], false), "127.0.0.1");
    }
}
