//! Opening one collaboration socket as a program does (SPEC §5: `Authorization: Bearer`, no
//! `Origin`), optionally with a tiny receive buffer (a reader meant to fall behind), and the
//! full-jitter backoff between attempts. What a connection does once open is elsewhere.

use std::time::Duration;

use rand::{Rng, SeedableRng};
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::WebSocketStream;

use crate::error::{Error, Result};

pub type Socket = WebSocketStream<TcpStream>;

/// A server to connect to: `host:port` plus the scheme-less base for paths.
#[derive(Clone, Debug)]
pub struct Server {
    /// `host:port`.
    pub authority: String,
}

impl Server {
    /// Accepts `ws://host:port`, `http://host:port` (a trailing `/` is fine).
    pub fn parse(url: &str) -> Result<Self> {
        let rest = ["ws://", "http://"]
            .iter()
            .find_map(|p| url.strip_prefix(p))
            .ok_or_else(|| Error::Address(url.to_owned()))?;
        let authority = rest.trim_end_matches('/');
        if authority.is_empty() || authority.contains('/') || !authority.contains(':') {
            return Err(Error::Address(url.to_owned()));
        }
        Ok(Self {
            authority: authority.to_owned(),
        })
    }

    pub fn http(&self) -> String {
        format!("http://{}", self.authority)
    }
}

/// Why an attempt failed.
#[derive(Debug)]
pub enum Failure {
    /// The server answered the handshake with an HTTP error status (e.g. 503, 429).
    Refused(u16),
    /// TCP or WebSocket trouble.
    Broken(String),
}

/// One attempt: TCP (with `recv_buffer` bytes of receive buffer if given), then the
/// WebSocket handshake for `report`, resuming after `since` if given.
pub async fn open(
    server: &Server,
    report: &str,
    token: &str,
    since: Option<u64>,
    recv_buffer: Option<u32>,
) -> std::result::Result<Socket, Failure> {
    let broken = |e: &dyn std::fmt::Display| Failure::Broken(e.to_string());
    let addr = tokio::net::lookup_host(&server.authority)
        .await
        .map_err(|e| broken(&e))?
        .next()
        .ok_or_else(|| Failure::Broken("no address".into()))?;
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()
    } else {
        TcpSocket::new_v6()
    }
    .map_err(|e| broken(&e))?;
    if let Some(bytes) = recv_buffer {
        socket.set_recv_buffer_size(bytes).map_err(|e| broken(&e))?;
    }
    let stream = socket.connect(addr).await.map_err(|e| broken(&e))?;
    let _ = stream.set_nodelay(true);
    let mut url = format!("ws://{}/ws/reports/{report}", server.authority);
    if let Some(n) = since {
        url.push_str(&format!("?since={n}"));
    }
    let mut request = url.into_client_request().map_err(|e| broken(&e))?;
    let bearer = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|e| broken(&e))?;
    request.headers_mut().insert("authorization", bearer);
    match tokio_tungstenite::client_async(request, stream).await {
        Ok((ws, _)) => Ok(ws),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => Err(Failure::Refused(response.status().as_u16())),
        Err(e) => Err(broken(&e)),
    }
}

/// Full-jitter exponential backoff: attempt `n` (0-based) waits a uniform random time in
/// `[0, min(cap, base·2ⁿ)]`, so a crowd that lost its server at the same instant spreads out.
pub struct Backoff {
    base: Duration,
    cap: Duration,
    attempt: u32,
    rng: rand::rngs::StdRng,
}

impl Backoff {
    pub fn new(base: Duration, cap: Duration, seed: u64) -> Self {
        Self {
            base,
            cap,
            attempt: 0,
            rng: rand::rngs::StdRng::seed_from_u64(seed),
        }
    }

    pub fn next_delay(&mut self) -> Duration {
        let ceiling = self.base.saturating_mul(1 << self.attempt.min(16)).min(self.cap);
        self.attempt += 1;
        ceiling.mul_f64(self.rng.random::<f64>())
    }

    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(
            Server::parse("ws://127.0.0.1:3000").map(|s| s.authority).ok(),
            Some("127.0.0.1:3000".into())
        );
        assert_eq!(
            Server::parse("http://localhost:80/").map(|s| s.authority).ok(),
            Some("localhost:80".into())
        );
        assert!(Server::parse("127.0.0.1:3000").is_err());
        assert!(Server::parse("http://host/path").is_err());
    }

    #[test]
    fn backoff_stays_under_its_ceiling() {
        let mut b = Backoff::new(Duration::from_millis(100), Duration::from_secs(1), 7);
        let ceilings = [100, 200, 400, 800, 1000, 1000];
        for c in ceilings {
            assert!(b.next_delay() <= Duration::from_millis(c));
        }
        b.reset();
        assert!(b.next_delay() <= Duration::from_millis(100));
    }
}
