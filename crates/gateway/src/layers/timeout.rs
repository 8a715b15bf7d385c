//! The request timeout, with a timer armed only for requests that have to wait.
//!
//! tower-http's `TimeoutLayer` arms a timer for every request, and tokio's timers sit behind
//! a lock that every worker thread takes: under load the workers queue on it, and each
//! wait is a trip through the kernel. Most requests here are answered from memory at their
//! first poll and need no timer at all; the deadline still counts from the request's start.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::http::{Request, Response, StatusCode};
use tokio::time::{Instant, Sleep};
use tower::{Layer, Service};

/// Answers 408 Request Timeout to a request not answered within `0`.
#[derive(Clone, Copy, Debug)]
pub struct TimeoutLayer(pub Duration);

impl<S> Layer<S> for TimeoutLayer {
    type Service = Timeout<S>;

    fn layer(&self, inner: S) -> Timeout<S> {
        Timeout {
            inner,
            timeout: self.0,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Timeout<S> {
    inner: S,
    timeout: Duration,
}

impl<S, B, Body> Service<Request<B>> for Timeout<S>
where
    S: Service<Request<B>, Response = Response<Body>>,
    Body: Default,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        ResponseFuture {
            inner: self.inner.call(request),
            deadline: Instant::now() + self.timeout,
            timer: None,
        }
    }
}

pin_project_lite::pin_project! {
    pub struct ResponseFuture<F> {
        #[pin]
        inner: F,
        deadline: Instant,
        // Armed the first time `inner` is not ready.
        #[pin]
        timer: Option<Sleep>,
    }
}

impl<F, E, Body> Future for ResponseFuture<F>
where
    F: Future<Output = Result<Response<Body>, E>>,
    Body: Default,
{
    type Output = Result<Response<Body>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        if let Poll::Ready(result) = this.inner.poll(cx) {
            return Poll::Ready(result);
        }
        if this.timer.is_none() {
            this.timer
                .set(Some(tokio::time::sleep_until(*this.deadline)));
        }
        if let Some(timer) = this.timer.as_pin_mut() {
            ready!(timer.poll(cx));
        }
        let mut timed_out = Response::new(Body::default());
        *timed_out.status_mut() = StatusCode::REQUEST_TIMEOUT;
        Poll::Ready(Ok(timed_out))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::convert::Infallible;

    use axum::body::Body;
    use axum::response::IntoResponse;
    use tower::ServiceExt;

    use super::*;

    /// A service that answers 200 after `wait`, or at once.
    fn answering_after(
        wait: Option<Duration>,
    ) -> impl Service<Request<Body>, Response = Response<Body>, Error = Infallible, Future: Send> + Clone
    {
        tower::service_fn(move |_request: Request<Body>| async move {
            if let Some(wait) = wait {
                tokio::time::sleep(wait).await;
            }
            Ok::<_, Infallible>(StatusCode::OK.into_response())
        })
    }

    async fn status(wait: Option<Duration>) -> StatusCode {
        TimeoutLayer(Duration::from_millis(200))
            .layer(answering_after(wait))
            .oneshot(Request::new(Body::empty()))
            .await
            .unwrap()
            .status()
    }

    #[tokio::test]
    async fn a_request_answered_in_time_keeps_its_answer_whether_it_waited_or_not() {
        assert_eq!(status(None).await, StatusCode::OK);
        assert_eq!(
            status(Some(Duration::from_millis(10))).await,
            StatusCode::OK
        );
    }

    #[tokio::test]
    async fn a_request_past_its_deadline_is_answered_408_at_the_deadline() {
        let started = std::time::Instant::now();
        assert_eq!(
            status(Some(Duration::from_secs(30))).await,
            StatusCode::REQUEST_TIMEOUT
        );
        let took = started.elapsed();
        assert!(
            took >= Duration::from_millis(200) && took < Duration::from_secs(10),
            "{took:?}"
        );
    }
}
