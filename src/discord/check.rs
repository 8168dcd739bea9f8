//! `vakt discord check`: reads the configured guild through Discord's API (the guild, its
//! channels and roles, the bot's member) and says plainly what would stop vakt from working —
//! a configured channel that does not exist or is not a text channel, a permission the bot
//! lacks there (computed from its roles and the channel's overwrites, as Discord does), a
//! ladder role that does not exist or cannot be pinged, a mapped user who is not in the
//! guild, a responder or manager role that does not exist, a value that is not a Discord id.
//!
//! The result is a typed [`CheckReport`]; its `Display` is the text the CLI prints.

use super::DiscordSettings;
use super::chat::{Target, Targets};
use crate::config::Config;
use crate::service::ports::ChannelKind;
use serenity::all::{ChannelType, GuildChannel, GuildId, PermissionOverwriteType, Permissions, Role, UserId};
use serenity::http::Http;
use std::collections::BTreeMap;
use std::fmt;

/// One thing wrong with the guild or the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// `discord.guild_id` is not set.
    NoGuild,
    /// The guild (or the bot's place in it) could not be read.
    GuildUnreadable {
        /// What failed, in words.
        reason: String,
    },
    /// A configured value is not a Discord id.
    NotAnId {
        agreement: String,
        /// What it configures (`the incidents channel`, `ladder role driftsrad`, `manager
        /// role`).
        what: String,
        /// The value as configured.
        value: String,
    },
    /// A configured channel is not in the guild.
    ChannelMissing {
        agreement: String,
        /// Which of its channels.
        kind: ChannelKind,
        /// The channel id.
        channel: u64,
    },
    /// A configured channel is not a text or announcement channel.
    ChannelNotText {
        agreement: String,
        /// Which of its channels.
        kind: ChannelKind,
        /// The channel id.
        channel: u64,
        name: String,
    },
    /// The bot lacks a permission in a configured channel.
    MissingPermission {
        agreement: String,
        /// Which of its channels.
        kind: ChannelKind,
        /// The channel id.
        channel: u64,
        name: String,
        /// The permissions missing, by Discord's names.
        missing: Vec<&'static str>,
    },
    /// A ladder level's role, or a responder or manager role, is not in the guild.
    RoleMissing {
        agreement: String,
        /// What it is for (`ladder role driftsrad`, `responder role`).
        what: String,
        /// The role id.
        role: u64,
    },
    /// A role vakt pings is not mentionable (and the bot may not mention everyone).
    RoleNotMentionable {
        agreement: String,
        /// What it is for.
        what: String,
        /// The role id.
        role: u64,
        name: String,
    },
    /// A ladder level mapped to a user who is not a member of the guild.
    UserNotMember {
        agreement: String,
        /// What it is for.
        what: String,
        /// The user id.
        user: u64,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::NoGuild => write!(f, "no guild configured: set discord.guild_id in vakt.toml"),
            Problem::GuildUnreadable { reason } => write!(f, "cannot read the guild: {reason}"),
            Problem::NotAnId { agreement, what, value } => {
                write!(f, "{agreement}: {what} {value:?} is not a Discord id")
            }
            Problem::ChannelMissing {
                agreement,
                kind,
                channel,
            } => write!(
                f,
                "{agreement}: the {} channel {channel} does not exist in the guild",
                kind
            ),
            Problem::ChannelNotText {
                agreement,
                kind,
                channel,
                name,
            } => write!(
                f,
                "{agreement}: the {} channel #{name} ({channel}) is not a text channel",
                kind
            ),
            Problem::MissingPermission {
                agreement,
                kind,
                channel,
                name,
                missing,
            } => write!(
                f,
                "{agreement}: the bot cannot work in the {} channel #{name} ({channel}): it lacks {}",
                kind,
                missing.join(", ")
            ),
            Problem::RoleMissing { agreement, what, role } => {
                write!(f, "{agreement}: {what}: role {role} does not exist in the guild")
            }
            Problem::RoleNotMentionable {
                agreement,
                what,
                role,
                name,
            } => write!(
                f,
                "{agreement}: {what}: role @{name} ({role}) is not mentionable, so its pings reach nobody — allow anyone to @mention it, or give the bot Mention Everyone"
            ),
            Problem::UserNotMember { agreement, what, user } => {
                write!(f, "{agreement}: {what}: user {user} is not a member of the guild")
            }
        }
    }
}

/// What `vakt discord check` found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckReport {
    /// The guild's name, when it could be read.
    pub guild: Option<String>,
    /// How many channels and roles were checked.
    pub checked: usize,
    /// Everything wrong, in the order found (empty: all is well).
    pub problems: Vec<Problem>,
}

impl CheckReport {
    /// Whether nothing is wrong.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let guild = self.guild.as_deref().unwrap_or("the guild");
        if self.ok() {
            return write!(
                f,
                "{guild}: everything vakt needs is in place ({} channels and roles checked)",
                self.checked
            );
        }
        let n = self.problems.len();
        write!(f, "{guild}: {n} problem{}:", if n == 1 { "" } else { "s" })?;
        for p in &self.problems {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

/// What the bot needs in each kind of channel, with Discord's names.
fn needed(kind: ChannelKind) -> Vec<(Permissions, &'static str)> {
    let mut p = vec![
        (Permissions::VIEW_CHANNEL, "View Channel"),
        (Permissions::SEND_MESSAGES, "Send Messages"),
        (Permissions::EMBED_LINKS, "Embed Links"),
        (Permissions::READ_MESSAGE_HISTORY, "Read Message History"),
    ];
    if kind == ChannelKind::Incidents {
        p.push((Permissions::CREATE_PUBLIC_THREADS, "Create Public Threads"));
        p.push((Permissions::SEND_MESSAGES_IN_THREADS, "Send Messages in Threads"));
    }
    p
}

/// A member's permissions in a channel, as Discord computes them: `@everyone` and the
/// member's roles, everything for an administrator or the owner, then the channel's
/// `@everyone` overwrite, its role overwrites together, and the member's own overwrite.
pub fn permissions_in(
    guild: GuildId,
    owner: bool,
    roles: &BTreeMap<u64, Role>,
    member_roles: &[u64],
    member: UserId,
    channel: &GuildChannel,
) -> Permissions {
    if owner {
        return Permissions::all();
    }
    let everyone = roles.get(&guild.get()).map_or(Permissions::empty(), |r| r.permissions);
    let mut p = member_roles
        .iter()
        .filter_map(|r| roles.get(r))
        .fold(everyone, |p, r| p | r.permissions);
    if p.contains(Permissions::ADMINISTRATOR) {
        return Permissions::all();
    }
    let ow = &channel.permission_overwrites;
    for o in ow {
        if o.kind == PermissionOverwriteType::Role(guild.get().into()) {
            p = (p & !o.deny) | o.allow;
        }
    }
    let (mut allow, mut deny) = (Permissions::empty(), Permissions::empty());
    for o in ow {
        if let PermissionOverwriteType::Role(r) = o.kind
            && r.get() != guild.get()
            && member_roles.contains(&r.get())
        {
            allow |= o.allow;
            deny |= o.deny;
        }
    }
    p = (p & !deny) | allow;
    for o in ow {
        if o.kind == PermissionOverwriteType::Member(member) {
            p = (p & !o.deny) | o.allow;
        }
    }
    p
}

fn unreadable(what: &str, e: serenity::Error) -> Problem {
    Problem::GuildUnreadable {
        reason: format!("{what}: {}", super::chat::map_error(&e, what)),
    }
}

/// Reads the guild of `settings` and checks every agreement of `config` against it.
pub async fn check(http: &Http, settings: &DiscordSettings, config: &Config) -> CheckReport {
    let mut report = CheckReport::default();
    let Some(guild) = settings.guild_id.map(GuildId::new) else {
        report.problems.push(Problem::NoGuild);
        return report;
    };
    let seen = match Guild::read(http, guild).await {
        Ok(seen) => seen,
        Err(p) => {
            report.problems.push(p);
            return report;
        }
    };
    report.guild = Some(seen.name.clone());
    let targets = Targets::from_config(config);
    for (agreement, t) in &targets.agreements {
        for (kind, id) in &t.channels {
            report.checked += 1;
            report.problems.extend(seen.channel_problem(agreement, *kind, id));
        }
        // Roles vakt pings: the ladder's and the responders'; managers are only checked to exist.
        let mut who: Vec<(bool, String, Result<Target, String>)> = t
            .ladder
            .iter()
            .map(|(role, target)| (true, format!("ladder role {role}"), target.clone()))
            .collect();
        who.extend(
            t.responders
                .iter()
                .map(|r| (true, "responder role".to_string(), r.clone().map(Target::Role))),
        );
        who.extend(
            t.managers
                .iter()
                .map(|r| (false, "manager role".to_string(), r.clone().map(Target::Role))),
        );
        for (pings, what, target) in who {
            report.checked += 1;
            report
                .problems
                .extend(seen.target_problem(http, agreement, pings, what, target).await);
        }
    }
    report
}

/// What `check` read of the guild, with the bot's standing in it.
struct Guild {
    id: GuildId,
    name: String,
    channels: BTreeMap<u64, GuildChannel>,
    roles: BTreeMap<u64, Role>,
    me: UserId,
    bot_roles: Vec<u64>,
    owner: bool,
    /// Whether the bot may mention roles that are not mentionable.
    mention_everyone: bool,
}

impl Guild {
    /// Reads the guild, its channels and roles, and the bot's membership.
    async fn read(http: &Http, guild: GuildId) -> Result<Guild, Problem> {
        let g = http.get_guild(guild).await.map_err(|e| unreadable("the guild", e))?;
        let channels = http
            .get_channels(guild)
            .await
            .map_err(|e| unreadable("its channels", e))?;
        let roles = http
            .get_guild_roles(guild)
            .await
            .map_err(|e| unreadable("its roles", e))?;
        let me = http
            .get_current_user()
            .await
            .map_err(|e| unreadable("the bot's user", e))?;
        let member = http
            .get_member(guild, me.id)
            .await
            .map_err(|e| unreadable("the bot's membership", e))?;
        let roles: BTreeMap<u64, Role> = roles.into_iter().map(|r| (r.id.get(), r)).collect();
        let bot_roles: Vec<u64> = member.roles.iter().map(|r| r.get()).collect();
        let owner = g.owner_id == me.id;
        let base = bot_roles.iter().filter_map(|r| roles.get(r)).fold(
            roles.get(&guild.get()).map_or(Permissions::empty(), |r| r.permissions),
            |p, r| p | r.permissions,
        );
        Ok(Guild {
            id: guild,
            name: g.name.clone(),
            channels: channels.into_iter().map(|c| (c.id.get(), c)).collect(),
            roles,
            me: me.id,
            bot_roles,
            owner,
            mention_everyone: owner || base.intersects(Permissions::ADMINISTRATOR | Permissions::MENTION_EVERYONE),
        })
    }

    /// What is wrong with an agreement's `kind` channel, if anything.
    fn channel_problem(&self, agreement: &str, kind: ChannelKind, id: &Result<u64, String>) -> Option<Problem> {
        let a = agreement.to_string();
        let channel = match id {
            Err(value) => {
                return Some(Problem::NotAnId {
                    agreement: a,
                    what: format!("the {} channel", kind),
                    value: value.clone(),
                });
            }
            Ok(id) => *id,
        };
        let Some(c) = self.channels.get(&channel) else {
            return Some(Problem::ChannelMissing {
                agreement: a,
                kind,
                channel,
            });
        };
        if !matches!(c.kind, ChannelType::Text | ChannelType::News) {
            return Some(Problem::ChannelNotText {
                agreement: a,
                kind,
                channel,
                name: c.name.clone(),
            });
        }
        let have = permissions_in(self.id, self.owner, &self.roles, &self.bot_roles, self.me, c);
        let missing: Vec<&'static str> = needed(kind)
            .into_iter()
            .filter(|(p, _)| !have.contains(*p))
            .map(|(_, name)| name)
            .collect();
        (!missing.is_empty()).then(|| Problem::MissingPermission {
            agreement: a,
            kind,
            channel,
            name: c.name.clone(),
            missing,
        })
    }

    /// What is wrong with a role or user vakt names (`pings`: one it mentions), if anything.
    async fn target_problem(
        &self,
        http: &Http,
        agreement: &str,
        pings: bool,
        what: String,
        target: Result<Target, String>,
    ) -> Option<Problem> {
        let a = agreement.to_string();
        match target {
            Err(value) => Some(Problem::NotAnId {
                agreement: a,
                what,
                value,
            }),
            Ok(Target::Role(role)) => match self.roles.get(&role) {
                None => Some(Problem::RoleMissing {
                    agreement: a,
                    what,
                    role,
                }),
                Some(r) if pings && !r.mentionable && !self.mention_everyone => Some(Problem::RoleNotMentionable {
                    agreement: a,
                    what,
                    role,
                    name: r.name.clone(),
                }),
                Some(_) => None,
            },
            Ok(Target::User(user)) => {
                http.get_member(self.id, UserId::new(user))
                    .await
                    .is_err()
                    .then_some(Problem::UserNotMember {
                        agreement: a,
                        what,
                        user,
                    })
            }
        }
    }
}
