//! Fuzz target: arbitrary bytes as the template file, through loading, the fit check, layout
//! and both renderers (see `fuzz/template_case.rs`). Seed it with templates/lisa.toml.

#![no_main]

#[path = "../template_case.rs"]
mod template_case;

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

fn workspace() -> &'static template_case::Workspace {
    static WORKSPACE: OnceLock<template_case::Workspace> = OnceLock::new();
    WORKSPACE.get_or_init(|| {
        template_case::Workspace::new(&Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
    })
}

fuzz_target!(|data: &[u8]| {
    workspace().run(data);
});
