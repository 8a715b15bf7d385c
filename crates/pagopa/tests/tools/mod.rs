//! External programs some tests drive (xmllint, poppler, zbar, dmtx).
//!
//! A plain `cargo test` on a machine without them skips those tests and says which Debian
//! package to install; with `MENSA_TEST_REQUIRE_TOOLS` set (as `.ci/run` does) a missing
//! program fails the test instead, so CI can never pass by skipping.

/// True when every `(program, debian package)` is on the PATH.
pub fn available(tools: &[(&str, &str)]) -> bool {
    let missing: Vec<String> = tools
        .iter()
        .filter(|(program, _)| !on_path(program))
        .map(|(program, package)| format!("{program} (apt-get install -y {package})"))
        .collect();
    if missing.is_empty() {
        return true;
    }
    let message = format!("missing test programs: {}", missing.join(", "));
    assert!(
        std::env::var_os("MENSA_TEST_REQUIRE_TOOLS").is_none(),
        "{message}"
    );
    eprintln!("skipped: {message}");
    false
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}
