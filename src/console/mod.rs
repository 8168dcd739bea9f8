//! The terminal console: a chat in the terminal with the same commands Discord will have
//! (`/incident open agreement:ssbtek impact:1 title:"SHS down"`, `/incident ack SSB-2026-0001`,
//! …). It prints what the bot posts, channel by channel, with mentions shown as the mapped
//! roles, and runs on a fake clock the user moves (`/clock advance 2h`,
//! `/clock set 2026-11-20T08:00+01:00`) or on real time sped up (`--speed 60`).
//!
//! The handlers are thin: they parse arguments into domain types, call the service, and
//! render the reply. Moving the fake clock steps through every due job in time order, so
//! warnings, escalations and status updates appear at their own times.

pub mod clock;

use crate::cli::parse_instant;
use crate::config::Config;
use crate::domain::agreement::Agreement;
use crate::domain::classify::Facts;
use crate::domain::clock::BusinessDuration;
use crate::domain::incident::{Event, Resolution, TimelineEntry};
use crate::render;
use crate::scheduler::Scheduler;
use crate::service::ports::{Chat, ChatError, Clock, Mention, OutMessage, Store};
use crate::service::{Actor, IncidentView, ListScope, Service, ServiceError};
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use clock::{FakeClock, SpedUpClock};
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::sync::{Arc, Mutex};

/// Where console output goes (stdout, or a buffer in tests).
pub type Sink = Arc<Mutex<Box<dyn Write + Send>>>;

fn emit(out: &Sink, text: &str) {
    if let Ok(mut w) = out.lock() {
        let _ = writeln!(w, "{text}");
        let _ = w.flush();
    }
}

/// The console's chat: prints each post under its channel, drops resends by nonce.
pub struct ConsoleChat {
    out: Sink,
    config: Arc<Config>,
    zones: BTreeMap<String, Tz>,
    clock: Arc<dyn Clock>,
    seen: Mutex<HashSet<String>>,
}

impl ConsoleChat {
    /// A chat printing to `out`.
    pub fn new(out: Sink, config: Arc<Config>, zones: BTreeMap<String, Tz>, clock: Arc<dyn Clock>) -> Self {
        ConsoleChat {
            out,
            config,
            zones,
            clock,
            seen: Mutex::new(HashSet::new()),
        }
    }
}

/// How a mention is shown in the terminal.
pub fn render_mention(m: &Mention) -> String {
    match m {
        Mention::Role(r) => format!("@{r}"),
        Mention::User(u) => format!("@{u}"),
    }
}

#[async_trait]
impl Chat for ConsoleChat {
    async fn post(&self, m: &OutMessage) -> Result<(), ChatError> {
        if let Some(n) = &m.nonce {
            let mut seen = self
                .seen
                .lock()
                .map_err(|_| ChatError("console chat poisoned".into()))?;
            if !seen.insert(n.clone()) {
                return Ok(());
            }
        }
        let tz = self.zones.get(&m.channel.agreement).copied().unwrap_or(chrono_tz::UTC);
        let name = self.config.agreements.get(&m.channel.agreement).map_or_else(
            || format!("{}-{}", m.channel.agreement, m.channel.kind),
            |c| match m.channel.kind {
                crate::service::ports::ChannelKind::Incidents => c.channels.incidents.clone(),
                crate::service::ports::ChannelKind::Status => c.channels.status.clone(),
                crate::service::ports::ChannelKind::Summary => c.channels.summary.clone(),
            },
        );
        let when = self.clock.now().with_timezone(&tz).format("%a %Y-%m-%d %H:%M %Z");
        let mut text = format!("[{when}] #{name}  {}", m.text.replace('\n', "\n    "));
        if !m.mentions.is_empty() {
            let who: Vec<String> = m.mentions.iter().map(render_mention).collect();
            text += &format!("\n    → {}", who.join(" "));
        }
        emit(&self.out, &text);
        Ok(())
    }
}

/// Which clock the console runs on.
#[derive(Clone)]
pub enum ConsoleClock {
    /// Moves only on `/clock` commands.
    Fake(Arc<FakeClock>),
    /// Real time sped up; a background runner fires jobs.
    Sped(Arc<SpedUpClock>),
}

impl ConsoleClock {
    /// As the service's port.
    pub fn port(&self) -> Arc<dyn Clock> {
        match self {
            ConsoleClock::Fake(c) => c.clone(),
            ConsoleClock::Sped(c) => c.clone(),
        }
    }
}

/// What the console should do after a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Keep reading.
    Continue,
    /// Stop.
    Quit,
}

/// The console session.
pub struct Console {
    service: Arc<Service>,
    scheduler: Arc<Scheduler>,
    store: Arc<dyn Store>,
    clock: ConsoleClock,
    actor: Actor,
    out: Sink,
    tz: Tz,
}

/// A parsed command line: the words and the `key:value` options.
#[derive(Debug, Default, PartialEq)]
struct Args {
    words: Vec<String>,
    opts: BTreeMap<String, String>,
}

fn tokenize(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for ch in line.chars() {
        match ch {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if quoted {
        return Err("unclosed quote".into());
    }
    if any {
        out.push(cur);
    }
    Ok(out)
}

fn parse_args(tokens: &[String]) -> Result<Args, String> {
    let mut a = Args::default();
    for t in tokens {
        match t.split_once(':') {
            Some((k, v)) if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') => {
                if a.opts.insert(k.to_string(), v.to_string()).is_some() {
                    return Err(format!("option {k} given twice"));
                }
            }
            _ => a.words.push(t.clone()),
        }
    }
    Ok(a)
}

impl Args {
    fn take(&mut self, k: &str) -> Option<String> {
        self.opts.remove(k)
    }
    fn need(&mut self, k: &str, usage: &str) -> Result<String, String> {
        self.take(k)
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| format!("missing {k}: — usage: {usage}"))
    }
    fn bool(&mut self, k: &str) -> Result<bool, String> {
        match self.take(k).as_deref() {
            None => Ok(false),
            Some("true" | "yes" | "1") => Ok(true),
            Some("false" | "no" | "0") => Ok(false),
            Some(v) => Err(format!("{k}: expected true or false, not \"{v}\"")),
        }
    }
    fn id(&mut self, usage: &str) -> Result<String, String> {
        if self.words.is_empty() {
            return self.need("id", usage);
        }
        Ok(self.words.remove(0))
    }
    fn done(&self) -> Result<(), String> {
        if let Some(k) = self.opts.keys().next() {
            return Err(format!("unknown option {k}:"));
        }
        if let Some(w) = self.words.first() {
            return Err(format!("unexpected \"{w}\""));
        }
        Ok(())
    }
    fn facts(&mut self, usage: &str) -> Result<Facts, String> {
        let impact = self.need("impact", usage)?;
        let users_affected = match self.take("users") {
            None => None,
            Some(v) => Some(
                v.trim_end_matches('%')
                    .parse::<f64>()
                    .map_err(|_| format!("users: \"{v}\" is not a percentage"))?,
            ),
        };
        Ok(Facts {
            impact,
            users_affected,
            security: self.bool("security")?,
            workaround: self.bool("workaround")?,
        })
    }
}

const HELP: &str = "\
commands (options are key:value, quote values with spaces):
  /incident open agreement:ID impact:X title:\"…\" [description:\"…\"] [users:PCT] [security:true] [workaround:true]
  /incident preview agreement:ID impact:X [users:PCT] [security:true] [workaround:true] [at:TIME]
  /incident ack ID            /incident update ID note:\"…\"
  /incident resolve ID [workaround:true] [note:\"…\"]
  /incident reopen ID reason:\"…\"        /incident close ID            (close: managers)
  /incident reclassify ID impact:X [users:PCT] [security:true] [workaround:true]
  /incident override ID priority:P reason:\"…\"                       (managers)
  /incident escalate ID reason:\"…\"
  /incident show ID   /incident timeline ID   /incident list [agreement:ID] [scope:active|breaching|all]
  /clock now   /clock advance 2h|90m|3d   /clock set 2026-11-20T08:00+01:00
  /as USER [roles:responder,manager]      who you are in the chat
  /agreements                             the loaded agreements
  /help   /quit";

impl Console {
    /// A console over a wired service.
    pub fn new(
        service: Arc<Service>,
        scheduler: Arc<Scheduler>,
        store: Arc<dyn Store>,
        clock: ConsoleClock,
        out: Sink,
    ) -> Self {
        let tz = service.catalog().agreements.first().map_or(chrono_tz::UTC, |a| a.tz);
        let roles = {
            let c = service.config();
            let mut r: Vec<String> = c
                .agreements
                .values()
                .flat_map(|a| a.responders.iter().chain(&a.managers).cloned())
                .collect();
            r.sort();
            r.dedup();
            r
        };
        Console {
            service,
            scheduler,
            store,
            clock,
            actor: Actor {
                id: "you".into(),
                roles,
            },
            out,
            tz,
        }
    }

    fn say(&self, text: &str) {
        emit(&self.out, text);
    }

    /// The prompt, with the console's clock.
    pub fn prompt(&self) -> String {
        format!(
            "[{}] {}> ",
            self.service
                .now()
                .with_timezone(&self.tz)
                .format("%a %Y-%m-%d %H:%M %Z"),
            self.actor.id
        )
    }

    fn fmt_time(&self, t: DateTime<Utc>, tz: Tz) -> String {
        t.with_timezone(&tz).format("%a %Y-%m-%d %H:%M %Z").to_string()
    }

    /// Fires everything due now.
    pub async fn fire_due(&self) {
        if let Err(e) = self.scheduler.tick(self.service.now()).await {
            self.say(&format!("  ✗ scheduler: {e}"));
        }
    }

    /// Handles one input line.
    pub async fn execute(&mut self, line: &str) -> Flow {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return Flow::Continue;
        }
        let result = self.dispatch(line).await;
        match result {
            Ok(flow) => {
                if flow == Flow::Continue {
                    self.fire_due().await;
                }
                flow
            }
            Err(e) => {
                self.say(&format!("  ✗ {e}"));
                Flow::Continue
            }
        }
    }

    async fn dispatch(&mut self, line: &str) -> Result<Flow, String> {
        let tokens = tokenize(line)?;
        let Some((head, rest)) = tokens.split_first() else {
            return Ok(Flow::Continue);
        };
        match head.as_str() {
            "/quit" | "/exit" => return Ok(Flow::Quit),
            "/help" => self.say(HELP),
            "/agreements" => {
                for a in &self.service.catalog().agreements {
                    let imp: Vec<&str> = a.impacts.iter().map(|i| i.id.as_str()).collect();
                    self.say(&format!("  {} — {} (impacts: {})", a.id, a.name, imp.join(", ")));
                }
            }
            "/as" => {
                let mut args = parse_args(rest)?;
                let who = args.id("/as USER [roles:a,b]")?;
                if let Some(r) = args.take("roles") {
                    self.actor.roles = r
                        .split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect();
                }
                args.done()?;
                self.actor.id = who;
                self.say(&format!(
                    "  ↳ you are now {} (roles: {})",
                    self.actor.id,
                    self.actor.roles.join(", ")
                ));
            }
            "/clock" => self.clock_cmd(rest).await?,
            "/incident" => self.incident_cmd(rest).await?,
            other => return Err(format!("unknown command \"{other}\" — /help lists them")),
        }
        Ok(Flow::Continue)
    }

    async fn clock_cmd(&mut self, rest: &[String]) -> Result<(), String> {
        let sub = rest.first().map(String::as_str).unwrap_or("now");
        match sub {
            "now" => self.say(&format!("  ↳ {}", self.fmt_time(self.service.now(), self.tz))),
            "advance" => {
                let d = rest.get(1).ok_or("usage: /clock advance 2h")?;
                let d = match BusinessDuration::parse(d) {
                    Ok(BusinessDuration::Seconds(s)) if s > 0 => Duration::seconds(s),
                    Ok(BusinessDuration::CalendarDays(n)) if n > 0 => Duration::days(i64::from(n)),
                    _ => return Err(format!("\"{d}\" is not a duration like 45s, 90m, 2h or 3d")),
                };
                let target = self.service.now() + d;
                self.move_to(target).await;
            }
            "set" => {
                let t = rest.get(1).ok_or("usage: /clock set 2026-11-20T08:00+01:00")?;
                let t = parse_instant(t, self.tz)?;
                if t < self.service.now() {
                    return Err("the clock only moves forward (jobs already run cannot be undone)".into());
                }
                self.move_to(t).await;
            }
            other => return Err(format!("unknown clock command \"{other}\" (now, advance, set)")),
        }
        Ok(())
    }

    /// Moves the clock to `target`, firing due jobs at their own times on the way.
    async fn move_to(&mut self, target: DateTime<Utc>) {
        match &self.clock {
            ConsoleClock::Sped(c) => {
                c.set(target);
            }
            ConsoleClock::Fake(c) => {
                for _ in 0..100_000 {
                    match self.store.next_due().await {
                        Ok(Some(t)) if t <= target => {
                            let now = self.service.now();
                            c.set(t.max(now));
                            self.fire_due().await;
                        }
                        Ok(_) => break,
                        Err(e) => {
                            self.say(&format!("  ✗ scheduler: {e}"));
                            break;
                        }
                    }
                }
                c.set(target);
            }
        }
        self.say(&format!("  ↳ clock: {}", self.fmt_time(target, self.tz)));
    }

    fn render_view(&self, v: &IncidentView) -> String {
        let i = &v.incident;
        let a = self.service.catalog().get(&i.agreement);
        let tz = a.map_or(self.tz, |a| a.tz);
        let pname = a
            .and_then(|a| a.priority(i.priority()))
            .map_or(String::new(), |p| p.name.clone());
        let mut s = format!("{} [{} {}] {} — {}", i.id, i.priority(), pname, i.title, i.state);
        s += &format!(
            "\n    reported {} by {}; lead: {}",
            self.fmt_time(i.reported_at, tz),
            i.reporter,
            i.lead.as_deref().unwrap_or("none")
        );
        for (label, due, left) in [
            ("response", i.response_due, v.response_left),
            ("resolution", i.resolution_due, v.resolution_left),
        ] {
            match (due, left) {
                (Some(d), Some(l)) => {
                    let rel = if l < 0 {
                        format!("overdue by {}", hm(-l))
                    } else {
                        format!("{} business time left", hm(l))
                    };
                    s += &format!("\n    {label} due {} ({rel})", self.fmt_time(d, tz));
                }
                (Some(d), None) => s += &format!("\n    {label} due {} (met)", self.fmt_time(d, tz)),
                (None, _) => s += &format!("\n    {label}: no target"),
            }
        }
        if let Some(o) = &i.priority_override {
            s += &format!("\n    priority set by {}: {}", o.by, o.reason);
        }
        for r in &i.reasons {
            s += &format!("\n    why: {}", render::cited(r, a.map(Arc::as_ref)));
        }
        if let Some(n) = &i.last_note {
            s += &format!("\n    latest note: {n}");
        }
        s
    }

    fn render_entry(&self, e: &TimelineEntry, tz: Tz, a: Option<&Agreement>) -> String {
        let what = match &e.event {
            Event::Opened { title } => format!("opened \"{title}\""),
            Event::Classified {
                priority,
                timing,
                reasons,
            } => format!(
                "classified {priority}{}: {}",
                timing.as_ref().map_or(String::new(), |t| format!(" (timing {t})")),
                reasons
                    .iter()
                    .map(|r| render::cited(r, a))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            Event::Deadlines {
                response_due,
                resolution_due,
                recomputed,
            } => format!(
                "deadlines {}: response {}, resolution {}",
                if *recomputed {
                    "recomputed from the original clock start"
                } else {
                    "set"
                },
                response_due.map_or("none".into(), |d| self.fmt_time(d, tz)),
                resolution_due.map_or("none".into(), |d| self.fmt_time(d, tz))
            ),
            Event::Acknowledged => "acknowledged".into(),
            Event::StatusUpdate { note } => format!("update: {note}"),
            Event::StatusPosted { seq, reminded_lead } => {
                format!(
                    "status update {seq} posted{}",
                    if *reminded_lead { ", lead reminded" } else { "" }
                )
            }
            Event::FactsChanged { facts } => format!("facts changed: impact {}", facts.impact),
            Event::PriorityChanged {
                from,
                to,
                reason,
                manual,
            } => {
                format!(
                    "priority {from} → {to}{}: {}",
                    if *manual { " (override)" } else { "" },
                    render::change_reason(reason, a)
                )
            }
            Event::Escalated {
                milestone,
                level,
                role,
                manual,
                reason,
            } => format!(
                "escalated to level {level} ({role}){}{}",
                milestone.map_or(String::new(), |m| format!(" after the {} breach", m.as_str())),
                if *manual {
                    format!(" by hand: {}", reason.clone().unwrap_or_default())
                } else {
                    String::new()
                }
            ),
            Event::WarningSent { milestone, percent } => {
                format!("warning: {percent} % of the {} time used", milestone.as_str())
            }
            Event::FollowUpDue { id, what } => format!("follow-up {id} due: {what}"),
            Event::Resolved { how, note } => format!(
                "resolved ({}){}",
                match how {
                    Resolution::Fix => "fix",
                    Resolution::Workaround => "workaround",
                },
                note.as_ref().map_or(String::new(), |n| format!(": {n}"))
            ),
            Event::Reopened { reason } => format!("reopened: {reason}"),
            Event::Closed => "closed".into(),
        };
        format!(
            "    {}  {:<8} {what}",
            e.at.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
            e.actor
        )
    }

    async fn incident_cmd(&mut self, rest: &[String]) -> Result<(), String> {
        let Some((sub, rest)) = rest.split_first() else {
            return Err("usage: /incident open|ack|update|… (see /help)".into());
        };
        let mut a = parse_args(rest)?;
        let err = |e: ServiceError| e.to_string();
        match sub.as_str() {
            "open" => {
                const U: &str = "/incident open agreement:ID impact:X title:\"…\"";
                let agreement = a.need("agreement", U)?;
                let title = a.need("title", U)?;
                let description = a.take("description").unwrap_or_default();
                let facts = a.facts(U)?;
                a.done()?;
                let inc = self
                    .service
                    .open(&self.actor, &agreement, &title, &description, facts)
                    .await
                    .map_err(err)?;
                let v = self.service.show(&inc.id).await.map_err(err)?;
                self.say(&format!("  ↳ opened {}", self.render_view(&v)));
            }
            "preview" => {
                const U: &str = "/incident preview agreement:ID impact:X [at:TIME]";
                let agreement = a.need("agreement", U)?;
                let ag = self.service.catalog().get(&agreement).map(Arc::as_ref);
                let tz = ag.map_or(self.tz, |x| x.tz);
                let at = match a.take("at") {
                    Some(t) => parse_instant(&t, tz)?,
                    None => self.service.now(),
                };
                let facts = a.facts(U)?;
                a.done()?;
                let (c, d) = self.service.preview(&agreement, &facts, at).map_err(err)?;
                let mut s = format!("  ↳ would be priority {}", c.priority);
                s += &format!("\n    clock start {}", self.fmt_time(d.clock_start, tz));
                s += &format!(
                    "\n    response due {}",
                    d.response.map_or("— (no target)".into(), |x| self.fmt_time(x.at, tz))
                );
                s += &format!(
                    "\n    resolution due {}",
                    d.resolution.map_or("— (no target)".into(), |x| self.fmt_time(x.at, tz))
                );
                for r in &c.reasons {
                    s += &format!("\n    why: {}", render::cited(r, ag));
                }
                self.say(&s);
            }
            "ack" | "acknowledge" => {
                let id = a.id("/incident ack ID")?;
                a.done()?;
                let inc = self.service.acknowledge(&self.actor, &id).await.map_err(err)?;
                self.say(&format!(
                    "  ↳ {} acknowledged; lead: {}",
                    inc.id,
                    inc.lead.unwrap_or_default()
                ));
            }
            "update" => {
                const U: &str = "/incident update ID note:\"…\"";
                let id = a.id(U)?;
                let note = a.need("note", U)?;
                a.done()?;
                let inc = self.service.add_update(&self.actor, &id, &note).await.map_err(err)?;
                self.say(&format!("  ↳ note added to {}", inc.id));
            }
            "resolve" => {
                let id = a.id("/incident resolve ID [workaround:true] [note:\"…\"]")?;
                let how = if a.bool("workaround")? {
                    Resolution::Workaround
                } else {
                    Resolution::Fix
                };
                let note = a.take("note");
                a.done()?;
                let inc = self.service.resolve(&self.actor, &id, how, note).await.map_err(err)?;
                self.say(&format!("  ↳ {} resolved", inc.id));
            }
            "reopen" => {
                const U: &str = "/incident reopen ID reason:\"…\"";
                let id = a.id(U)?;
                let reason = a.need("reason", U)?;
                a.done()?;
                let inc = self.service.reopen(&self.actor, &id, &reason).await.map_err(err)?;
                self.say(&format!("  ↳ {} reopened ({})", inc.id, inc.state));
            }
            "close" => {
                let id = a.id("/incident close ID")?;
                a.done()?;
                let inc = self.service.close(&self.actor, &id).await.map_err(err)?;
                self.say(&format!("  ↳ {} closed", inc.id));
            }
            "reclassify" => {
                const U: &str = "/incident reclassify ID impact:X [users:PCT] [security:true] [workaround:true]";
                let id = a.id(U)?;
                let facts = a.facts(U)?;
                a.done()?;
                let inc = self.service.reclassify(&self.actor, &id, facts).await.map_err(err)?;
                let v = self.service.show(&inc.id).await.map_err(err)?;
                self.say(&format!("  ↳ reclassified {}", self.render_view(&v)));
            }
            "override" => {
                const U: &str = "/incident override ID priority:P reason:\"…\"";
                let id = a.id(U)?;
                let p = a.need("priority", U)?;
                let reason = a.need("reason", U)?;
                a.done()?;
                let inc = self
                    .service
                    .override_priority(&self.actor, &id, &p, &reason)
                    .await
                    .map_err(err)?;
                let v = self.service.show(&inc.id).await.map_err(err)?;
                self.say(&format!("  ↳ priority set: {}", self.render_view(&v)));
            }
            "escalate" => {
                const U: &str = "/incident escalate ID reason:\"…\"";
                let id = a.id(U)?;
                let reason = a.need("reason", U)?;
                a.done()?;
                let inc = self.service.escalate(&self.actor, &id, &reason).await.map_err(err)?;
                self.say(&format!("  ↳ {} escalated to level {}", inc.id, inc.escalation_level()));
            }
            "show" => {
                let id = a.id("/incident show ID")?;
                a.done()?;
                let v = self.service.show(&id).await.map_err(err)?;
                self.say(&format!("  ↳ {}", self.render_view(&v)));
            }
            "timeline" => {
                let id = a.id("/incident timeline ID")?;
                a.done()?;
                let entries = self.service.timeline(&id).await.map_err(err)?;
                let v = self.service.show(&id).await.map_err(err)?;
                let ag = self.service.catalog().get(&v.incident.agreement).map(Arc::as_ref);
                let tz = ag.map_or(self.tz, |x| x.tz);
                let mut s = format!("  ↳ timeline of {id}:");
                for e in &entries {
                    s += "\n";
                    s += &self.render_entry(e, tz, ag);
                }
                self.say(&s);
            }
            "list" => {
                let agreement = a.take("agreement");
                let scope = match a.take("scope").as_deref() {
                    None | Some("active") => ListScope::Active,
                    Some("breaching") => ListScope::Breaching,
                    Some("all") => ListScope::All,
                    Some(o) => return Err(format!("scope: \"{o}\" is not active, breaching or all")),
                };
                a.done()?;
                let list = self.service.list(agreement.as_deref(), scope).await.map_err(err)?;
                if list.is_empty() {
                    self.say("  ↳ no incidents");
                }
                for v in &list {
                    let i = &v.incident;
                    let flag = if v.breaching() { " ⛔ breaching" } else { "" };
                    self.say(&format!(
                        "  ↳ {} [{}] {} — {}{flag}",
                        i.id,
                        i.priority(),
                        i.title,
                        i.state
                    ));
                }
            }
            other => return Err(format!("unknown incident command \"{other}\" — /help lists them")),
        }
        Ok(())
    }
}

fn hm(secs: i64) -> String {
    if secs >= 3600 {
        format!("{}h {:02}m", secs / 3600, (secs % 3600) / 60)
    } else {
        format!("{}m", secs / 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizes_quotes_and_options() {
        let t = tokenize(r#"/incident open agreement:ssbtek impact:1 title:"SHS down now""#).expect("tokens");
        assert_eq!(
            t,
            vec![
                "/incident",
                "open",
                "agreement:ssbtek",
                "impact:1",
                "title:SHS down now"
            ]
        );
        let mut a = parse_args(&t[2..]).expect("args");
        assert_eq!(a.take("title").as_deref(), Some("SHS down now"));
        assert!(tokenize("title:\"open").is_err());
        assert!(parse_args(&["a:1".into(), "a:2".into()]).is_err());
    }
}

/// Options of `vakt console`.
#[derive(Debug, Clone)]
pub struct ConsoleOptions {
    /// Path of `vakt.toml` (may be missing: defaults apply).
    pub config: std::path::PathBuf,
    /// Run on real time sped up by this factor instead of a fake clock.
    pub speed: Option<f64>,
    /// Start the clock here (default: now).
    pub start: Option<String>,
    /// Read commands from stdin without line editing and echo them (for scripts).
    pub script: bool,
}

/// Runs the console until `/quit` or end of input.
pub async fn run(opts: ConsoleOptions, env: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    let mut config = Config::load(&opts.config, env)?;
    let catalog = crate::app::load_catalog(&mut config, &opts.config)?;
    let out: Sink = Arc::new(Mutex::new(Box::new(std::io::stdout())));
    if config.discord_token.is_some() {
        emit(
            &out,
            "vakt: DISCORD_TOKEN is set, but this build has no Discord adapter yet; starting the terminal console.",
        );
    } else if !opts.script {
        emit(
            &out,
            "vakt: no DISCORD_TOKEN set, so vakt runs as a chat in this terminal. /help lists the commands.",
        );
    }
    let tz = catalog.agreements.first().map_or(chrono_tz::UTC, |a| a.tz);
    let start = match &opts.start {
        Some(s) => parse_instant(s, tz).map_err(|e| anyhow::anyhow!("--start: {e}"))?,
        None => Utc::now(),
    };
    let clock = match opts.speed {
        Some(speed) if speed > 0.0 => ConsoleClock::Sped(Arc::new(SpedUpClock::new(start, speed))),
        Some(_) => anyhow::bail!("--speed must be a positive factor, e.g. 60"),
        None => ConsoleClock::Fake(Arc::new(FakeClock::new(start))),
    };
    let config = Arc::new(config);
    let chat = Arc::new(ConsoleChat::new(
        out.clone(),
        config.clone(),
        crate::app::zones(&catalog),
        clock.port(),
    ));
    let app = crate::app::build(config.clone(), catalog, clock.port(), chat, "console").await?;
    if !opts.script {
        emit(
            &out,
            &format!(
                "vakt: database {} — clock {}",
                config.database_url,
                match clock {
                    ConsoleClock::Fake(_) => "moves only with /clock".to_string(),
                    ConsoleClock::Sped(_) => format!("runs {}× real time", opts.speed.unwrap_or(1.0)),
                }
            ),
        );
    }
    app.service.schedule_recurring().await?;
    let mut console = Console::new(
        app.service.clone(),
        app.scheduler.clone(),
        app.store.clone(),
        clock.clone(),
        out.clone(),
    );
    // Jobs that fell due while vakt was down run now, once, marked late.
    console.fire_due().await;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let background = if let ConsoleClock::Sped(_) = clock {
        let s = app.scheduler.clone();
        Some(tokio::spawn(async move {
            s.run(stop_rx, std::time::Duration::from_millis(250)).await
        }))
    } else {
        None
    };
    if opts.script || !std::io::stdin().is_terminal() {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<String>(16);
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::stdin().lock().lines() {
                let Ok(line) = line else { break };
                if tx.blocking_send(line).is_err() {
                    break;
                }
            }
        });
        while let Some(line) = rx.recv().await {
            if !line.trim().is_empty() {
                emit(&out, &format!("{}{line}", console.prompt()));
            }
            if console.execute(&line).await == Flow::Quit {
                break;
            }
        }
    } else {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Option<String>>(1);
        let (prompt_tx, prompt_rx) = std::sync::mpsc::channel::<String>();
        std::thread::spawn(move || {
            let Ok(mut ed) = rustyline::DefaultEditor::new() else {
                let _ = tx.blocking_send(None);
                return;
            };
            let history = std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".vakt_history"));
            if let Some(h) = &history {
                let _ = ed.load_history(h);
            }
            while let Ok(prompt) = prompt_rx.recv() {
                match ed.readline(&prompt) {
                    Ok(line) => {
                        let _ = ed.add_history_entry(line.as_str());
                        if tx.blocking_send(Some(line)).is_err() {
                            break;
                        }
                    }
                    Err(_) => {
                        let _ = tx.blocking_send(None);
                        break;
                    }
                }
            }
            if let Some(h) = &history {
                let _ = ed.save_history(h);
            }
        });
        loop {
            if prompt_tx.send(console.prompt()).is_err() {
                break;
            }
            match rx.recv().await {
                Some(Some(line)) => {
                    if console.execute(&line).await == Flow::Quit {
                        break;
                    }
                }
                _ => break,
            }
        }
    }
    let _ = stop_tx.send(true);
    if let Some(b) = background {
        let _ = b.await;
    }
    Ok(())
}
