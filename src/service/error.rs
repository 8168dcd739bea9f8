//! Why a use case did not happen, by kind: a person's mistake ([`UserError`]: data; answer it
//! in the person's words with [`crate::render::error::user_error`], its `Display` is for logs) or a failure of vakt or what it talks to ([`Failure`]: log it and
//! say only that something failed). Adapters branch on [`ServiceError`]'s two variants, not
//! on the causes one by one.

use super::Action;
use super::ports::{ChatError, StoreError};
use crate::domain::classify::ClassifyError;
use crate::domain::incident::IncidentError;
use crate::domain::maintenance::Breach;
use crate::domain::plan::PlanError;
use crate::domain::report::{PeriodError, ReportError};

/// Why a use case failed: the user's mistake or a failure.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The person asked for something that cannot be done; answer them.
    #[error(transparent)]
    User(#[from] UserError),
    /// vakt, its store or its chat failed; log it.
    #[error(transparent)]
    Failed(#[from] Failure),
}

/// A person's mistake: forbidden, unknown, refused by the incident's rules, or raced.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    /// The actor lacks a role.
    #[error("you may not {action}: it needs one of the roles {}", roles.join(", "))]
    Forbidden {
        /// What was attempted.
        action: Action,
        /// Chat roles that would allow it.
        roles: Vec<String>,
    },
    /// No such agreement (the id as given).
    #[error("unknown agreement \"{0}\"")]
    UnknownAgreement(String),
    /// The agreement has no case type with this id.
    #[error("unknown case type \"{case_type}\" (known: {known})")]
    UnknownCaseType {
        /// The id as given (or stored).
        case_type: String,
        /// The agreement's case types, comma separated.
        known: String,
    },
    /// The case type has several classes and none was named.
    #[error("a {case_type} needs a class (one of: {known})")]
    ClassNeeded {
        /// The case type's id.
        case_type: String,
        /// Its classes, comma separated.
        known: String,
    },
    /// The agreement covers no service with this id.
    #[error("unknown service \"{service}\" (known: {known})")]
    UnknownService {
        /// The id as given.
        service: String,
        /// The agreement's service ids, comma separated.
        known: String,
    },
    /// The service has no maintenance rules to announce a window under.
    #[error("the agreement sets no maintenance windows for service \"{0}\"")]
    NoMaintenanceRules(String),
    /// The service has no maintenance kind with this id.
    #[error("unknown maintenance kind \"{kind}\" (known: {known})")]
    UnknownMaintenanceKind {
        /// The id as given.
        kind: String,
        /// The service's kinds, comma separated.
        known: String,
    },
    /// A window that starts before now, or does not last.
    #[error("a maintenance window must start after now and last at least a minute")]
    BadWindow,
    /// The window breaks rules of the agreement; nothing was recorded.
    #[error("{}", breaks_text(breaches))]
    WindowBreaks {
        /// The rules broken, each naming its clause.
        breaches: Vec<Breach>,
        /// The agreement's zone, for the times named.
        tz: chrono_tz::Tz,
    },
    /// No such maintenance window of the agreement.
    #[error("no maintenance window {0} in this agreement")]
    UnknownWindow(i64),
    /// No such incident (the id as given).
    #[error("no incident {0}")]
    NotFound(String),
    /// The incident refused the change.
    #[error(transparent)]
    Incident(#[from] IncidentError),
    /// An outage marking does not fit the service's definition of degraded (SSBTEK 4.9).
    #[error(transparent)]
    Degraded(crate::domain::incident::DegradedError),
    /// The facts do not classify.
    #[error(transparent)]
    Classify(#[from] ClassifyError),
    /// A report period that does not parse or exist.
    #[error(transparent)]
    BadPeriod(#[from] PeriodError),
    /// The agreement has no scheduled meeting that keeps follow-up points.
    #[error("agreement \"{0}\" has no scheduled meeting with follow-up points")]
    NoPointsMeeting(String),
    /// No such follow-up point in the agreement.
    #[error("no follow-up point {0} in this agreement")]
    UnknownPoint(i64),
    /// A follow-up point with no text.
    #[error("a follow-up point needs a text")]
    EmptyPoint,
    /// A public text with nothing in it.
    #[error("a public text needs some text: text:… says what the public may read")]
    EmptyPublicText,
    /// A follow-up point due before now.
    #[error("a follow-up point cannot be due in the past: give a later due:, or leave it out for the next meeting")]
    PointDueInPast,
    /// Several agreements are configured and the command named none.
    #[error("name the agreement (agreement:ID): more than one is configured")]
    AgreementNeeded,
    /// Someone else changed the incident at the same moment, every retry (the incident id).
    #[error("incident {0} was changed by someone else; try again")]
    Conflict(String),
}

/// The clauses a refused window breaks, for logs (people read it from
/// [`crate::render::error::user_error`]).
fn breaks_text(breaches: &[Breach]) -> String {
    let clauses: Vec<&str> = breaches.iter().map(Breach::clause).collect();
    format!(
        "the window breaks the agreement (clause {}); nothing was recorded",
        clauses.join(", clause ")
    )
}

/// A failure of vakt or of what it talks to.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Planning failed.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
    /// The chat failed.
    #[error(transparent)]
    Chat(#[from] ChatError),
    /// The report engine failed.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// A webhook target failed.
    #[error(transparent)]
    Webhook(#[from] crate::service::ports::WebhookError),
    /// A value could not be serialised for storing.
    #[error("cannot encode {what}: {source}")]
    Encode {
        /// What was being encoded.
        what: &'static str,
        /// The cause.
        source: serde_json::Error,
    },
}

impl ServiceError {
    /// Whether this is the user's mistake (forbidden, unknown, refused, raced) rather than a
    /// failure of vakt or what it talks to.
    pub fn is_user_error(&self) -> bool {
        matches!(self, ServiceError::User(_))
    }

    /// The user's mistake, if it is one.
    pub fn user(&self) -> Option<&UserError> {
        match self {
            ServiceError::User(u) => Some(u),
            ServiceError::Failed(_) => None,
        }
    }

    /// The failure, if it is one.
    pub fn failure(&self) -> Option<&Failure> {
        match self {
            ServiceError::Failed(f) => Some(f),
            ServiceError::User(_) => None,
        }
    }
}

/// A store conflict that outlived the retries is a race the person can retry; anything else
/// the store says is a failure.
impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(id) => ServiceError::User(UserError::Conflict(id)),
            other => ServiceError::Failed(Failure::Store(other)),
        }
    }
}

macro_rules! by_kind {
    ($($cause:ty => $kind:ident),* $(,)?) => {
        $(impl From<$cause> for ServiceError {
            fn from(e: $cause) -> Self {
                ServiceError::$kind(e.into())
            }
        })*
    };
}

by_kind! {
    IncidentError => User,
    ClassifyError => User,
    PeriodError => User,
    PlanError => Failed,
    ChatError => Failed,
    ReportError => Failed,
    crate::service::ports::WebhookError => Failed,
}
