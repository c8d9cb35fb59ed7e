//! A scripted HTTP/1.1 server on 127.0.0.1 for the exact fault sequences the emulator is not
//! asked to produce: inconsistent pages, dropped connections at a chosen request, odd bodies.
//! Raw tokio TCP so a reply can also be "close the connection without answering".

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// One request as the stub received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    /// Path and query, e.g. `/api/fire-edge/v1/org/workspace?page=0&pageSize=100`.
    pub target: String,
    /// Header lines, as sent.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Received {
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    /// A query parameter's value.
    pub fn query(&self, name: &str) -> Option<String> {
        let query = self.target.split_once('?')?.1;
        query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            (key == name).then(|| value.to_string())
        })
    }

    /// A field of the JSON body.
    pub fn body_field(&self, name: &str) -> Option<serde_json::Value> {
        let value: serde_json::Value = serde_json::from_str(&self.body).ok()?;
        value.get(name).cloned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// What to answer.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A status with a JSON body.
    Json(u16, serde_json::Value),
    /// A status with a `text/plain` body.
    Text(u16, String),
    /// A status, extra headers and a body, as given.
    Raw {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Read the request, then close the connection without a word.
    Drop,
}

type Script = dyn Fn(&Received, usize) -> Reply + Send + Sync;

/// A running stub. Dropping it stops the server.
pub struct Stub {
    base_url: String,
    received: Arc<Mutex<Vec<Received>>>,
    task: JoinHandle<()>,
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Stub {
    /// Starts a stub whose answer to the n-th request (0-based, in arrival order) is
    /// `script(request, n)`.
    pub async fn start(script: impl Fn(&Received, usize) -> Reply + Send + Sync + 'static) -> Stub {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let script: Arc<Script> = Arc::new(script);
        let task = tokio::spawn({
            let received = received.clone();
            async move {
                loop {
                    let Ok((socket, _)) = listener.accept().await else {
                        return;
                    };
                    tokio::spawn(serve(socket, script.clone(), received.clone()));
                }
            }
        });
        Stub {
            base_url: format!("http://{address}/api/fire-edge"),
            received,
            task,
        }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Every request received so far, in arrival order.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

async fn serve(mut socket: TcpStream, script: Arc<Script>, received: Arc<Mutex<Vec<Received>>>) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut socket, &mut buffer).await else {
            return;
        };
        let n = {
            let mut all = received.lock().unwrap();
            all.push(request.clone());
            all.len() - 1
        };
        let (status, headers, body) = match script(&request, n) {
            Reply::Drop => return,
            Reply::Json(status, value) => (
                status,
                vec![("Content-Type".to_string(), "application/json".to_string())],
                value.to_string(),
            ),
            Reply::Text(status, text) => (
                status,
                vec![("Content-Type".to_string(), "text/plain".to_string())],
                text,
            ),
            Reply::Raw {
                status,
                headers,
                body,
            } => (status, headers, body),
        };
        let mut response = format!(
            "HTTP/1.1 {status} Scripted\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            response.push_str(&format!("{name}: {value}\r\n"));
        }
        response.push_str("\r\n");
        response.push_str(&body);
        if socket.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// Reads one request (headers and a Content-Length body); `None` when the peer closes.
async fn read_request(socket: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Received> {
    let header_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        let mut chunk = [0u8; 4096];
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_string();
    let target = request_line.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            Some((name.trim().to_string(), value.trim().to_string()))
        })
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let body_start = header_end + 4;
    while buffer.len() < body_start + length {
        let mut chunk = [0u8; 4096];
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buffer[body_start..body_start + length]).to_string();
    buffer.drain(..body_start + length);
    Some(Received {
        method,
        target,
        headers,
        body,
    })
}
