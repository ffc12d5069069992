//! A configuration as commented TOML: every field with its documentation.

use super::NicConfig;
use toml::Value;

impl NicConfig {
    /// This configuration as a complete, commented TOML file whose `base` is
    /// `base` (every key is written, so the base only matters to a reader);
    /// `origin` says where it came from (e.g. `preset enzian`). Parsing the
    /// text gives this configuration back.
    pub fn to_commented_toml(&self, base: &str, origin: &str) -> String {
        let Value::Table(table) = Value::try_from(self).expect("a configuration serialises") else {
            unreachable!("a struct serialises to a table")
        };
        let mut out = String::new();
        out.push_str(&format!(
            "# Lauberhorn NIC configuration ({origin}), written by `lauberhorn config`.\n\
             #\n\
             # A configuration file may set any subset of these keys; the others come\n\
             # from the preset named by `base` (\"enzian\" when absent). Use it with\n\
             # `lauberhorn generate --config-file FILE --out DIR`.\n\
             base = \"{base}\"\n"
        ));
        for (name, doc, fields) in super::sections() {
            out.push_str(&format!("\n# {}\n[{name}]\n", doc.trim()));
            let Some(Value::Table(section)) = table.get(name) else {
                unreachable!("every section is serialised")
            };
            for (key, lines) in fields {
                for line in *lines {
                    out.push_str(&format!("#{line}\n"));
                }
                out.push_str(&format!("{key} = {}\n", section[*key]));
            }
        }
        out
    }
}
