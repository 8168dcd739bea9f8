//! Job records committed together: a group commit of [`PostgresStore::record_alone`]'s
//! one-statement records.
//!
//! A record is one statement and one commit. Under a backlog, a runner's slots sent one
//! record each, and the server spent half its time not on the records but on what each
//! statement costs around them (the round trip's network stack, waking the backend, a commit
//! and its WAL flush). Here at most [`LEADERS`] records are being written at a time; a record
//! arriving while they are busy queues, and the next leader writes the queue — up to
//! [`GROUP_MAX`] records of distinct incidents, oldest first — in one statement
//! ([`RECORD_MANY`]), one round trip and one commit.
//!
//! - **No waiting to gather.** A record that finds a leader's place free leads at once, alone
//!   (its own one statement), so a quiet store records as before; groups form only from
//!   records that would have waited anyway.
//! - **Each record all or nothing, and answered on its own.** The statement writes each
//!   record only if it holds that record's incident at its version and its job under the
//!   finisher's lease, as the one-record statement does; a member it does not hold (a
//!   conflict, a lost lease, an unknown incident) wrote nothing, and its caller gets that
//!   answer while the others commit. When the statement itself fails (a timeline clash, a
//!   constraint, the connection), nothing of it was written, or whether it was is not known:
//!   each of its records runs again alone, for its own answer (a record that did commit finds
//!   its job done and its incident moved on, as a retry would).
//! - **Leadership handed on, never lost.** A leader that has written its group hands the
//!   next group (the queue's oldest records) to the first of them, whose caller is waiting
//!   anyway, and returns: no caller writes others' records for long. A leader whose call is
//!   dropped hands on as it drops, and the members of the group it was writing are told that
//!   whether it committed is not known. A member whose call is dropped is skipped as leader;
//!   its record may still be written with its group, as a dropped call's statement may be.
//! - **One row once.** A group holds no two records of one incident, nor two of one chat
//!   reference's key (one statement writes a row once): such a record waits for a later
//!   group, in its place. One runner never has two records of one incident in flight anyway
//!   (an incident's jobs run one after another).

use super::{JobArrays, PgQuery, PostgresStore, RECORD_CHANGED, RECORD_UNCHANGED, TimelineArrays};
use crate::domain::ids::IncidentId;
use crate::domain::incident::{Incident, TimelineEntry};
use crate::service::ports::{Change, ChatRefKey, FinishJob, JobFinish, MessageRef, NewJob, StoreError};
use crate::storage::queries::{self, Arg, Conn, Derived};
use crate::storage::rows::Cols;
use crate::storage::{db, to_json};
use chrono::{DateTime, Utc};
use sqlx::postgres::PgConnection;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Mutex, PoisonError};
use tokio::sync::oneshot;

/// Groups being written at once, each on a connection of its own (the pool has eight): a
/// record arriving while this many are busy queues for the next group. One or two wrote the
/// scheduler benchmark's backlog fastest (three and four slower: the server's backends then
/// compete for its CPU); two, so that one record held up by a lock wait does not hold up
/// every other.
pub(super) const LEADERS: usize = 2;

/// Records in one group at most: a group's statement holds its members' rows until it
/// commits.
pub(super) const GROUP_MAX: usize = 16;

/// One job's record, owned, so that whichever caller leads its group can run it: the
/// incident's row as the record stores it and the rest of [`record!`](super)'s parameters.
pub(super) struct Record {
    /// Whether the record replaces the incident's row ([`RECORD_CHANGED`]) or leaves it as
    /// stored ([`RECORD_UNCHANGED`], [`Change::unchanged`]).
    changed: bool,
    /// The incident as stored once the record commits (its version bumped when changed).
    pub(super) stored: Incident,
    /// `stored` as JSON (empty when the incident is left as stored).
    data: String,
    derived: Derived,
    job: i64,
    owner: String,
    fired_at: DateTime<Utc>,
    late: bool,
    outcome: String,
    timeline: Vec<TimelineEntry>,
    jobs: Vec<NewJob>,
    /// The chat references to store, the post's first, each key once: the key as stored
    /// (formatted once, here), the key and the message.
    refs: Vec<(String, ChatRefKey, MessageRef)>,
    /// The version the change was made on.
    previous: i64,
}

impl Record {
    /// The record of `change` on `incident` as one statement, or `None` when the change holds
    /// more than a record's statement writes (a cancel, alerts, a finish other than done, one
    /// chat reference's key twice).
    pub(super) fn of(incident: &Incident, change: &Change) -> Result<Option<Record>, StoreError> {
        let Some(FinishJob {
            id,
            owner,
            finish:
                JobFinish::Done {
                    fired_at,
                    late,
                    outcome,
                },
            posted,
        }) = &change.finish
        else {
            return Ok(None);
        };
        if change.cancel.is_some() || !change.alerts.is_empty() {
            return Ok(None);
        }
        // The post's reference (by the job) first, then the change's (a card and its
        // conversation), each key once: an upsert affects a row once per statement.
        let post = posted.as_ref().map(|r| (ChatRefKey::JobPost(*id), r.clone()));
        let refs: Vec<(String, ChatRefKey, MessageRef)> = (post.into_iter().chain(change.chat_refs.iter().cloned()))
            .map(|(k, r)| (k.as_key(), k, r))
            .collect();
        if refs.iter().map(|(stored, ..)| stored).collect::<HashSet<_>>().len() < refs.len() {
            return Ok(None);
        }
        // An incident left as stored is not written: its JSON would go unread.
        let (stored, data) = if change.unchanged {
            (incident.clone(), String::new())
        } else {
            let stored = incident.clone().with_version(incident.version() + 1);
            let data = to_json("incident", &stored)?;
            (stored, data)
        };
        let derived = Derived::of(&stored, &change.timeline);
        Ok(Some(Record {
            changed: !change.unchanged,
            stored,
            data,
            derived,
            job: *id,
            owner: owner.clone(),
            fired_at: *fired_at,
            late: *late,
            outcome: outcome.clone(),
            timeline: change.timeline.clone(),
            jobs: change.jobs.clone(),
            refs,
            previous: incident.version(),
        }))
    }

    fn incident(&self) -> &IncidentId {
        self.stored.id()
    }

    /// Runs the record's one statement on `c`: a clash on the timeline's key is a conflict,
    /// and when the statement wrote nothing, a read says why (the incident unknown, changed,
    /// or the job's lease lost).
    async fn run(&self, c: &mut PgConnection) -> Result<(), StoreError> {
        let sql = if self.changed { RECORD_CHANGED } else { RECORD_UNCHANGED };
        let row = queries::row_args(&self.stored, &self.data, &self.derived);
        let (t, j) = (TimelineArrays::of(&self.timeline)?, JobArrays::of(&self.jobs)?);
        let keys: Vec<&str> = self.refs.iter().map(|(stored, ..)| stored.as_str()).collect();
        let ref_incidents: Vec<Option<&str>> = (self.refs.iter())
            .map(|(_, k, _)| k.incident().map(IncidentId::as_str))
            .collect();
        let channels: Vec<&str> = self.refs.iter().map(|(.., r)| r.channel.as_str()).collect();
        let messages: Vec<&str> = self.refs.iter().map(|(.., r)| r.message.as_str()).collect();
        let finish = queries::conn_runners!(@bound std::convert::identity, sql, &row)
            .bind(self.job)
            .bind(self.owner.as_str())
            .bind(self.fired_at)
            .bind(self.late)
            .bind(self.outcome.as_str());
        let query = j
            .bind(t.bind(finish))
            .bind(&keys)
            .bind(&ref_incidents)
            .bind(&channels)
            .bind(&messages)
            .bind(self.previous);
        let recorded = match query.fetch_one(&mut *c).await {
            Ok(row) => row.int("recorded")?,
            Err(e) if e.as_database_error().and_then(|d| d.constraint()) == Some("timeline_pkey") => {
                return Err(StoreError::Conflict(self.incident().to_string()));
            }
            Err(e) => return Err(db(e)),
        };
        if recorded > 0 {
            return Ok(());
        }
        let version = c
            .fetch_optional(
                "SELECT version FROM incidents WHERE id = $1",
                &[Arg::Text(self.incident())],
            )
            .await?;
        Err(match version {
            None => StoreError::NotFound(self.incident().to_string()),
            Some(row) if row.int("version")? != self.previous => StoreError::Conflict(self.incident().to_string()),
            Some(_) => StoreError::LeaseLost(self.job),
        })
    }
}

/// Several jobs' records in one statement ([`PostgresStore::many`]), of distinct incidents
/// and chat references: each record's scalars as arrays (`$1`…`$21`: the incident's row,
/// whether it changed, the finish and the version the change was made on), then the
/// records' timeline entries (`$22`…`$26`, each with its number within its record), jobs
/// (`$27`…`$33`) and chat references (`$34`…`$38`) flattened, each with its record's
/// ordinal. As [`record!`](super) does for
/// one, `chk` holds each record's incident at its version and its job under the finisher's
/// lease, and writes only the records it holds, all of each; it answers their ordinals.
const RECORD_MANY: &str = "WITH r AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], \
       $5::timestamptz[], $6::timestamptz[], $7::bigint[], $8::text[], $9::timestamptz[], $10::timestamptz[], \
       $11::timestamptz[], $12::bool[], $13::timestamptz[], $14::text[], $15::bool[], $16::bigint[], $17::text[], \
       $18::timestamptz[], $19::bool[], $20::text[], $21::bigint[]) WITH ORDINALITY AS r(id, agreement, state, \
       priority, reported_at, updated_at, version, data, response_due, resolution_due, next_due, missed, touched, \
       case_type, changed, job, owner, fired_at, late, outcome, previous, n)), \
     chk AS (SELECT r.n FROM r JOIN incidents i ON i.id = r.id AND i.version = r.previous \
       JOIN jobs j ON j.id = r.job AND j.state = 'running' AND j.lease_owner = r.owner \
       ORDER BY i.id FOR UPDATE OF i, j), \
     inc AS (UPDATE incidents i SET agreement = r.agreement, state = r.state, priority = r.priority, \
       reported_at = r.reported_at, updated_at = r.updated_at, version = r.version, data = r.data::jsonb, \
       response_due = r.response_due, resolution_due = r.resolution_due, next_due = r.next_due, missed = r.missed, \
       touched_until = CASE WHEN (i.touched_until IS NULL OR i.touched_until < r.touched) \
         THEN r.touched ELSE i.touched_until END, derived = TRUE, case_type = r.case_type \
       FROM r WHERE r.changed AND i.id = r.id AND r.n IN (SELECT n FROM chk)), \
     incu AS (UPDATE incidents i SET touched_until = r.touched FROM r \
       WHERE NOT r.changed AND i.id = r.id AND r.n IN (SELECT n FROM chk) \
       AND (i.touched_until IS NULL OR i.touched_until < r.touched)), \
     f AS (UPDATE jobs j SET state = 'done', fired_at = r.fired_at, late = r.late, outcome = r.outcome \
       FROM r WHERE j.id = r.job AND r.n IN (SELECT n FROM chk) RETURNING r.n), \
     tl AS (INSERT INTO timeline (incident_id, seq, at, actor, event) \
       SELECT r.id, (SELECT COALESCE(MAX(t.seq), 0) FROM timeline t WHERE t.incident_id = r.id) + e.k, e.at, \
         e.actor, e.event::jsonb \
       FROM unnest($22::bigint[], $23::int[], $24::timestamptz[], $25::text[], $26::text[]) AS e(r, k, at, actor, event) \
       JOIN r ON r.n = e.r WHERE e.r IN (SELECT n FROM chk)), \
     jb AS (INSERT INTO jobs (key, kind, incident_id, grp, due_at, planned_at, payload) \
       SELECT j.key, j.kind, j.incident_id, j.grp, j.due_at, j.due_at, j.payload::jsonb \
       FROM unnest($27::bigint[], $28::text[], $29::text[], $30::text[], $31::text[], $32::timestamptz[], \
         $33::text[]) WITH ORDINALITY AS j(r, key, kind, incident_id, grp, due_at, payload, o) \
       WHERE j.r IN (SELECT n FROM chk) ORDER BY j.o ON CONFLICT (key) DO NOTHING), \
     cr AS (INSERT INTO chat_refs (key, incident_id, channel, message) \
       SELECT c.k, c.i, c.ch, c.m FROM unnest($34::bigint[], $35::text[], $36::text[], $37::text[], $38::text[]) \
         AS c(r, k, i, ch, m) WHERE c.r IN (SELECT n FROM f) \
       ON CONFLICT (key) DO UPDATE SET incident_id = excluded.incident_id, channel = excluded.channel, \
         message = excluded.message, updated_at = now()) \
     SELECT n FROM chk";

/// The records of a group as [`RECORD_MANY`]'s arrays.
#[derive(Default)]
struct ManyArrays<'a> {
    ids: Vec<&'a str>,
    agreements: Vec<&'a str>,
    states: Vec<&'a str>,
    priorities: Vec<&'a str>,
    reported: Vec<DateTime<Utc>>,
    updated: Vec<DateTime<Utc>>,
    versions: Vec<i64>,
    data: Vec<&'a str>,
    response_due: Vec<Option<DateTime<Utc>>>,
    resolution_due: Vec<Option<DateTime<Utc>>>,
    next_due: Vec<Option<DateTime<Utc>>>,
    missed: Vec<bool>,
    touched: Vec<DateTime<Utc>>,
    case_types: Vec<&'a str>,
    changed: Vec<bool>,
    jobs: Vec<i64>,
    owners: Vec<&'a str>,
    fired: Vec<DateTime<Utc>>,
    late: Vec<bool>,
    outcomes: Vec<&'a str>,
    previous: Vec<i64>,
    // Timeline entries: record ordinal, number within the record, then the entry.
    t_record: Vec<i64>,
    t_number: Vec<i32>,
    timeline: TimelineArrays<'a>,
    // Jobs planned: record ordinal, then the job.
    j_record: Vec<i64>,
    jobs_planned: JobArrays<'a>,
    // Chat references: record ordinal, then the reference.
    c_record: Vec<i64>,
    c_key: Vec<&'a str>,
    c_incident: Vec<Option<&'a str>>,
    c_channel: Vec<&'a str>,
    c_message: Vec<&'a str>,
}

impl<'a> ManyArrays<'a> {
    fn of(records: impl Iterator<Item = &'a Record>) -> Result<Self, StoreError> {
        let mut a = ManyArrays::default();
        let now = Utc::now();
        for (n, rec) in (1i64..).zip(records) {
            let s = &rec.stored;
            a.ids.push(s.id().as_str());
            a.agreements.push(s.agreement().as_str());
            a.states.push(s.state().as_str());
            a.priorities.push(s.priority().as_str());
            a.reported.push(s.reported_at());
            a.updated.push(now);
            a.versions.push(s.version());
            a.data.push(&rec.data);
            a.response_due.push(rec.derived.response_due);
            a.resolution_due.push(rec.derived.resolution_due);
            a.next_due.push(rec.derived.next_due);
            a.missed.push(rec.derived.missed);
            a.touched.push(rec.derived.touched);
            a.case_types.push(s.case_type());
            a.changed.push(rec.changed);
            a.jobs.push(rec.job);
            a.owners.push(&rec.owner);
            a.fired.push(rec.fired_at);
            a.late.push(rec.late);
            a.outcomes.push(&rec.outcome);
            a.previous.push(rec.previous);
            for (k, e) in (1i32..).zip(&rec.timeline) {
                a.t_record.push(n);
                a.t_number.push(k);
                a.timeline.push(e)?;
            }
            for j in &rec.jobs {
                a.j_record.push(n);
                a.jobs_planned.push(j)?;
            }
            for (stored, key, r) in &rec.refs {
                a.c_record.push(n);
                a.c_key.push(stored);
                a.c_incident.push(key.incident().map(IncidentId::as_str));
                a.c_channel.push(&r.channel);
                a.c_message.push(&r.message);
            }
        }
        Ok(a)
    }

    /// [`RECORD_MANY`] with the arrays bound.
    fn query(&'a self) -> PgQuery<'a> {
        let query = sqlx::query(RECORD_MANY)
            .bind(&self.ids)
            .bind(&self.agreements)
            .bind(&self.states)
            .bind(&self.priorities)
            .bind(&self.reported)
            .bind(&self.updated)
            .bind(&self.versions)
            .bind(&self.data)
            .bind(&self.response_due)
            .bind(&self.resolution_due)
            .bind(&self.next_due)
            .bind(&self.missed)
            .bind(&self.touched)
            .bind(&self.case_types)
            .bind(&self.changed)
            .bind(&self.jobs)
            .bind(&self.owners)
            .bind(&self.fired)
            .bind(&self.late)
            .bind(&self.outcomes)
            .bind(&self.previous)
            .bind(&self.t_record)
            .bind(&self.t_number);
        let query = self.jobs_planned.bind(self.timeline.bind(query).bind(&self.j_record));
        query
            .bind(&self.c_record)
            .bind(&self.c_key)
            .bind(&self.c_incident)
            .bind(&self.c_channel)
            .bind(&self.c_message)
    }
}

/// A record waiting for its group, and the way to answer its caller.
struct Waiting {
    record: Record,
    reply: oneshot::Sender<Signal>,
}

/// A record in a group being run, with the way to answer its caller (`None` for the
/// caller leading the group: its outcome is its own).
type Member = (Record, Option<oneshot::Sender<Signal>>);

/// What a waiting caller is told.
enum Signal {
    /// Its record's outcome.
    Done(Result<(), StoreError>),
    /// Lead this group, which holds its own record first.
    Lead(Vec<Member>),
}

/// The records waiting, and how many callers lead a group now.
#[derive(Default)]
struct Queue {
    waiting: VecDeque<Waiting>,
    leaders: usize,
}

/// The store's queue of records ([`record`](PostgresStore::record)).
#[derive(Default)]
pub(super) struct Recorder {
    queue: Mutex<Queue>,
}

impl Recorder {
    fn queue(&self) -> std::sync::MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues a record; the group to run when its caller is to lead one now (its own record
    /// in it, answered through its reply like the others).
    fn join(&self, waiting: Waiting) -> Option<Vec<Member>> {
        let mut q = self.queue();
        q.waiting.push_back(waiting);
        if q.leaders < LEADERS {
            q.leaders += 1;
            Some(take_group(&mut q.waiting, Vec::new()))
        } else {
            None
        }
    }

    /// A leader is done with its group: the next group (the oldest records) goes to the
    /// first of them whose caller still waits, or the leader's place is given up when none
    /// is left.
    fn hand_on(&self) {
        let mut q = self.queue();
        loop {
            let Some(first) = q.waiting.pop_front() else {
                q.leaders -= 1;
                return;
            };
            let group = take_group(&mut q.waiting, vec![(first.record, None)]);
            // A send that fails gives back what it sent: the group, whose first caller is
            // gone. Its record is dropped (as a call dropped before its statement went out),
            // the rest offered to the next.
            if let Err(Signal::Lead(back)) = first.reply.send(Signal::Lead(group)) {
                for (record, reply) in back.into_iter().skip(1).rev() {
                    if let Some(reply) = reply {
                        q.waiting.push_front(Waiting { record, reply });
                    }
                }
                continue;
            }
            return;
        }
    }
}

/// `group` and the oldest waiting records after it, at most [`GROUP_MAX`] in all, no two of
/// one incident or with one chat reference's key (one statement writes a row once): a record
/// that would clash waits, in its place, for a later group.
fn take_group(waiting: &mut VecDeque<Waiting>, mut group: Vec<Member>) -> Vec<Member> {
    let mut incidents: HashSet<IncidentId> = HashSet::new();
    let mut keys: HashSet<String> = HashSet::new();
    let mut fits = |r: &Record| {
        if incidents.contains(r.incident()) || r.refs.iter().any(|(k, ..)| keys.contains(k)) {
            return false;
        }
        incidents.insert(r.incident().clone());
        keys.extend(r.refs.iter().map(|(k, ..)| k.clone()));
        true
    };
    for (r, _) in &group {
        fits(r);
    }
    let mut later = VecDeque::new();
    while let Some(w) = waiting.pop_front() {
        if group.len() < GROUP_MAX && fits(&w.record) {
            group.push((w.record, Some(w.reply)));
        } else {
            later.push_back(w);
        }
    }
    *waiting = later;
    group
}

/// Leading a group: when the leading call is dropped before it handed on, it hands on as it
/// drops, so the queue always has a leader.
struct Leading<'a> {
    recorder: &'a Recorder,
    handed_on: bool,
}

impl Leading<'_> {
    fn hand_on(mut self) {
        self.handed_on = true;
        self.recorder.hand_on();
    }
}

impl Drop for Leading<'_> {
    fn drop(&mut self) {
        if !self.handed_on {
            self.recorder.hand_on();
        }
    }
}

impl PostgresStore {
    /// Commits `record`, with whichever records wait alongside it ([`Recorder`]).
    pub(super) async fn record(&self, record: Record) -> Result<(), StoreError> {
        let (reply, mut answer) = oneshot::channel();
        let mut group = self.recorder.join(Waiting { record, reply });
        let mut mine = None;
        loop {
            if let Some(g) = group.take() {
                let leading = Leading {
                    recorder: &self.recorder,
                    handed_on: false,
                };
                if let Some(outcome) = self.commit_group(g).await {
                    mine = Some(outcome);
                }
                leading.hand_on();
            }
            if let Some(outcome) = mine {
                return outcome;
            }
            match (&mut answer).await {
                Ok(Signal::Done(outcome)) => return outcome,
                Ok(Signal::Lead(g)) => group = Some(g),
                Err(_) => {
                    return Err(StoreError::Database(
                        "the group this job's record was in ended without an answer; whether it committed is not known"
                            .into(),
                    ));
                }
            }
        }
    }

    /// Runs `group` — alone when it is one record, else in one statement — and answers each
    /// member; the outcome of the member without a reply (the leader's own) is returned.
    async fn commit_group(&self, group: Vec<Member>) -> Option<Result<(), StoreError>> {
        let outcomes = if group.len() == 1 {
            vec![self.alone(&group[0].0).await]
        } else {
            match self.many(&group).await {
                Ok(outcomes) => outcomes,
                // The statement failed, and wrote nothing (or whether it did is not known:
                // a record that did finds its job done and its version moved): each record
                // runs again alone, for its own answer.
                Err(e) => {
                    tracing::debug!(error = %e, records = group.len(), "a group's records failed together; each runs again alone");
                    let mut outcomes = Vec::with_capacity(group.len());
                    for (record, _) in &group {
                        outcomes.push(self.alone(record).await);
                    }
                    outcomes
                }
            }
        };
        let mut mine = None;
        for ((_, reply), outcome) in group.into_iter().zip(outcomes) {
            match reply {
                // A caller that is gone needs no answer.
                Some(reply) => drop(reply.send(Signal::Done(outcome))),
                None => mine = Some(outcome),
            }
        }
        mine
    }

    /// One record's statement, committed on its own.
    async fn alone(&self, record: &Record) -> Result<(), StoreError> {
        self.single(async |c: &mut PgConnection| record.run(c).await).await
    }

    /// The records of `group` in one statement ([`RECORD_MANY`]), committed on its own: each
    /// one's outcome. An error: the statement failed (and wrote nothing), or its outcome is
    /// not known. When it committed but the read of why some records were not held fails,
    /// the others are answered, and those get the read's error.
    async fn many(&self, group: &[Member]) -> Result<Vec<Result<(), StoreError>>, StoreError> {
        let arrays = ManyArrays::of(group.iter().map(|(r, _)| r))?;
        let mut committed: Option<HashSet<i64>> = None;
        let why = self
            .single(async |c: &mut PgConnection| {
                let rows = arrays.query().fetch_all(&mut *c).await.map_err(db)?;
                let held: HashSet<i64> = rows.iter().map(|row| row.int("n")).collect::<Result<_, _>>()?;
                // Why the others wrote nothing: their incidents as they are now.
                let missed: Vec<&str> = (1i64..)
                    .zip(group)
                    .filter(|(n, _)| !held.contains(n))
                    .map(|(_, (r, _))| r.incident().as_str())
                    .collect();
                committed = Some(held);
                if missed.is_empty() {
                    return Ok(HashMap::new());
                }
                sqlx::query("SELECT id, version FROM incidents WHERE id = ANY($1)")
                    .bind(&missed)
                    .fetch_all(&mut *c)
                    .await
                    .map_err(db)?
                    .iter()
                    .map(|row| Ok((row.text("id")?, row.int("version")?)))
                    .collect::<Result<HashMap<String, i64>, StoreError>>()
            })
            .await;
        let Some(held) = committed else {
            // The statement failed: nothing of it was written, or whether it was is not known.
            return Err(why
                .err()
                .unwrap_or_else(|| StoreError::Database("a group's statement answered nothing".into())));
        };
        // The read's failure, once, as the message each record it leaves unexplained gets.
        let versions = why.map_err(|e| match e {
            StoreError::Database(m) => m,
            other => other.to_string(),
        });
        Ok((1i64..)
            .zip(group)
            .map(|(n, (r, _))| {
                if held.contains(&n) {
                    return Ok(());
                }
                let versions = versions.as_ref().map_err(|m| StoreError::Database(m.clone()))?;
                Err(match versions.get(r.incident().as_str()) {
                    None => StoreError::NotFound(r.incident().to_string()),
                    Some(&v) if v != r.previous => StoreError::Conflict(r.incident().to_string()),
                    Some(_) => StoreError::LeaseLost(r.job),
                })
            })
            .collect())
    }
}
