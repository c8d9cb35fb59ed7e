//! The Edge API token: where it comes from, and a wrapper that never shows it.
//!
//! The token is held as a `secrecy::SecretString` from the moment it is read. Nothing in this
//! crate formats it: `Debug` prints a placeholder, no `Serialize` exists, and errors about the
//! token say where it came from, never what it is. The only place the secret is exposed is
//! [`ApiToken::authorization_header`], which builds the `Authorization` header value and marks it
//! sensitive so that even `http`'s own `Debug` hides it.

use std::fmt;
use std::path::{Path, PathBuf};

use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

/// The environment variable Chili Piper's own examples read the token from.
pub const TOKEN_ENV_VAR: &str = "CHILI_PIPER_API_KEY";

/// Where to get a token, repeated in every message about a missing or empty one.
const WHERE_TO_GET_ONE: &str = "a Chili Piper admin can issue an Edge API token; a read-only \
     one is enough for plan, drift and export";

/// An Edge API token. Cloning is cheap; formatting never shows the secret.
#[derive(Clone)]
pub struct ApiToken {
    secret: SecretString,
    origin: TokenOrigin,
    /// The token file's permission bits when users other than its owner may read or write it.
    loose_mode: Option<u32>,
}

/// Where a token was read from, for messages about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenOrigin {
    /// The `CHILI_PIPER_API_KEY` environment variable.
    Environment,
    /// A `--token-file`.
    File(PathBuf),
    /// Given directly by the program (the sandbox's demo token, tests).
    Literal,
}

impl fmt::Display for TokenOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenOrigin::Environment => write!(f, "{TOKEN_ENV_VAR}"),
            TokenOrigin::File(path) => write!(f, "token file {}", path.display()),
            TokenOrigin::Literal => f.write_str("the built-in token"),
        }
    }
}

/// Why no usable token could be read. No variant carries the token or any part of it.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error(
        "no Edge API token: set {TOKEN_ENV_VAR}, pass --token-file FILE, or try --sandbox to use \
         the built-in emulator ({WHERE_TO_GET_ONE})"
    )]
    Missing,
    #[error("the token in {origin} is empty: put the token there ({WHERE_TO_GET_ONE})")]
    Empty { origin: TokenOrigin },
    #[error(
        "the token in {origin} contains spaces or control characters: it must be the token alone, \
         on one line"
    )]
    Malformed { origin: TokenOrigin },
    #[error("cannot use the token file {}", path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: crate::fsio::OpenError,
    },
    #[error("{TOKEN_ENV_VAR} is not valid UTF-8: set it to the token alone")]
    NotUnicode,
}

impl ApiToken {
    /// A token given directly by the program. Trims surrounding whitespace like the other sources.
    pub fn from_literal(raw: &str) -> Result<ApiToken, TokenError> {
        ApiToken::checked(raw.to_string(), TokenOrigin::Literal)
    }

    /// Reads the token: from `token_file` when given (the explicit flag wins), else from the
    /// `CHILI_PIPER_API_KEY` environment variable.
    pub fn load(token_file: Option<&Path>) -> Result<ApiToken, TokenError> {
        ApiToken::load_with_env(token_file, std::env::var(TOKEN_ENV_VAR))
    }

    /// [`ApiToken::load`] with the environment lookup passed in, so tests need not mutate the
    /// process environment.
    pub fn load_with_env(
        token_file: Option<&Path>,
        environment_value: Result<String, std::env::VarError>,
    ) -> Result<ApiToken, TokenError> {
        if let Some(path) = token_file {
            // The one opener: a regular file, not a FIFO, device or /proc file, size-capped.
            let opened = crate::fsio::read_checked(
                path,
                crate::fsio::Within::Anywhere,
                crate::fsio::MAX_TOKEN_FILE_BYTES,
            )
            .map_err(|source| TokenError::Unreadable {
                path: path.to_path_buf(),
                source,
            })?;
            // Wrapped at once so the bytes are zeroized on every path.
            let contents = SecretString::from(String::from_utf8_lossy(&opened.bytes).into_owned());
            let mut token = ApiToken::checked(
                contents.expose_secret().to_string(),
                TokenOrigin::File(path.to_path_buf()),
            )?;
            token.loose_mode = opened.mode.filter(|mode| mode & 0o077 != 0);
            return Ok(token);
        }
        match environment_value {
            Ok(value) => ApiToken::checked(value, TokenOrigin::Environment),
            Err(std::env::VarError::NotPresent) => Err(TokenError::Missing),
            Err(std::env::VarError::NotUnicode(_)) => Err(TokenError::NotUnicode),
        }
    }

    /// Trims the trailing newline an editor or `echo` leaves (and any surrounding whitespace),
    /// then refuses what cannot be a token. The raw string is wrapped as a secret first so that
    /// it is zeroized on every path.
    fn checked(raw: String, origin: TokenOrigin) -> Result<ApiToken, TokenError> {
        let raw = SecretString::from(raw);
        let trimmed = raw.expose_secret().trim();
        if trimmed.is_empty() {
            return Err(TokenError::Empty { origin });
        }
        if !trimmed.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(TokenError::Malformed { origin });
        }
        Ok(ApiToken {
            secret: SecretString::from(trimmed),
            origin,
            loose_mode: None,
        })
    }

    /// A warning when the token file may be read (or written) by users other than its owner,
    /// as ssh gives for a private key: the permission bits and what to run. `None` otherwise.
    pub fn permission_warning(&self) -> Option<String> {
        let (TokenOrigin::File(path), Some(mode)) = (&self.origin, self.loose_mode) else {
            return None;
        };
        Some(format!(
            "the token file {} is accessible by other users (mode {mode:04o}): run `chmod 600 {}` \
             so only you can read it",
            path.display(),
            path.display()
        ))
    }

    /// Where the token came from.
    pub fn origin(&self) -> &TokenOrigin {
        &self.origin
    }

    /// `Bearer <token>`, marked sensitive.
    pub(crate) fn authorization_header(&self) -> HeaderValue {
        let mut value = HeaderValue::from_str(&format!("Bearer {}", self.secret.expose_secret()))
            .expect("checked() admits only visible ASCII, which is always a valid header value");
        value.set_sensitive(true);
        value
    }

    /// Removes the token from `text` (any case, long fragments too: `crate::redact`), for
    /// server-provided text that ends up in an error message: a misbehaving server must not be
    /// able to make us print the token.
    pub(crate) fn redact(&self, text: &str) -> String {
        crate::redact::redact_secrets(text, &[self.secret.expose_secret()])
    }

    /// Adds this token to the process's redaction list (`crate::redact::redact`), which the
    /// command line applies to everything it prints.
    pub fn register_for_redaction(&self) {
        crate::redact::register(self.secret.expose_secret());
    }
}

impl fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiToken")
            .field("secret", &"[redacted]")
            .field("origin", &self.origin)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAKE: &str = "fake-token-for-secret-tests-0451";

    #[test]
    fn trims_the_trailing_newline_of_a_token_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        std::fs::write(&path, format!("{FAKE}\n")).unwrap();
        let token = ApiToken::load_with_env(Some(&path), Err(std::env::VarError::NotPresent))
            .expect("a token file with a trailing newline is fine");
        assert_eq!(
            token.authorization_header(),
            format!("Bearer {FAKE}").as_str()
        );
        assert_eq!(token.origin(), &TokenOrigin::File(path));
    }

    #[test]
    fn the_token_file_wins_over_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        std::fs::write(&path, "from-the-file").unwrap();
        let token = ApiToken::load_with_env(Some(&path), Ok("from-the-env".into())).unwrap();
        assert_eq!(token.authorization_header(), "Bearer from-the-file");
    }

    #[test]
    fn an_empty_token_says_where_to_get_one() {
        let error = ApiToken::load_with_env(None, Ok(" \n".into())).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("CHILI_PIPER_API_KEY is empty"),
            "{message}"
        );
        assert!(message.contains("issue an Edge API token"), "{message}");
    }

    #[test]
    fn a_missing_token_names_every_way_to_give_one() {
        let message = ApiToken::load_with_env(None, Err(std::env::VarError::NotPresent))
            .unwrap_err()
            .to_string();
        for needle in ["CHILI_PIPER_API_KEY", "--token-file", "--sandbox"] {
            assert!(message.contains(needle), "{message}");
        }
        // One lowercase phrase: no sentence break followed by a lowercase word.
        assert!(
            message.ends_with("plan, drift and export)") && !message.contains(". "),
            "{message}"
        );
    }

    #[test]
    fn a_token_with_inner_spaces_is_refused_without_showing_it() {
        let error = ApiToken::load_with_env(None, Ok(format!("{FAKE} {FAKE}"))).unwrap_err();
        assert!(matches!(error, TokenError::Malformed { .. }));
        assert!(!error.to_string().contains(FAKE));
        assert!(!format!("{error:?}").contains(FAKE));
    }

    #[test]
    fn debug_and_the_header_debug_hide_the_token() {
        let token = ApiToken::from_literal(FAKE).unwrap();
        assert!(!format!("{token:?}").contains(FAKE));
        assert!(!format!("{:?}", token.authorization_header()).contains(FAKE));
    }

    #[test]
    fn redact_removes_every_occurrence() {
        let token = ApiToken::from_literal(FAKE).unwrap();
        assert_eq!(
            token.redact(&format!("bad token {FAKE}, really {FAKE}")),
            "bad token [redacted], really [redacted]"
        );
    }
}
