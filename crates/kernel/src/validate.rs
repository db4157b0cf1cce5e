//! Input validation shared by every service. Each check names the input field it judges, so the
//! client gets `BAD_USER_INPUT` with `extensions.field`, and nothing invalid reaches the database
//! (PostgreSQL refuses NUL bytes, for one, which would otherwise surface as an internal error).

use crate::error::{AppError, AppResult};

/// A required single-line text: trimmed, not empty, at most `max` characters, no control characters.
pub fn required_text(field: &str, value: &str, max: usize) -> AppResult<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(AppError::invalid(
            field,
            format!("{field} must not be empty"),
        ));
    }
    single_line(field, trimmed, max)
}

/// An optional single-line text: trimmed; empty becomes `None`.
pub fn optional_text(field: &str, value: Option<&str>, max: usize) -> AppResult<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => single_line(field, text, max).map(Some),
    }
}

/// A multi-line text (descriptions, notes): newlines and tabs allowed, other control characters not.
pub fn long_text(field: &str, value: Option<&str>, max: usize) -> AppResult<Option<String>> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    characters(field, text, Lines::Many)?;
    check_length(field, text, max)?;
    Ok(Some(text.to_owned()))
}

/// Whether a text may span lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// Names, titles, labels: no line breaks, and no zero-width no-break space inside.
    One,
    /// Descriptions, bodies, free text values: newlines and tabs allowed.
    Many,
}

/// Refuses characters that corrupt storage or make a text display as something else: control
/// characters (NUL, escape, ...; newlines and tabs only in [`Lines::Many`]) and the
/// bidirectional embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069), with
/// which `Evil\u{202E}exe.txt` shows as `Eviltxt.exe`. The left-to-right and right-to-left marks
/// (U+200E, U+200F) stay allowed: mixed-script text needs them and they reorder nothing.
pub fn characters(field: &str, text: &str, lines: Lines) -> AppResult<()> {
    for c in text.chars() {
        let refused = match c {
            '\n' | '\r' | '\t' if lines == Lines::Many => None,
            c if c.is_control() => Some("control characters"),
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
                Some("bidirectional override or isolate characters")
            }
            '\u{FEFF}' if lines == Lines::One => Some("zero-width no-break spaces"),
            _ => None,
        };
        if let Some(what) = refused {
            return Err(AppError::invalid(field, format!("{field} contains {what}")));
        }
    }
    Ok(())
}

fn single_line(field: &str, text: &str, max: usize) -> AppResult<String> {
    characters(field, text, Lines::One)?;
    check_length(field, text, max)?;
    Ok(text.to_owned())
}

fn check_length(field: &str, text: &str, max: usize) -> AppResult<()> {
    if text.chars().count() > max {
        return Err(AppError::invalid(
            field,
            format!("{field} is longer than {max} characters"),
        ));
    }
    Ok(())
}

/// An e-mail address, normalised to lower case. Deliberately simple: one `@`, a dotted domain,
/// no spaces, at most 254 characters (RFC 5321).
pub fn email(field: &str, value: &str) -> AppResult<String> {
    let normalised = value.trim().to_lowercase();
    let invalid = || AppError::invalid(field, format!("{field} is not a valid e-mail address"));
    if normalised.len() > 254
        || normalised
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(invalid());
    }
    let (local, domain) = normalised.split_once('@').ok_or_else(invalid)?;
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !domain.contains('@')
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    if local.is_empty() || local.len() > 64 || !domain_ok {
        return Err(invalid());
    }
    Ok(normalised)
}

/// A password: at least 10 characters; at most 1024 so hashing cannot be used to burn CPU.
pub fn password(field: &str, value: &str) -> AppResult<()> {
    let length = value.chars().count();
    if length < 10 {
        return Err(AppError::invalid(
            field,
            "password must be at least 10 characters long",
        ));
    }
    if length > 1024 || value.contains('\0') {
        return Err(AppError::invalid(
            field,
            "password is too long or contains a NUL character",
        ));
    }
    Ok(())
}

/// An `http(s)` URL of at most `max` characters.
pub fn url(field: &str, value: Option<&str>, max: usize) -> AppResult<Option<String>> {
    let Some(text) = optional_text(field, value, max)? else {
        return Ok(None);
    };
    let lower = text.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.starts_with('/') && !text.contains(' ') => {
            Ok(Some(text))
        }
        _ => Err(AppError::invalid(
            field,
            format!("{field} must be an http(s) URL"),
        )),
    }
}

/// Active ISO 4217 currency codes.
const CURRENCIES: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL \
BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP \
GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW \
KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO \
NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD \
SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG \
XOF XPF YER ZAR ZMW ZWG";

/// An ISO 4217 currency code, normalised to upper case.
pub fn currency(field: &str, value: &str) -> AppResult<String> {
    let code = value.trim().to_ascii_uppercase();
    if code.len() == 3 && CURRENCIES.split_ascii_whitespace().any(|c| c == code) {
        Ok(code)
    } else {
        Err(AppError::invalid(
            field,
            format!("{field} must be an ISO 4217 currency code"),
        ))
    }
}

/// An IANA time zone name such as `UTC` or `Europe/Berlin` (checked for shape, not membership).
pub fn timezone(field: &str, value: &str) -> AppResult<String> {
    let zone = value.trim();
    let well_formed = !zone.is_empty()
        && zone.len() <= 50
        && zone.split('/').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
        });
    if well_formed {
        Ok(zone.to_owned())
    } else {
        Err(AppError::invalid(
            field,
            format!("{field} must be an IANA time zone such as Europe/Berlin"),
        ))
    }
}

/// A BCP 47 language tag such as `en` or `pt-BR`.
pub fn locale(field: &str, value: &str) -> AppResult<String> {
    let tag = value.trim();
    let mut parts = tag.split('-');
    let language_ok = parts
        .next()
        .is_some_and(|l| (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_alphabetic()));
    let rest_ok =
        parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if language_ok && rest_ok && tag.len() <= 10 {
        Ok(tag.to_owned())
    } else {
        Err(AppError::invalid(
            field,
            format!("{field} must be a language tag such as en or pt-BR"),
        ))
    }
}

/// ISO 3166-1 alpha-2 country codes.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN \
BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG \
EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE \
IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD \
ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG \
PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ \
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// An ISO 3166-1 alpha-2 country code, normalised to upper case.
pub fn country(field: &str, value: Option<&str>) -> AppResult<Option<String>> {
    let Some(code) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let code = code.to_ascii_uppercase();
    if code.len() == 2 && COUNTRIES.split_ascii_whitespace().any(|c| c == code) {
        Ok(Some(code))
    } else {
        Err(AppError::invalid(
            field,
            format!("{field} must be an ISO 3166-1 alpha-2 country code such as DE"),
        ))
    }
}

/// A money amount: not negative, at most 13 digits before and 2 after the point (DECIMAL(15,2)).
pub fn money(field: &str, value: rust_decimal::Decimal) -> AppResult<rust_decimal::Decimal> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(AppError::invalid(
            field,
            format!("{field} must not be negative"),
        ));
    }
    if value.scale() > 2 && value.round_dp(2) != value {
        return Err(AppError::invalid(
            field,
            format!("{field} has more than two decimal places"),
        ));
    }
    if value >= rust_decimal::Decimal::from(10_i64.pow(13)) {
        return Err(AppError::invalid(field, format!("{field} is too large")));
    }
    Ok(value.round_dp(2))
}

/// A percentage from 0 to 100 with at most two decimal places.
pub fn percent(field: &str, value: rust_decimal::Decimal) -> AppResult<rust_decimal::Decimal> {
    if value < rust_decimal::Decimal::ZERO || value > rust_decimal::Decimal::ONE_HUNDRED {
        return Err(AppError::invalid(
            field,
            format!("{field} must be between 0 and 100"),
        ));
    }
    Ok(value.round_dp(2))
}

/// An integer within bounds (scores, years, counts).
pub fn int_range(field: &str, value: Option<i32>, min: i32, max: i32) -> AppResult<Option<i32>> {
    match value {
        Some(v) if v < min || v > max => Err(AppError::invalid(
            field,
            format!("{field} must be between {min} and {max}"),
        )),
        other => Ok(other),
    }
}

/// A `#RRGGBB` colour.
pub fn color(field: &str, value: Option<&str>) -> AppResult<Option<String>> {
    let Some(text) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let valid = text.len() == 7
        && text.starts_with('#')
        && text[1..].chars().all(|c| c.is_ascii_hexdigit());
    if valid {
        Ok(Some(text.to_ascii_lowercase()))
    } else {
        Err(AppError::invalid(
            field,
            format!("{field} must be a colour like #1a2b3c"),
        ))
    }
}

/// Title case for names typed by people or imported (`hot LEAD` -> `Hot Lead`), so imported
/// status and tag names match the ones typed in the application.
pub fn title_case(value: &str) -> String {
    value
        .split_whitespace()
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// A URL-safe identifier made from a name: lower-case ASCII letters, digits and dashes.
pub fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let trimmed = slug.trim_end_matches('-');
    let mut slug: String = trimmed.chars().take(80).collect();
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(result: AppResult<impl std::fmt::Debug>) -> Option<String> {
        match result {
            Err(AppError::BadUserInput { field, .. }) => field,
            _ => None,
        }
    }

    #[test]
    fn required_text_trims_and_rejects_blank_nul_and_long() {
        assert_eq!(
            required_text("name", "  Acme ", 10).ok().as_deref(),
            Some("Acme")
        );
        assert_eq!(
            field_of(required_text("name", "   ", 10)).as_deref(),
            Some("name")
        );
        assert!(required_text("name", "a\0b", 10).is_err());
        assert!(required_text("name", "abcdefghijk", 10).is_err());
    }

    #[test]
    fn bidirectional_overrides_and_isolates_are_refused_everywhere() {
        for text in [
            "Evil\u{202E}exe.txt",
            "a\u{202A}b",
            "a\u{202D}b",
            "a\u{2066}b\u{2069}",
            "a\u{2068}b",
        ] {
            let error = required_text("firstName", text, 100).expect_err(text);
            assert!(format!("{error:?}").contains("bidirectional"), "{error:?}");
            assert!(long_text("body", Some(text), 100).is_err(), "{text}");
        }
        // Marks reorder nothing and stay allowed; so do right-to-left scripts themselves.
        assert!(required_text("name", "\u{5E9}\u{5DC}\u{5D5}\u{5DD}\u{200F} Ltd", 100).is_ok());
        assert!(required_text("name", "a\u{200E}b", 100).is_ok());
    }

    #[test]
    fn zero_width_no_break_spaces_are_refused_in_names_only() {
        assert!(required_text("name", "Ac\u{FEFF}me", 100).is_err());
        assert!(optional_text("title", Some("Ac\u{FEFF}me"), 100).is_err());
        assert!(long_text("body", Some("Ac\u{FEFF}me"), 100).is_ok());
    }

    #[test]
    fn line_breaks_only_in_long_text() {
        assert!(required_text("name", "a\nb", 100).is_err());
        assert!(long_text("body", Some("a\nb\tc"), 100).is_ok());
        assert!(long_text("body", Some("a\u{1B}[31mb"), 100).is_err());
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            email("email", " Ann@Example.COM ").ok().as_deref(),
            Some("ann@example.com")
        );
        for bad in [
            "ann",
            "ann@",
            "@x.com",
            "ann@x",
            "a b@x.com",
            "ann@x..com",
            "a@b@c.com",
        ] {
            assert_eq!(
                field_of(email("email", bad)).as_deref(),
                Some("email"),
                "{bad}"
            );
        }
    }

    #[test]
    fn passwords_need_ten_characters() {
        assert!(password("password", "short").is_err());
        assert!(password("password", "long enough!").is_ok());
    }

    #[test]
    fn urls_must_be_http() {
        assert!(url("logoUrl", Some("https://x.io/a.png"), 500).is_ok());
        assert!(url("logoUrl", Some("javascript:alert(1)"), 500).is_err());
        assert_eq!(url("logoUrl", Some(""), 500).ok(), Some(None));
    }

    #[test]
    fn currencies_timezones_and_locales_are_checked() {
        assert_eq!(currency("currency", "eur").ok().as_deref(), Some("EUR"));
        assert!(currency("currency", "XYZ").is_err());
        assert!(timezone("timezone", "Europe/Berlin").is_ok());
        assert!(timezone("timezone", "Europe//Berlin").is_err());
        assert!(locale("locale", "pt-BR").is_ok());
        assert!(locale("locale", "english").is_err());
    }

    #[test]
    fn countries_money_percent_and_colours_are_checked() {
        assert_eq!(
            country("country", Some("de")).ok().flatten().as_deref(),
            Some("DE")
        );
        assert_eq!(
            field_of(country("country", Some("Germany"))).as_deref(),
            Some("country")
        );
        assert!(country("country", Some("XX")).is_err());
        let d = |s: &str| s.parse::<rust_decimal::Decimal>().expect("decimal");
        assert!(money("value", d("-1")).is_err());
        assert!(money("value", d("1.005")).is_err());
        assert_eq!(money("value", d("10.50")).ok(), Some(d("10.50")));
        assert!(percent("probability", d("100.01")).is_err());
        assert!(percent("probability", d("-0.01")).is_err());
        assert!(color("color", Some("#12ab3")).is_err());
        assert_eq!(title_case("  hot   LEAD "), "Hot Lead");
    }

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(slugify("Acme, Inc. (Berlin)"), "acme-inc-berlin");
        assert_eq!(slugify("---"), "");
    }
}
