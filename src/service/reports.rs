//! Report and meeting use cases: generating a report from the store's incidents (through the
//! report engine in [`crate::domain::report`]), storing it with the incidents it was computed
//! from, comparing a new computation with the stored one (a revision says what changed), and
//! the meetings' follow-up points.
//!
//! Policy: anyone the adapter lets in may read reports and points (the weekly summary is
//! posted in the summary channel anyway); adding and completing follow-up points needs the
//! agreement's responders or managers ([`Permission::Operate`]), as working incidents does.
//!
//! Reproducibility: a report is computed from the agreement, the store's incidents (and, for
//! the weekly summary, their timelines and the open follow-up points) and `now`. Generating
//! again returns the stored revision when the result is the same; otherwise a new revision
//! is stored, marked revised, with the incidents added, removed and changed since (by id).
//! A revision whose lists are empty means only time passed (the period was still running).

use super::notice::ReportKind;
use super::ports::{IncidentFilter, NewPoint, NewReport, StoredReport};
use super::{Action, Actor, Failure, Permission, Service, ServiceError, UserError};
use crate::domain::ids::{AgreementId, UserId};
use crate::domain::meeting::MeetingPoint;
use crate::domain::period::Period;
pub use crate::domain::report::ReportValue;
use crate::domain::report::{self, Timelines, WindowItem};
use crate::domain::revision::ReportChanges;
use chrono::{DateTime, Utc};

// The value is the domain's; which stored kind it is, is the store's word for it.
impl ReportValue {
    /// Which report.
    pub fn kind(&self) -> ReportKind {
        match self {
            ReportValue::Weekly(_) => ReportKind::Weekly,
            ReportValue::Monthly(_) => ReportKind::Monthly,
            ReportValue::Annual(_) => ReportKind::Annual,
        }
    }
}

/// A generated report as stored, with its typed value.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// The stored revision (new, or the earlier one when nothing changed).
    pub stored: StoredReport,
    /// The report.
    pub value: ReportValue,
    /// Whether this call stored a new revision.
    pub stored_now: bool,
}

impl Generated {
    /// For a revision: what changed since the one before.
    pub fn changes(&self) -> Option<&ReportChanges> {
        self.stored.report.changes.as_ref()
    }
}

/// The longest of `a`'s follow-ups in wall time, counted from `from` on its schedule.
fn follow_up_reach(a: &crate::domain::agreement::Agreement, from: DateTime<Utc>) -> chrono::Duration {
    a.follow_ups
        .iter()
        .filter_map(|f| {
            let s = a.schedule(&f.schedule)?;
            s.add(from, f.after).ok().map(|d| d.deadline - from)
        })
        .max()
        .unwrap_or_default()
}

impl Service {
    /// Computes the report of `period` for `agreement` from the store as it is now, without
    /// storing it.
    pub async fn compute_report(&self, agreement: &str, period: Period) -> Result<ReportValue, ServiceError> {
        let (a, _) = self.agreement(agreement)?;
        let now = self.clock.now();
        // A month's or a year's figures count nothing of incidents reported after it: leave
        // them in the database (the weekly summary reads all, for what falls due next). And
        // no period counts a closed incident of which nothing happened or fell due since the
        // period began: the store finds the rest by index.
        let (start, end) = period.bounds(a.tz);
        // A follow-up falls due at most this long after its incident closed.
        let reach = follow_up_reach(a, start) * 2 + chrono::Duration::days(7);
        let (reported_before, touched_since) = match period {
            // The weekly summary counts the month to date (from the start of the month the
            // week starts in) and lists the agreement's follow-ups due in the week, also of
            // incidents closed before it: look back over the longest follow-up, twice over.
            Period::Week(_) => {
                let local = start.with_timezone(&a.tz).date_naive();
                let month = Period::parse(&local.format("%Y-%m").to_string())
                    .map_or(start, |m| m.bounds(a.tz).0)
                    .min(start);
                (None, month - reach)
            }
            // A month counts the follow-ups falling due in it, also of incidents closed
            // before it (its availability reads the year's outages apart, below).
            Period::Month(_) => (Some(end), start - reach),
            Period::Year(_) => (Some(end), start),
        };
        let incidents = self
            .store
            .incidents(&IncidentFilter {
                agreement: Some(AgreementId::new(agreement)),
                reported_before,
                touched_since: Some(touched_since),
                ..IncidentFilter::default()
            })
            .await?;
        Ok(match period {
            Period::Week(week) => {
                // Timelines tell the week's status updates and follow-ups: none of an
                // incident closed longer than a follow-up's reach before the week (the rest
                // count in the month to date, from their own record).
                let ids: Vec<_> = incidents
                    .iter()
                    .filter(|i| i.closed_at().is_none_or(|closed| closed >= start - reach))
                    .map(|i| i.id().clone())
                    .collect();
                let timelines: Timelines = self
                    .store
                    .timelines(&ids, report::WEEKLY_EVENTS)
                    .await?
                    .into_iter()
                    .collect();
                let points = self.store.points(&AgreementId::new(agreement), false).await?;
                let mut r = report::weekly(a, &incidents, &timelines, &points, week, now)?;
                let (from, _) = period.bounds(a.tz);
                r.maintenance = self
                    .windows_between(agreement, from, r.coming_until)
                    .await?
                    .iter()
                    .map(WindowItem::from)
                    .collect();
                ReportValue::Weekly(Box::new(r))
            }
            Period::Month(month) => {
                let mut r = report::monthly(a, &incidents, month, now)?;
                let (from, to) = month.bounds(a.tz);
                let (jan1, _) = Period::Year(crate::domain::period::YearSpec(chrono::Datelike::year(
                    &from.with_timezone(&a.tz),
                )))
                .bounds(a.tz);
                // Availability counts outages over the year to date (yearly targets and
                // limits): the incidents with an outage marked, touched since 1 January —
                // found by their own index, not among every incident of the year.
                let outages = self
                    .store
                    .incidents(&IncidentFilter {
                        agreement: Some(AgreementId::new(agreement)),
                        reported_before,
                        touched_since: Some(jan1.min(from)),
                        with_outage: true,
                        ..IncidentFilter::default()
                    })
                    .await?;
                let windows = self.windows_between(agreement, jan1, to).await?;
                r.availability = crate::domain::availability::items(a, &outages, &windows, (from, to), now)
                    .map_err(|e| UserError::Classify(crate::domain::classify::ClassifyError::Clock(e)))?;
                ReportValue::Monthly(Box::new(r))
            }
            Period::Year(year) => {
                let mut r = report::annual(a, &incidents, year, now)?;
                let (from, to) = year.bounds(a.tz);
                let windows = self.windows_between(agreement, from, to).await?;
                r.availability = crate::domain::availability::annual_items(a, &incidents, &windows, year, now)
                    .map_err(|e| UserError::Classify(crate::domain::classify::ClassifyError::Clock(e)))?;
                ReportValue::Annual(Box::new(r))
            }
        })
    }

    /// Generates the report of `period` and stores it unless the latest stored revision is
    /// the same; a different result is stored as the next revision with what changed.
    pub async fn generate_report(&self, agreement: &str, period: Period) -> Result<Generated, ServiceError> {
        let value = self.compute_report(agreement, period).await?;
        let kind = value.kind();
        let text = period.to_string();
        let content = serde_json::to_value(&value).map_err(|source| Failure::Encode {
            what: "the report",
            source,
        })?;
        let latest = self
            .store
            .latest_report(&AgreementId::new(agreement), kind, &text)
            .await?;
        if let Some(latest) = &latest
            && latest.report.content == content
        {
            return Ok(Generated {
                stored: latest.clone(),
                value,
                stored_now: false,
            });
        }
        let new = NewReport {
            agreement: AgreementId::new(agreement),
            kind,
            period: text,
            sources: value.sources().to_vec(),
            changes: latest
                .as_ref()
                .map(|l| ReportChanges::between(&l.report.sources, value.sources())),
            content,
            created_at: self.clock.now(),
        };
        let stored = self.store.add_report(&new).await?;
        Ok(Generated {
            stored,
            value,
            stored_now: true,
        })
    }

    /// What a new computation of the stored report of `period` would change (by incident),
    /// without storing it; none when nothing is stored for it.
    pub async fn compare_report(&self, agreement: &str, period: Period) -> Result<Option<ReportChanges>, ServiceError> {
        let value = self.compute_report(agreement, period).await?;
        let latest = self
            .store
            .latest_report(&AgreementId::new(agreement), value.kind(), &period.to_string())
            .await?;
        Ok(latest.map(|l| ReportChanges::between(&l.report.sources, value.sources())))
    }

    /// Every stored revision of `agreement`'s reports.
    pub async fn stored_reports(&self, agreement: &str) -> Result<Vec<StoredReport>, ServiceError> {
        self.agreement(agreement)?;
        Ok(self.store.reports(&AgreementId::new(agreement)).await?)
    }

    /// Records a follow-up point of `agreement`'s points meeting. `due` defaults to the next
    /// meeting after now; the point is to be answered before it. A `due` before now is
    /// refused.
    pub async fn add_point(
        &self,
        actor: &Actor,
        agreement: &str,
        text: &str,
        owner: Option<UserId>,
        due: Option<DateTime<Utc>>,
    ) -> Result<MeetingPoint, ServiceError> {
        self.check(actor, agreement, Permission::Operate, Action::AddPoint)?;
        let (a, _) = self.agreement(agreement)?;
        let text = text.trim();
        if text.is_empty() {
            return Err(UserError::EmptyPoint.into());
        }
        let meeting = a
            .points_meeting()
            .ok_or_else(|| UserError::NoPointsMeeting(agreement.to_string()))?;
        let now = self.clock.now();
        let due = match due {
            Some(d) if d < now => return Err(UserError::PointDueInPast.into()),
            Some(d) => d,
            None => crate::domain::duty::next_meeting(a, meeting, now)
                .ok_or_else(|| UserError::NoPointsMeeting(agreement.to_string()))?,
        };
        Ok(self
            .store
            .add_point(&NewPoint {
                agreement: AgreementId::new(agreement),
                meeting: meeting.id.clone(),
                text: text.to_string(),
                owner,
                due,
                created_by: actor.id.clone(),
                created_at: now,
            })
            .await?)
    }

    /// Marks follow-up point `id` of `agreement` done (already done: unchanged).
    pub async fn complete_point(&self, actor: &Actor, agreement: &str, id: i64) -> Result<MeetingPoint, ServiceError> {
        self.check(actor, agreement, Permission::Operate, Action::CompletePoint)?;
        self.store
            .complete_point(&AgreementId::new(agreement), id, &actor.id, self.clock.now())
            .await?
            .ok_or(UserError::UnknownPoint(id).into())
    }

    /// The open follow-up points of `agreement`, by due time.
    pub async fn open_points(&self, agreement: &str) -> Result<Vec<MeetingPoint>, ServiceError> {
        self.agreement(agreement)?;
        Ok(self.store.points(&AgreementId::new(agreement), false).await?)
    }
}
