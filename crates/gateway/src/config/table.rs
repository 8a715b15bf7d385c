//! The README's configuration table, rendered from the settings' declarations so that
//! the documentation cannot drift from the code: `mensa settings` prints it, `mensa
//! settings --update README.md` rewrites it between the markers, and a test fails when
//! the README's copy differs.
//!
//! A setting's row is its variable, its default (the help's last paragraph when it starts
//! with `Default: `, since a default that follows another setting has no value to show;
//! else the declared value; else "none"), and its long help.

use clap::{Arg, Command};

pub const BEGIN: &str = "<!-- settings: generated from crates/gateway/src/config by `mensa settings --update README.md` -->";
pub const END: &str = "<!-- /settings -->";

/// Variables read by libraries rather than by our settings, documented beside them.
const READ_BY_LIBRARIES: [(&str, &str, &str); 2] = [
    (
        "`RUST_LOG`",
        "`info`",
        "log filter (it also decides which spans are exported)",
    ),
    (
        "`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `..._METRICS_ENDPOINT`, `..._HEADERS`, `..._TIMEOUT`, `OTEL_METRIC_EXPORT_INTERVAL`, `OTEL_RESOURCE_ATTRIBUTES`",
        "the OpenTelemetry defaults",
        "read by the exporter as the OpenTelemetry specification says (metrics every 60 s)",
    ),
];

/// The table of every setting of `command` that has a variable, in declaration order.
pub fn markdown(command: &Command) -> String {
    let mut table = String::from("| variable | default | meaning |\n|---|---|---|\n");
    for arg in command.get_arguments() {
        if let Some(variable) = arg.get_env() {
            let (default, meaning) = describe(arg);
            let variable = variable.to_string_lossy();
            table.push_str(&format!("| `{variable}` | {default} | {meaning} |\n"));
        }
    }
    for (variable, default, meaning) in READ_BY_LIBRARIES {
        table.push_str(&format!("| {variable} | {default} | {meaning} |\n"));
    }
    table
}

fn describe(arg: &Arg) -> (String, String) {
    let help = arg
        .get_long_help()
        .or(arg.get_help())
        .map(ToString::to_string)
        .unwrap_or_default();
    let mut default = None;
    let mut meaning = Vec::new();
    for paragraph in help.split("\n\n") {
        match paragraph.strip_prefix("Default: ") {
            Some(described) => default = Some(described.to_owned()),
            None => meaning.push(paragraph.replace('\n', " ")),
        }
    }
    let default = default.unwrap_or_else(|| match arg.get_default_values() {
        [] => "none".to_owned(),
        values => values
            .iter()
            .map(|value| format!("`{}`", value.to_string_lossy()))
            .collect::<Vec<_>>()
            .join(", "),
    });
    let meaning = meaning.join(" ");
    let meaning = meaning.strip_suffix('.').unwrap_or(&meaning);
    (default, lowercase_first(meaning).replace('|', "\\|"))
}

/// A row reads as the continuation of its variable's name, as the README always had it:
/// "address to listen on", but "GraphQL requests…" keeps its capitals.
fn lowercase_first(text: &str) -> String {
    let word = text.split(' ').next().unwrap_or_default();
    let mut chars = word.chars();
    match chars.next() {
        Some(first) if !chars.any(char::is_uppercase) => format!(
            "{}{}",
            first.to_lowercase(),
            text.get(first.len_utf8()..).unwrap_or_default()
        ),
        _ => text.to_owned(),
    }
}

/// `document` with the text between the markers replaced by `table`; `None` when the
/// markers are missing.
pub fn replace(document: &str, table: &str) -> Option<String> {
    let start = document.find(BEGIN)?.checked_add(BEGIN.len())?;
    let end = start.checked_add(document.get(start..)?.find(END)?)?;
    Some(format!(
        "{}\n{table}{}",
        document.get(..start)?,
        document.get(end..)?
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_readme_table_is_the_settings_table() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md");
        let readme = std::fs::read_to_string(path).unwrap();
        let table = markdown(&crate::cli::Cli::command());
        let Some(expected) = replace(&readme, &table) else {
            panic!("README.md lacks the markers {BEGIN} and {END} around its configuration table")
        };
        assert!(
            readme == expected,
            "README.md's configuration table differs from the settings declared in \
             crates/gateway/src/config: run `cargo run -- settings --update README.md` at the \
             repository root and commit the result"
        );
    }

    #[test]
    fn rows_carry_the_described_or_declared_default() {
        let table = markdown(&crate::cli::Cli::command());
        for row in [
            "| `MENSA_ADDR` | `127.0.0.1:8080` | address to listen on |",
            "| `MENSA_DEMO` | on for the base domain `localhost` without `DATABASE_URL`, off otherwise | demo mode",
            "| `MENSA_PAGOPA_ADDR` | `127.0.0.1:8081` | address of the creditor SOAP interface",
            "| `MENSA_CORS_ORIGINS` | none | ",
            "| `MENSA_PAGOPA_ACA_API_KEY` | none | central archive subscription key; environment only |",
            "| `MENSA_GRAPHQL_RATE_PER_ADDRESS` | `1200` | GraphQL requests",
        ] {
            assert!(table.contains(row), "{row} not in\n{table}");
        }
    }

    #[test]
    fn only_the_text_between_the_markers_changes() {
        let document = format!("before\n{BEGIN}\nold\n{END}\nafter\n");
        assert_eq!(
            replace(&document, "new\n").unwrap(),
            format!("before\n{BEGIN}\nnew\n{END}\nafter\n")
        );
        assert_eq!(replace("no markers", "new\n"), None);
    }
}
