//! The HTTP interactions transport (`vakt serve`): an axum endpoint Discord posts
//! interactions to. Each request's `X-Signature-Ed25519` is verified over
//! `X-Signature-Timestamp + body` with the application's public key; a missing or bad
//! signature is answered 401 and dispatches nothing. PING is answered PONG; everything else
//! goes through the same [`Dispatcher`] as the gateway, its initial response being the HTTP
//! response body, and deferred work editing the original response through the webhook API.
//!
//! Use it to run several replicas behind a load balancer (the job table keeps every
//! scheduled post exactly once); the gateway needs one connection per bot.

use super::interactions::Dispatcher;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use serenity::all::Interaction;
use std::sync::Arc;
use std::time::Duration;

/// The path Discord posts interactions to (the application's Interactions Endpoint URL).
pub const PATH: &str = "/interactions";

/// How long after the HTTP response the work left over (follow-up pages) starts, so
/// Discord has the initial response before the follow-ups arrive.
const AFTER_RESPONSE: Duration = Duration::from_millis(200);

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
}

/// The router answering [`PATH`].
pub fn router(dispatcher: Arc<Dispatcher>, key: VerifyingKey) -> Router {
    Router::new()
        .route(PATH, post(interaction))
        .with_state(Endpoint { dispatcher, key })
}

async fn interaction(State(ep): State<Endpoint>, headers: HeaderMap, body: Bytes) -> Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let (Some(sig), Some(ts)) = (header("x-signature-ed25519"), header("x-signature-timestamp")) else {
        return (StatusCode::UNAUTHORIZED, "missing request signature").into_response();
    };
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
    let handled = ep.dispatcher.handle(interaction).await;
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

/// Serves [`router`] on `listener` until `shutdown` turns true.
pub async fn serve(
    listener: tokio::net::TcpListener,
    dispatcher: Arc<Dispatcher>,
    key: VerifyingKey,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) -> std::io::Result<()> {
    axum::serve(listener, router(dispatcher, key))
        .with_graceful_shutdown(async move {
            let _ = shutdown.wait_for(|s| *s).await;
        })
        .await
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
}
