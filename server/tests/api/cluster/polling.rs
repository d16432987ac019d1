//! Several instances without Redis: events reach the other instance's clients by polling
//! the store — late (within a couple of seconds), never lost — and presence stays each
//! instance's own.

use std::time::{Duration, Instant};

use app::dto::Role;

use super::{edit, join, token, Cluster, NOTES};

#[tokio::test]
async fn without_redis_edits_reach_the_other_instance_by_polling() {
    let cluster = Cluster::start(false);
    let (a, b, id) = cluster.pair_with_report().await;
    let alice = token(&a, "alice", Role::Editor).await;
    let (mut writer, state) = join(&a, &id, &alice).await;
    let start = state["data"]["offset"].as_u64().expect("offset");
    let (mut reader, _) = join(&b, &id, b.token(Role::Viewer)).await;
    let mut version = 1;
    for n in 0..5 {
        writer.send(edit(n, NOTES, version, &format!("polled {n}"))).await;
        let (ack, _) = writer.until("ack").await;
        version = ack["data"]["version"].as_u64().expect("version") as u32;
    }
    let sent = Instant::now();
    let mut offsets = Vec::new();
    while offsets.len() < 5 {
        let m = reader.next_within(Duration::from_secs(5)).await.expect("events arrive");
        if m["type"] == "section_updated" {
            offsets.push(m["data"]["offset"].as_u64().expect("offset"));
        }
    }
    assert_eq!(offsets, (start + 1..=start + 5).collect::<Vec<_>>());
    assert!(sent.elapsed() < Duration::from_secs(3), "{:?}", sent.elapsed());
}
