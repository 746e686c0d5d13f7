//! Embeds the browser bundles of `web/dist/` into the server binary.
//!
//! Writes `$OUT_DIR/assets.rs`: a table of `Asset { path, body, etag }` sorted by path, whose
//! bodies are `include_bytes!` of the files, so `cargo run` needs no Node and no files beside the
//! binary. A missing or empty `web/dist/` (the web team builds it) gives an empty table, never a
//! build failure. Hidden files (`.gitkeep`, ...) are skipped.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let web = manifest.join("../../web");
    let dist = web.join("dist");
    // Rerun when a bundle changes; while `web/dist` does not exist, watch `web/` itself (its
    // mtime changes when `dist` is created) rather than a missing path, which would rerun every
    // build.
    if dist.is_dir() {
        println!("cargo:rerun-if-changed={}", dist.display());
    } else {
        println!("cargo:rerun-if-changed={}", web.display());
    }
    println!("cargo:rerun-if-changed=build.rs");

    let mut files = Vec::new();
    if dist.is_dir() {
        collect(&dist, &dist, &mut files);
    }
    files.sort();

    let mut out = String::from("pub(crate) static ASSETS: &[Asset] = &[\n");
    for (rel, abs) in &files {
        let bytes = std::fs::read(abs).expect("readable asset");
        let etag = format!("\"{:016x}-{:x}\"", fnv1a(&bytes), bytes.len());
        writeln!(
            out,
            "    Asset {{ path: {rel:?}, body: include_bytes!({:?}), etag: {etag:?} }},",
            abs.display().to_string()
        )
        .expect("write to string");
    }
    out.push_str("];\n");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    std::fs::write(out_dir.join("assets.rs"), out).expect("writable OUT_DIR");
}

/// Collects `(path relative to dist with '/' separators, absolute path)` of every regular,
/// non-hidden file under `dir`.
fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files);
        } else if path.is_file() {
            let rel = path.strip_prefix(root).expect("under root");
            let rel: Vec<&str> = rel.iter().filter_map(|c| c.to_str()).collect();
            let abs = path.canonicalize().unwrap_or(path.clone());
            files.push((rel.join("/"), abs));
        }
    }
}

/// FNV-1a, 64 bits: a cheap content hash for ETags (not a security boundary).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
