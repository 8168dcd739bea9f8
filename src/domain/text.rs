//! Which characters typed text may not hold: control characters, and the invisible ones that
//! change how the text around them reads — bidirectional controls (a right-to-left override
//! turns `txt.exe` into `exe.txt` on screen) and zero-width characters. The command layer
//! refuses them; renderers escape them where older stored text still holds them.

/// Why a character may not appear in typed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsafe {
    /// A control character (C0, DEL, C1), the line break included.
    Control,
    /// A bidirectional control: U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C.
    Bidi,
    /// A zero-width character: U+200B–U+200D, U+2060, U+FEFF.
    ZeroWidth,
}

/// What is wrong with `c` in typed text, if anything.
pub fn unsafe_char(c: char) -> Option<Unsafe> {
    match c {
        c if c.is_control() => Some(Unsafe::Control),
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}' => Some(Unsafe::Bidi),
        '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => Some(Unsafe::ZeroWidth),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listed_characters_and_no_others() {
        for c in [
            '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}', '\u{200e}', '\u{200f}', '\u{061c}',
        ] {
            assert_eq!(unsafe_char(c), Some(Unsafe::Bidi), "{c:?}");
        }
        for c in ['\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}'] {
            assert_eq!(unsafe_char(c), Some(Unsafe::ZeroWidth), "{c:?}");
        }
        for c in ['\u{1b}', '\n', '\u{7f}', '\u{85}'] {
            assert_eq!(unsafe_char(c), Some(Unsafe::Control));
        }
        for c in ['a', 'ø', 'ع', '😀', '\u{2029}', '\u{fe0f}', ' '] {
            assert_eq!(unsafe_char(c), None, "{c:?}");
        }
    }
}
