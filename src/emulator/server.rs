//! The HTTP server: shared state, the listener that can drop connections, the journal and fault
//! middleware, and the router that puts the API and the control surface together.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::task::{Context, Poll};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::connect_info::{ConnectInfo, Connected};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

use crate::edge::wire::ErrorBody;

use super::auth::operation_for;
use super::clock::ClockMode;
use super::faults::{Fault, FaultConfig, FaultEngine};
use super::journal::{Journal, JournalEntry, body_value};
use super::seed::Seed;
use super::state::OrgState;
use super::{control, routes};

/// Request bodies larger than this are refused.
const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// Everything the handlers share.
pub(crate) struct Shared {
    pub(crate) org: RwLock<OrgState>,
    /// What `reset` returns to.
    pub(crate) seed_state: OrgState,
    pub(crate) seed: Seed,
    pub(crate) clock: ClockMode,
    pub(crate) journal: Mutex<Journal>,
    pub(crate) faults: Mutex<FaultEngine>,
    /// Where `Control::save` and shutdown write the state.
    pub(crate) state_file: Option<std::path::PathBuf>,
}

impl Shared {
    pub(crate) fn new(
        seed: Seed,
        seed_state: OrgState,
        org: OrgState,
        clock: ClockMode,
        faults: FaultConfig,
        state_file: Option<std::path::PathBuf>,
    ) -> Shared {
        Shared {
            state_file,
            org: RwLock::new(org),
            seed_state,
            seed,
            clock,
            journal: Mutex::new(Journal::default()),
            faults: Mutex::new(FaultEngine::new(faults)),
        }
    }

    pub(crate) fn read(&self) -> RwLockReadGuard<'_, OrgState> {
        self.org.read().expect("state lock poisoned")
    }

    pub(crate) fn write(&self) -> RwLockWriteGuard<'_, OrgState> {
        self.org.write().expect("state lock poisoned")
    }

    pub(crate) fn journal(&self) -> MutexGuard<'_, Journal> {
        self.journal.lock().expect("journal lock poisoned")
    }

    pub(crate) fn fault_engine(&self) -> MutexGuard<'_, FaultEngine> {
        // The engine is a seed, a position and a configuration: always usable, so a panic
        // elsewhere must not make every later request panic too.
        self.faults
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The whole application: the API under `PATH_PREFIX` (journaled, faulty) and the control
/// surface under `/_emulator/` (neither).
pub(crate) fn app(shared: Arc<Shared>) -> Router {
    let api = routes::api_routes()
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            persist_writes,
        ))
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            journal_and_faults,
        ));
    let control = control::routes().layer(middleware::from_fn_with_state(
        shared.clone(),
        persist_writes,
    ));
    api.merge(control).with_state(shared)
}

/// With a state file, saves the state after every successful write and before its answer
/// leaves, so an acknowledged write survives a crash of the server (`persist.rs`).
async fn persist_writes(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let is_write = request.method() != axum::http::Method::GET;
    let response = next.run(request).await;
    if !is_write || shared.state_file.is_none() || !response.status().is_success() {
        return response;
    }
    let saving = shared.clone();
    match tokio::task::spawn_blocking(move || super::persist::save_shared(&saving)).await {
        Ok(Ok(())) => response,
        // The change is made but not durable: say so rather than acknowledge it.
        _ => injected(StatusCode::INTERNAL_SERVER_ERROR, "StateNotSaved"),
    }
}

/// Journals every API request and injects the configured faults.
async fn journal_and_faults(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, BODY_LIMIT).await else {
        return super::error::ApiError::InvalidBody.into_response();
    };
    let op = operation_for(&parts.method, parts.uri.path());
    let decision = shared.fault_engine().decide(op);
    if !decision.latency.is_zero() {
        tokio::time::sleep(decision.latency).await;
    }
    let connection = parts.extensions.get::<ConnectInfo<Connection>>().cloned();
    let mut entry = JournalEntry {
        seq: 0,
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        operation: op.map(|op| op.id.to_string()),
        status: None,
        operation_status: None,
        fault: (decision.fault != Fault::None).then_some(decision.fault),
        body: body_value(&bytes),
    };
    let response = if decision.fault.runs_operation() {
        let response = next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await;
        entry.operation_status = Some(response.status().as_u16());
        response
    } else {
        Response::default()
    };
    let response = match decision.fault {
        Fault::None => response,
        Fault::Error500 => injected(StatusCode::INTERNAL_SERVER_ERROR, "InternalServerError"),
        Fault::Error502 | Fault::AmbiguousError => injected(StatusCode::BAD_GATEWAY, "BadGateway"),
        Fault::Error503 => injected(StatusCode::SERVICE_UNAVAILABLE, "ServiceUnavailable"),
        Fault::RateLimited => {
            let retry_after = shared.fault_engine().config().retry_after_seconds;
            let mut response = injected(StatusCode::TOO_MANY_REQUESTS, "TooManyRequests");
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            response
        }
        Fault::Drop | Fault::AmbiguousDrop => match &connection {
            Some(ConnectInfo(connection)) => {
                connection.drop_connection();
                response
            }
            // Served without the droppable listener: the closest answer is a gateway error.
            None => injected(StatusCode::BAD_GATEWAY, "BadGateway"),
        },
    };
    let dropped =
        matches!(decision.fault, Fault::Drop | Fault::AmbiguousDrop) && connection.is_some();
    entry.status = (!dropped).then_some(response.status().as_u16());
    shared.journal().record(entry);
    response
}

fn injected(status: StatusCode, code: &str) -> Response {
    (
        status,
        axum::Json(ErrorBody {
            error_code: code.to_string(),
            error_message: "fault injected by the emulator: retry the call".to_string(),
            arguments: Default::default(),
        }),
    )
        .into_response()
}

/// A connection's handle, given to each request: lets the fault middleware close the connection
/// instead of answering.
#[derive(Debug, Clone)]
pub(crate) struct Connection {
    dropped: Arc<AtomicBool>,
}

impl Connection {
    fn drop_connection(&self) {
        self.dropped.store(true, Ordering::SeqCst);
    }
}

/// A TCP stream whose writes fail once its connection is dropped, so hyper abandons the
/// response and closes the socket without sending a byte of it.
pub(crate) struct DroppableStream {
    inner: TcpStream,
    dropped: Arc<AtomicBool>,
}

fn dropped_error() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionReset,
        "connection dropped by fault injection",
    )
}

impl AsyncRead for DroppableStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for DroppableStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.dropped.load(Ordering::SeqCst) {
            return Poll::Ready(Err(dropped_error()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        if self.dropped.load(Ordering::SeqCst) {
            return Poll::Ready(Err(dropped_error()));
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.dropped.load(Ordering::SeqCst) {
            return Poll::Ready(Err(dropped_error()));
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// A TCP listener handing out droppable streams.
pub(crate) struct DroppableListener {
    pub(crate) inner: TcpListener,
}

impl Listener for DroppableListener {
    type Io = DroppableStream;
    type Addr = Connection;

    async fn accept(&mut self) -> (DroppableStream, Connection) {
        loop {
            match self.inner.accept().await {
                Ok((stream, _)) => {
                    // Small JSON answers: do not wait for Nagle.
                    let _ = stream.set_nodelay(true);
                    let dropped = Arc::new(AtomicBool::new(false));
                    return (
                        DroppableStream {
                            inner: stream,
                            dropped: dropped.clone(),
                        },
                        Connection { dropped },
                    );
                }
                // Out of file descriptors and the like: wait a little instead of spinning.
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(20)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<Connection> {
        self.inner.local_addr().map(|_| Connection {
            dropped: Arc::new(AtomicBool::new(false)),
        })
    }
}

impl Connected<IncomingStream<'_, DroppableListener>> for Connection {
    fn connect_info(stream: IncomingStream<'_, DroppableListener>) -> Connection {
        stream.remote_addr().clone()
    }
}
