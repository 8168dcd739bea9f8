//! Tables of words beyond [`crate::render::Msg`], by area, each key with its English,
//! Norwegian, Danish and Swedish texts ([`crate::messages!`]): [`errors`] (refusals),
//! [`commands`] (commands typed wrong),
//! [`reason`] (classification reasons), [`report`] (the reports' headings and tables),
//! [`chart`] (the monthly chart's labels) and [`agreement`] (`agreements show`), and [`Word`]
//! (weekdays) here; an incident's state is a [`crate::render::Msg`] word ([`Locale::state`]).

pub mod agreement;
pub mod chart;
pub mod commands;
pub mod errors;
pub mod reason;
pub mod report;

use super::msg::Locale;
use chrono::Weekday;

crate::messages! {
    /// Words several areas use.
    pub enum Word {
    Mon => "Mon"
        nb "man"
        da "man"
        sv "mån",
    Tue => "Tue"
        nb "tir"
        da "tir"
        sv "tis",
    Wed => "Wed"
        nb "ons"
        da "ons"
        sv "ons",
    Thu => "Thu"
        nb "tor"
        da "tor"
        sv "tor",
    Fri => "Fri"
        nb "fre"
        da "fre"
        sv "fre",
    Sat => "Sat"
        nb "lør"
        da "lør"
        sv "lör",
    Sun => "Sun"
        nb "søn"
        da "søn"
        sv "sön",
    }
}

/// A weekday, abbreviated (`Mon`, `man`).
pub fn weekday(locale: Locale, d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => Word::Mon,
        Weekday::Tue => Word::Tue,
        Weekday::Wed => Word::Wed,
        Weekday::Thu => Word::Thu,
        Weekday::Fri => Word::Fri,
        Weekday::Sat => Word::Sat,
        Weekday::Sun => Word::Sun,
    }
    .text(locale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::msg::tests::check_table;

    #[test]
    fn every_word_exists_in_every_language() {
        check_table(Word::ALL, |m, l| m.translated(l));
    }
}
