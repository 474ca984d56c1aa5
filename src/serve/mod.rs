//! `corpus-search serve`: the search as an HTTP API (`/api/...`, JSON, the same objects as
//! `query --json` and `facets --json`) and as a web page (`/`, server-rendered HTML with a
//! facet sidebar and charts, see [`page`]).
//!
//! `/api/export` streams every match of a search as it is read ([`stream`]).
//!
//! Searches run off the async threads (`spawn_blocking`), at most `workers` at a time; up to
//! `max_pending` more wait their turn and anything beyond that gets 503 at once, so an
//! overloaded server answers "busy" instead of piling up requests. Every request reads the
//! index's `CURRENT` file: when `corpus-search index` has built a new generation, the next
//! request opens it, and searches already running finish on the old one.
//!
//! Handlers ask a [`Home`] (the directory's index, or a cluster under `serve --engine URL`)
//! and never which one it is.

pub mod api;
pub mod chart;
pub mod page;
pub mod params;
pub mod stream;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tokio::sync::Semaphore;

use crate::engine::Engine;
use crate::home::Home;
use crate::index::{current_generation, open_index, OpenIndex};
use crate::{Error, Result};

/// How the server is run (from `corpus-search serve` flags).
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub index: PathBuf,
    /// Serve the index in this cluster instead of the directory (`--engine URL`).
    pub engine: Option<Engine>,
    pub addr: String,
    /// Searches running at once (0: one per core).
    pub workers: usize,
    /// Requests allowed to wait for a worker before the server answers 503.
    pub max_pending: usize,
    /// No log line per request.
    pub quiet: bool,
    /// `/api/health` gives the corpus's path on the server, not only its folder's name.
    pub show_paths: bool,
}

/// Where the served index lives.
enum Served {
    /// A directory, and the generation opened last.
    Dir {
        index_dir: PathBuf,
        current: RwLock<Arc<OpenIndex>>,
    },
    Cluster(Engine),
}

/// What every handler shares.
pub struct AppState {
    served: Served,
    workers: Arc<Semaphore>,
    pending: Arc<Semaphore>,
    /// Whether answers may give file-system paths (`serve --show-paths`).
    pub show_paths: bool,
}

impl AppState {
    pub fn new(index_dir: PathBuf, workers: usize, max_pending: usize) -> Result<AppState> {
        let opened = open_index(&index_dir)?;
        let served = Served::Dir {
            index_dir,
            current: RwLock::new(Arc::new(opened)),
        };
        Ok(AppState::serving(served, workers, max_pending))
    }

    /// The state of a server of the index in a cluster (`serve --engine URL`); the cluster
    /// must hold it.
    pub fn on_cluster(engine: Engine, workers: usize, max_pending: usize) -> Result<AppState> {
        crate::engine::load::loaded(&engine)?;
        Ok(AppState::serving(
            Served::Cluster(engine),
            workers,
            max_pending,
        ))
    }

    fn serving(served: Served, workers: usize, max_pending: usize) -> AppState {
        let workers = if workers == 0 {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
        } else {
            workers
        };
        AppState {
            served,
            workers: Arc::new(Semaphore::new(workers)),
            pending: Arc::new(Semaphore::new(workers + max_pending)),
            show_paths: false,
        }
    }

    /// The index to search: the cluster's, or the one `CURRENT` names now. When a rebuild
    /// has switched generations, the new one is opened here; if it cannot be opened, the old
    /// one stays.
    pub fn index(&self) -> Home {
        match &self.served {
            Served::Cluster(engine) => Home::Cluster(engine.clone()),
            Served::Dir { index_dir, current } => {
                Home::Embedded(AppState::current_generation(index_dir, current))
            }
        }
    }

    fn current_generation(
        index_dir: &std::path::Path,
        current: &RwLock<Arc<OpenIndex>>,
    ) -> Arc<OpenIndex> {
        let held = current.read().unwrap_or_else(|p| p.into_inner()).clone();
        match current_generation(index_dir) {
            Ok(Some(gen)) if gen != held.generation => {
                let mut slot = current.write().unwrap_or_else(|p| p.into_inner());
                if slot.generation != gen {
                    match open_index(index_dir) {
                        Ok(fresh) => {
                            eprintln!(
                                "index rebuilt: now serving {} ({} articles)",
                                fresh.generation.display(),
                                fresh.meta.articles
                            );
                            *slot = Arc::new(fresh);
                        }
                        Err(e) => eprintln!(
                            "index changed but cannot be opened, keeping the old one: {e}"
                        ),
                    }
                }
                slot.clone()
            }
            _ => held,
        }
    }

    /// Runs `work` on a blocking thread once a worker is free; `Busy` when too many requests
    /// already wait.
    pub async fn run<T, F>(self: &Arc<Self>, work: F) -> std::result::Result<T, RunError>
    where
        F: FnOnce(&Home) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let Ok(_place) = self.pending.clone().try_acquire_owned() else {
            return Err(RunError::Busy);
        };
        let _worker = self
            .workers
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| RunError::Failed(Error::Internal("server is shutting down".into())))?;
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let index = state.index();
            work(&index)
        })
        .await
        .map_err(|e| RunError::Failed(Error::Internal(format!("search task failed: {e}"))))?
        .map_err(RunError::Failed)
    }
}

impl AppState {
    /// Runs light `work` (the health check, the API description) on a blocking thread
    /// without waiting for a search worker: it answers while searches fill them all, and a
    /// cluster's answer is a blocking HTTP request, never made on the async threads.
    pub async fn run_light<T, F>(self: &Arc<Self>, work: F) -> std::result::Result<T, RunError>
    where
        F: FnOnce(&Home) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let state = self.clone();
        tokio::task::spawn_blocking(move || work(&state.index()))
            .await
            .map_err(|e| RunError::Failed(Error::Internal(format!("a task failed: {e}"))))?
            .map_err(RunError::Failed)
    }
}

/// Why a search did not give an answer.
#[derive(Debug)]
pub enum RunError {
    Busy,
    Failed(Error),
}

impl RunError {
    pub fn status(&self) -> StatusCode {
        match self {
            RunError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            RunError::Failed(e) if e.is_user_error() => StatusCode::BAD_REQUEST,
            RunError::Failed(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The error's stable name for the API's `code`.
    pub fn code(&self) -> crate::Code {
        match self {
            RunError::Busy => crate::Code::Busy,
            RunError::Failed(e) => e.code(),
        }
    }

    /// What the client is told: the advice for its own mistakes, a plain sentence otherwise
    /// (details go to the server log, never a trace to the client).
    pub fn message(&self) -> String {
        match self {
            RunError::Busy => {
                "the server is busy with other searches; try again in a moment".to_string()
            }
            RunError::Failed(e) if e.is_user_error() => e.to_string(),
            RunError::Failed(e) => {
                eprintln!("error: {e}");
                "the search failed inside the server; the server log says why".to_string()
            }
        }
    }
}

/// The routes: the page, the article view, the API.
pub fn router(state: Arc<AppState>, log: bool) -> Router {
    let app = Router::new()
        .route("/", get(page::search_page))
        .route("/kwic", get(page::kwic_page))
        .route("/article/{*id}", get(page::article_page))
        .route("/style.css", get(page::stylesheet))
        .route("/app.js", get(page::script))
        .route("/api/search", get(api::search))
        .route("/api/facets", get(api::facets))
        .route("/api/export", get(api::export))
        .route("/api/kwic", get(api::kwic))
        .route("/api/articles/{*id}", get(api::article))
        .route("/api/health", get(api::health))
        .route("/api/openapi.json", get(api::openapi))
        .fallback(api::not_found)
        .with_state(state);
    if log {
        app.layer(middleware::from_fn(log_request))
    } else {
        app
    }
}

async fn log_request(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let uri = req.uri().clone();
    let response = next.run(req).await;
    eprintln!(
        "{method} {uri} {} {:.1}ms",
        response.status().as_u16(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    response
}

/// Starts the server and runs it until Ctrl-C or SIGTERM.
pub fn serve(config: &ServeConfig) -> Result<()> {
    let mut state = match &config.engine {
        Some(engine) => AppState::on_cluster(engine.clone(), config.workers, config.max_pending)?,
        None => AppState::new(config.index.clone(), config.workers, config.max_pending)?,
    };
    state.show_paths = config.show_paths;
    let state = Arc::new(state);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Internal(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&config.addr)
            .await
            .map_err(|e| {
                Error::user(format!(
                    "cannot listen on {}: {e}; choose another address with --addr, e.g. --addr 127.0.0.1:7701",
                    config.addr
                ))
            })?;
        let local: SocketAddr = listener
            .local_addr()
            .map_err(|e| Error::Internal(e.to_string()))?;
        let served = state.index();
        let from = match &config.engine {
            Some(engine) => engine.to_string(),
            None => config.index.display().to_string(),
        };
        eprintln!(
            "serving {} articles from {from}",
            served.holding()?.articles,
        );
        eprintln!("listening on http://{local}");
        axum::serve(listener, router(state, !config.quiet))
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(|e| Error::Internal(format!("server failed: {e}")))?;
        eprintln!("stopped");
        Ok(())
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    eprintln!("shutting down: finishing the requests in flight");
}
