//! Everything that goes to the client: events in offset order (own acks in their place),
//! batching, and writes that may not block for longer than `write_timeout`.
//!
//! A message is either urgent (written at once, after whatever the batch holds, so order is
//! kept) or joins the batch, which is flushed when full or when its wait runs out (`run`).
//! A single held message is written as itself: an envelope around one message buys nothing.
//! A write that blocks past the timeout closes the connection as a slow consumer (4001); a
//! close requested meanwhile (`disconnect_user`, queue overflow) interrupts the write.

use std::fmt::Display;
use std::sync::Arc;
use std::time::SystemTime;

use futures::{Sink, SinkExt, Stream};
use tokio::time::Instant;

use super::cursor::Admit;
use super::{Connection, Stop};
use crate::backend::Backend;
use crate::frame::{CloseCode, Frame};
use crate::publication::{batch_envelope, Publication};
use crate::stats::Counters;

impl<B, Si, St, E> Connection<B, Si, St>
where
    B: Backend,
    Si: Sink<Frame> + Unpin,
    Si::Error: Display,
    St: Stream<Item = Result<Frame, E>> + Unpin,
    E: Display,
{
    /// A durable event from the room: delivered once, in order, after filling any gap.
    pub(super) async fn on_event(&mut self, event: Arc<Publication>, offset: u64) -> Result<(), Stop> {
        // Gaps and resyncs are rare and deep: boxed, so an idle connection does not carry
        // their state.
        let mut verdict = self.cursor.admit(offset);
        if verdict == Admit::Gap && !self.closing {
            Box::pin(self.catch_up()).await?;
            verdict = self.cursor.admit(offset);
        }
        match verdict {
            Admit::Deliver => self.emit_event(event, offset).await,
            Admit::Skip => Ok(()),
            Admit::Gap if self.closing => Ok(()),
            Admit::Gap => Box::pin(self.resync()).await,
        }
    }

    /// Sends an admitted event — or, if it is the client's own, its ack in its place.
    pub(super) async fn emit_event(&mut self, event: Arc<Publication>, offset: u64) -> Result<(), Stop> {
        match self.cursor.take_own(offset) {
            None => self.enqueue(event).await,
            Some(own) => {
                if !own.replaces_event {
                    self.enqueue(event).await?;
                }
                self.enqueue(own.ack).await
            }
        }
    }

    /// Sends now (urgent, or batching off) or adds to the batch, flushing it when full.
    pub(super) async fn enqueue(&mut self, message: Arc<Publication>) -> Result<(), Stop> {
        let config = &self.hub.config;
        if message.urgent || !config.enable_batching {
            self.flush().await?;
            return self.write_messages(std::slice::from_ref(&message)).await;
        }
        let (max_size, max_wait) = (config.batch_max_size, config.batch_max_wait);
        self.batch.push(message, Instant::now(), max_wait);
        self.peer.set_batched(self.batch.len());
        if self.batch.len() >= max_size {
            self.flush().await?;
        }
        Ok(())
    }

    /// Writes what the batch holds as one frame.
    pub(super) async fn flush(&mut self) -> Result<(), Stop> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let items = self.batch.take();
        self.peer.set_batched(0);
        let written = self.write_messages(&items).await;
        let counters = &self.hub.counters;
        Counters::add(&counters.batches, 1);
        Counters::add(&counters.batched_messages, items.len() as u64);
        self.batch.recycle(items, self.hub.config.batch_max_size);
        written
    }

    async fn write_messages(&mut self, messages: &[Arc<Publication>]) -> Result<(), Stop> {
        let text = match messages {
            [one] => one.text.clone(),
            many => batch_envelope(many),
        };
        self.write(Frame::Text(text)).await?;
        Counters::add(&self.hub.counters.messages_out, messages.len() as u64);
        let now = SystemTime::now();
        for stored_at in messages.iter().filter_map(|m| m.stored_at) {
            let latency = now.duration_since(stored_at).unwrap_or_default();
            self.hub.observer.message_latency(latency);
        }
        Ok(())
    }

    /// One frame, within `write_timeout`, unless a close is requested meanwhile.
    pub(super) async fn write(&mut self, frame: Frame) -> Result<(), Stop> {
        let send = tokio::time::timeout(self.hub.config.write_timeout, self.sink.send(frame));
        tokio::pin!(send);
        loop {
            tokio::select! {
                biased;
                sent = &mut send => return match sent {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(error)) => {
                        tracing::debug!(connection = %self.peer.id, %error, "write failed");
                        Err(Stop::Gone("write failed"))
                    }
                    Err(_) => Err(Stop::now(CloseCode::SLOW_CONSUMER, "write blocked")),
                },
                () = self.peer.notified() => match self.peer.close_request() {
                    Some(request) => return Err(request.into()),
                    // Something was queued; the loop drains it once this write is done.
                    None => self.more_queued = true,
                },
            }
        }
    }
}
