//! A directory of Verilog files as `lint` and `synth` see it: every `.v`
//! file, in the order of `lauberhorn.f` when there is one (files it does not
//! list come first, sorted), and the top module (that of the file list's last
//! file, else the one module nobody instantiates).

use super::generate::FILE_LIST;
use super::verilog_headers::{self, ModuleHeader};
use super::Failure;
use std::path::{Path, PathBuf};

/// The Verilog of one directory.
#[derive(Clone, Debug)]
pub struct RtlDir {
    /// The directory.
    pub dir: PathBuf,
    /// File names relative to `dir`, in compilation order.
    pub files: Vec<String>,
    /// Every module, with the file it is in, in file order.
    pub modules: Vec<(String, ModuleHeader)>,
    /// The top module, or why there is none (no module, or several
    /// candidates and no file list).
    pub top: Result<String, String>,
}

impl RtlDir {
    /// Reads `dir`.
    pub fn open(dir: &Path) -> Result<RtlDir, Failure> {
        let entries = std::fs::read_dir(dir).map_err(|e| Failure::io("read directory", dir, e))?;
        let mut all: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().is_file())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.ends_with(".v"))
            .collect();
        all.sort();
        let listed: Vec<String> = match std::fs::read_to_string(dir.join(FILE_LIST)) {
            Ok(text) => text
                .lines()
                .map(str::trim)
                .filter(|l| {
                    !l.is_empty() && !l.starts_with("//") && !l.starts_with('#') && !l.starts_with('-')
                })
                .map(str::to_string)
                .collect(),
            Err(_) => Vec::new(),
        };
        for l in &listed {
            if !dir.join(l).is_file() {
                return Err(Failure::usage(format!(
                    "{} lists {l}, which does not exist",
                    dir.join(FILE_LIST).display()
                )));
            }
        }
        let mut files: Vec<String> = all.into_iter().filter(|f| !listed.contains(f)).collect();
        files.extend(listed.iter().cloned());
        if files.is_empty() {
            return Err(Failure::usage(format!(
                "{} has no Verilog (.v) files",
                dir.display()
            )));
        }
        let mut modules = Vec::new();
        for f in &files {
            let path = dir.join(f);
            let text = std::fs::read_to_string(&path).map_err(|e| Failure::io("read", &path, e))?;
            modules.extend(verilog_headers::parse(&text).into_iter().map(|m| (f.clone(), m)));
        }
        let headers: Vec<ModuleHeader> = modules.iter().map(|(_, m)| m.clone()).collect();
        let tops = verilog_headers::tops(&headers);
        let top = match listed.last() {
            Some(last) => {
                let in_last: Vec<&ModuleHeader> = modules
                    .iter()
                    .filter(|(f, _)| f == last)
                    .map(|(_, m)| m)
                    .collect();
                in_last
                    .iter()
                    .find(|m| tops.iter().any(|t| t.name == m.name))
                    .or(in_last.last())
                    .map(|m| m.name.clone())
            }
            None if tops.len() == 1 => Some(tops[0].name.clone()),
            None if tops.is_empty() => None,
            None => {
                let names: Vec<&str> = tops.iter().map(|t| t.name.as_str()).collect();
                return Ok(RtlDir {
                    top: Err(format!(
                        "{} has several top modules ({}); write a {FILE_LIST} whose last file holds the top",
                        dir.display(),
                        names.join(", ")
                    )),
                    dir: dir.to_path_buf(),
                    files,
                    modules,
                });
            }
        };
        let top = top.ok_or_else(|| format!("no module found in {}", dir.display()));
        Ok(RtlDir {
            dir: dir.to_path_buf(),
            files,
            modules,
            top,
        })
    }

    /// The top module, or a usage error saying why there is none.
    pub fn top(&self) -> Result<&str, Failure> {
        self.top.as_deref().map_err(|e| Failure::usage(e.clone()))
    }

    /// The modules under `top` (itself included), children before parents.
    pub fn hierarchy(&self, top: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.visit(top, &mut out, 0);
        out
    }

    fn visit(&self, name: &str, out: &mut Vec<String>, depth: usize) {
        if out.iter().any(|n| n == name) || depth > 64 {
            return;
        }
        if let Some((_, m)) = self.modules.iter().find(|(_, m)| m.name == name) {
            for child in &m.instantiates {
                self.visit(child, out, depth + 1);
            }
            out.push(name.to_string());
        }
    }
}
