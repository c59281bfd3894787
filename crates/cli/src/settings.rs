//! Where the database and data directory are: flags, then environment, then config file,
//! then defaults.

use std::path::{Path, PathBuf};

use anyhow::Context;
use engine::PseudonymKey;
use serde::Deserialize;

use crate::args::Lang;

/// The optional TOML configuration file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    database_url: Option<String>,
    data_dir: Option<PathBuf>,
    pseudonym_key: Option<PseudonymKey>,
    lang: Option<Lang>,
    smtp_password: Option<api::SmtpPassword>,
    ca_file: Option<PathBuf>,
}

/// Resolved settings.
#[derive(Debug)]
pub(crate) struct Settings {
    pub(crate) data_dir: PathBuf,
    /// Set when the user named a database; `None` means the default in the data directory.
    pub(crate) database_url: Option<String>,
    /// The HMAC key for pseudonyms of HKIDs: `LMO_PSEUDONYM_KEY`, else the config file.
    pub(crate) pseudonym_key: Option<PseudonymKey>,
    /// The language people read: `--lang` or `LMO_LANG`, else the config file; `None`
    /// leaves each output its default.
    pub(crate) lang: Option<Lang>,
    /// The SMTP login's password: `LMO_SMTP_PASSWORD`, else the config file.
    pub(crate) smtp_password: Option<api::SmtpPassword>,
    /// Extra trusted certificates from the config file (`lmo serve --ca-file` wins).
    pub(crate) ca_file: Option<PathBuf>,
}

impl Settings {
    /// `database_url`, `data_dir` and `lang` arrive from clap already merged from flags and
    /// the environment, which therefore win over the config file.
    pub(crate) fn resolve(
        database_url: Option<String>,
        data_dir: Option<PathBuf>,
        lang: Option<Lang>,
        config: Option<&Path>,
    ) -> anyhow::Result<Settings> {
        let file = match config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read the config file {}", path.display()))?;
                toml::from_str::<ConfigFile>(&text)
                    .with_context(|| format!("config file {}", path.display()))?
            }
            None => ConfigFile::default(),
        };
        let data_dir = data_dir.or(file.data_dir).unwrap_or_else(default_data_dir);
        let pseudonym_key = std::env::var("LMO_PSEUDONYM_KEY")
            .ok()
            .filter(|key| !key.is_empty())
            .map(PseudonymKey::new)
            .or(file.pseudonym_key);
        let smtp_password = std::env::var("LMO_SMTP_PASSWORD")
            .ok()
            .filter(|password| !password.is_empty())
            .map(api::SmtpPassword::new)
            .or(file.smtp_password);
        Ok(Settings {
            data_dir,
            database_url: database_url.or(file.database_url),
            pseudonym_key,
            lang: lang.or(file.lang),
            smtp_password,
            ca_file: file.ca_file,
        })
    }

    pub(crate) fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("lmo.sqlite").display()))
    }
}

/// `$XDG_DATA_HOME/lmo`, else `~/.local/share/lmo`, else `./lmo-data`.
fn default_data_dir() -> PathBuf {
    if let Some(xdg) = std::env::var_os("XDG_DATA_HOME").filter(|value| !value.is_empty()) {
        return PathBuf::from(xdg).join("lmo");
    }
    match std::env::var_os("HOME").filter(|value| !value.is_empty()) {
        Some(home) => PathBuf::from(home).join(".local/share/lmo"),
        None => PathBuf::from("lmo-data"),
    }
}

#[cfg(test)]
mod tests {
    use super::Settings;

    #[test]
    fn debug_never_shows_the_pseudonym_key() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("lmo.toml");
        std::fs::write(
            &config,
            "pseudonym_key = \"config-file-secret-0123456789\"\n",
        )
        .unwrap();
        let settings =
            Settings::resolve(None, Some(dir.path().to_owned()), None, Some(&config)).unwrap();
        assert!(settings.pseudonym_key.is_some());
        let shown = format!("{settings:?}");
        assert!(
            shown.contains("pseudonym_key: Some(PseudonymKey(<redacted>))"),
            "{shown}"
        );
        assert!(!shown.contains("config-file-secret"), "{shown}");
        assert_eq!(settings.lang, None);
        // The environment wins over the file where it is set; its key is hidden too.
        if let Some(key) = std::env::var("LMO_PSEUDONYM_KEY")
            .ok()
            .filter(|key| !key.is_empty())
        {
            assert!(!shown.contains(&key), "{shown}");
        }
    }

    #[test]
    fn debug_never_shows_the_smtp_password() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("lmo.toml");
        std::fs::write(
            &config,
            "smtp_password = \"config-file-smtp-secret\"\nca_file = \"/etc/lmo/ca.pem\"\n",
        )
        .unwrap();
        let settings =
            Settings::resolve(None, Some(dir.path().to_owned()), None, Some(&config)).unwrap();
        assert!(settings.smtp_password.is_some());
        assert_eq!(
            settings.ca_file.as_deref(),
            Some(std::path::Path::new("/etc/lmo/ca.pem"))
        );
        let shown = format!("{settings:?}");
        assert!(
            shown.contains("smtp_password: Some(SmtpPassword(<redacted>))"),
            "{shown}"
        );
        assert!(!shown.contains("config-file-smtp-secret"), "{shown}");
    }

    #[test]
    fn the_language_is_read_from_the_config_file_unless_given() {
        use crate::args::Lang;

        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("lmo.toml");
        std::fs::write(&config, "lang = \"zh-Hant\"\n").unwrap();
        let resolve = |given| {
            Settings::resolve(None, None, given, Some(&config))
                .unwrap()
                .lang
        };
        assert_eq!(resolve(None), Some(Lang::ZhHant));
        assert_eq!(resolve(Some(Lang::En)), Some(Lang::En));
        std::fs::write(&config, "lang = \"fr\"\n").unwrap();
        let refused = Settings::resolve(None, None, None, Some(&config)).unwrap_err();
        assert!(
            format!("{refused:#}").contains("unknown variant `fr`"),
            "{refused:#}"
        );
    }
}
