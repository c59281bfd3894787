//! Answers computed from imported data, kept until the data moves: each entry remembers the
//! data version it was computed on, and an `ETag` lets clients revalidate for nothing.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use engine::DataVersion;
use sha2::{Digest, Sha256};

/// Entries kept at most; past it the cache starts again empty (cheaper than tracking use).
const ENTRIES_MAX: usize = 512;
/// Larger answers are not kept.
const ENTRY_BYTES_MAX: usize = 8 * 1024 * 1024;

#[derive(Clone)]
pub(crate) struct Cached {
    version: DataVersion,
    pub(crate) etag: HeaderValue,
    pub(crate) content_type: HeaderValue,
    pub(crate) body: Bytes,
}

#[derive(Default)]
pub(crate) struct Cache {
    entries: Mutex<HashMap<String, Cached>>,
}

impl Cache {
    pub(crate) fn get(&self, key: &str, version: DataVersion) -> Option<Cached> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(key)
            .filter(|cached| cached.version == version)
            .cloned()
    }

    pub(crate) fn put(
        &self,
        key: String,
        version: DataVersion,
        content_type: &'static str,
        body: Vec<u8>,
    ) -> Cached {
        let digest = Sha256::digest(&body);
        let etag = digest
            .iter()
            .take(12)
            .fold(String::new(), |mut text, byte| {
                use std::fmt::Write;
                let _ = write!(text, "{byte:02x}");
                text
            });
        let cached = Cached {
            version,
            etag: HeaderValue::from_str(&format!("\"{etag}\""))
                .unwrap_or(HeaderValue::from_static("\"0\"")),
            content_type: HeaderValue::from_static(content_type),
            body: Bytes::from(body),
        };
        if cached.body.len() <= ENTRY_BYTES_MAX
            && let Ok(mut entries) = self.entries.lock()
        {
            if entries.len() >= ENTRIES_MAX {
                entries.clear();
            }
            entries.insert(key, cached.clone());
        }
        cached
    }
}

/// The answer for a cached entry: 304 when the client has it, else the body, with the
/// `ETag` and a `Cache-Control` that makes clients ask again (cheaply) each time.
pub(crate) fn respond(cached: Cached, request: &HeaderMap) -> Response {
    let fresh = request
        .get(header::IF_NONE_MATCH)
        .is_some_and(|sent| sent.as_bytes() == cached.etag.as_bytes());
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = cached.body.into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, cached.content_type);
        response
    };
    let headers = response.headers_mut();
    headers.insert(header::ETAG, cached.etag);
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    response
}
