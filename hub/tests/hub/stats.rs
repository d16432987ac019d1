//! Stats (SPEC §5) and the monitor hooks: what `/websocket/stats` and
//! `/websocket/sessions/{id}` report, `websocket_message_latency` measured from the event's
//! stored time to its write, `concurrent_sessions` as rooms come and go.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use hub::protocol::ServerMessage;
use hub::{Frame, Hub, HubConfig, Observer, ReportId};

use crate::*;

#[derive(Default)]
struct Recorder {
    latencies: Mutex<Vec<Duration>>,
    sessions: Mutex<Vec<usize>>,
}

impl Observer for Recorder {
    fn message_latency(&self, latency: Duration) {
        self.latencies.lock().expect("lock").push(latency);
    }

    fn concurrent_sessions(&self, sessions: usize) {
        self.sessions.lock().expect("lock").push(sessions);
    }
}

#[tokio::test(start_paused = true)]
async fn stats_and_session_report_what_happened() {
    let hub = hub();
    let mut ann = Client::join(&hub, editor("ann")).await;
    let mut bob = Client::join(&hub, editor("bob")).await;
    assert!(matches!(ann.message().await, ServerMessage::Presence(_)));
    ann.edit("e1", "notes", 1, "text");
    assert!(matches!(ann.message().await, ServerMessage::Ack(_)));
    assert!(matches!(bob.message().await, ServerMessage::SectionUpdated(_)));
    ann.send_raw(Frame::text("nonsense"));
    assert!(matches!(ann.message().await, ServerMessage::Error(_)));

    let stats = hub.stats();
    assert_eq!((stats.connections, stats.active_sessions), (2, 1));
    assert_eq!(stats.messages_in, 2);
    // Out: 2 session states, 1 presence, 1 ack, 1 update, 1 error.
    assert_eq!(stats.messages_out, 6);
    // Batched flushes: the presence, the ack, the update (each alone in its window).
    assert_eq!(stats.batches_sent, 3);
    assert!((stats.mean_batch_size - 1.0).abs() < f64::EPSILON);
    assert_eq!((stats.batching.max_size, stats.batching.max_wait_ms), (10, 50));

    let session = hub.session(&ReportId::new(REPORT)).expect("session");
    assert_eq!(session.local_connections, 2);
    assert_eq!(session.offset, Some(1));
    assert_eq!(session.batch_info.pending_messages, 0);
    let users: Vec<_> = session.participants.iter().map(|p| p.user.as_str()).collect();
    assert_eq!(users, vec!["ann", "bob"]);
    assert!(session.participants[0].last_active >= session.participants[0].since);
    assert!(hub.session(&ReportId::new("r9")).is_none());
}

#[tokio::test(start_paused = true)]
async fn a_full_batch_counts_as_one_batch_of_its_size() {
    let hub = hub();
    let mut ann = Client::join(&hub, editor("ann")).await;
    for _ in 0..10 {
        hub.publish(&ReportId::new(REPORT), hub.backend().store_edit("notes", "x", "api"));
    }
    assert_eq!(ann.text_frame().await.len(), 10);
    let stats = hub.stats();
    assert_eq!((stats.batches_sent, stats.messages_out), (1, 11));
    assert!((stats.mean_batch_size - 10.0).abs() < f64::EPSILON);
}

#[tokio::test(start_paused = true)]
async fn the_observer_gets_latency_from_storage_to_socket_and_session_counts() {
    let recorder = Arc::new(Recorder::default());
    let hub = Hub::with_observer(HubConfig::default(), Fake::default(), recorder.clone()).expect("hub");
    let mut ann = Client::join(&hub, editor("ann")).await;
    let mut bob = Client::join(&hub, editor("bob")).await;
    assert!(matches!(ann.message().await, ServerMessage::Presence(_)));

    let stored_at = SystemTime::now() - Duration::from_millis(30);
    let event = hub.backend().store_edit_at("notes", "x", "api", stored_at);
    hub.publish(&ReportId::new(REPORT), event);
    assert!(matches!(ann.message().await, ServerMessage::SectionUpdated(_)));
    assert!(matches!(bob.message().await, ServerMessage::SectionUpdated(_)));
    {
        let latencies = recorder.latencies.lock().expect("lock");
        assert_eq!(latencies.len(), 2, "one per recipient");
        assert!(
            latencies.iter().all(|l| *l >= Duration::from_millis(30)),
            "{latencies:?}"
        );
    }

    for client in [ann, bob] {
        client.hang_up();
        client.task.await.expect("task");
    }
    assert_eq!(*recorder.sessions.lock().expect("lock"), vec![1, 0]);
    assert_eq!(hub.stats().active_sessions, 0);
}
