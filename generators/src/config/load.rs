//! Reading a configuration: a preset by name, or a TOML file that overrides
//! any subset of a preset. Unknown keys, wrong types and out-of-range values
//! are all collected and reported together.

use super::{presets, ConfigError, MacKind, NicConfig};
use std::fmt;
use std::path::Path;
use toml::Value;

/// Everything wrong with one configuration source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigErrors {
    /// Where the configuration came from (`preset enzian`, a file name).
    pub source: String,
    /// The problems, in the order found.
    pub errors: Vec<ConfigError>,
}

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors.len();
        write!(
            f,
            "configuration {}: {n} problem{}",
            self.source,
            if n == 1 { "" } else { "s" }
        )?;
        for e in &self.errors {
            write!(f, "\n  {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

/// The preset called `name`, or an error that lists the presets.
pub fn from_name(name: &str) -> Result<NicConfig, ConfigErrors> {
    presets::by_name(name).ok_or_else(|| ConfigErrors {
        source: format!("`{name}`"),
        errors: vec![ConfigError::new(
            "--config",
            name,
            format!("unknown configuration; presets: {}", presets::NAMES.join(", ")),
        )],
    })
}

/// Reads and checks a TOML configuration file.
pub fn from_file(path: &Path) -> Result<NicConfig, ConfigErrors> {
    let source = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => from_toml_str(&text, &source),
        Err(e) => Err(ConfigErrors {
            errors: vec![ConfigError::new(&source, "", format!("cannot read: {e}"))],
            source,
        }),
    }
}

/// Parses `text` (a TOML configuration) on top of its `base` preset and checks
/// the result. `source` names the text in messages.
pub fn from_toml_str(text: &str, source: &str) -> Result<NicConfig, ConfigErrors> {
    let fail = |errors| ConfigErrors {
        source: source.to_string(),
        errors,
    };
    let doc: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        fail(vec![ConfigError::new(
            "syntax",
            "",
            e.to_string().trim_end().replace('\n', "\n    "),
        )])
    })?;
    let mut errors = Vec::new();
    let base = match doc.get("base") {
        None => presets::enzian(),
        Some(Value::String(name)) => presets::by_name(name).unwrap_or_else(|| {
            errors.push(ConfigError::new(
                "base",
                Value::String(name.clone()),
                format!("unknown preset; presets: {}", presets::NAMES.join(", ")),
            ));
            presets::enzian()
        }),
        Some(other) => {
            errors.push(ConfigError::new(
                "base",
                other,
                "must be a string naming a preset",
            ));
            presets::enzian()
        }
    };
    let mut merged = match Value::try_from(&base).expect("presets serialise") {
        Value::Table(t) => t,
        _ => unreachable!("a struct serialises to a table"),
    };
    let mut bad = Vec::new();
    for (key, val) in &doc {
        if key == "base" {
            continue;
        }
        let Some(Value::Table(section)) = merged.get_mut(key) else {
            let sections: Vec<&str> = super::sections().iter().map(|s| s.0).collect();
            errors.push(ConfigError::new(
                key,
                "",
                format!("unknown key (top-level keys: base, {})", sections.join(", ")),
            ));
            continue;
        };
        let Value::Table(overrides) = val else {
            errors.push(ConfigError::new(key, val, format!("must be a section [{key}]")));
            continue;
        };
        for (k, v) in overrides {
            let dotted = format!("{key}.{k}");
            let known: Vec<String> = section.keys().cloned().collect();
            match section.get_mut(k) {
                None => errors.push(ConfigError::new(
                    &dotted,
                    "",
                    format!("unknown key ([{key}] has: {})", known.join(", ")),
                )),
                Some(slot) => match checked(&dotted, slot, v) {
                    Ok(value) => *slot = value,
                    Err(e) => {
                        bad.push(dotted);
                        errors.push(e);
                    }
                },
            }
        }
    }
    let cfg: NicConfig = Value::Table(merged)
        .try_into()
        .map_err(|e: toml::de::Error| fail(vec![ConfigError::new("internal", "", e.to_string())]))?;
    // Fields with a wrong type kept the preset's value: do not report them twice.
    errors.extend(cfg.validate().into_iter().filter(|e| !bad.contains(&e.field)));
    if errors.is_empty() {
        Ok(cfg)
    } else {
        Err(fail(errors))
    }
}

/// `new` converted to the type of `old` (the preset's value), or why it cannot be.
fn checked(dotted: &str, old: &Value, new: &Value) -> Result<Value, ConfigError> {
    match (old, new) {
        (Value::Integer(_), Value::Integer(i)) if u32::try_from(*i).is_ok() => Ok(new.clone()),
        (Value::Integer(_), Value::Integer(_)) => Err(ConfigError::new(
            dotted,
            new,
            "must be a non-negative integer below 2^32",
        )),
        (Value::Integer(_), _) => Err(ConfigError::new(dotted, new, "must be an integer")),
        (Value::Float(_), Value::Float(_)) => Ok(new.clone()),
        (Value::Float(_), Value::Integer(i)) => Ok(Value::Float(*i as f64)),
        (Value::Float(_), _) => Err(ConfigError::new(dotted, new, "must be a number")),
        (Value::String(_), Value::String(s)) if enum_names(dotted).contains(&s.as_str()) => Ok(new.clone()),
        (Value::String(_), _) => {
            let names: Vec<String> = enum_names(dotted).iter().map(|n| format!("\"{n}\"")).collect();
            Err(ConfigError::new(
                dotted,
                new,
                format!("must be one of {}", names.join(", ")),
            ))
        }
        _ => Err(ConfigError::new(
            dotted,
            new,
            format!("must have the type of {old}"),
        )),
    }
}

/// The allowed spellings of an enumerated field.
fn enum_names(dotted: &str) -> &'static [&'static str] {
    match dotted {
        "mac.kind" => &MacKind::NAMES,
        _ => &[],
    }
}
