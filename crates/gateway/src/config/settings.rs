//! Every setting, declared once: a field with its flag, environment variable, default,
//! parser and help, grouped by section. `--help`, the README's table (`table`) and
//! `Config::from_settings` all read these declarations.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::parser::ValueSource;
use clap::{ArgMatches, Args, Command, FromArgMatches};

use super::ConfigError;
use super::api_limits::ApiLimitSettings;
use super::cookies::CookieSettings;
use super::creditor_listener::CreditorListenerSettings;
use super::hosts::HostSettings;
use super::ledger::LedgerSettings;
use super::logins::LoginSettings;
use super::observability::TelemetrySettings;
use super::pago_pa::PagoPaSettings;
use super::server::ServerSettings;
use super::storage::StorageSettings;

#[derive(Clone, Debug, Args)]
pub struct Settings {
    #[command(flatten)]
    pub server: ServerSettings,
    #[command(flatten)]
    pub storage: StorageSettings,
    #[command(flatten)]
    pub hosts: HostSettings,
    #[command(flatten)]
    pub cookies: CookieSettings,
    #[command(flatten)]
    pub logins: LoginSettings,
    #[command(flatten)]
    pub api: ApiLimitSettings,
    #[command(flatten)]
    pub ledger: LedgerSettings,
    #[command(flatten)]
    pub pagopa: PagoPaSettings,
    #[command(flatten)]
    pub creditor_listener: CreditorListenerSettings,
    #[command(flatten)]
    pub telemetry: TelemetrySettings,
}

/// The declared defaults, whatever the environment holds: where a test starts from.
impl Default for Settings {
    fn default() -> Self {
        // The defaults are literals that `tests::the_defaults_parse` parses; were one
        // ever bad, this would stop the process with clap's message, like a bad flag.
        Settings::from_flags(std::iter::empty::<&str>())
            .unwrap_or_else(|error| clap::Error::raw(ErrorKind::ValueValidation, error).exit())
    }
}

impl Settings {
    /// These flags (`--addr`, `127.0.0.1:0`, …) over the defaults, the environment
    /// ignored: how a test configures a gateway from strings.
    pub fn from_flags<I, T>(flags: I) -> Result<Settings, ConfigError>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString>,
    {
        let declared = Settings::augment_args(Command::new("mensa"));
        let command = declared
            .clone()
            .mut_args(|arg| arg.env(None::<&'static str>));
        let args =
            std::iter::once(OsString::from("mensa")).chain(flags.into_iter().map(Into::into));
        parse(&declared, command, args).map_err(|failure| match failure {
            Failure::Setting(error) => error,
            Failure::Usage(error) => ConfigError {
                variable: "command line".into(),
                problem: error.to_string(),
            },
        })
    }
}

/// The process's command line over its environment, with `command` built from `T`.
/// Unlike clap's own `parse`, a bad value of a setting comes back as a `ConfigError`
/// naming its variable; anything else (`--help`, a misspelt flag) prints and exits as
/// clap does.
pub fn read<T: FromArgMatches>(declared: Command) -> Result<T, ConfigError> {
    // An empty variable counts as unset: compose files and charts write `NAME=` for
    // "not set", which should mean the default, not a bad value.
    let command = declared.clone().mut_args(|arg| {
        let blank = arg
            .get_env()
            .and_then(std::env::var_os)
            .is_some_and(|value| value.to_string_lossy().trim().is_empty());
        if blank {
            arg.env(None::<&'static str>)
        } else {
            arg
        }
    });
    parse(&declared, command, std::env::args_os()).map_err(|failure| match failure {
        Failure::Setting(error) => error,
        Failure::Usage(error) => error.exit(),
    })
}

enum Failure {
    /// A setting's value is bad, or a secret came as a flag.
    Setting(ConfigError),
    /// `--help`, `--version`, a misspelt flag: clap's to tell.
    Usage(clap::Error),
}

fn parse<T: FromArgMatches>(
    declared: &Command,
    command: Command,
    args: impl IntoIterator<Item = OsString>,
) -> Result<T, Failure> {
    let matches = command
        .try_get_matches_from(args)
        .map_err(|error| named(error, declared))?;
    environment_only(declared, &matches).map_err(Failure::Setting)?;
    T::from_arg_matches(&matches).map_err(|error| named(error, declared))
}

/// A hidden setting with a variable is a secret: a flag would show it to anyone who
/// lists the processes, so only the environment may set it.
fn environment_only(declared: &Command, matches: &ArgMatches) -> Result<(), ConfigError> {
    let flagged = declared.get_arguments().find(|arg| {
        arg.is_hide_set()
            && arg.get_env().is_some()
            && matches.value_source(arg.get_id().as_str()) == Some(ValueSource::CommandLine)
    });
    match flagged {
        Some(arg) => Err(ConfigError {
            variable: variable(arg),
            problem: format!(
                "--{} was given on the command line, where `ps` shows it: set the variable instead",
                arg.get_long().unwrap_or_default()
            ),
        }),
        None => Ok(()),
    }
}

/// A bad value becomes a `ConfigError` named by its setting's variable; any other error
/// stays clap's.
fn named(error: clap::Error, declared: &Command) -> Failure {
    let setting = match error.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(invalid))
            if matches!(
                error.kind(),
                ErrorKind::ValueValidation | ErrorKind::InvalidValue
            ) =>
        {
            // `--addr <ADDR>`: the flag names the setting.
            let flag = invalid.split(' ').next().unwrap_or_default();
            declared.get_arguments().find(|arg| {
                arg.get_env().is_some()
                    && arg
                        .get_long()
                        .is_some_and(|long| flag.strip_prefix("--") == Some(long))
            })
        }
        _ => None,
    };
    let Some(setting) = setting else {
        return Failure::Usage(error);
    };
    // The parsers' own messages: clap's would repeat the value, password included.
    let problem = std::error::Error::source(&error)
        .map(ToString::to_string)
        .unwrap_or_else(|| "is not a valid value".to_owned());
    Failure::Setting(ConfigError {
        variable: variable(setting),
        problem,
    })
}

fn variable(arg: &clap::Arg) -> String {
    arg.get_env()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_defaults_parse() {
        let settings = Settings::from_flags(std::iter::empty::<&str>()).unwrap();
        assert_eq!(settings.server.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(settings.storage.cache_prefix, "mensa");
    }

    #[test]
    fn a_secret_is_refused_as_a_flag() {
        let error = Settings::from_flags(["--pagopa-checkout-api-key", "k"]).unwrap_err();
        assert_eq!(error.variable, "MENSA_PAGOPA_CHECKOUT_API_KEY");
    }

    #[test]
    fn every_setting_has_a_variable_and_help() {
        for arg in Settings::augment_args(Command::new("mensa")).get_arguments() {
            assert!(arg.get_env().is_some(), "{arg} has no variable");
            assert!(
                arg.get_long_help().or(arg.get_help()).is_some(),
                "{arg} has no help"
            );
            assert!(
                arg.is_global_set(),
                "{arg} is not global: `mensa serve --{arg}` would fail"
            );
        }
    }
}
