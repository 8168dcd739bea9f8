//! The HTTP interactions transport (`vakt serve`): an axum endpoint Discord posts
//! interactions to. Each request's `X-Signature-Ed25519` is verified over
//! `X-Signature-Timestamp + body` with the application's public key; a missing or bad
//! signature is answered 401 and dispatches nothing. PING is answered PONG; everything else
//! goes through the same [`Dispatcher`] as the gateway, its initial response being the HTTP
//! response body, and deferred work editing the original response through the webhook API.
//!
//! Replays are refused: an `X-Signature-Timestamp` that is not a number of Unix seconds within
//! [`MAX_SKEW`] of now is answered 401, and an interaction id already seen is answered 409 and
//! changes nothing: at once when this process saw it ([`Replays`], remembered in memory for
//! [`INTERACTION_LIFE`]), else when the store says another replica (or an earlier delivery)
//! took it on (the dispatcher records every interaction that acts in the database, shared by
//! the replicas behind a load balancer). A client gets [`Limits::headers`] to send its
//! request's headers and [`Limits::body`] to send its body, then the connection is closed
//! (headers) or answered 408 (body), so half-sent requests cannot hold connections open.
//!
//! Use it to run several replicas behind a load balancer (the job table keeps every
//! scheduled post exactly once); the gateway needs one connection per bot.

use super::interactions::Dispatcher;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use serenity::all::Interaction;
use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::time::Instant;

/// The path Discord posts interactions to (the application's Interactions Endpoint URL).
pub const PATH: &str = "/interactions";

/// How long after the HTTP response the work left over (follow-up pages) starts, so
/// Discord has the initial response before the follow-ups arrive.
const AFTER_RESPONSE: Duration = Duration::from_millis(200);

/// How far an `X-Signature-Timestamp` may be from now, either way.
pub const MAX_SKEW: Duration = Duration::from_secs(5 * 60);

/// How long an interaction can be answered (its token's life), so how long its id is
/// remembered to refuse a replay.
pub const INTERACTION_LIFE: Duration = Duration::from_secs(15 * 60);

/// Largest request body read (Discord's interactions are a few kilobytes).
const MAX_BODY: usize = 1 << 20;

/// How long a client may take over a request before the endpoint gives up on it.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// To send the request line and headers (then the connection is closed).
    pub headers: Duration,
    /// To send the body once the headers are in (then it is answered 408).
    pub body: Duration,
}

impl Default for Limits {
    /// Ten seconds each: Discord sends a whole interaction at once.
    fn default() -> Self {
        Limits {
            headers: Duration::from_secs(10),
            body: Duration::from_secs(10),
        }
    }
}

/// Whether `timestamp` (Unix seconds, digits only) is within [`MAX_SKEW`] of `now`.
pub fn fresh(timestamp: &str, now: SystemTime) -> bool {
    if timestamp.is_empty() || !timestamp.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let (Ok(sent), Ok(now)) = (timestamp.parse::<u64>(), now.duration_since(UNIX_EPOCH)) else {
        return false;
    };
    sent.abs_diff(now.as_secs()) <= MAX_SKEW.as_secs()
}

/// The interaction ids this process has answered in the last [`INTERACTION_LIFE`], so a
/// re-delivered interaction is answered once. Memory is bounded by the interactions of the
/// last fifteen minutes: ids are forgotten in the order they were first seen.
#[derive(Debug, Default)]
pub struct Replays {
    seen: Mutex<Seen>,
}

/// The ids remembered, and when each was first seen, oldest first.
#[derive(Debug, Default)]
struct Seen {
    ids: HashSet<u64>,
    order: VecDeque<(Instant, u64)>,
}

impl Replays {
    /// Records `id` at `now`; false when it was already recorded within its life.
    pub fn first(&self, id: u64, now: Instant) -> bool {
        let mut guard = self.seen.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let Seen { ids, order } = &mut *guard;
        while let Some(&(at, old)) = order.front() {
            if now.saturating_duration_since(at) < INTERACTION_LIFE {
                break;
            }
            order.pop_front();
            ids.remove(&old);
        }
        if !ids.insert(id) {
            return false;
        }
        order.push_back((now, id));
        true
    }
}

/// Why a public key cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// Not 64 hex digits, or not a valid ed25519 point.
    #[error("discord.public_key is not an ed25519 public key (64 hex digits)")]
    Invalid,
}

/// The application's public key from its hex form.
pub fn public_key(hex_key: &str) -> Result<VerifyingKey, KeyError> {
    let bytes: [u8; 32] = hex::decode(hex_key.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(KeyError::Invalid)?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| KeyError::Invalid)
}

/// Whether `signature` (hex) signs `timestamp + body` under `key`.
pub fn verify(key: &VerifyingKey, signature: &str, timestamp: &str, body: &[u8]) -> bool {
    let Some(sig) = hex::decode(signature.trim())
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .map(|b| Signature::from_bytes(&b))
    else {
        return false;
    };
    let mut msg = Vec::with_capacity(timestamp.len() + body.len());
    msg.extend_from_slice(timestamp.as_bytes());
    msg.extend_from_slice(body);
    key.verify(&msg, &sig).is_ok()
}

#[derive(Clone)]
struct Endpoint {
    dispatcher: Arc<Dispatcher>,
    key: VerifyingKey,
    replays: Arc<Replays>,
    body_timeout: Duration,
}

/// The router answering [`PATH`], with the default [`Limits`].
pub fn router(dispatcher: Arc<Dispatcher>, key: VerifyingKey) -> Router {
    router_with(dispatcher, key, Limits::default())
}

fn router_with(dispatcher: Arc<Dispatcher>, key: VerifyingKey, limits: Limits) -> Router {
    Router::new().route(PATH, post(interaction)).with_state(Endpoint {
        dispatcher,
        key,
        replays: Arc::new(Replays::default()),
        body_timeout: limits.body,
    })
}

async fn interaction(State(ep): State<Endpoint>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = match tokio::time::timeout(ep.body_timeout, axum::body::to_bytes(body, MAX_BODY)).await {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => return (StatusCode::BAD_REQUEST, "unreadable request body").into_response(),
        Err(_) => return (StatusCode::REQUEST_TIMEOUT, "request body too slow").into_response(),
    };
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let (Some(sig), Some(ts)) = (header("x-signature-ed25519"), header("x-signature-timestamp")) else {
        return (StatusCode::UNAUTHORIZED, "missing request signature").into_response();
    };
    if !fresh(ts, SystemTime::now()) {
        return (StatusCode::UNAUTHORIZED, "request timestamp too far from now").into_response();
    }
    if !verify(&ep.key, sig, ts, &body) {
        return (StatusCode::UNAUTHORIZED, "invalid request signature").into_response();
    }
    let interaction: Interaction = match serde_json::from_slice(&body) {
        Ok(i) => i,
        Err(e) => {
            tracing::warn!(error = %e, "an interaction vakt cannot read");
            return (StatusCode::BAD_REQUEST, "unreadable interaction").into_response();
        }
    };
    if !ep.replays.first(interaction.id().get(), Instant::now()) {
        tracing::warn!(interaction = %interaction.id(), "an interaction delivered again was refused");
        return (StatusCode::CONFLICT, "interaction already answered").into_response();
    }
    let handled = ep.dispatcher.handle(interaction).await;
    if handled.again {
        // Another replica (or an earlier delivery here) took it on and answers it.
        return (StatusCode::CONFLICT, "interaction already answered").into_response();
    }
    if let Some(later) = handled.later {
        tokio::spawn(async move {
            tokio::time::sleep(AFTER_RESPONSE).await;
            later.await;
        });
    }
    // serenity writes `"data": null` for bodiless responses (PONG); Discord's own is `{"type": 1}`.
    let body = serde_json::to_value(&handled.initial).map(|mut v| {
        if v.get("data").is_some_and(serde_json::Value::is_null)
            && let Some(o) = v.as_object_mut()
        {
            o.remove("data");
        }
        v
    });
    match body.and_then(|v| serde_json::to_vec(&v)) {
        Ok(json) => ([(header::CONTENT_TYPE, "application/json")], json).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "serialising an interaction response failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Serves [`router`] on `listener` with the default [`Limits`] until `shutdown` turns true.
pub async fn serve(
    listener: tokio::net::TcpListener,
    dispatcher: Arc<Dispatcher>,
    key: VerifyingKey,
    shutdown: tokio::sync::watch::Receiver<bool>,
) -> std::io::Result<()> {
    serve_with(listener, dispatcher, key, Limits::default(), shutdown).await
}

/// Serves [`router`] on `listener` with these `limits` until `shutdown` turns true, then
/// lets the requests in flight finish. Each connection is served by hyper directly, since
/// `axum::serve` has no header read timeout.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    dispatcher: Arc<Dispatcher>,
    key: VerifyingKey,
    limits: Limits,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) -> std::io::Result<()> {
    let app = router_with(dispatcher, key, limits);
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = stopped(&mut shutdown) => break,
        };
        connections.spawn(connection(stream, app.clone(), limits, shutdown.clone()));
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// Returns once `shutdown` is true (or its sender is gone), holding no borrow of it.
async fn stopped(shutdown: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|s| *s).await;
}

/// Serves one connection: headers within `limits.headers`, closed gracefully on `shutdown`.
async fn connection(
    stream: tokio::net::TcpStream,
    app: Router,
    limits: Limits,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    let service = hyper_util::service::TowerToHyperService::new(app);
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(limits.headers)
        .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
    tokio::pin!(conn);
    let result = tokio::select! {
        r = conn.as_mut() => r,
        () = stopped(&mut shutdown) => {
            conn.as_mut().graceful_shutdown();
            conn.await
        }
    };
    if let Err(e) = result {
        tracing::debug!(error = %e, "an interactions connection ended early");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    #[test]
    fn signatures_verify_only_over_timestamp_and_body() {
        let sk = SigningKey::from_bytes(&[7u8; 32]);
        let key = public_key(&hex::encode(sk.verifying_key().to_bytes())).expect("key");
        let sig = hex::encode(sk.sign(b"1700000000{\"type\":1}").to_bytes());
        assert!(verify(&key, &sig, "1700000000", b"{\"type\":1}"));
        assert!(!verify(&key, &sig, "1700000001", b"{\"type\":1}"));
        assert!(!verify(&key, &sig, "1700000000", b"{\"type\":2}"));
        assert!(!verify(&key, "zz", "1700000000", b"{\"type\":1}"));
        assert!(!verify(&key, "", "1700000000", b"{\"type\":1}"));
        assert!(public_key("nothex").is_err());
    }

    #[test]
    fn timestamps_are_unix_seconds_within_five_minutes() {
        let now = UNIX_EPOCH + Duration::from_secs(1_795_420_800);
        assert!(fresh("1795420800", now));
        assert!(fresh("1795420500", now));
        assert!(fresh("1795421100", now));
        for stale in [
            "1795420499",
            "1795421101",
            "978307200",
            "4102444800",
            "not-a-time",
            "",
            " 1795420800",
            "+1795420800",
            "1795420800.5",
            "99999999999999999999999",
        ] {
            assert!(!fresh(stale, now), "{stale:?}");
        }
    }

    #[test]
    fn an_id_is_first_once_within_its_life_then_forgotten() {
        let replays = Replays::default();
        let t0 = Instant::now();
        assert!(replays.first(1, t0));
        assert!(replays.first(2, t0));
        assert!(!replays.first(1, t0 + Duration::from_secs(60)));
        assert!(!replays.first(2, t0 + INTERACTION_LIFE - Duration::from_secs(1)));
        assert!(replays.first(1, t0 + INTERACTION_LIFE));
        assert_eq!(
            replays.seen.lock().expect("lock").order.len(),
            1,
            "expired ids are forgotten"
        );
    }
}
