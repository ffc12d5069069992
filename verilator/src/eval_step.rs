//! The evaluation step the shim runs: the model's own `eval_step()` without
//! its per-thread message bookkeeping, when that bookkeeping is provably idle.
//!
//! Verilator 5.006's `eval_step()` sets `Verilated::mtaskId(0)` and checks
//! `Verilated::endOfThreadMTask()`, both on a `thread_local`, then calls
//! `Verilated::endOfEval()`. In a model loaded with `dlopen` every
//! thread-local access goes through `__tls_get_addr` (and the thread-local's
//! init wrapper), which for a small design costs more than the design itself.
//! In a single-threaded model all three are idle: no mtask ever runs, so the
//! thread's mtask id stays 0; `VerilatedThreadMsgQueue::post` then runs every
//! message at once instead of queueing it, so `endOfThreadMTask()` has nothing
//! to flush, and the eval's message queue, which only that flush fills, stays
//! empty for `endOfEval()`. Later Verilator 5.0xx releases drop the two
//! thread-local statements from single-threaded models themselves.
//!
//! So the shim copies the body of the generated `eval_step()` without those
//! three statements, but only when the two thread-local ones are there and
//! every other statement is one this module knows; otherwise (a
//! multi-threaded model, a Verilator that emits something new, or one that
//! already omits them) it calls the model's `eval()`.

/// Statements of a generated `eval_step()` that touch only the per-thread
/// mtask state, which a single-threaded model never changes.
const THREAD_LOCAL_BOOKKEEPING: [&str; 2] = [
    "Verilated::mtaskId(0);",
    "Verilated::endOfThreadMTask(vlSymsp->__Vm_evalMsgQp);",
];

/// Runs the eval's message queue, which only `endOfThreadMTask` fills.
const END_OF_EVAL: &str = "Verilated::endOfEval(vlSymsp->__Vm_evalMsgQp);";

/// Whether `stmt` is one of the statements of a generated `eval_step()` the
/// shim may copy: initialisation on the first call, the evaluation itself,
/// deferred deletes, and the debug assertions of a `-DVL_DEBUG` build.
fn is_known(stmt: &str, prefix: &str) -> bool {
    let root = format!("{prefix}___024root___");
    if stmt.starts_with("#endif") {
        return true;
    }
    let known = [
        "#ifdef VL_DEBUG".to_string(),
        format!("{root}eval_debug_assertions(&(vlSymsp->TOP));"),
        "if (VL_UNLIKELY(!vlSymsp->__Vm_didInit)) {".to_string(),
        "vlSymsp->__Vm_didInit = true;".to_string(),
        format!("{root}eval_static(&(vlSymsp->TOP));"),
        format!("{root}eval_initial(&(vlSymsp->TOP));"),
        format!("{root}eval_settle(&(vlSymsp->TOP));"),
        format!("{root}eval(&(vlSymsp->TOP));"),
        "}".to_string(),
        "vlSymsp->__Vm_activity = true;".to_string(),
        "vlSymsp->__Vm_deleter.deleteAll();".to_string(),
    ];
    known.iter().any(|k| k == stmt)
}

/// The statement and preprocessor lines of the `eval_step()` body in
/// `model_cpp` (the generated `<prefix>.cpp`) as written, without comments
/// and debug messages; `None` when the function is not found.
fn eval_step_statements(model_cpp: &str, prefix: &str) -> Option<Vec<String>> {
    let head = format!("void {prefix}::eval_step() {{");
    let mut lines = model_cpp.lines().skip_while(|l| l.trim() != head).skip(1);
    let mut out = Vec::new();
    loop {
        let line = lines.next()?;
        if line == "}" {
            return Some(out);
        }
        let s = line.trim();
        if !(s.is_empty() || s.starts_with("//") || s.starts_with("VL_DEBUG_IF(")) {
            out.push(line.trim_end().to_string());
        }
    }
}

/// The body of the shim's evaluation step for the model `prefix` (a function
/// with `vlSymsp` in scope), from the generated `<prefix>.cpp` and `<prefix>.h`
/// and the model's thread count; `None` when the shim must call `eval()`.
pub(crate) fn direct_body(model_cpp: &str, model_h: &str, prefix: &str, threads: u32) -> Option<String> {
    // `eval()` must be exactly `eval_step()` for the copy to stand in for it.
    if threads != 1 || !model_h.contains("void eval() { eval_step(); }") {
        return None;
    }
    let stmts = eval_step_statements(model_cpp, prefix)?;
    let has = |stmt: &str| stmts.iter().any(|s| s.trim() == stmt);
    if !THREAD_LOCAL_BOOKKEEPING.iter().all(|b| has(b)) {
        return None;
    }
    let idle = |s: &&String| THREAD_LOCAL_BOOKKEEPING.contains(&s.trim()) || s.trim() == END_OF_EVAL;
    let kept: Vec<&String> = stmts.iter().filter(|s| !idle(s)).collect();
    if !kept.iter().all(|s| is_known(s.trim(), prefix)) {
        return None;
    }
    Some(kept.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "    void eval() { eval_step(); }\n    void eval_step();\n";

    /// `eval_step()` as Verilator 5.006 emits it for a single-threaded model.
    const V5006: &str = r#"
void Vlhv::eval_step() {
    VL_DEBUG_IF(VL_DBG_MSGF("+++++TOP Evaluate Vlhv::eval_step\n"); );
#ifdef VL_DEBUG
    // Debug assertions
    Vlhv___024root___eval_debug_assertions(&(vlSymsp->TOP));
#endif  // VL_DEBUG
    if (VL_UNLIKELY(!vlSymsp->__Vm_didInit)) {
        vlSymsp->__Vm_didInit = true;
        VL_DEBUG_IF(VL_DBG_MSGF("+ Initial\n"););
        Vlhv___024root___eval_static(&(vlSymsp->TOP));
        Vlhv___024root___eval_initial(&(vlSymsp->TOP));
        Vlhv___024root___eval_settle(&(vlSymsp->TOP));
    }
    // MTask 0 start
    VL_DEBUG_IF(VL_DBG_MSGF("MTask0 starting\n"););
    Verilated::mtaskId(0);
    VL_DEBUG_IF(VL_DBG_MSGF("+ Eval\n"););
    Vlhv___024root___eval(&(vlSymsp->TOP));
    // Evaluate cleanup
    Verilated::endOfThreadMTask(vlSymsp->__Vm_evalMsgQp);
    Verilated::endOfEval(vlSymsp->__Vm_evalMsgQp);
}

void Vlhv::eval_end_step() {}
"#;

    #[test]
    fn drops_only_the_message_bookkeeping_of_5006() {
        let body = direct_body(V5006, HEADER, "Vlhv", 1).expect("direct step");
        assert_eq!(
            body,
            "#ifdef VL_DEBUG
    Vlhv___024root___eval_debug_assertions(&(vlSymsp->TOP));
#endif  // VL_DEBUG
    if (VL_UNLIKELY(!vlSymsp->__Vm_didInit)) {
        vlSymsp->__Vm_didInit = true;
        Vlhv___024root___eval_static(&(vlSymsp->TOP));
        Vlhv___024root___eval_initial(&(vlSymsp->TOP));
        Vlhv___024root___eval_settle(&(vlSymsp->TOP));
    }
    Vlhv___024root___eval(&(vlSymsp->TOP));"
        );
    }

    #[test]
    fn multi_threaded_models_call_eval() {
        assert_eq!(direct_body(V5006, HEADER, "Vlhv", 2), None);
    }

    #[test]
    fn a_step_without_thread_bookkeeping_calls_eval() {
        // Later 5.0xx: nothing to drop, so `eval()` is already the fast path.
        let newer = V5006
            .replace("    Verilated::mtaskId(0);\n", "")
            .replace("    Verilated::endOfThreadMTask(vlSymsp->__Vm_evalMsgQp);\n", "")
            .replace(
                "    if (VL_UNLIKELY",
                "    vlSymsp->__Vm_activity = true;\n    vlSymsp->__Vm_deleter.deleteAll();\n    if (VL_UNLIKELY",
            );
        assert_eq!(direct_body(&newer, HEADER, "Vlhv", 1), None);
        // Half of it: not a shape this module knows.
        let half = V5006.replace("    Verilated::mtaskId(0);\n", "");
        assert_eq!(direct_body(&half, HEADER, "Vlhv", 1), None);
    }

    #[test]
    fn an_unknown_statement_or_eval_calls_eval() {
        let extra = V5006.replace(
            "    Verilated::endOfEval",
            "    Verilated::somethingNew();\n    Verilated::endOfEval",
        );
        assert_eq!(direct_body(&extra, HEADER, "Vlhv", 1), None);
        let other_eval = "    void eval() { eval_step(); eval_end_step(); }\n";
        assert_eq!(direct_body(V5006, other_eval, "Vlhv", 1), None);
        assert_eq!(direct_body("void Vlhv::eval() {}\n", HEADER, "Vlhv", 1), None);
        // A preprocessor branch this module does not know.
        let branch = V5006.replace(
            "#endif  // VL_DEBUG",
            "#else\n    Vlhv___024root___other();\n#endif",
        );
        assert_eq!(direct_body(&branch, HEADER, "Vlhv", 1), None);
    }

    #[test]
    fn known_newer_statements_are_kept() {
        let newer = V5006.replace(
            "    if (VL_UNLIKELY",
            "    vlSymsp->__Vm_deleter.deleteAll();\n    if (VL_UNLIKELY",
        );
        let body = direct_body(&newer, HEADER, "Vlhv", 1).expect("direct step");
        assert!(body.contains("#endif  // VL_DEBUG\n    vlSymsp->__Vm_deleter.deleteAll();\n"));
        assert!(!body.contains("mtaskId"));
    }
}
