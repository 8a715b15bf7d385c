//! The repository's copy of the pagoPA files (`spec/`) is the one the team shares: when
//! that shared folder sits beside the repository, every copied file must match it.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::Path;

const COPIED: &[&str] = &[
    "wsdl/paForNode.wsdl",
    "wsdl/xsd/paForNode.xsd",
    "xsd-common/sac-common-types-1.0.xsd",
    "openapi/checkout_v1.json",
    "openapi/paCreatePosition.json",
];

#[test]
fn the_copy_is_the_specification_as_it_stands() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = crate_dir.join("../../../shared/pagopa");
    if !shared.is_dir() {
        eprintln!("skipped: {} is not here to compare with", shared.display());
        return;
    }
    for name in COPIED {
        let copy = std::fs::read(crate_dir.join("spec").join(name)).unwrap();
        let original = std::fs::read(shared.join(name)).unwrap();
        assert!(
            copy == original,
            "spec/{name} differs from the shared pagoPA files: copy it again"
        );
    }
}

#[test]
fn every_copied_file_is_listed() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec");
    let mut found = Vec::new();
    let mut folders = vec![spec.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.file_name().is_some_and(|name| name != "README.md") {
                let relative = path.strip_prefix(&spec).unwrap();
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    let mut listed: Vec<String> = COPIED.iter().map(|name| (*name).to_owned()).collect();
    listed.sort();
    assert_eq!(found, listed, "spec/ and the list of compared files differ");
}
