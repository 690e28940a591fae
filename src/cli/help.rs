//! The help pages, the man page, completion descriptions and clap's own error lines in the
//! user's language. clap's derive gives the structure (commands, options, types); this module
//! walks the built command tree once and sets every text from the Fluent messages, with ids
//! derived from the names: `<command>-about`, `<command>-after-help` (the examples),
//! `<command>-arg-<option>`, else the shared `arg-<option>`; placeholders `value-<NAME>`.

use super::Cli;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory};
use rollikaart::i18n::{self, Lang, Value, tr_in};

/// The name of the root command, also its message id prefix.
pub const ROOT: &str = "rollikaart";

/// The whole command tree with every text in `lang`.
pub fn command(lang: Lang) -> Command {
    Walker::new(lang).localize(Cli::command()).0
}

/// Applies the Fluent texts to a command tree and remembers ids that have no message.
pub struct Walker {
    lang: Lang,
    pub missing: Vec<String>,
}

impl Walker {
    pub fn new(lang: Lang) -> Walker {
        Walker {
            lang,
            missing: Vec::new(),
        }
    }

    /// The localised tree and the ids that were missing (a test keeps that list empty).
    pub fn localize(mut self, root: Command) -> (Command, Vec<String>) {
        let version = Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version);
        let root = root
            .disable_version_flag(true)
            .disable_help_subcommand(true)
            .arg(version);
        let root = self.command(root, ROOT, ROOT);
        (root, self.missing)
    }

    fn text(&mut self, candidates: &[String]) -> String {
        match candidates
            .iter()
            .find(|id| i18n::has_message(self.lang, id))
        {
            Some(id) => tr_in(self.lang, id, &[]),
            None => {
                let id = candidates.first().cloned().unwrap_or_default();
                self.missing.push(id.clone());
                id
            }
        }
    }

    fn command(&mut self, cmd: Command, id: &str, bin: &str) -> Command {
        let help = Arg::new("help")
            .short('h')
            .long("help")
            .action(ArgAction::Help);
        let mut cmd = cmd.disable_help_flag(true).arg(help);
        let about = self.text(&[format!("{id}-about")]);
        let after_help = self.text(&[format!("{id}-after-help")]);
        let template = format!(
            "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            tr_in(self.lang, "help-usage", &[])
        );
        let usage = self.usage(&cmd, bin);
        cmd = cmd
            .about(about)
            .long_about(None)
            .after_help(after_help)
            .help_template(template)
            .override_usage(usage)
            .subcommand_help_heading(tr_in(self.lang, "help-commands", &[]))
            .subcommand_value_name(tr_in(self.lang, "help-command-placeholder", &[]));
        let args: Vec<clap::Id> = cmd.get_arguments().map(|a| a.get_id().clone()).collect();
        for arg in args {
            cmd = cmd.mut_arg(arg, |a| self.arg(a, id));
        }
        let subcommands: Vec<String> = cmd
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect();
        for name in subcommands {
            let sub_bin = format!("{bin} {name}");
            cmd = cmd.mut_subcommand(&name, |s| self.command(s, &name, &sub_bin));
        }
        cmd
    }

    fn arg(&mut self, arg: Arg, command: &str) -> Arg {
        let name = arg
            .get_long()
            .unwrap_or(arg.get_id().as_str())
            .replace('_', "-");
        let mut help = self.text(&[format!("{command}-arg-{name}"), format!("arg-{name}")]);
        let takes_values = arg.get_action().takes_values();
        let defaults: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        if takes_values && !defaults.is_empty() {
            let value = Value::from(defaults.join(", "));
            help = format!(
                "{help} [{}]",
                tr_in(self.lang, "help-default", &[("value", value)])
            );
        }
        let possible: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|p| !p.is_hide_set())
            .map(|p| p.get_name().to_string())
            .collect();
        if takes_values && !possible.is_empty() {
            let values = Value::from(possible.join(", "));
            help = format!(
                "{help} [{}]",
                tr_in(self.lang, "help-possible", &[("values", values)])
            );
        }
        let heading = if arg.is_positional() {
            "help-arguments"
        } else {
            "help-options"
        };
        let mut arg = arg
            .help(help)
            .long_help(None)
            .help_heading(tr_in(self.lang, heading, &[]));
        if takes_values {
            // Said in the help text above, in the user's language.
            arg = arg.hide_default_value(true).hide_possible_values(true);
            let names: Vec<String> = match arg.get_value_names() {
                Some(names) => names.iter().map(|n| n.to_string()).collect(),
                None => vec![arg.get_id().as_str().to_uppercase()],
            };
            let translated: Vec<String> = names
                .iter()
                .map(|n| self.text(&[format!("value-{n}")]))
                .collect();
            arg = arg.value_names(translated);
        }
        arg
    }

    /// `rollikaart build [VALIKUD] <KAART>`: clap's usage line with translated placeholders.
    fn usage(&mut self, cmd: &Command, bin: &str) -> String {
        let mut parts = vec![
            bin.to_string(),
            format!("[{}]", tr_in(self.lang, "help-options-placeholder", &[])),
        ];
        for arg in cmd.get_positionals() {
            let name = arg
                .get_value_names()
                .and_then(|n| n.first())
                .map_or_else(|| arg.get_id().as_str().to_uppercase(), |n| n.to_string());
            let name = self.text(&[format!("value-{name}")]);
            parts.push(if arg.is_required_set() {
                format!("<{name}>")
            } else {
                format!("[{name}]")
            });
        }
        if cmd.has_subcommands() {
            let name = tr_in(self.lang, "help-command-placeholder", &[]);
            parts.push(format!("<{name}>"));
        }
        parts.join(" ")
    }
}

/// clap's error as one line in `lang` for the usual mistakes, with a hint and where to read
/// more; `None` for the rare kinds clap words itself (they stay English).
pub fn error_text(error: &clap::Error, lang: Lang) -> Option<String> {
    let get = |kind: ContextKind| match error.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        _ => None,
    };
    let t = |id: &str, args: &[(&str, Value<'_>)]| tr_in(lang, id, args);
    let arg = || Value::from(get(ContextKind::InvalidArg).unwrap_or_default());
    let message = match error.kind() {
        ErrorKind::UnknownArgument => t("clap-unknown-argument", &[("arg", arg())]),
        ErrorKind::InvalidSubcommand => t(
            "clap-unknown-command",
            &[(
                "command",
                Value::from(get(ContextKind::InvalidSubcommand).unwrap_or_default()),
            )],
        ),
        ErrorKind::InvalidValue => t(
            "clap-invalid-value",
            &[
                ("arg", arg()),
                (
                    "value",
                    Value::from(get(ContextKind::InvalidValue).unwrap_or_default()),
                ),
            ],
        ),
        ErrorKind::MissingRequiredArgument => t("clap-missing-argument", &[("arg", arg())]),
        ErrorKind::ArgumentConflict => t(
            "clap-conflict",
            &[
                ("arg", arg()),
                (
                    "other",
                    Value::from(get(ContextKind::PriorArg).unwrap_or_default()),
                ),
            ],
        ),
        ErrorKind::NoEquals | ErrorKind::ValueValidation | ErrorKind::WrongNumberOfValues => {
            t("clap-invalid-value-generic", &[("arg", arg())])
        }
        _ => return None,
    };
    let mut lines = vec![t("clap-error", &[("message", Value::from(message))])];
    let suggestion = get(ContextKind::SuggestedArg)
        .or_else(|| get(ContextKind::SuggestedSubcommand))
        .or_else(|| get(ContextKind::SuggestedValue));
    if let Some(similar) = suggestion {
        lines.push(t("clap-similar", &[("similar", Value::from(similar))]));
    } else if let Some(valid) = get(ContextKind::ValidValue) {
        lines.push(t("clap-valid-values", &[("values", Value::from(valid))]));
    }
    lines.push(t(
        "help-more-info",
        &[("help", Value::from(format!("{ROOT} --help")))],
    ));
    Some(lines.join("\n") + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_help_text_has_a_message_in_both_languages() {
        for lang in Lang::ALL {
            let (_, missing) = Walker::new(lang).localize(Cli::command());
            assert!(
                missing.is_empty(),
                "{}: no message for {missing:?}",
                lang.code()
            );
        }
    }

    #[test]
    fn the_tree_is_consistent_after_the_texts_are_set() {
        for lang in Lang::ALL {
            command(lang).debug_assert();
        }
    }

    #[test]
    fn clap_error_messages_exist() {
        for lang in Lang::ALL {
            for id in [
                "clap-error",
                "clap-unknown-argument",
                "clap-unknown-command",
                "clap-invalid-value",
                "clap-invalid-value-generic",
                "clap-missing-argument",
                "clap-conflict",
                "clap-similar",
                "clap-valid-values",
                "help-more-info",
            ] {
                assert!(i18n::has_message(lang, id), "{id} in {}", lang.code());
            }
        }
    }

    #[test]
    fn an_unknown_option_is_reported_in_estonian() {
        let Err(e) = command(Lang::Et).try_get_matches_from(["rollikaart", "build", "--reg-dat"])
        else {
            panic!("--reg-dat was accepted");
        };
        let text = error_text(&e, Lang::Et).unwrap_or_default();
        assert!(text.contains("tundmatu valik '--reg-dat'"), "{text}");
        assert!(text.contains("--reg-date"), "{text}");
    }
}
