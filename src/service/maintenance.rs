//! Maintenance windows: announce one for a service of an agreement, checked against every
//! rule of its maintenance kind (a window that breaks any is refused, naming each rule and
//! clause, unless a manager records it anyway with a reason); list the windows to come;
//! cancel one. The reminders before a window starts and at its announced end are planned
//! with it, in one transaction.

use super::ports::NewWindow;
use super::{Action, Actor, Permission, Service, ServiceError, UserError, to_new_job};
use crate::domain::classify::ClassifyError;
use crate::domain::ids::AgreementId;
use crate::domain::jobs::maintenance::plan;
use crate::domain::maintenance::{MaintenanceWindow, check, choose_kind};
use crate::domain::time::resolve_local;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

/// A window to announce.
#[derive(Debug, Clone, PartialEq)]
pub struct Announcement {
    /// The agreement's id.
    pub agreement: String,
    /// The service's id (the agreement's main service when none).
    pub service: Option<String>,
    /// The maintenance kind's id (when none, the first whose shape admits the window).
    pub kind: Option<String>,
    pub start: DateTime<Utc>,
    pub duration: Duration,
    /// What is done, as typed.
    pub description: String,
    /// A manager's reason for recording a window that breaks the rules.
    pub reason: Option<String>,
}

impl Service {
    /// Announces a maintenance window: checks every rule of its kind (notice, days and
    /// hours, a schedule to stay outside of, length, how many a year) and records it with its
    /// reminders. A window that breaks a rule is refused with each rule and clause, unless a
    /// `reason` is given by a manager: then it is recorded with what it breaks and why.
    pub async fn announce_window(&self, actor: &Actor, ann: &Announcement) -> Result<MaintenanceWindow, ServiceError> {
        self.check(actor, &ann.agreement, Permission::Operate, Action::AnnounceWindow)?;
        let (a, _) = self.agreement(&ann.agreement)?;
        let now = self.clock.now();
        let known = || a.services.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(", ");
        let service = match ann.service.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(id) => a.service(id).ok_or_else(|| UserError::UnknownService {
                service: id.to_string(),
                known: known(),
            })?,
            None => a.main_service().ok_or_else(|| UserError::UnknownService {
                service: String::new(),
                known: known(),
            })?,
        };
        if service.maintenance.is_empty() {
            return Err(UserError::NoMaintenanceRules(service.id.clone()).into());
        }
        let end = ann.start + ann.duration;
        if ann.duration < Duration::minutes(1) || ann.start < now {
            return Err(UserError::BadWindow.into());
        }
        let rule = match ann.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            Some(k) => service
                .maintenance_kind(k)
                .ok_or_else(|| UserError::UnknownMaintenanceKind {
                    kind: k.to_string(),
                    known: service
                        .maintenance
                        .iter()
                        .map(|m| m.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                })?,
            None => choose_kind(a, service, ann.start, end)
                .ok_or_else(|| UserError::NoMaintenanceRules(service.id.clone()))?,
        };
        // The windows of this service and kind that stand in the start's calendar year.
        let year = ann.start.with_timezone(&a.tz).year();
        let jan1 = |y: i32| {
            NaiveDate::from_ymd_opt(y, 1, 1)
                .map(|d| resolve_local(a.tz, d.and_time(chrono::NaiveTime::MIN)))
                .ok_or(UserError::BadWindow)
        };
        let (from, to) = (jan1(year)?, jan1(year + 1)?);
        let agreement = AgreementId::new(a.id.as_str());
        let same = self
            .store
            .windows(&agreement, from, to)
            .await?
            .iter()
            .filter(|w| {
                w.is_active() && w.service == service.id && w.kind == rule.id && w.start >= from && w.start < to
            })
            .count();
        let breaches = check(a, rule, ann.start, end, now, u32::try_from(same).unwrap_or(u32::MAX))
            .map_err(|e| UserError::Classify(ClassifyError::Clock(e)))?;
        let reason = ann.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
        if !breaches.is_empty() {
            if reason.is_none() {
                return Err(UserError::WindowBreaks { breaches, tz: a.tz }.into());
            }
            self.check(actor, &ann.agreement, Permission::Manage, Action::RecordBreakingWindow)?;
        }
        let window = NewWindow {
            agreement: agreement.clone(),
            service: service.id.clone(),
            kind: rule.id.clone(),
            start: ann.start,
            end,
            description: ann.description.trim().to_string(),
            announced_by: actor.id.clone(),
            announced_at: now,
            reason: reason.filter(|_| !breaches.is_empty()).map(str::to_string),
            breaches,
        };
        let id = a.id.clone();
        let planner = move |n: i64| {
            plan(&id, n, ann.start, end, now)
                .into_iter()
                .map(|p| to_new_job(None, p))
                .collect()
        };
        Ok(self.store.add_window(&window, &planner).await?)
    }

    /// The windows of `agreement` not yet ended and not cancelled, by start.
    pub async fn upcoming_windows(&self, agreement: &str) -> Result<Vec<MaintenanceWindow>, ServiceError> {
        let (a, _) = self.agreement(agreement)?;
        let now = self.clock.now();
        let windows = self
            .store
            .windows(&AgreementId::new(a.id.as_str()), now, now + Duration::days(3660))
            .await?;
        Ok(windows.into_iter().filter(MaintenanceWindow::is_active).collect())
    }

    /// The windows of `agreement` that overlap `from`–`to`, cancelled ones left out.
    pub async fn windows_between(
        &self,
        agreement: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<MaintenanceWindow>, ServiceError> {
        let windows = self.store.windows(&AgreementId::new(agreement), from, to).await?;
        Ok(windows.into_iter().filter(MaintenanceWindow::is_active).collect())
    }

    /// Cancels window `id` of `agreement` (already cancelled: unchanged); its reminders lapse.
    pub async fn cancel_window(
        &self,
        actor: &Actor,
        agreement: &str,
        id: i64,
    ) -> Result<MaintenanceWindow, ServiceError> {
        self.check(actor, agreement, Permission::Operate, Action::CancelWindow)?;
        self.store
            .cancel_window(&AgreementId::new(agreement), id, &actor.id, self.clock.now())
            .await?
            .ok_or(UserError::UnknownWindow(id).into())
    }
}
