//! The real server for tests: `corpus-search serve` on 127.0.0.1:0, called over HTTP.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

pub struct Server {
    pub child: Child,
    pub base: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(index: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_corpus-search"))
            .arg("serve")
            .arg("--index")
            .arg(index)
            .args(["--addr", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("server starts");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(addr) = line.strip_prefix("listening on ") {
                    let _ = tx.send(addr.to_string());
                }
                sink.lock().unwrap().push(line);
            }
        });
        let base = rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("no `listening on` line; log: {:?}", log.lock().unwrap()));
        Server { child, base, log }
    }

    pub fn get(&self, path_and_query: &str) -> (u16, String, String) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut resp = agent
            .get(&format!("{}{}", self.base, path_and_query))
            .call()
            .unwrap_or_else(|e| panic!("GET {path_and_query}: {e}"));
        let status = resp.status().as_u16();
        let ctype = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let body = resp.body_mut().read_to_string().expect("body");
        (status, ctype, body)
    }

    pub fn json(&self, path_and_query: &str) -> (u16, Value) {
        let (status, ctype, body) = self.get(path_and_query);
        assert!(
            ctype.starts_with("application/json"),
            "{path_and_query}: content-type {ctype}, body {body}"
        );
        (
            status,
            serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path_and_query}: {e}: {body}")),
        )
    }

    pub fn ok_json(&self, path_and_query: &str) -> Value {
        let (status, v) = self.json(path_and_query);
        assert_eq!(status, 200, "{path_and_query}: {v}");
        v
    }

    pub fn log_text(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// Whether the server's log comes to hold `text`: its lines are read on another thread,
    /// so a line written just before an answer may arrive after it. Gives up after 10 s.
    pub fn log_shows(&self, text: &str) -> bool {
        for _ in 0..200 {
            if self.log_text().contains(text) {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        false
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
