//! Static assets: content-hashed names linked from the page, served precompressed (brotli
//! or gzip as the client accepts, with the right `Content-Length`), cached for a year as
//! immutable, revalidated by `ETag` when unhashed; pages and API answers are `no-store`;
//! nobody's session is looked up for an asset.

use std::io::Read;

use app::dto::Role;
use reqwest::StatusCode;

use crate::helpers::{asset, spawn_app, workspace_root};

fn built(name: &str) -> Vec<u8> {
    std::fs::read(workspace_root().join("target/site").join(name.trim_start_matches('/'))).expect("built file")
}

#[tokio::test]
async fn hashed_assets_are_linked_precompressed_and_immutable() {
    let app = spawn_app().await;
    let html = app.get("/", Some(Role::Viewer)).await.text().await.expect("html");
    for kind in ["css", "js", "wasm"] {
        let path = asset(kind);
        assert!(html.contains(&path), "the page links {path}");
        let identity = built(&path);
        for (accept, encoding) in [("br, gzip", Some("br")), ("gzip", Some("gzip")), ("identity", None)] {
            let res = app
                .client
                .get(app.url(&path))
                .header("accept-encoding", accept)
                .send()
                .await
                .expect("request");
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            let h = res.headers().clone();
            assert_eq!(h["cache-control"], "public, max-age=31536000, immutable", "{path}");
            assert_eq!(
                h.get("content-encoding").map(|v| v.to_str().expect("ascii")),
                encoding,
                "{path} {accept}"
            );
            let body = res.bytes().await.expect("body");
            assert_eq!(
                h["content-length"].to_str().expect("ascii"),
                body.len().to_string(),
                "{path}: the length of what was sent"
            );
            let decoded = match encoding {
                Some("br") => {
                    let mut out = Vec::new();
                    brotli_decompress(&body, &mut out);
                    out
                }
                Some("gzip") => {
                    let mut out = Vec::new();
                    flate2::read::GzDecoder::new(&body[..])
                        .read_to_end(&mut out)
                        .expect("gzip");
                    out
                }
                _ => body.to_vec(),
            };
            assert_eq!(decoded, identity, "{path} {accept}: the same file");
            if encoding.is_some() {
                assert!(body.len() < identity.len(), "{path}: smaller compressed");
            }
        }
    }
}

/// Brotli by shelling out to Node's zlib, the same tool that compressed it (no Rust brotli
/// decoder in the dependency tree for one test).
fn brotli_decompress(data: &[u8], out: &mut Vec<u8>) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("node")
        .args([
            "-e",
            "process.stdout.write(require('zlib').brotliDecompressSync(require('fs').readFileSync(0)))",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node (installed by the set-up)");
    child.stdin.take().expect("stdin").write_all(data).expect("write");
    let output = child.wait_with_output().expect("node ran");
    assert!(output.status.success());
    out.extend(output.stdout);
}

#[tokio::test]
async fn unhashed_files_revalidate_and_private_answers_are_not_stored() {
    let app = spawn_app().await;
    let res = app.get("/favicon.svg", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "public, max-age=0, must-revalidate");
    let etag = res.headers()["etag"].to_str().expect("etag").to_owned();
    let again = app
        .client
        .get(app.url("/favicon.svg"))
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("request");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    for path in ["/", "/api/v1/projects"] {
        let res = app.get(path, Some(Role::Viewer)).await;
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
    }
}

#[tokio::test]
async fn assets_never_look_up_a_session() {
    let app = spawn_app().await;
    let queries = || {
        app.state
            .services
            .monitor()
            .operation_stats("database_query")
            .map_or(0, |s| s.count)
    };
    let before = queries();
    for _ in 0..20 {
        let res = app
            .client
            .get(app.url(&asset("css")))
            .header("cookie", "pmr_session=0123456789abcdef")
            .bearer_auth(app.token(Role::Viewer))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::OK);
    }
    assert_eq!(queries(), before, "no store query for an asset");
}
