//! `rust-version` tells the truth: no package in the dependency tree (as `Cargo.lock` resolves
//! it, dev-dependencies included) declares a newer `rust-version` than this workspace. When a
//! dependency update raises it, this fails and names the packages: raise the workspace's
//! `rust-version` in `Cargo.toml` (and the README) to match, or keep the older dependency.

use std::process::Command;

fn version(v: &str) -> (u64, u64, u64) {
    let mut parts = v
        .split('.')
        .map(|p| p.parse::<u64>().expect("a rust-version number"));
    (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

#[test]
fn no_dependency_needs_a_newer_rust_than_ours() {
    let ours = env!("CARGO_PKG_RUST_VERSION");
    assert!(!ours.is_empty(), "the facade declares a rust-version");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| env!("CARGO").to_owned());
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--locked",
            "--manifest-path",
        ])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let members = metadata["workspace_members"].as_array().expect("members");
    let mut newer = Vec::new();
    for package in metadata["packages"].as_array().expect("packages") {
        if members.contains(&package["id"]) {
            continue;
        }
        let Some(theirs) = package["rust_version"].as_str() else {
            continue;
        };
        if version(theirs) > version(ours) {
            newer.push(format!(
                "{} {} needs {theirs}",
                package["name"], package["version"]
            ));
        }
    }
    assert!(
        newer.is_empty(),
        "rust-version = {ours}, but: {}",
        newer.join("; ")
    );
}
