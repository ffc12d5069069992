//! Generates the Rust declarations of the model C ABI (`c/lhv_model.h`) with
//! bindgen, as a struct whose fields are the functions of a dynamically loaded
//! model library.

use std::path::PathBuf;

fn main() {
    let header = "c/lhv_model.h";
    println!("cargo:rerun-if-changed={header}");
    println!("cargo:rerun-if-changed=templates/shim.cpp");
    let bindings = bindgen::Builder::default()
        .header(header)
        .allowlist_function("lhv_.*")
        .allowlist_type("lhv_.*")
        .allowlist_var("LHV_.*")
        .dynamic_library_name("LhvLib")
        .dynamic_link_require_all(true)
        .derive_default(true)
        .generate()
        .expect("bindgen failed on c/lhv_model.h (is libclang-dev installed?)");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("lhv_bindings.rs");
    bindings.write_to_file(&out).expect("write bindings");
}
