//! `lauberhorn config`: a configuration as commented TOML.

use super::args::ConfigCmdArgs;
use super::{exit, Failure, Outcome};

/// Prints the configuration selected by `args` as commented TOML.
pub fn run(args: &ConfigCmdArgs) -> Outcome {
    let (cfg, label) = args.config.load()?;
    let (base, origin) = match &args.config.config_file {
        None => (label.clone(), format!("preset {label}")),
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| Failure::io("read", path, e))?;
            let base = text
                .parse::<toml::Table>()
                .ok()
                .and_then(|t| t.get("base").and_then(|b| b.as_str().map(str::to_string)))
                .unwrap_or_else(|| crate::config::presets::NAMES[0].to_string());
            let origin = format!("{label} on preset {base}");
            (base, origin)
        }
    };
    print!("{}", cfg.to_commented_toml(&base, &origin));
    Ok(exit::OK)
}
