//! Store call latency: [`MeteredStore`] wraps any [`Store`] and reports how long each call of
//! each port method took to the [`Metrics`] port (`op` is the method's name), whatever the
//! call's result — also a call its caller gave up on (dropped before it answered, as the
//! health probe does after its timeout), so a hanging database shows in the latencies. The
//! composition root wraps the store in it when an exporter listens; the store and its callers
//! know nothing of it.

use super::health::Metrics;
use super::ports::{
    AlertLink, AlertStore, Change, ChatRefKey, ChatRefStore, DueJobs, FinishJob, IncidentFilter, IncidentStore,
    InteractionStore, Job, JobInputs, JobStore, MakeIncident, MessageRef, NewJob, NewPoint, NewReport, OpenIncidents,
    PointStore, ReportKind, ReportStore, Store, StoreError, StoredReport,
};
use super::ports::{MaintenanceStore, NewWindow};
use super::ports::{NewPublication, Publication, PublicationStore};
use crate::domain::ids::{AgreementId, IncidentId, MessageId, UserId};
use crate::domain::incident::{Incident, TimelineEntry};
use crate::domain::maintenance::MaintenanceWindow;
use crate::domain::meeting::MeetingPoint;
use crate::domain::plan::JobKind;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

/// A [`Store`] that times every call of the store it wraps.
pub struct MeteredStore {
    inner: Arc<dyn Store>,
    metrics: Arc<dyn Metrics>,
}

impl MeteredStore {
    /// Wraps `inner`, reporting each call's latency to `metrics`.
    pub fn new(inner: Arc<dyn Store>, metrics: Arc<dyn Metrics>) -> Self {
        MeteredStore { inner, metrics }
    }

    /// Runs `call`, reporting its latency as `op` when it ends or is dropped.
    async fn timed<T>(&self, op: &'static str, call: impl Future<Output = T>) -> T {
        let _timer = Timer {
            op,
            started: Instant::now(),
            metrics: self.metrics.as_ref(),
        };
        call.await
    }
}

/// Reports the time since `started` when dropped: after the call answered, or when its
/// caller stopped waiting.
struct Timer<'a> {
    op: &'static str,
    started: Instant,
    metrics: &'a dyn Metrics,
}

impl Drop for Timer<'_> {
    fn drop(&mut self) {
        self.metrics.store_call(self.op, self.started.elapsed());
    }
}

/// Implements a store port for [`MeteredStore`]: each method calls the wrapped store's method
/// of the same name, timed under that name.
macro_rules! metered {
    ($port:ident { $(fn $op:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)* }) => {
        #[async_trait]
        impl $port for MeteredStore {
            $(
                async fn $op(&self, $($arg: $ty),*) -> $ret {
                    self.timed(stringify!($op), self.inner.$op($($arg),*)).await
                }
            )*
        }
    };
}

metered!(IncidentStore {
    fn next_sequence(prefix: &str, year: i32) -> Result<u32, StoreError>;
    fn insert_incident(incident: &Incident, change: &Change) -> Result<Incident, StoreError>;
    fn insert_numbered(prefix: &str, year: i32, make: &MakeIncident<'_>) -> Result<Incident, StoreError>;
    fn update_incident(incident: &Incident, change: &Change) -> Result<Incident, StoreError>;
    fn incident(id: &IncidentId) -> Result<Option<Incident>, StoreError>;
    fn incidents(filter: &IncidentFilter) -> Result<Vec<Incident>, StoreError>;
    fn timeline(id: &IncidentId) -> Result<Vec<TimelineEntry>, StoreError>;
    fn timelines(ids: &[IncidentId], types: &[&str]) -> Result<Vec<(IncidentId, Vec<TimelineEntry>)>, StoreError>;
    fn latest_activity() -> Result<Option<DateTime<Utc>>, StoreError>;
    fn open_incidents() -> Result<Vec<OpenIncidents>, StoreError>;
});

metered!(JobStore {
    fn schedule(jobs: &[NewJob]) -> Result<(), StoreError>;
    fn requeue_expired(now: DateTime<Utc>) -> Result<u64, StoreError>;
    fn renew(id: i64, owner: &str, lease_until: DateTime<Utc>) -> Result<(), StoreError>;
    fn release(owner: &str) -> Result<u64, StoreError>;
    fn claim(now: DateTime<Utc>, owner: &str, lease_until: DateTime<Utc>, limit: u32) -> Result<Vec<Job>, StoreError>;
    fn postpone(id: i64, owner: &str, until: DateTime<Utc>) -> Result<(), StoreError>;
    fn unfinished_jobs(incident: &IncidentId) -> Result<Vec<Job>, StoreError>;
    fn job_inputs(jobs: &[Job], unfinished_kinds: &[JobKind]) -> Result<JobInputs, StoreError>;
    fn finish(finish: &FinishJob) -> Result<(), StoreError>;
    fn finish_many(finishes: &[FinishJob]) -> Result<Vec<Result<(), StoreError>>, StoreError>;
    fn jobs(incident: Option<&IncidentId>) -> Result<Vec<Job>, StoreError>;
    fn next_due() -> Result<Option<DateTime<Utc>>, StoreError>;
    fn due_jobs(now: DateTime<Utc>, overdue_before: DateTime<Utc>) -> Result<Vec<DueJobs>, StoreError>;
    fn purge(done_before: DateTime<Utc>) -> Result<u64, StoreError>;
    fn failed_jobs(kind: JobKind) -> Result<Vec<Job>, StoreError>;
});

metered!(ChatRefStore {
    fn put_chat_ref(key: &ChatRefKey, r: &MessageRef) -> Result<(), StoreError>;
    fn chat_ref(key: &ChatRefKey) -> Result<Option<MessageRef>, StoreError>;
    fn chat_refs(incident: &IncidentId) -> Result<Vec<(ChatRefKey, MessageRef)>, StoreError>;
    fn conversation_incident(message: &MessageId) -> Result<Option<IncidentId>, StoreError>;
});

metered!(PointStore {
    fn add_point(point: &NewPoint) -> Result<MeetingPoint, StoreError>;
    fn complete_point(agreement: &AgreementId, id: i64, by: &UserId, at: DateTime<Utc>) -> Result<Option<MeetingPoint>, StoreError>;
    fn points(agreement: &AgreementId, include_done: bool) -> Result<Vec<MeetingPoint>, StoreError>;
});

metered!(InteractionStore {
    fn claim_interaction(id: &str, now: DateTime<Utc>, expires_at: DateTime<Utc>) -> Result<bool, StoreError>;
});

metered!(AlertStore {
    fn alert_link(source: &str, dedup_key: &str) -> Result<Option<AlertLink>, StoreError>;
    fn alert_receipts_seen(source: &str, receipts: &[String]) -> Result<Vec<String>, StoreError>;
});

metered!(MaintenanceStore {
    fn add_window(window: &NewWindow, plan: &(dyn Fn(i64) -> Vec<NewJob> + Send + Sync)) -> Result<MaintenanceWindow, StoreError>;
    fn cancel_window(agreement: &AgreementId, id: i64, by: &UserId, at: DateTime<Utc>) -> Result<Option<MaintenanceWindow>, StoreError>;
    fn window(id: i64) -> Result<Option<MaintenanceWindow>, StoreError>;
    fn windows(agreement: &AgreementId, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<MaintenanceWindow>, StoreError>;
});

metered!(PublicationStore {
    fn add_publication(publication: &NewPublication) -> Result<Publication, StoreError>;
    fn publications(agreement: &AgreementId) -> Result<Vec<Publication>, StoreError>;
});

metered!(ReportStore {
    fn add_report(report: &NewReport) -> Result<StoredReport, StoreError>;
    fn latest_report(agreement: &AgreementId, kind: ReportKind, period: &str) -> Result<Option<StoredReport>, StoreError>;
    fn reports(agreement: &AgreementId) -> Result<Vec<StoredReport>, StoreError>;
});
