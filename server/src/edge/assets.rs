//! Static assets at the speed of memory: every file of the built site (`target/site`) is
//! read once at start with the brotli and gzip versions `scripts/build-site.sh` made, and
//! served as is — no compression per request, `Content-Length` known, the encoding chosen
//! from `Accept-Encoding`. CSS, JS and WASM carry a content hash in their names
//! (`pkg/hash.txt` says which), so they are cached for a year as `immutable`; the few
//! unhashed files (favicon, robots.txt) are revalidated with their `ETag`. Nobody's session
//! is looked up for any of them (`auth::is_public_asset`).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use app::AssetNames;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

struct Asset {
    content_type: &'static str,
    identity: Bytes,
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
    etag: HeaderValue,
    cache_control: &'static str,
}

/// Every servable file by URL path (`/pkg/pmr.3f2a….wasm`, `/favicon.svg`).
pub struct Assets {
    files: HashMap<String, Asset>,
    names: AssetNames,
}

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "public, max-age=0, must-revalidate";

impl Assets {
    /// Reads the built site. Missing (a test that renders no page) is an empty set.
    pub fn load(site_root: &Path) -> Arc<Self> {
        let hashes = read_hashes(&site_root.join("pkg/hash.txt"));
        let mut files = HashMap::new();
        for (dir, prefix) in [(site_root.to_path_buf(), "/"), (site_root.join("pkg"), "/pkg/")] {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for entry in entries.flatten() {
                let path = entry.path();
                let name = entry.file_name().to_string_lossy().into_owned();
                if !path.is_file() || name.ends_with(".br") || name.ends_with(".gz") || name.starts_with('.') {
                    continue;
                }
                let Ok(identity) = std::fs::read(&path) else { continue };
                let sibling = |ext: &str| std::fs::read(dir.join(format!("{name}.{ext}"))).ok().map(Bytes::from);
                let hashed = hashes.values().any(|h| name.contains(&format!(".{h}.")));
                files.insert(
                    format!("{prefix}{name}"),
                    Asset {
                        content_type: content_type(&name),
                        etag: etag(&identity),
                        brotli: sibling("br"),
                        gzip: sibling("gz"),
                        identity: Bytes::from(identity),
                        cache_control: if hashed { IMMUTABLE } else { REVALIDATE },
                    },
                );
            }
        }
        let css = hashes
            .get("css")
            .map_or_else(|| "pmr.css".to_owned(), |h| format!("pmr.{h}.css"));
        Arc::new(Self {
            files,
            names: AssetNames { css },
        })
    }

    pub fn names(&self) -> &AssetNames {
        &self.names
    }

    fn answer(&self, method: &Method, path: &str, headers: &HeaderMap) -> Option<Response> {
        let asset = self.files.get(path)?;
        let mut res = if headers
            .get(header::IF_NONE_MATCH)
            .is_some_and(|v| v.as_bytes() == asset.etag.as_bytes())
        {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let (body, encoding) = pick(asset, headers);
            let len = body.len();
            let mut res = if method == Method::HEAD {
                Response::new(Body::empty())
            } else {
                Response::new(Body::from(body))
            };
            let h = res.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
            h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
            if let Some(enc) = encoding {
                h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(enc));
            }
            res
        };
        let h = res.headers_mut();
        h.insert(header::ETAG, asset.etag.clone());
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(asset.cache_control));
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        Some(res)
    }
}

/// The smallest encoding the client accepts: brotli, then gzip, then the file itself.
fn pick(asset: &Asset, headers: &HeaderMap) -> (Bytes, Option<&'static str>) {
    let accepts = |coding: &str| {
        headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|item| {
                let mut parts = item.split(';').map(str::trim);
                parts.next().is_some_and(|c| c.eq_ignore_ascii_case(coding))
                    && !parts.any(|p| p.replace(' ', "").starts_with("q=0") && !p.contains("q=0."))
            })
    };
    match (&asset.brotli, &asset.gzip) {
        (Some(br), _) if accepts("br") => (br.clone(), Some("br")),
        (_, Some(gz)) if accepts("gzip") => (gz.clone(), Some("gzip")),
        _ => (asset.identity.clone(), None),
    }
}

/// Serves a built file, or hands the request on (a page, a 404).
pub async fn serve(State(assets): State<Arc<Assets>>, req: Request, next: axum::middleware::Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD) {
        if let Some(res) = assets.answer(req.method(), req.uri().path(), req.headers()) {
            return res;
        }
    }
    next.run(req).await
}

fn read_hashes(path: &Path) -> HashMap<String, String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect()
}

fn etag(bytes: &[u8]) -> HeaderValue {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    HeaderValue::from_str(&format!("\"{hex}\"")).unwrap_or_else(|_| HeaderValue::from_static("\"0\""))
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "txt" => "text/plain; charset=utf-8",
        "json" => "application/json",
        "png" => "image/png",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(accept: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(accept).expect("ascii"));
        h
    }

    #[test]
    fn picks_the_smallest_accepted_encoding() {
        let asset = Asset {
            content_type: "text/css",
            identity: Bytes::from_static(b"identity"),
            brotli: Some(Bytes::from_static(b"br")),
            gzip: Some(Bytes::from_static(b"gz")),
            etag: HeaderValue::from_static("\"x\""),
            cache_control: IMMUTABLE,
        };
        assert_eq!(pick(&asset, &headers("gzip, deflate, br")).1, Some("br"));
        assert_eq!(pick(&asset, &headers("gzip")).1, Some("gzip"));
        assert_eq!(pick(&asset, &headers("br;q=0, gzip")).1, Some("gzip"));
        assert_eq!(pick(&asset, &headers("identity")).1, None);
        assert_eq!(pick(&asset, &HeaderMap::new()).1, None);
    }
}
