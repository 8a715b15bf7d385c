//! The schema applies from zero on every backend, and a second run is a no-op.

use sea_orm::{ConnectOptions, Database};

use crate::support::Backend;

testkit::on_both_backends! {
    async fn migrations_apply_from_zero_and_then_do_nothing(backend: Backend) {
        let (url, _guard) = backend.fresh_database().await;
        let url = if url.starts_with("sqlite") {
            format!("{url}?mode=rwc")
        } else {
            url
        };
        let mut options = ConnectOptions::new(url);
        options.max_connections(1);
        let db = Database::connect(options).await.unwrap();
        let total = migrations::pending_migrations(&db).await.unwrap().len();
        assert!(
            total >= 5,
            "{backend:?}: every migration is pending on an empty database"
        );
        assert_eq!(
            migrations::migrate(&db).await.unwrap(),
            total,
            "{backend:?}"
        );
        assert!(
            migrations::pending_migrations(&db)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            migrations::migrate(&db).await.unwrap(),
            0,
            "{backend:?}: second run is a no-op"
        );
    }
}
