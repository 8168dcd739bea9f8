//! The one inbound dispatcher both transports use (the gateway's event handler and
//! `vakt serve`): it takes serenity's [`Interaction`] and returns the initial response, plus
//! the work that continues after it when the answer was deferred.
//!
//! - Slash commands: options → [`Invocation`] → [`commands::parse_zoned`] →
//!   [`exec::execute`](crate::commands::exec::execute) → a rendered reply. Inside an incident's thread the incident id is
//!   implied (the stored conversation reference says whose thread it is); with one agreement
//!   loaded, `agreement:` defaults to it.
//! - Autocomplete: agreement ids, the chosen agreement's impact scale (with each level's
//!   description), active incident ids, the agreement's own priority names; at most 25
//!   choices. Values are validated again on submit, like anything typed. When the store does
//!   not answer within [`STORE_WAIT`], the choices that need none (incident ids need it).
//! - Buttons on an incident card (custom ids from [`custom_id`]): Acknowledge and Escalate
//!   act at once (deferred like a command while the store is slow); Post update and Resolve
//!   open a modal whose submit acts. Everything is resolved from the database, so buttons
//!   work after a restart; a button of a closed incident answers that it is stale (a form
//!   opens anyway when the store does not say within [`STORE_WAIT`]).
//! - `/incident list` answers one page in one message (its lines in an embed) with Previous
//!   and Next buttons whose custom ids name the scope, filters and page
//!   ([`custom_id::ListQuery`]). A press runs `/incident list` for that page through the same
//!   path as the command (same parsing, permissions and refusals) and replaces the list in its
//!   message (UPDATE_MESSAGE; deferred as DEFERRED_UPDATE_MESSAGE while the store is slow); a
//!   refusal comes as a new ephemeral message and the list stays as it was.
//! - Commands, form submits and the acting buttons are taken on once: the service records the
//!   interaction's id before anything runs, and a delivery of one taken on before (after a
//!   resume, through another session, at another replica) answers nothing ([`Handled::again`])
//!   and changes nothing.
//! - A user's mistake (a [`CommandError`], a [`ServiceError`] that is the user's, a member
//!   without the role) gets an ephemeral, actionable reply and changes nothing; an internal
//!   failure is logged and gets a generic ephemeral reply.
//!
//! Every reply is ephemeral (the channel hears about changes from the incident card and
//! thread, which the scheduler posts) and carries `allowed_mentions` with nothing parsed, so
//! text typed by users never pings. When the work takes longer than [`DEFER_AFTER`] the
//! initial response is a deferral and the answer edits the original response later, well
//! inside Discord's 3 seconds.

use super::custom_id::{self, CardAction};
use super::render::{self, STYLE};
use crate::commands::exec::{Reply, execute};
use crate::commands::{self, CommandError, Invocation, RawValue, defs};
use crate::domain::ids::IncidentId;
use crate::domain::incident::State;
use crate::render::Msg;
use crate::render::{Locale, Style};
use crate::service::deliveries::Delivery;
use crate::service::health::Monitor;
use crate::service::{Actor, Service, ServiceError, UserError};
use serenity::all::{
    ActionRowComponent, CommandDataOption, CommandDataOptionValue, CommandInteraction, ComponentInteraction,
    CreateActionRow, CreateAllowedMentions, CreateAutocompleteResponse, CreateInputText, CreateInteractionResponse,
    CreateInteractionResponseFollowup, CreateInteractionResponseMessage, CreateModal, EditInteractionResponse, Http,
    InputTextStyle, Interaction, InteractionId, Member, ModalInteraction,
};
use std::sync::Arc;
use std::time::Duration;

/// Work left to do after the initial response.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// How long the dispatcher waits for a command's work before it defers the answer (Discord
/// wants the initial response within 3 s; a deferral buys 15 minutes).
pub const DEFER_AFTER: Duration = Duration::from_millis(1500);

/// Most units of one message's content (Discord's limit, counted in UTF-16 units).
pub const MAX_CONTENT: usize = render::MAX_CONTENT;

/// Most autocomplete choices Discord accepts.
pub const MAX_CHOICES: usize = 25;

/// Longest modal title.
const MAX_MODAL_TITLE: usize = 45;

/// Longest autocomplete choice name.
const MAX_CHOICE_NAME: usize = 100;

/// How long autocomplete and the buttons that open a form wait for the store before they
/// answer from what needs no database (Discord wants their answer within 3 s, and neither
/// can be deferred).
pub const STORE_WAIT: Duration = Duration::from_millis(1000);

/// What the dispatcher answers an interaction with.
pub struct Handled {
    /// The initial response: the interaction callback (gateway) or the HTTP response body
    /// (`vakt serve`).
    pub initial: CreateInteractionResponse,
    /// Work to run once the initial response is sent: the deferred answer (an edit of the
    /// original response) and follow-up pages of a long answer.
    pub later: Option<BoxFuture<'static, ()>>,
    /// The interaction was taken on before (delivered again: after a resume, through another
    /// session, at another replica): send no initial response, it is not this delivery's to
    /// answer.
    pub again: bool,
}

impl Handled {
    /// An initial response with nothing after it.
    fn now(initial: CreateInteractionResponse) -> Self {
        Handled {
            initial,
            later: None,
            again: false,
        }
    }
}

impl std::fmt::Debug for Handled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handled")
            .field("initial", &self.initial)
            .field("later", &self.later.is_some())
            .field("again", &self.again)
            .finish()
    }
}

/// A rendered answer: one or more pages of text (the first with the embeds and buttons),
/// always ephemeral.
#[derive(Debug, Clone, Default)]
struct Answer {
    pages: Vec<String>,
    embeds: Vec<serenity::all::CreateEmbed>,
    /// Buttons under the first page (a list's Previous and Next).
    components: Vec<CreateActionRow>,
    /// It replaces the message whose button was pressed (another page of a list) instead of
    /// being a new message; a refusal never does.
    update: bool,
}

impl Answer {
    fn text(s: impl Into<String>) -> Self {
        Answer {
            pages: paged(&s.into()),
            ..Answer::default()
        }
    }

    fn first(&self) -> String {
        self.pages.first().cloned().unwrap_or_default()
    }
}

/// No mention parsed: nobody is pinged by a reply, whatever it contains.
fn no_pings() -> CreateAllowedMentions {
    CreateAllowedMentions::new().empty_roles().empty_users()
}

fn message(content: String) -> CreateInteractionResponseMessage {
    CreateInteractionResponseMessage::new()
        .content(content)
        .ephemeral(true)
        .allowed_mentions(no_pings())
}

fn answer_message(a: &Answer) -> CreateInteractionResponseMessage {
    message(a.first())
        .embeds(a.embeds.clone())
        .components(a.components.clone())
}

/// The message a button was on, replaced by `a` (its ephemerality stays as it was).
fn update_message(a: &Answer) -> CreateInteractionResponseMessage {
    CreateInteractionResponseMessage::new()
        .content(a.first())
        .embeds(a.embeds.clone())
        .components(a.components.clone())
        .allowed_mentions(no_pings())
}

/// How an interaction's answer is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Respond {
    /// As a new (ephemeral) message: commands, forms, the card's buttons.
    Message,
    /// A button whose answer replaces its own message (a list's Previous and Next): an
    /// update of that message, deferred as one; a refusal still comes as a new message.
    Update,
}

/// Splits text into pages within Discord's message limit, at line ends where it can (the
/// one pager, [`crate::render::text::page`]); at least one page, empty for no text.
pub fn paged(s: &str) -> Vec<String> {
    let pages = crate::render::text::page(s, render::STYLE.limit);
    if pages.is_empty() { vec![String::new()] } else { pages }
}

fn cut(s: &str, max: usize) -> String {
    render::truncate(s, max)
}

/// Why an interaction was refused before or while running: the user's mistake, or ours.
#[derive(Debug, thiserror::Error)]
enum Refusal {
    /// The command as given is wrong.
    #[error(transparent)]
    Command(#[from] CommandError),
    /// The service refused or failed.
    #[error(transparent)]
    Service(#[from] ServiceError),
    /// Anything else the user can fix (outside a server, a stale button), as said here.
    #[error("{0}")]
    User(String),
}

impl Refusal {
    /// The ephemeral answer: the user's mistake as it is (roles shown as role mentions,
    /// which ping nobody here), an internal failure logged and answered generically; in
    /// `style`'s language.
    fn answer(&self, style: &Style) -> Answer {
        match self {
            Refusal::Service(ServiceError::Failed(e)) => {
                tracing::error!(error = %e, "interaction failed");
                Answer::text(style.word(Msg::InternalErrorRetry))
            }
            Refusal::Service(ServiceError::User(UserError::Forbidden { action, roles })) => {
                let roles: Vec<String> = roles.iter().map(|r| role_shown(r)).collect();
                let action = crate::render::error::action(style.locale, *action);
                Answer::text(style.say(Msg::Forbidden, &[("action", &action), ("roles", &roles.join(", "))]))
            }
            Refusal::Command(e) => Answer::text(style.say(
                Msg::Refused,
                &[(
                    "why",
                    &style.defuse(&crate::render::error::command_error(e, style.locale)),
                )],
            )),
            Refusal::Service(ServiceError::User(u)) => Answer::text(style.say(
                Msg::Refused,
                &[("why", &style.defuse(&crate::render::error::user_error(u, style)))],
            )),
            other => Answer::text(style.say(Msg::Refused, &[("why", &style.defuse(&other.to_string()))])),
        }
    }
}

/// A configured role as shown in a reply: a role mention when it is a Discord id.
fn role_shown(r: &str) -> String {
    if crate::config::snowflake(r).is_some() {
        format!("<@&{r}>")
    } else {
        format!("\"{}\"", STYLE.defuse(r))
    }
}

/// The inbound dispatcher.
pub struct Dispatcher {
    service: Arc<Service>,
    http: Arc<Http>,
    defer_after: Duration,
    monitor: Option<Arc<Monitor>>,
    /// The language of each agreement's text and of the rest.
    languages: crate::config::Languages,
}

impl Dispatcher {
    /// A dispatcher over the service; `http` edits deferred responses and sends follow-ups.
    pub fn new(service: Arc<Service>, http: Arc<Http>) -> Self {
        Dispatcher {
            service,
            http,
            defer_after: DEFER_AFTER,
            monitor: None,
            languages: Default::default(),
        }
    }

    /// The style of an answer about no one agreement: the process language.
    fn style(&self) -> Style {
        STYLE.for_locale(self.languages.process())
    }

    /// The language of incident `id`'s agreement (by its prefix), else the process language.
    fn incident_locale(&self, id: &IncidentId) -> Locale {
        let prefix = id.as_str().split('-').next().unwrap_or_default();
        let agreement = self
            .service
            .catalog()
            .agreements
            .iter()
            .find(|a| a.incident_prefix == prefix);
        self.languages.of_opt(agreement.map(|a| a.id.as_str()))
    }

    /// The same, answering in each agreement's language (`config.languages()`); without it,
    /// every answer is English.
    #[must_use]
    pub fn with_languages(mut self, languages: crate::config::Languages) -> Self {
        self.languages = languages;
        self
    }

    /// The same, counting each interaction and the time to its first answer into `monitor`'s
    /// metrics.
    #[must_use]
    pub fn with_monitor(mut self, monitor: Arc<Monitor>) -> Self {
        self.monitor = Some(monitor);
        self
    }

    /// The same, deferring after `d` instead of [`DEFER_AFTER`] (tests use zero to take the
    /// deferred path every time).
    #[must_use]
    pub fn defer_after(mut self, d: Duration) -> Self {
        self.defer_after = d;
        self
    }

    /// Handles one interaction; counts it, by command, with the time to its first answer.
    pub async fn handle(self: &Arc<Self>, interaction: Interaction) -> Handled {
        let started = std::time::Instant::now();
        let label = metric_label(&interaction);
        let handled = self.dispatch(interaction).await;
        if let Some(m) = &self.monitor {
            m.metrics().interaction(&label, started.elapsed());
        }
        handled
    }

    /// Answers one interaction by its kind.
    async fn dispatch(self: &Arc<Self>, interaction: Interaction) -> Handled {
        match interaction {
            Interaction::Ping(_) => Handled::now(CreateInteractionResponse::Pong),
            Interaction::Autocomplete(i) => {
                // Choices from the store when it answers in time, else from what needs none.
                let choices = match tokio::time::timeout(STORE_WAIT, self.autocomplete(&i, true)).await {
                    Ok(choices) => choices,
                    Err(_) => {
                        tracing::warn!("autocomplete: the store did not answer in time; choices without it");
                        self.autocomplete(&i, false).await
                    }
                };
                Handled::now(CreateInteractionResponse::Autocomplete(choices))
            }
            Interaction::Command(i) => {
                let me = self.clone();
                let token = i.token.clone();
                self.run(token, async move { me.once(i.id, me.command(&i)).await })
                    .await
            }
            Interaction::Component(i) => self.component(i).await,
            Interaction::Modal(i) => {
                let me = self.clone();
                let token = i.token.clone();
                self.run(token, async move { me.once(i.id, me.modal(&i)).await }).await
            }
            other => {
                tracing::warn!(kind = ?other.kind(), "interaction of a kind vakt does not handle");
                Handled::now(CreateInteractionResponse::Message(message(
                    self.style().word(Msg::UnknownInteraction).into(),
                )))
            }
        }
    }

    /// Runs `work` when this delivery of interaction `id` is the first (the store records it
    /// atomically before anything changes); `None` when it was taken on before. A store that
    /// cannot say is a failure, answered as one, and nothing runs.
    async fn once(&self, id: InteractionId, work: impl std::future::Future<Output = Answer>) -> Option<Answer> {
        match self.service.take_on(&id.get().to_string()).await {
            Ok(Delivery::First) => Some(work.await),
            Ok(Delivery::Again) => {
                tracing::info!(interaction = %id, "an interaction delivered again was not taken on again");
                None
            }
            Err(e) => Some(Refusal::Service(e).answer(&self.style())),
        }
    }

    /// Runs `work`, answering at once when it is done within the defer delay, else with a
    /// deferral and the answer as an edit of the original response. Work that finds its
    /// interaction taken on before (`None`) answers nothing: no initial response when that is
    /// known in time, no edit after a deferral.
    async fn run<F>(&self, token: String, work: F) -> Handled
    where
        F: std::future::Future<Output = Option<Answer>> + Send + 'static,
    {
        self.run_as(token, Respond::Message, work).await
    }

    /// [`run`](Self::run), answering as `respond` says: a button that updates its message
    /// answers with the update (type 7), or defers it (type 6) and edits the message later;
    /// its refusal is a new ephemeral message, at once or as a follow-up.
    async fn run_as<F>(&self, token: String, respond: Respond, work: F) -> Handled
    where
        F: std::future::Future<Output = Option<Answer>> + Send + 'static,
    {
        let mut task = tokio::spawn(work);
        let quick = if self.defer_after.is_zero() {
            None
        } else {
            tokio::time::timeout(self.defer_after, &mut task).await.ok()
        };
        let http = self.http.clone();
        let style = self.style();
        let panicked = move |e: tokio::task::JoinError| {
            tracing::error!(error = %e, "interaction handler panicked");
            Some(Refusal::User(style.word(Msg::InternalError).into()).answer(&style))
        };
        match quick {
            Some(done) => {
                let Some(answer) = done.unwrap_or_else(panicked) else {
                    return Handled {
                        again: true,
                        ..Handled::now(CreateInteractionResponse::Acknowledge)
                    };
                };
                let rest: Vec<String> = answer.pages.iter().skip(1).cloned().collect();
                Handled {
                    initial: if answer.update {
                        CreateInteractionResponse::UpdateMessage(update_message(&answer))
                    } else {
                        CreateInteractionResponse::Message(answer_message(&answer))
                    },
                    later: (!rest.is_empty()).then(|| follow_ups(http, token, rest)),
                    again: false,
                }
            }
            None => Handled {
                initial: match respond {
                    Respond::Message => {
                        CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new().ephemeral(true))
                    }
                    // A deferred update: the message stays as it is until edited.
                    Respond::Update => CreateInteractionResponse::Acknowledge,
                },
                again: false,
                later: Some(Box::pin(async move {
                    let Some(answer) = task.await.unwrap_or_else(panicked) else {
                        return;
                    };
                    if respond == Respond::Update && !answer.update {
                        // A refusal leaves the message alone: it comes as a new one.
                        follow_ups(http, token, answer.pages).await;
                        return;
                    }
                    let edit = EditInteractionResponse::new()
                        .content(answer.first())
                        .embeds(answer.embeds.clone())
                        .components(answer.components.clone())
                        .allowed_mentions(no_pings());
                    if let Err(e) = http.edit_original_interaction_response(&token, &edit, Vec::new()).await {
                        tracing::error!(error = %e, "editing a deferred interaction response failed");
                        return;
                    }
                    follow_ups(http, token, answer.pages.into_iter().skip(1).collect()).await;
                })),
            },
        }
    }

    fn single_agreement(&self) -> Option<String> {
        match self.service.catalog().agreements.as_slice() {
            [a] => Some(a.id.clone()),
            _ => None,
        }
    }

    fn default_tz(&self) -> chrono_tz::Tz {
        self.service
            .catalog()
            .agreements
            .first()
            .map_or(chrono_tz::UTC, |a| a.tz)
    }

    /// The incident whose thread `channel` is, if any.
    async fn thread_incident(&self, channel: u64) -> Result<Option<IncidentId>, Refusal> {
        Ok(self.service.conversation_incident(&channel.to_string()).await?)
    }

    /// `/group sub …` as an invocation, with the implied incident and default agreement.
    async fn invocation(&self, i: &CommandInteraction) -> Result<Invocation, Refusal> {
        let (sub, opts) = subcommand(&i.data.options).ok_or_else(|| CommandError::MissingCommand {
            group: commands::shown(&i.data.name),
            commands: defs::all()
                .iter()
                .filter(|c| c.group == i.data.name)
                .map(|c| c.name)
                .collect::<Vec<_>>()
                .join("|"),
        })?;
        let mut inv = Invocation::new(i.data.name.clone(), sub.to_string());
        for o in opts {
            if let Some(v) = raw(&o.value) {
                inv.options.push((o.name.clone(), v));
            }
        }
        self.fill_implied(&mut inv, i.channel_id.get()).await?;
        Ok(inv)
    }

    /// Fills what the dispatcher implies: the incident of the thread the command was typed
    /// in, and the only agreement.
    async fn fill_implied(&self, inv: &mut Invocation, channel: u64) -> Result<(), Refusal> {
        let Some(def) = defs::find(&inv.group, &inv.name) else {
            return Ok(());
        };
        let given = |inv: &Invocation, n: &str| inv.options.iter().any(|(k, _)| k == n);
        if let Some(o) = def.options.iter().find(|o| o.kind == defs::OptionKind::IncidentId)
            && !given(inv, o.name)
        {
            match self.thread_incident(channel).await? {
                Some(id) => inv.options.push((o.name.into(), RawValue::Text(id.to_string()))),
                None => {
                    return Err(Refusal::User(
                        self.style()
                            .say(Msg::NeedsIncident, &[("command", &def.path()), ("option", &o.name)]),
                    ));
                }
            }
        }
        if let Some(o) = def
            .options
            .iter()
            .find(|o| o.kind == defs::OptionKind::Agreement && o.required)
            && !given(inv, o.name)
            && let Some(a) = self.single_agreement()
        {
            inv.options.push((o.name.into(), RawValue::Text(a)));
        }
        Ok(())
    }

    async fn command(&self, i: &CommandInteraction) -> Answer {
        match self.command_inner(i).await {
            Ok(a) => a,
            Err(r) => r.answer(&self.style()),
        }
    }

    async fn command_inner(&self, i: &CommandInteraction) -> Result<Answer, Refusal> {
        let actor = actor(i.member.as_deref())?;
        let inv = self.invocation(i).await?;
        self.execute(&actor, &inv).await
    }

    /// Parses and runs an invocation for `actor`, rendering the reply.
    async fn execute(&self, actor: &Actor, inv: &Invocation) -> Result<Answer, Refusal> {
        let catalog = self.service.catalog();
        let zone = |a: &crate::domain::ids::AgreementId| catalog.get(a).map(|a| a.tz);
        let cmd = commands::parse_zoned(inv, self.default_tz(), &zone)?;
        let reply = execute(&self.service, actor, cmd).await?;
        Ok(self.answer(&reply))
    }

    /// The answer to a reply: the incident card for open and show, the timeline in pages
    /// with Discord timestamps, text for the rest.
    fn answer(&self, reply: &Reply) -> Answer {
        match reply {
            Reply::Opened(v) | Reply::Shown(v) => Answer {
                pages: paged(&self.render(reply)),
                embeds: vec![render::card(
                    &v.summary,
                    &crate::render::cited_all(
                        v.incident.reasons(),
                        self.service.catalog().for_incident(&v.incident).map(|a| a.as_ref()),
                        self.languages.of(v.incident.agreement()),
                    ),
                    self.languages.of(v.incident.agreement()),
                )],
                ..Answer::default()
            },
            Reply::Listed {
                scope,
                incidents,
                page,
                more,
                agreement,
                case_type,
            } => {
                // One page is one message: its lines in an embed (room for 25), which page it
                // is above, the buttons to the pages beside below.
                let style = STYLE.for_locale(self.languages.of_all(&reply.agreements()));
                let lines =
                    crate::render::reply::listed_within(incidents, scope.as_str(), render::MAX_DESCRIPTION, &style);
                let query = custom_id::ListQuery {
                    scope: *scope,
                    page: *page,
                    agreement: agreement.as_ref().map(ToString::to_string),
                    case_type: case_type.clone(),
                };
                Answer {
                    pages: vec![crate::render::reply::list_page(*page, &style)],
                    embeds: vec![render::list_embed(&lines)],
                    components: render::list_buttons(&query, *more, style.locale),
                    update: false,
                }
            }
            Reply::Timeline { incident, entries } => {
                let a = self.service.catalog().for_incident(&incident.incident);
                let mut pages = vec![self.render(reply)];
                pages.extend(render::timeline(
                    entries,
                    a.map(|a| a.as_ref()),
                    self.languages.of(incident.incident.agreement()),
                ));
                // The heading joins the first page when it fits.
                if pages.len() > 1 && render::len(&pages[0]) + 1 + render::len(&pages[1]) <= render::MAX_CONTENT {
                    let first = pages.remove(0);
                    pages[0] = format!("{first}\n{}", pages[0]);
                }
                Answer {
                    pages,
                    ..Answer::default()
                }
            }
            other => Answer::text(self.render(other)),
        }
    }

    /// A reply as Discord text (markdown), user text defused.
    fn render(&self, reply: &Reply) -> String {
        let style = STYLE.for_locale(self.languages.of_all(&reply.agreements()));
        crate::render::reply::reply(reply, self.service.catalog(), &style)
    }

    // -----------------------------------------------------------------------------------
    // Autocomplete

    /// The choices for the focused option; with `use_store` false only those that need no
    /// database (agreements, and the impacts and priorities of an agreement named or the only
    /// one).
    async fn autocomplete(&self, i: &CommandInteraction, use_store: bool) -> CreateAutocompleteResponse {
        let mut out = CreateAutocompleteResponse::new();
        let Some((sub, opts)) = subcommand(&i.data.options) else {
            return out;
        };
        let Some(def) = defs::find(&i.data.name, sub) else {
            return out;
        };
        let Some((focused, typed)) = opts.iter().find_map(|o| match &o.value {
            CommandDataOptionValue::Autocomplete { value, .. } => Some((o.name.as_str(), value.to_lowercase())),
            _ => None,
        }) else {
            return out;
        };
        let Some(opt) = def.option(focused) else {
            return out;
        };
        let text_of = |name: &str| {
            opts.iter().find(|o| o.name == name).and_then(|o| match &o.value {
                CommandDataOptionValue::String(s) => Some(s.trim().to_string()),
                CommandDataOptionValue::Autocomplete { value, .. } => Some(value.trim().to_string()),
                _ => None,
            })
        };
        let matches = |hay: &str| typed.is_empty() || hay.to_lowercase().contains(&typed);
        let mut choices: Vec<(String, String)> = Vec::new();
        let catalog = self.service.catalog();
        // The agreement the other options name: given, the incident's, the thread's, the only one.
        let agreement = async {
            if let Some(a) = text_of("agreement").filter(|a| catalog.get(a).is_some()) {
                return Some(a);
            }
            if !use_store {
                return self.single_agreement();
            }
            let id = match text_of("id") {
                Some(id) => IncidentId::parse(&id),
                None => self.thread_incident(i.channel_id.get()).await.ok().flatten(),
            };
            if let Some(id) = id
                && let Ok(Some(inc)) = self.service.find_incident(id.as_str()).await
            {
                return Some(inc.agreement().to_string());
            }
            self.single_agreement()
        };
        match opt.kind {
            defs::OptionKind::Agreement => {
                for a in &catalog.agreements {
                    if matches(&a.id) || matches(&a.name) {
                        choices.push((format!("{} — {}", a.id, a.name), a.id.clone()));
                    }
                }
            }
            defs::OptionKind::Impact => {
                if let Some(a) = agreement.await.and_then(|a| catalog.get(&a).cloned()) {
                    for imp in &a.impacts {
                        if matches(&imp.id) || matches(&imp.name) || matches(&imp.description) {
                            choices.push((
                                format!("{} — {}: {}", imp.id, imp.name, imp.description),
                                imp.id.clone(),
                            ));
                        }
                    }
                }
            }
            defs::OptionKind::Priority => {
                if let Some(a) = agreement.await.and_then(|a| catalog.get(&a).cloned()) {
                    for p in &a.priorities {
                        if matches(&p.id) || matches(&p.name) {
                            choices.push((format!("{} — {}", p.id, p.name), p.id.clone()));
                        }
                    }
                }
            }
            defs::OptionKind::CaseType => {
                let named: Vec<Arc<crate::domain::agreement::Agreement>> =
                    match agreement.await.and_then(|a| catalog.get(&a).cloned()) {
                        Some(a) => vec![a],
                        None => catalog.agreements.clone(),
                    };
                for a in &named {
                    let types = std::iter::once((crate::domain::case_type::INCIDENT, a.name.as_str()))
                        .chain(a.case_types.iter().map(|t| (t.id.as_str(), t.name.as_str())));
                    for (id, name) in types {
                        if (matches(id) || matches(name)) && !choices.iter().any(|(_, v)| v == id) {
                            choices.push((format!("{id} — {name}"), id.to_string()));
                        }
                    }
                }
            }
            defs::OptionKind::CaseClass => {
                let a = agreement.await.and_then(|a| catalog.get(&a).cloned());
                let t = text_of("type").unwrap_or_default();
                if let Some(ct) = a.as_ref().and_then(|a| a.case_type(&t)) {
                    for c in &ct.classes {
                        if matches(&c.id) || matches(&c.name) {
                            choices.push((format!("{} — {}", c.id, c.name), c.id.clone()));
                        }
                    }
                }
            }
            defs::OptionKind::Service => {
                if let Some(a) = agreement.await.and_then(|a| catalog.get(&a).cloned()) {
                    for sv in &a.services {
                        if matches(&sv.id) || matches(&sv.name) {
                            choices.push((format!("{} — {}", sv.id, sv.name), sv.id.clone()));
                        }
                    }
                }
            }
            defs::OptionKind::IncidentId if use_store => {
                // Reopen and close take resolved incidents; a waiver any incident (owed
                // follow-ups outlive a close); the rest active ones. An id prefix or a piece
                // of the title, found by index, at most a screenful.
                let states = match def.kind {
                    defs::CommandKind::Reopen | defs::CommandKind::Close => vec![State::Resolved],
                    defs::CommandKind::Waive | defs::CommandKind::FollowUpDone => vec![],
                    _ => vec![State::Open, State::Acknowledged],
                };
                match self.service.search_incidents(&typed, &states, MAX_CHOICES as u32).await {
                    Ok(found) => {
                        for v in found {
                            let id = v.summary.id.to_string();
                            let name = format!("{id} [{}] {}", v.summary.priority, v.summary.title);
                            choices.push((name, id));
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "autocomplete: searching incidents failed"),
                }
            }
            _ => {}
        }
        for (name, value) in choices.into_iter().take(MAX_CHOICES) {
            out = out.add_string_choice(cut(&name, MAX_CHOICE_NAME), cut(&value, MAX_CHOICE_NAME));
        }
        out
    }

    // -----------------------------------------------------------------------------------
    // Buttons and modals

    async fn component(self: &Arc<Self>, i: ComponentInteraction) -> Handled {
        let immediate = |a: Answer| Handled::now(CreateInteractionResponse::Message(answer_message(&a)));
        if let Some((id, follow_up)) = custom_id::decode_done(&i.data.custom_id) {
            return self.follow_up_done(i, id, follow_up).await;
        }
        if let Some(q) = custom_id::decode_list(&i.data.custom_id) {
            return self.list_page(i, q).await;
        }
        let Some((action, id)) = custom_id::decode(&i.data.custom_id) else {
            return immediate(Refusal::User(self.style().word(Msg::UnknownButton).into()).answer(&self.style()));
        };
        match action {
            CardAction::Update | CardAction::Resolve => {
                // A form cannot follow a deferral: the incident is looked up within
                // STORE_WAIT, and a store that does not answer in time opens the form anyway
                // (its submit is checked like anything typed).
                match tokio::time::timeout(STORE_WAIT, self.stale(&id)).await {
                    Ok(Some(refused)) => return immediate(refused),
                    Ok(None) => {}
                    Err(_) => tracing::warn!(incident = %id, "a card's button: the store did not answer in time"),
                }
                Handled::now(CreateInteractionResponse::Modal(if action == CardAction::Update {
                    update_modal(&id, self.incident_locale(&id))
                } else {
                    resolve_modal(&id, self.incident_locale(&id))
                }))
            }
            CardAction::Acknowledge | CardAction::Escalate => {
                let me = self.clone();
                let token = i.token.clone();
                // Deferred like a command while the store is slow: nothing is read before.
                self.run(token, async move {
                    let act = async {
                        if let Some(refused) = me.stale(&id).await {
                            return refused;
                        }
                        let inv = if action == CardAction::Acknowledge {
                            Invocation::new("incident", "ack").with("id", RawValue::Text(id.to_string()))
                        } else {
                            Invocation::new("incident", "escalate")
                                .with("id", RawValue::Text(id.to_string()))
                                .with("reason", RawValue::Text(ESCALATE_BUTTON_REASON.into()))
                        };
                        match actor(i.member.as_ref()) {
                            Ok(actor) => me.execute(&actor, &inv).await.unwrap_or_else(|r| r.answer(&me.style())),
                            Err(r) => r.answer(&me.style()),
                        }
                    };
                    me.once(i.id, act).await
                })
                .await
            }
            CardAction::UpdateModal | CardAction::ResolveModal => {
                immediate(Refusal::User(self.style().word(Msg::NotAButton).into()).answer(&self.style()))
            }
        }
    }

    /// The Done button of a follow-up's announcement: `/incident follow-up-done` for the
    /// member who pressed it (the command's permissions and refusals), taken on once and
    /// deferred like a command while the store is slow.
    async fn follow_up_done(self: &Arc<Self>, i: ComponentInteraction, id: IncidentId, follow_up: String) -> Handled {
        let me = self.clone();
        let token = i.token.clone();
        self.run(token, async move {
            let act = async {
                let inv = Invocation::new("incident", "follow-up-done")
                    .with("id", RawValue::Text(id.to_string()))
                    .with("follow_up", RawValue::Text(follow_up));
                match actor(i.member.as_ref()) {
                    Ok(actor) => me.execute(&actor, &inv).await.unwrap_or_else(|r| r.answer(&me.style())),
                    Err(r) => r.answer(&me.style()),
                }
            };
            me.once(i.id, act).await
        })
        .await
    }

    /// A list's Previous or Next button: `/incident list` with the page's scope, filters and
    /// page, for the member who pressed it (the command's path: its parsing, permissions and
    /// refusals), taken on once. The page replaces the list in its message; a refusal is a
    /// new ephemeral message and the list stays.
    async fn list_page(self: &Arc<Self>, i: ComponentInteraction, q: custom_id::ListQuery) -> Handled {
        let me = self.clone();
        let token = i.token.clone();
        self.run_as(token, Respond::Update, async move {
            let act = async {
                let shown = async {
                    let actor = actor(i.member.as_ref())?;
                    let mut inv = Invocation::new("incident", "list")
                        .with("scope", RawValue::Text(q.scope.as_str().into()))
                        .with("page", RawValue::Number(f64::from(q.page)));
                    if let Some(a) = q.agreement {
                        inv = inv.with("agreement", RawValue::Text(a));
                    }
                    if let Some(t) = q.case_type {
                        inv = inv.with("type", RawValue::Text(t));
                    }
                    me.fill_implied(&mut inv, i.channel_id.get()).await?;
                    me.execute(&actor, &inv).await
                };
                match shown.await {
                    Ok(page) => Answer { update: true, ..page },
                    Err(r) => r.answer(&me.style()),
                }
            };
            me.once(i.id, act).await
        })
        .await
    }

    /// The refusal for a button of incident `id`, resolved from the database (so buttons work
    /// after a restart): unknown, or closed (a stale card); `None` when it can act.
    async fn stale(&self, id: &IncidentId) -> Option<Answer> {
        match self.service.find_incident(id.as_str()).await {
            Ok(Some(inc)) if inc.state() == State::Closed => Some(Answer::text(
                STYLE
                    .for_locale(self.incident_locale(id))
                    .say(Msg::ClosedCard, &[("id", id)]),
            )),
            Ok(Some(_)) => None,
            Ok(None) => Some(Refusal::Service(UserError::NotFound(id.to_string()).into()).answer(&self.style())),
            Err(e) => Some(Refusal::Service(e).answer(&self.style())),
        }
    }

    async fn modal(&self, i: &ModalInteraction) -> Answer {
        let go = async {
            let actor = actor(i.member.as_ref())?;
            let (action, id) = custom_id::decode(&i.data.custom_id)
                .ok_or_else(|| Refusal::User(self.style().word(Msg::UnknownForm).into()))?;
            let field = |name: &str| {
                i.data
                    .components
                    .iter()
                    .flat_map(|r| &r.components)
                    .find_map(|c| match c {
                        ActionRowComponent::InputText(t) if t.custom_id == name => t.value.clone(),
                        _ => None,
                    })
            };
            let mut inv = match action {
                CardAction::UpdateModal => Invocation::new("incident", "update"),
                CardAction::ResolveModal => Invocation::new("incident", "resolve"),
                _ => return Err(Refusal::User(self.style().word(Msg::UnknownForm).into())),
            }
            .with("id", RawValue::Text(id.to_string()));
            if let Some(note) = field(NOTE_INPUT).filter(|n| !n.trim().is_empty()) {
                inv = inv.with("note", RawValue::Text(note));
            }
            if action == CardAction::UpdateModal {
                // The structured fields go to the command's options of the same name, so
                // they are checked (an ETA parsed) like anything typed.
                for (input, _) in STATUS_INPUTS {
                    if let Some(v) = field(input).filter(|v| !v.trim().is_empty()) {
                        inv = inv.with(input, RawValue::Text(v));
                    }
                }
            }
            if action == CardAction::ResolveModal
                && let Some(w) = field(WORKAROUND_INPUT).filter(|w| !w.trim().is_empty())
            {
                // The form asks "(yes/no)": its answer, not the command grammar (whose
                // booleans are exactly true or false), so the form reads its own words.
                let answer = match w.trim().to_lowercase().as_str() {
                    "yes" | "true" => RawValue::Bool(true),
                    "no" | "false" => RawValue::Bool(false),
                    _ => RawValue::Text(w),
                };
                inv = inv.with("workaround", answer);
            }
            self.execute(&actor, &inv).await
        };
        go.await.unwrap_or_else(|r| r.answer(&self.style()))
    }
}

/// The timeline reason of an escalation by the card's button.
const ESCALATE_BUTTON_REASON: &str = "Escalated with the incident card's button";

/// The custom id of the modals' note (update) or summary (resolve) input.
pub const NOTE_INPUT: &str = "note";
/// The custom id of the resolve modal's workaround input.
pub const WORKAROUND_INPUT: &str = "workaround";

/// The update modal's structured inputs after the note, each with its label: their custom
/// ids are the `/incident update` options they fill (area, affected, cause, eta). With the
/// note that is five, the most a modal holds.
pub const STATUS_INPUTS: [(&str, Msg); 4] = [
    ("area", Msg::UpdateArea),
    ("affected", Msg::UpdateAffected),
    ("cause", Msg::UpdateCause),
    ("eta", Msg::UpdateEta),
];

/// Longest label of a modal's input.
const MAX_INPUT_LABEL: usize = 45;

/// The example an ETA input shows (a time as the command's `eta` takes it).
const ETA_EXAMPLE: &str = "2026-11-20T16:00";

/// The update form: a note and the structured fields, every one optional (an update with
/// nothing in it is refused by the command, like `/incident update` naming nothing).
fn update_modal(id: &IncidentId, locale: Locale) -> CreateModal {
    let style = STYLE.for_locale(locale);
    let note = CreateInputText::new(InputTextStyle::Paragraph, style.word(Msg::UpdateNote), NOTE_INPUT)
        .required(false)
        .max_length(u16::try_from(defs::LONG_TEXT_MAX_CHARS).unwrap_or(u16::MAX));
    let mut rows = vec![CreateActionRow::InputText(note)];
    for (input, label) in STATUS_INPUTS {
        let max = defs::find("incident", "update")
            .and_then(|d| d.option(input))
            .and_then(|o| match o.kind {
                defs::OptionKind::Text { max_chars, .. } => u16::try_from(max_chars).ok(),
                _ => None,
            })
            .unwrap_or(100);
        let mut t = CreateInputText::new(InputTextStyle::Short, cut(style.word(label), MAX_INPUT_LABEL), input)
            .required(false)
            .max_length(max);
        if input == "eta" {
            t = t.placeholder(ETA_EXAMPLE);
        }
        rows.push(CreateActionRow::InputText(t));
    }
    CreateModal::new(
        custom_id::encode(CardAction::UpdateModal, id),
        cut(&style.say(Msg::UpdateTitle, &[("id", id)]), MAX_MODAL_TITLE),
    )
    .components(rows)
}

fn resolve_modal(id: &IncidentId, locale: Locale) -> CreateModal {
    let style = STYLE.for_locale(locale);
    let summary = CreateInputText::new(InputTextStyle::Paragraph, style.word(Msg::ResolveSummary), NOTE_INPUT)
        .required(true)
        .max_length(u16::try_from(defs::LONG_TEXT_MAX_CHARS).unwrap_or(u16::MAX));
    let workaround = CreateInputText::new(
        InputTextStyle::Short,
        style.word(Msg::ResolveWorkaround),
        WORKAROUND_INPUT,
    )
    .required(false)
    .max_length(5)
    .placeholder("no");
    CreateModal::new(
        custom_id::encode(CardAction::ResolveModal, id),
        cut(&style.say(Msg::ResolveTitle, &[("id", id)]), MAX_MODAL_TITLE),
    )
    .components(vec![
        CreateActionRow::InputText(summary),
        CreateActionRow::InputText(workaround),
    ])
}

/// Sends pages after the first as ephemeral follow-ups, in order.
fn follow_ups(http: Arc<Http>, token: String, pages: Vec<String>) -> BoxFuture<'static, ()> {
    Box::pin(async move {
        for p in pages {
            let f = CreateInteractionResponseFollowup::new()
                .content(p)
                .ephemeral(true)
                .allowed_mentions(no_pings());
            if let Err(e) = http.create_followup_message(&token, &f, Vec::new()).await {
                tracing::error!(error = %e, "sending a follow-up page failed");
                return;
            }
        }
    })
}

/// What an interaction is counted under: its command's name for slash commands, else its
/// kind (`button`, `autocomplete`, `modal`, `ping`, `other`).
fn metric_label(interaction: &Interaction) -> String {
    match interaction {
        Interaction::Command(i) => i.data.name.clone(),
        Interaction::Autocomplete(_) => "autocomplete".into(),
        Interaction::Component(_) => "button".into(),
        Interaction::Modal(_) => "modal".into(),
        Interaction::Ping(_) => "ping".into(),
        _ => "other".into(),
    }
}

/// The subcommand of a group's command and its options.
fn subcommand(options: &[CommandDataOption]) -> Option<(&str, &[CommandDataOption])> {
    options.iter().find_map(|o| match &o.value {
        CommandDataOptionValue::SubCommand(opts) => Some((o.name.as_str(), opts.as_slice())),
        _ => None,
    })
}

/// An option's value as the command layer takes it; `None` for kinds vakt never registers.
fn raw(v: &CommandDataOptionValue) -> Option<RawValue> {
    Some(match v {
        CommandDataOptionValue::String(s) => RawValue::Text(s.clone()),
        CommandDataOptionValue::Autocomplete { value, .. } => RawValue::Text(value.clone()),
        CommandDataOptionValue::Boolean(b) => RawValue::Bool(*b),
        CommandDataOptionValue::User(id) => RawValue::Text(id.to_string()),
        CommandDataOptionValue::Number(n) => RawValue::Number(*n),
        #[allow(clippy::cast_precision_loss)]
        CommandDataOptionValue::Integer(n) => RawValue::Number(*n as f64),
        _ => return None,
    })
}

/// The actor for a guild member: user id, display name, role ids.
fn actor(member: Option<&Member>) -> Result<Actor, Refusal> {
    let m = member.ok_or_else(|| Refusal::User(STYLE.word(Msg::DirectMessage).into()))?;
    let name = m
        .nick
        .clone()
        .or_else(|| m.user.global_name.clone())
        .unwrap_or_else(|| m.user.name.clone());
    Ok(Actor {
        id: m.user.id.get().to_string().into(),
        name,
        roles: m.roles.iter().map(|r| r.get().to_string()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_paged_within_discords_limit() {
        let line = "x".repeat(150);
        let text = vec![line.clone(); 40].join("\n");
        let pages = paged(&text);
        assert!(pages.len() > 1);
        assert!(pages.iter().all(|p| p.chars().count() <= MAX_CONTENT));
        assert_eq!(pages.join("\n"), text);
        let huge = "y".repeat(4500);
        let pages = paged(&huge);
        assert_eq!(pages.len(), 3);
        assert_eq!(pages.concat(), huge);
        assert_eq!(paged(""), vec![String::new()]);
    }
}
