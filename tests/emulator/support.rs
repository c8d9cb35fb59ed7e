//! Shared helpers: start an emulator, call it with raw HTTP, look ids up by name.

#![allow(dead_code)]

use reqwest::Method;
use scoville::emulator::{self, Control, DEMO_ADMIN_TOKEN, Options, Running, Seed};
use serde_json::Value;

/// A running emulator and a client with a token.
pub struct Api {
    pub running: Running,
    pub client: reqwest::Client,
    pub token: Option<String>,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub text: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.text))
    }

    /// Asserts a 200 with no body (the official extracts give no answer body for
    /// workspace-add-users, workspace-remove-users and user-update-licenses).
    pub fn ok_empty(&self) {
        assert_eq!(self.status, 200, "{}", self.text);
        assert!(self.text.is_empty(), "no body expected: {}", self.text);
    }

    /// Asserts the status and returns the JSON.
    pub fn ok(&self) -> Value {
        assert_eq!(self.status, 200, "{}", self.text);
        self.json()
    }

    /// Asserts a JSON error with this status and code, returns its arguments.
    pub fn error(&self, status: u16, code: &str) -> Value {
        assert_eq!(self.status, status, "{}", self.text);
        assert!(
            self.content_type.starts_with("application/json"),
            "{}",
            self.content_type
        );
        let json = self.json();
        assert_eq!(json["errorCode"], code, "{}", self.text);
        assert!(json["errorMessage"].as_str().is_some_and(|m| !m.is_empty()));
        json["arguments"].clone()
    }

    /// Asserts the API's `400 text/plain Invalid value for: body`.
    pub fn invalid_body(&self) {
        assert_eq!(self.status, 400, "{}", self.text);
        assert!(
            self.content_type.starts_with("text/plain"),
            "{}",
            self.content_type
        );
        assert_eq!(self.text, "Invalid value for: body");
    }
}

pub fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .build()
        .expect("a reqwest client builds")
}

impl Api {
    /// The demo org, admin token.
    pub async fn demo() -> Api {
        Api::with_options(Options::new(emulator::demo_seed())).await
    }

    pub async fn with_seed(seed: Seed) -> Api {
        Api::with_options(Options::new(seed)).await
    }

    pub async fn with_options(options: Options) -> Api {
        let running = emulator::start(options).await.expect("the emulator starts");
        Api {
            running,
            client: client(),
            token: Some(DEMO_ADMIN_TOKEN.to_string()),
        }
    }

    pub fn control(&self) -> Control {
        self.running.control()
    }

    /// Calls `base_url + path` with the current token and an optional raw body.
    pub async fn call_raw(&self, method: Method, path: &str, body: Option<String>) -> Reply {
        let url = format!("{}{path}", self.running.base_url());
        self.send(method, &url, body).await
    }

    /// Calls a URL relative to the server root (control surface).
    pub async fn root_call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let url = format!("{}{path}", self.running.url());
        self.send(method, &url, body.map(|b| b.to_string())).await
    }

    async fn send(&self, method: Method, url: &str, body: Option<String>) -> Reply {
        let mut request = self.client.request(method, url);
        if let Some(token) = &self.token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        if let Some(body) = body {
            request = request
                .header("Content-Type", "application/json")
                .body(body);
        }
        let response = request.send().await.expect("the request completes");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let content_type = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let text = response.text().await.expect("the body reads");
        Reply {
            status,
            content_type,
            text,
            headers,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.call_raw(Method::GET, path, None).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.call_raw(Method::DELETE, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.call_raw(Method::POST, path, Some(body.to_string()))
            .await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.call_raw(Method::PUT, path, Some(body.to_string()))
            .await
    }

    pub fn user(&self, email: &str) -> String {
        self.control()
            .user_id(email)
            .unwrap_or_else(|| panic!("no user {email}"))
    }

    pub fn workspace(&self, name: &str) -> String {
        let state = self.control().state();
        state
            .workspaces
            .values()
            .find(|w| w.name == name)
            .unwrap_or_else(|| panic!("no workspace {name}"))
            .id
            .clone()
    }

    pub fn team(&self, name: &str) -> String {
        let state = self.control().state();
        state
            .teams
            .values()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("no team {name}"))
            .id
            .clone()
    }

    pub fn distribution(&self, name: &str) -> String {
        let state = self.control().state();
        state
            .distributions
            .values()
            .find(|d| d.name.as_deref() == Some(name))
            .unwrap_or_else(|| panic!("no distribution {name}"))
            .distribution_id
            .clone()
    }

    pub fn rule(&self, name: &str) -> String {
        let state = self.control().state();
        state
            .rules
            .values()
            .find(|r| r.rule.body().name == name && r.deleted.is_none())
            .unwrap_or_else(|| panic!("no rule {name}"))
            .rule
            .body()
            .id
            .clone()
    }
}

/// Demo emails by first name.
pub fn email(first: &str) -> String {
    let seed = emulator::demo_seed();
    seed.users
        .iter()
        .find(|u| u.name.split(' ').next() == Some(first))
        .unwrap_or_else(|| panic!("no demo user {first}"))
        .email
        .clone()
}
