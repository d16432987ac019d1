//! Failures the cluster must ride out without losing an event: an instance killed while
//! its clients edit (they resume on the other with no gap and no duplicate, and every
//! acknowledged edit is stored), the Redis subscription killed and Redis itself restarted
//! under a stream of edits (delivery resumes by itself, nothing lost), and the users of a
//! crashed instance vanishing from the others' presence within 30 s.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use app::dto::Role;
use serde_json::{json, Value};

use super::{edit, join, token, Cluster, NOTES};
use crate::collab::client::Client;

/// Offsets of durable events a reader saw, in order, with their content where an edit.
#[derive(Default)]
struct Seen {
    offsets: Vec<u64>,
}

impl Seen {
    fn take(&mut self, m: &Value) {
        if let Some(o) = m["data"]["offset"].as_u64() {
            if m["type"] != "session_state" && m["type"] != "ack" {
                self.offsets.push(o);
            }
        }
    }

    fn last(&self) -> Option<u64> {
        self.offsets.last().copied()
    }

    /// Reads everything available on `c` until it has seen `upto` or `wait` passes.
    async fn read_until(&mut self, c: &mut Client, upto: u64, wait: Duration) {
        let deadline = Instant::now() + wait;
        while self.last() < Some(upto) && Instant::now() < deadline {
            if let Some(m) = c.next_within(Duration::from_millis(200)).await {
                self.take(&m);
            }
        }
    }

    /// Every offset from `first` to `last`, once each, in order.
    fn assert_complete(&self, first: u64, last: u64, who: &str) {
        let want: Vec<u64> = (first..=last).collect();
        assert_eq!(self.offsets, want, "{who}: no gap, no duplicate, in order");
    }
}

/// Sends edit `n` on `base` until acknowledged, taking a conflict's current version as the
/// next base (as a client that reconnected does): (offset, new version).
async fn edit_acked(c: &mut Client, n: u32, base: u32) -> (u64, u32) {
    let mut base = base;
    loop {
        c.send(edit(n, NOTES, base, &format!("edit number {n}"))).await;
        loop {
            let m = c.next().await;
            if m["type"] == "ack" {
                return (
                    m["data"]["offset"].as_u64().expect("offset"),
                    m["data"]["version"].as_u64().expect("version") as u32,
                );
            }
            if m["type"] == "conflict" {
                base = m["data"]["current_version"].as_u64().expect("version") as u32;
                break;
            }
        }
    }
}

/// A socket resuming after `since`: no `session_state`, the events after it instead.
async fn resume(app: &crate::helpers::TestApp, report: &str, token: &str, since: u64) -> Client {
    crate::collab::client::connect(
        app,
        report,
        crate::collab::client::Connect {
            token: Some(token),
            since: Some(since),
            ..Default::default()
        },
    )
    .await
}

#[tokio::test]
async fn clients_of_a_killed_instance_resume_on_the_other_with_nothing_lost() {
    let cluster = Cluster::start(true);
    let (a, b, id) = cluster.pair_with_report().await;
    let writer_token = token(&a, "wendy", Role::Editor).await;
    let reader_token = token(&a, "rita", Role::Viewer).await;
    let (mut writer, state) = join(&a, &id, &writer_token).await;
    let start = state["data"]["offset"].as_u64().expect("offset");
    let mut version = state["data"]["section_versions"][NOTES].as_u64().expect("version") as u32;
    let (mut reader_a, _) = join(&a, &id, &reader_token).await;
    let (mut reader_b, _) = join(&b, &id, &reader_token).await;
    let (mut seen_a, mut seen_b) = (Seen::default(), Seen::default());
    let mut acked: BTreeMap<u64, String> = BTreeMap::new();

    for n in 0..10 {
        let (offset, v) = edit_acked(&mut writer, n, version).await;
        version = v;
        acked.insert(offset, format!("edit number {n}"));
    }
    seen_a
        .read_until(&mut reader_a, start + 5, Duration::from_secs(5))
        .await;
    // One more edit goes out unacknowledged, then A dies.
    writer.send(edit(10, NOTES, version, "edit number 10")).await;
    a.kill();
    assert!(
        writer.closed_within(Duration::from_secs(5)).await.is_some(),
        "A's sockets drop"
    );

    // Both of A's clients reconnect to B from the last offset they saw.
    let last_acked = *acked.keys().last().expect("edits");
    let mut writer = resume(&b, &id, &writer_token, last_acked).await;
    let mut reader_a = resume(&b, &id, &reader_token, seen_a.last().expect("seen some")).await;
    for n in 11..20 {
        let (offset, v) = edit_acked(&mut writer, n, version).await;
        version = v;
        acked.insert(offset, format!("edit number {n}"));
    }
    let last = *acked.keys().last().expect("edits");
    seen_a.read_until(&mut reader_a, last, Duration::from_secs(5)).await;
    seen_b.read_until(&mut reader_b, last, Duration::from_secs(5)).await;
    seen_a.assert_complete(start + 1, last, "the reader that moved");
    seen_b.assert_complete(start + 1, last, "the reader that stayed");

    // Every acknowledged edit is in the store: a fresh reader from the start replays them.
    let mut replay = crate::collab::client::connect(
        &b,
        &id,
        crate::collab::client::Connect {
            role: Role::Viewer,
            since: Some(start),
            ..Default::default()
        },
    )
    .await;
    let mut stored = BTreeMap::new();
    while stored.len() < (last - start) as usize {
        let m = replay.next().await;
        if m["type"] == "section_updated" {
            stored.insert(
                m["data"]["offset"].as_u64().expect("offset"),
                m["data"]["content"].as_str().unwrap_or_default().to_owned(),
            );
        }
    }
    for (offset, content) in &acked {
        assert_eq!(stored.get(offset), Some(content), "acked edit at {offset} is stored");
    }
}

#[tokio::test]
async fn a_killed_subscription_and_a_redis_restart_lose_no_event() {
    let mut cluster = Cluster::start(true);
    let (a, b, id) = cluster.pair_with_report().await;
    let writer_token = token(&a, "wendy", Role::Editor).await;
    let (mut writer, state) = join(&a, &id, &writer_token).await;
    let start = state["data"]["offset"].as_u64().expect("offset");
    let mut version = state["data"]["section_versions"][NOTES].as_u64().expect("version") as u32;
    let (mut reader, _) = join(&b, &id, a.token(Role::Viewer)).await;
    let mut seen = Seen::default();
    let mut last = start;
    for n in 0..60 {
        match n {
            15 => {
                let mut c = cluster.redis.as_ref().expect("redis").client();
                let killed: i64 = redis::cmd("CLIENT")
                    .arg("KILL")
                    .arg("TYPE")
                    .arg("pubsub")
                    .query(&mut c)
                    .expect("client kill");
                assert!(killed >= 2, "both instances' subscriptions were killed ({killed})");
            }
            30 => cluster.redis.as_mut().expect("redis").stop(),
            45 => cluster.redis.as_mut().expect("redis").restart(),
            _ => {}
        }
        let (offset, v) = edit_acked(&mut writer, n, version).await;
        version = v;
        last = offset;
        // The reader keeps reading as the edits go on.
        while let Some(m) = reader.next_within(Duration::from_millis(20)).await {
            seen.take(&m);
        }
    }
    seen.read_until(&mut reader, last, Duration::from_secs(5)).await;
    seen.assert_complete(start + 1, last, "the reader on B");
    // Delivery is live again through Redis: an edit now arrives well within the poll period.
    let (offset, _) = edit_acked(&mut writer, 60, version).await;
    let sent = Instant::now();
    seen.read_until(&mut reader, offset, Duration::from_secs(5)).await;
    assert_eq!(seen.last(), Some(offset));
    assert!(sent.elapsed() < Duration::from_millis(500), "{:?}", sent.elapsed());
    drop(b);
}

#[tokio::test]
async fn the_users_of_a_crashed_instance_vanish_from_presence_within_30_s() {
    let cluster = Cluster::start(true);
    let (a, b, id) = cluster.pair_with_report().await;
    let carol = token(&a, "carol", Role::Viewer).await;
    let dave = token(&b, "dave", Role::Viewer).await;
    let (_on_a, _) = join(&a, &id, &carol).await;
    let (mut on_b, state) = join(&b, &id, &dave).await;
    assert!(state["data"]["participants"].to_string().contains("carol"), "{state}");
    a.kill();
    let killed = Instant::now();
    loop {
        let m = on_b
            .next_within(Duration::from_secs(35).saturating_sub(killed.elapsed()))
            .await
            .expect("a presence message before 35 s");
        if m["type"] == "presence" {
            assert_eq!(m["data"], json!({ "user": "carol", "online": false }));
            break;
        }
    }
    assert!(killed.elapsed() <= Duration::from_secs(30), "{:?}", killed.elapsed());
}

#[tokio::test]
async fn while_postgresql_is_down_instances_answer_503_and_recover_by_themselves() {
    let cluster = Cluster::start(true);
    let (a, _b, id) = cluster.pair_with_report().await;
    cluster.pg.crash();
    let (status, body) = a.get_json("/api/v1/projects", Role::Viewer).await;
    assert_eq!(status, reqwest::StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"], "unavailable");
    assert_eq!(body["retry_after_secs"], 5);
    assert_eq!(
        a.get("/readyz", None).await.status(),
        reqwest::StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(
        a.get("/livez", None).await.status(),
        reqwest::StatusCode::OK,
        "alive, not ready"
    );
    let page = a.get(&format!("/reports/{id}"), Some(Role::Viewer)).await.status();
    assert_eq!(page, reqwest::StatusCode::SERVICE_UNAVAILABLE);

    cluster.pg.restart();
    let deadline = Instant::now() + Duration::from_secs(15);
    while a.get("/readyz", None).await.status() != reqwest::StatusCode::OK {
        assert!(Instant::now() < deadline, "ready again once PostgreSQL is back");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (status, body) = a.get_json("/api/v1/projects", Role::Viewer).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    let alice = token(&a, "alice", Role::Editor).await;
    let (mut c, _) = join(&a, &id, &alice).await;
    edit_acked(&mut c, 1, 1).await;
}
