//! Text mechanics every renderer shares: the one defusing function (with the rules an
//! adapter or a context passes), lengths in an adapter's unit (characters, or UTF-16 code
//! units as Discord counts them), cutting with an ellipsis, and the one pager that splits
//! long text into messages of a limit.

/// How an adapter counts the length of text against its limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Unicode scalar values (`char`s).
    Chars,
    /// UTF-16 code units (Discord's count: an emoji outside the BMP is two).
    Utf16,
}

impl Unit {
    /// The length of `s` in this unit.
    pub fn len(self, s: &str) -> usize {
        match self {
            Unit::Chars => s.chars().count(),
            Unit::Utf16 => s.encode_utf16().count(),
        }
    }

    fn of(self, c: char) -> usize {
        match self {
            Unit::Chars => 1,
            Unit::Utf16 => c.len_utf16(),
        }
    }

    /// The byte index in `s` after at most `max` units (at a character boundary).
    fn index(self, s: &str, max: usize) -> usize {
        let mut used = 0;
        for (i, c) in s.char_indices() {
            used += self.of(c);
            if used > max {
                return i;
            }
        }
        s.len()
    }
}

/// A length limit of one message (or one field), in an adapter's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// The most units.
    pub max: usize,
    /// How they are counted.
    pub unit: Unit,
}

/// Discord's message content limit: 2000 UTF-16 code units.
pub const DISCORD_MESSAGE: Limit = Limit {
    max: 2000,
    unit: Unit::Utf16,
};

impl Limit {
    /// The same unit with another maximum.
    pub fn with_max(self, max: usize) -> Limit {
        Limit { max, ..self }
    }

    /// The length of `s` in this limit's unit.
    pub fn len(self, s: &str) -> usize {
        self.unit.len(s)
    }

    /// Whether `s` fits.
    pub fn fits(self, s: &str) -> bool {
        self.len(s) <= self.max
    }
}

/// `s` cut to at most `limit`, ending in `…` when cut.
pub fn truncate(s: &str, limit: Limit) -> String {
    if limit.fits(s) {
        return s.to_string();
    }
    if limit.max == 0 {
        return String::new();
    }
    let keep = limit.unit.index(s, limit.max - 1);
    format!("{}…", &s[..keep])
}

/// Which mentions a defusing rule breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mentions {
    /// `@everyone`, `@here`, `<@…>`, `<@&…>` and `<#…>`: a zero-width space after `@` / `<`.
    Chat,
    /// Every `@` gets a zero-width space after it.
    EveryAt,
}

/// What a defusing rule does to Markdown in typed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    /// Left as typed (the console's terminal renders no Markdown).
    Keep,
    /// Escaped with `\` so it shows as typed where Markdown is rendered (Discord posts, cards
    /// and replies): emphasis, strike-through, spoilers, code, masked links (`[x](https://…)`)
    /// and, at the start of a line, headings, quotes and list marks.
    Escape,
    /// Where Markdown shows as typed (a Discord thread name): only the masked link is broken,
    /// by a zero-width space between `]` and `(`, so no copy of the text turns into a link.
    BreakLinks,
}

/// The rules text typed by users (or read from files) is defused by before it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Defuse {
    /// Which mentions are broken so they ping no one.
    pub mentions: Mentions,
    /// Safe in a Markdown table cell: `|` escaped, line breaks made spaces.
    pub table_cell: bool,
    /// What happens to Markdown.
    pub markup: Markup,
}

impl Defuse {
    /// Chat text on the console: mentions broken, Markdown shown as typed.
    pub const CHAT: Defuse = Defuse {
        mentions: Mentions::Chat,
        table_cell: false,
        markup: Markup::Keep,
    };
    /// Discord posts, cards and replies: mentions broken, Markdown escaped.
    pub const DISCORD: Defuse = Defuse {
        mentions: Mentions::Chat,
        table_cell: false,
        markup: Markup::Escape,
    };
    /// A Discord thread name (plain text there): mentions and masked links broken.
    pub const THREAD_NAME: Defuse = Defuse {
        mentions: Mentions::Chat,
        table_cell: false,
        markup: Markup::BreakLinks,
    };
    /// A cell of a Markdown report table: every `@` broken, `|` escaped, one line.
    pub const TABLE_CELL: Defuse = Defuse {
        mentions: Mentions::EveryAt,
        table_cell: true,
        markup: Markup::Keep,
    };
}

/// Characters Discord reads as Markdown anywhere in a line.
const INLINE_MARKDOWN: &[char] = &['\\', '*', '_', '~', '`', '|', '[', ']'];
/// Characters Discord reads as Markdown at the start of a line (after spaces).
const LINE_MARKDOWN: &[char] = &['#', '>', '-', '+'];

/// `text` made unable to ping anyone, to turn into a link or formatting (or to break a
/// table) under `rules`.
pub fn defuse(text: &str, rules: Defuse) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    let mut line_start = true;
    while let Some(c) = rest.chars().next() {
        let after = &rest[c.len_utf8()..];
        let at_start = line_start;
        line_start = c == '\n' || (line_start && c == ' ');
        match c {
            c if rules.markup == Markup::Escape
                && (INLINE_MARKDOWN.contains(&c) || (at_start && LINE_MARKDOWN.contains(&c))) =>
            {
                if c == '|' && rules.table_cell {
                    out.push_str("\\|");
                } else {
                    out.push('\\');
                    out.push(c);
                }
            }
            ']' if rules.markup == Markup::BreakLinks && after.starts_with('(') => out.push_str("]\u{200b}"),
            '@' if rules.mentions == Mentions::EveryAt => out.push_str("@\u{200b}"),
            '@' if after.starts_with("everyone") || after.starts_with("here") => out.push_str("@\u{200b}"),
            '<' if rules.mentions == Mentions::Chat && (after.starts_with('@') || after.starts_with('#')) => {
                out.push_str("<\u{200b}");
            }
            '|' if rules.table_cell => out.push_str("\\|"),
            '\n' | '\r' if rules.table_cell => out.push(' '),
            c => out.push(c),
        }
        rest = after;
    }
    out
}

/// `text` safe to write to a terminal: control characters other than the line break and the
/// tab, and bidirectional controls, written as escapes (`\u{1b}`, `\u{202e}`), so no ESC
/// sequence or reordering reaches the terminal.
pub fn terminal(text: &str) -> String {
    if !text.chars().any(needs_escape_on_terminal) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape_on_terminal(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

fn needs_escape_on_terminal(c: char) -> bool {
    use crate::domain::text::{Unsafe, unsafe_char};
    match unsafe_char(c) {
        Some(Unsafe::Control) => c != '\n' && c != '\t',
        Some(Unsafe::Bidi) => true,
        // The defuser's own zero-width spaces (after `@`) are harmless on a terminal.
        Some(Unsafe::ZeroWidth) | None => false,
    }
}

/// Splits text into messages of at most `limit`, at line ends. A Markdown table cut in two
/// repeats its header in the next message; a single line longer than the limit is cut after
/// a space (at a character boundary when it has none), so no text is lost. Whitespace-only
/// text gives no pages.
pub fn page(text: &str, limit: Limit) -> Vec<String> {
    let limit = limit.with_max(limit.max.max(16));
    let len = |s: &str| limit.len(s);
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut header: Option<String> = None;
    for (i, line) in lines.iter().enumerate() {
        let is_row = line.starts_with('|');
        if !is_row {
            header = None;
        } else if header.is_none()
            && lines
                .get(i + 1)
                .is_some_and(|n| n.starts_with("|-") || n.starts_with("| -"))
        {
            header = Some(format!("{line}\n{}", lines[i + 1]));
        }
        let need = len(line) + usize::from(!cur.is_empty());
        if !cur.is_empty() && len(&cur) + need > limit.max {
            out.push(std::mem::take(&mut cur));
            // A row continuing a table gets the header again (not the header itself or its
            // separator line).
            if let Some(h) = &header
                && is_row
                && !h.starts_with(line)
                && !h.ends_with(line)
                && len(h) + 1 + len(line) <= limit.max
            {
                cur.push_str(h);
            }
        }
        if len(line) > limit.max {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            // Cut after the last space before the limit (a word never splits), else at
            // the limit.
            let mut rest: &str = line;
            while len(rest) > limit.max {
                let hard = limit.unit.index(rest, limit.max);
                let cut = rest[..hard].rfind(' ').map_or(hard, |i| i + 1);
                let cut = if cut == 0 { hard } else { cut };
                out.push(rest[..cut].to_string());
                rest = &rest[cut..];
            }
            cur.push_str(rest);
            continue;
        }
        if !cur.is_empty() {
            cur.push('\n');
        }
        cur.push_str(line);
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHARS: Limit = Limit {
        max: 2000,
        unit: Unit::Chars,
    };

    #[test]
    fn chunks_respect_the_limit_and_repeat_table_headers() {
        let mut md = String::from("# Title\n\n| a | b |\n|---|---|\n");
        for i in 0..200 {
            md.push_str(&format!("| row {i} | value {i} |\n"));
        }
        let parts = page(&md, CHARS.with_max(500));
        assert!(parts.len() > 3);
        for p in &parts {
            assert!(p.chars().count() <= 500, "{}", p.len());
        }
        for p in &parts[1..] {
            assert!(p.starts_with("| a | b |\n|---|---|"), "{p}");
        }
        let rows: usize = parts
            .iter()
            .map(|p| p.lines().filter(|l| l.starts_with("| row")).count())
            .sum();
        assert_eq!(rows, 200);
    }

    #[test]
    fn a_long_line_is_cut() {
        let line = "x".repeat(4500);
        let parts = page(&line, CHARS);
        assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [2000, 2000, 500]);
        let words = "word ".repeat(1000);
        let parts = page(&words, CHARS);
        assert!(parts.iter().all(|p| p.len() <= 2000 && p.ends_with(" ")));
        assert_eq!(parts.concat(), words);
    }

    #[test]
    fn truncate_and_page_respect_limits() {
        let u = |max| Limit { max, unit: Unit::Utf16 };
        assert_eq!(truncate("abc", u(3)), "abc");
        assert_eq!(truncate("abcd", u(3)), "ab…");
        assert_eq!(truncate("abcd", u(0)), "");
        assert_eq!(Unit::Utf16.len(&truncate(&"😀".repeat(100), u(11))), 11);
        let lines: Vec<String> = (0..500).map(|i| format!("line {i} {}", "x".repeat(i % 50))).collect();
        let pages = page(&lines.join("\n"), DISCORD_MESSAGE);
        assert!(pages.len() > 1);
        assert!(pages.iter().all(|p| DISCORD_MESSAGE.fits(p)));
        let back: Vec<String> = pages.iter().flat_map(|p| p.lines().map(str::to_string)).collect();
        assert_eq!(back, lines, "paging keeps every line in order");
        assert_eq!(page(&"y".repeat(3000), u(100))[0].chars().count(), 100);
        assert!(page("", u(100)).is_empty());
    }

    #[test]
    fn emoji_count_double_in_utf16() {
        let text = "😀".repeat(1500);
        let pages = page(&text, DISCORD_MESSAGE);
        assert_eq!(pages.len(), 2);
        assert!(pages.iter().all(|p| DISCORD_MESSAGE.fits(p)));
        assert_eq!(pages.concat(), text);
    }

    #[test]
    fn user_text_is_defused() {
        let t = defuse("@everyone @here <@1> <@&2> <#3> <@!4>", Defuse::CHAT);
        for bad in ["@everyone", "@here", "<@", "<#"] {
            assert!(!t.contains(bad), "{t}");
        }
        assert_eq!(defuse("a@b.no", Defuse::CHAT), "a@b.no", "an address is no mention");
    }

    #[test]
    fn typed_text_cannot_ping() {
        let s = defuse("@everyone <@123> a|b", Defuse::TABLE_CELL);
        assert!(!s.contains("@everyone"));
        assert!(!s.contains("<@1"));
        assert!(s.contains("\\|"));
    }

    #[test]
    fn the_rules_keep_the_old_outputs() {
        let s = "@everyone @here <@1> <#2> x@y";
        assert_eq!(
            defuse(s, Defuse::CHAT),
            s.replace("@everyone", "@\u{200b}everyone")
                .replace("@here", "@\u{200b}here")
                .replace("<@", "<\u{200b}@")
                .replace("<#", "<\u{200b}#")
        );
        assert_eq!(defuse("a@b|c\nd", Defuse::TABLE_CELL), "a@\u{200b}b\\|c d");
    }

    /// Issue 16, item 14: Markdown and masked links typed into titles, notes and
    /// descriptions show as text on Discord, and the console shows them as typed.
    #[test]
    fn markdown_and_masked_links_show_as_text_on_discord() {
        let typed = "[click](https://evil.example) **urgent** __u__ ~~x~~ `c` ||spoiler|| a\\b";
        let d = defuse(typed, Defuse::DISCORD);
        assert!(!d.contains("[click]("), "{d}");
        assert!(d.contains("\\[click\\](https://evil.example)"), "{d}");
        for bad in ["**", "__", "~~", "||"] {
            assert!(!d.contains(bad), "{bad} in {d}");
        }
        assert!(d.contains("\\`c\\`") && d.contains("a\\\\b"), "{d}");
        // Unescaping what Discord unescapes gives back exactly what was typed.
        assert_eq!(unescape(&d), typed);
        // Headings, quotes and list marks only at the start of a line.
        let lines = "# big\n> quote\n- item\n  + more\nmid # - > +";
        let d = defuse(lines, Defuse::DISCORD);
        assert_eq!(d, "\\# big\n\\> quote\n\\- item\n  \\+ more\nmid # - > +");
        assert_eq!(unescape(&d), lines);
        // Mentions are still broken.
        let d = defuse("@everyone <@1> [x](https://a)", Defuse::DISCORD);
        assert!(!d.contains("@everyone") && !d.contains("<@1"), "{d}");
        // A thread name shows Markdown as typed: only the link is broken, invisibly.
        let t = defuse("[x](https://a) *b* @here", Defuse::THREAD_NAME);
        assert_eq!(t, "[x]\u{200b}(https://a) *b* @\u{200b}here");
        // The console and report cells keep Markdown as typed.
        assert_eq!(defuse("[x](https://a) *b*", Defuse::CHAT), "[x](https://a) *b*");
        assert_eq!(defuse("*b*", Defuse::TABLE_CELL), "*b*");
    }

    fn unescape(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                out.extend(chars.next());
            } else {
                out.push(c);
            }
        }
        out
    }

    /// Issue 16, item 14: nothing the console writes carries an ESC sequence or a
    /// bidirectional control raw.
    #[test]
    fn terminal_text_has_no_escape_sequences() {
        let t = terminal("eve\u{1b}[2J\u{1b}]0;owned\u{7} \u{202e}fdp.exe\nnext\tcol @\u{200b}here");
        assert!(
            !t.contains('\u{1b}') && !t.contains('\u{7}') && !t.contains('\u{202e}'),
            "{t:?}"
        );
        assert_eq!(
            t,
            "eve\\u{1b}[2J\\u{1b}]0;owned\\u{7} \\u{202e}fdp.exe\nnext\tcol @\u{200b}here"
        );
        assert_eq!(terminal("plain ✓ text"), "plain ✓ text");
    }
}
