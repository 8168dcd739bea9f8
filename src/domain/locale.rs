//! The languages vakt writes in, as data: an agreement names its language (`language = "nb"`),
//! `vakt.toml` and `VAKT_LANGUAGE` may override it, and [`crate::render`] looks every message
//! up in it. Only the identity of a language lives here; its words live in the renderer.

/// A language vakt writes in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Locale {
    /// English.
    #[default]
    En,
    /// Norwegian, bokmål.
    Nb,
    /// Danish.
    Da,
    /// Swedish.
    Sv,
}

impl Locale {
    /// Every locale, English first.
    pub const ALL: [Locale; 4] = [Locale::En, Locale::Nb, Locale::Da, Locale::Sv];

    /// The language's code as agreement files, `vakt.toml` and `VAKT_LANGUAGE` write it.
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Nb => "nb",
            Locale::Da => "da",
            Locale::Sv => "sv",
        }
    }

    /// The locale of a code (`en`, `nb`, `da`, `sv`; `no` is taken as `nb`), if it is one.
    pub fn from_code(code: &str) -> Option<Locale> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Locale::En),
            "nb" | "no" => Some(Locale::Nb),
            "da" => Some(Locale::Da),
            "sv" => Some(Locale::Sv),
            _ => None,
        }
    }

    /// The codes [`Locale::from_code`] accepts, for error messages.
    pub const CODES: &'static str = "\"nb\", \"da\", \"sv\" or \"en\"";
}
