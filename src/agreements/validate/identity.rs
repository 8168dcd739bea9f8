//! The agreement's identity: its id (which names the file), its incident prefix, its
//! time zone and its language.

use super::*;
use crate::domain::locale::Locale;

/// The id, the incident prefix and the time zone of `raw`, read from `file`.
pub(super) fn identity(cx: &mut Ctx, file: &Path, raw: &RawAgreement) -> (String, String, Tz) {
    let id = raw.id.get_ref().clone();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        cx.err(
            raw.id.span(),
            format!("agreement id \"{id}\" must be lower-case letters, digits and '-'"),
        );
    } else if let Some(stem) = file.file_stem().and_then(|s| s.to_str())
        && stem != id
    {
        let name = file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        cx.err(
            raw.id.span(),
            format!("agreement id \"{id}\" does not match the file name {name} (write id = \"{stem}\" or rename the file to {id}.toml)"),
        );
    }
    let prefix = raw.incident_prefix.get_ref().clone();
    if !(2..=8).contains(&prefix.len()) || !prefix.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
        cx.err(
            raw.incident_prefix.span(),
            format!("incident prefix \"{prefix}\" must be 2–8 upper-case letters or digits"),
        );
    }
    let tz: Tz = match raw.timezone.get_ref().parse() {
        Ok(tz) => tz,
        Err(_) => {
            cx.err(
                raw.timezone.span(),
                format!(
                    "unknown time zone \"{}\" (use an IANA name like Europe/Oslo)",
                    raw.timezone.get_ref()
                ),
            );
            chrono_tz::UTC
        }
    };
    (id, prefix, tz)
}

/// The language of `raw` (`language = "nb"`); English when the file names none.
pub(super) fn language(cx: &mut Ctx, raw: &RawAgreement) -> Locale {
    let Some(l) = &raw.language else {
        return Locale::En;
    };
    Locale::from_code(l.get_ref()).unwrap_or_else(|| {
        cx.err(
            l.span(),
            format!("unknown language \"{}\" (write {})", l.get_ref(), Locale::CODES),
        );
        Locale::En
    })
}
