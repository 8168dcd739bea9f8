//! The webhook sender: implements the service's [`Webhooks`] port over HTTP (`reqwest`). Each
//! attempt posts the planned body unchanged to the target's URL with
//! `Content-Type: application/json`, `Vakt-Delivery` and `Idempotency-Key` (the delivery id,
//! the same on every attempt) and `Vakt-Signature: t=<unix>,v1=<hex>` — HMAC-SHA256 with the
//! target's secret over `<t>.<body>`, Stripe's scheme, `t` from the service's clock. A 2xx is
//! delivered; 408, 429 (with its `Retry-After`), 5xx, a timeout or a dropped connection are
//! worth retrying; any other answer (a 4xx, a redirect) refuses the delivery for good. Errors
//! name the target and the status or cause, never the secret or the URL's query.

use crate::config::WebhookTarget;
use crate::service::ports::{WebhookDelivery, WebhookError, Webhooks};
use async_trait::async_trait;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::collections::BTreeMap;

/// The signature header's name.
pub const SIGNATURE_HEADER: &str = "Vakt-Signature";
/// The delivery id header's name.
pub const DELIVERY_HEADER: &str = "Vakt-Delivery";
/// The idempotency key header's name (the delivery id again, under the common name).
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// The `Vakt-Signature` value for `body` sent at unix time `t` with `secret`:
/// `t=<t>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
pub fn signature(secret: &[u8], t: i64, body: &str) -> String {
    // HMAC takes a key of any length; the error cannot happen.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return format!("t={t},v1=");
    };
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// Sends deliveries to the configured targets.
pub struct HttpWebhooks {
    client: reqwest::Client,
    targets: BTreeMap<String, WebhookTarget>,
}

impl HttpWebhooks {
    /// A sender for `targets` (no redirects followed: a signed delivery goes where configured).
    pub fn new(targets: &[WebhookTarget]) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("vakt/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("building the webhook HTTP client: {e}"))?;
        Ok(HttpWebhooks {
            client,
            targets: targets.iter().map(|t| (t.name.clone(), t.clone())).collect(),
        })
    }
}

/// `Retry-After` in seconds, when the answer gives one.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<std::time::Duration> {
    let secs: u64 = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(std::time::Duration::from_secs(secs.min(3600)))
}

#[async_trait]
impl Webhooks for HttpWebhooks {
    async fn deliver(&self, d: &WebhookDelivery) -> Result<(), WebhookError> {
        let Some(target) = self.targets.get(&d.target) else {
            return Err(WebhookError::Permanent {
                target: d.target.clone(),
                reason: "no such target configured".into(),
            });
        };
        let transient = |reason: String, retry_after| WebhookError::Transient {
            target: d.target.clone(),
            reason,
            retry_after,
        };
        let answer = self
            .client
            .post(target.url.clone())
            .timeout(target.timeout)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(DELIVERY_HEADER, &d.id)
            .header(IDEMPOTENCY_HEADER, &d.id)
            .header(
                SIGNATURE_HEADER,
                signature(target.secret.expose().as_bytes(), d.at.timestamp(), &d.body),
            )
            .body(d.body.clone())
            .send()
            .await
            .map_err(|e| transient(e.without_url().to_string(), None))?;
        let status = answer.status();
        if status.is_success() {
            return Ok(());
        }
        let wait = retry_after(answer.headers());
        let code = status.as_u16();
        if code == 408 || code == 429 || status.is_server_error() {
            return Err(transient(format!("HTTP {status}"), wait));
        }
        Err(WebhookError::Permanent {
            target: d.target.clone(),
            reason: format!("HTTP {status}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::signature;

    /// The same value as Python's `hmac.new(secret, f"{t}.{body}".encode(), sha256).hexdigest()`.
    #[test]
    fn the_signature_is_stripe_style_hmac_sha256_over_time_and_body() {
        assert_eq!(
            signature(b"whsec_0123456789abcdef", 1_764_931_500, "{\"version\":1}"),
            "t=1764931500,v1=add8c26b23ef85513378d0292541fb676a200a5d6568aa750de92a8f8a1ec2c6"
        );
    }
}
