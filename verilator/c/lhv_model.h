/* The fixed C ABI of a Verilator model built by the lauberhorn `verilator`
 * crate. Every generated model shared object exports exactly these functions;
 * the Rust side binds them with bindgen (see build.rs) and loads them with
 * libloading. Bump LHV_ABI_VERSION on any change. */
#ifndef LHV_MODEL_H
#define LHV_MODEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define LHV_EXPORT __attribute__((visibility("default")))
#else
#define LHV_EXPORT
#endif

/** Version of this ABI; `lhv_abi_version` returns it. */
#define LHV_ABI_VERSION 3

/** Port direction: into the model. */
#define LHV_DIR_INPUT 0
/** Port direction: out of the model. */
#define LHV_DIR_OUTPUT 1

/** Trace format compiled into the model: none. */
#define LHV_TRACE_NONE 0
/** Trace format compiled into the model: VCD. */
#define LHV_TRACE_VCD 1
/** Trace format compiled into the model: FST. */
#define LHV_TRACE_FST 2

/** An opaque model instance: a Verilated context, the model and its trace. */
typedef struct lhv_model lhv_model;

/** One top-level port of a model. */
typedef struct lhv_port {
    /** NUL-terminated Verilog name, static for the library's lifetime. */
    const char* name;
    /** Width in bits. */
    uint32_t width;
    /** LHV_DIR_INPUT or LHV_DIR_OUTPUT. */
    uint32_t direction;
    /** Bytes per storage word: 1 (CData), 2 (SData), 4 (IData or WData words), 8 (QData). */
    uint32_t word_bytes;
    /** Number of storage words: 1, or ceil(width / 32) for wide ports (WData). */
    uint32_t words;
    /** The port's storage inside the model, valid until lhv_destroy. */
    void* data;
} lhv_port;

/** Returns LHV_ABI_VERSION as compiled into the library. */
LHV_EXPORT uint32_t lhv_abi_version(void);
/** Returns the Verilog name of the top module. */
LHV_EXPORT const char* lhv_top_name(void);
/** Returns the trace format compiled in (LHV_TRACE_*). */
LHV_EXPORT uint32_t lhv_trace_format(void);
/** Creates a model; traces into `trace_path_or_null` when it is not NULL and the
 * model was built with tracing. Returns NULL on failure. Either way the
 * calling thread's Verilator context is no longer any earlier model's. */
LHV_EXPORT lhv_model* lhv_create(const char* trace_path_or_null);
/** Closes the trace and frees the model. */
LHV_EXPORT void lhv_destroy(lhv_model* m);
/** Evaluates the model until it settles, then dumps the trace when it is open,
 * switched on, and the time advanced since the last dump. Returns 0, or -1
 * when the model is stopped: a `$stop`, `$fatal`, failed assertion or runtime
 * error ended an evaluation (this one or an earlier one, which left the state
 * half-evaluated, so nothing is evaluated any more); lhv_stop_message says
 * why. */
LHV_EXPORT int32_t lhv_eval(lhv_model* m);
/** Sets the time to `t`, then as lhv_eval. */
LHV_EXPORT int32_t lhv_eval_at(lhv_model* m, uint64_t t);
/** One clock period in one call: at time `rise` sets `*clk` (a port's storage
 * of one byte) to 1 and evaluates, at time `fall` sets it to 0 and evaluates,
 * dumping the trace as lhv_eval after each. Returns as lhv_eval. */
LHV_EXPORT int32_t lhv_cycle(lhv_model* m, uint8_t* clk, uint64_t rise, uint64_t fall);
/** Runs `final` blocks; call once at the end of simulation. Returns as
 * lhv_eval. */
LHV_EXPORT int32_t lhv_final(lhv_model* m);
/** Why the model stopped (e.g. "%Error: top.v:12: Verilog $stop"), or NULL
 * while it runs; valid until the next call on the model. */
LHV_EXPORT const char* lhv_stop_message(const lhv_model* m);
/** 1 once the design ran `$finish` (which, unlike in a Verilator main, never
 * exits the process), else 0. */
LHV_EXPORT int32_t lhv_got_finish(const lhv_model* m);
/** Makes the model's context the calling thread's Verilator context, where
 * `$finish` and error counts land and through which Verilator destroys a
 * model's scopes: call before evaluating, finishing, flushing or destroying
 * the model on a thread whose Verilator context may be another one (another
 * model was used or created there since, or none was bound yet). */
LHV_EXPORT void lhv_bind_thread(lhv_model* m);
/** Current simulation time in time-precision units. */
LHV_EXPORT uint64_t lhv_time_get(const lhv_model* m);
/** Sets the simulation time. */
LHV_EXPORT void lhv_time_set(lhv_model* m, uint64_t t);
/** Number of top-level ports. */
LHV_EXPORT uint32_t lhv_port_count(void);
/** Fills `out` for port `i`; returns 0, or -1 when `i` is out of range. */
LHV_EXPORT int32_t lhv_port_info(lhv_model* m, uint32_t i, lhv_port* out);
/** Returns 1 when the model has an open trace file, else 0. */
LHV_EXPORT int32_t lhv_trace_is_open(const lhv_model* m);
/** Switches dumping on (1) or off (0); an open trace starts switched on. */
LHV_EXPORT void lhv_trace_enable(lhv_model* m, int32_t on);
/** Flushes the trace file. Returns as lhv_eval (writing the trace can fail
 * with a fatal error, which stops the model). */
LHV_EXPORT int32_t lhv_trace_flush(lhv_model* m);

#ifdef __cplusplus
}
#endif

#endif /* LHV_MODEL_H */
