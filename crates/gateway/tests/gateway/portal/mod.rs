//! The parent portal over HTTP, as a browser without JavaScript uses it: forms, cookies,
//! redirects. The real-browser journey (Chromium, axe-core) is `scripts/browser-test`.

mod access;
mod browser;
mod pages;
mod security;
mod top_up;
