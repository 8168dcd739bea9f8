//! The public status page on the operations listener (`[ops] listen`, axum):
//! `GET /status/<agreement>` (HTML) and `GET /status/<agreement>/feed.atom` (Atom). This
//! adapter only speaks HTTP: it parses the path, asks the service for the page
//! ([`Service::status_page`]) and has the renderer write it ([`crate::render::status`]) in
//! the agreement's language. An unknown agreement is `404 Not Found`; a store that fails is
//! `503`, logged. The page holds only what responders published: serving it needs no token.

use crate::config::Languages;
use crate::render::status as words;
use crate::service::{Service, ServiceError};
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// What the status routes need: the service to read pages from, and each agreement's language.
pub struct Pages {
    /// The service the pages are read from.
    pub service: Arc<Service>,
    /// The language each agreement's page is written in (its file's, or as configured).
    pub languages: Languages,
}

/// Which of the page's two forms was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Html,
    Atom,
}

/// The page of `agreement` in `form`: read, rendered, answered.
async fn answer(pages: &Pages, agreement: &str, form: Form) -> Response {
    let service = &pages.service;
    let page = match service.status_page(agreement).await {
        Ok(page) => page,
        Err(ServiceError::User(_)) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(agreement, error = %e, "the status page could not be read");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let locale = pages.languages.of(&page.agreement);
    let (body, kind) = match form {
        Form::Html => (words::html(&page, locale), "text/html; charset=utf-8"),
        Form::Atom => (words::atom(&page, locale), "application/atom+xml; charset=utf-8"),
    };
    match body {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, kind),
                (header::CACHE_CONTROL, "public, max-age=60"),
            ],
            body,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(agreement, error = %e, "the status page could not be rendered");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `GET /status/<agreement>`.
async fn page(State(pages): State<Arc<Pages>>, Path(agreement): Path<String>) -> Response {
    answer(&pages, &agreement, Form::Html).await
}

/// `GET /status/<agreement>/feed.atom`.
async fn feed(State(pages): State<Arc<Pages>>, Path(agreement): Path<String>) -> Response {
    answer(&pages, &agreement, Form::Atom).await
}

/// The status page's routes, to be merged into the operations listener's router.
pub fn router(pages: Arc<Pages>) -> axum::Router {
    axum::Router::new()
        .route("/status/{agreement}", axum::routing::get(page))
        .route("/status/{agreement}/feed.atom", axum::routing::get(feed))
        .with_state(pages)
}
