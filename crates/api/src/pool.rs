//! A small pool of engines (each with its own store connection), used on blocking threads:
//! the store is synchronous, and a request must never block the async workers.

use std::sync::{Arc, Mutex};

use engine::Engine;
use tokio::sync::Semaphore;

use crate::ApiError;

pub(crate) struct Pool {
    database_url: String,
    idle: Mutex<Vec<Engine>>,
    /// One permit per engine that may be in use at once.
    permits: Arc<Semaphore>,
}

impl Pool {
    /// Opens one engine now (which migrates the store), the others when first needed.
    pub(crate) fn open(database_url: &str, size: usize) -> Result<Pool, ApiError> {
        let first = Engine::open(database_url)?;
        Ok(Pool {
            database_url: database_url.to_owned(),
            idle: Mutex::new(vec![first]),
            permits: Arc::new(Semaphore::new(size)),
        })
    }

    /// Runs `work` with an engine on a blocking thread. An engine whose work panicked is
    /// dropped rather than reused.
    pub(crate) async fn run<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Engine) -> Result<T, ApiError> + Send + 'static,
    {
        let _permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(ApiError::internal)?;
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let engine = if let Some(engine) = idle {
            engine
        } else {
            let url = self.database_url.clone();
            tokio::task::spawn_blocking(move || Engine::open(&url))
                .await
                .map_err(ApiError::internal)??
        };
        let (engine, result) = tokio::task::spawn_blocking(move || {
            let mut engine = engine;
            let result = work(&mut engine);
            (engine, result)
        })
        .await
        .map_err(ApiError::internal)?;
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(engine);
        }
        result
    }
}
