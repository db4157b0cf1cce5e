//! A pooled connection never reaches its next borrower inside a transaction, on SQLite and on
//! PostgreSQL (`CRM_TEST_DATABASE_URL`): the pool is the server's own (`gateway::db::connect`)
//! with one connection, so every step below runs on the connection the step before left
//! behind. A second, independent pool checks what is really committed.

mod support;

use std::time::{Duration, Instant};

use futures_util::FutureExt;
use kernel::db::begin_write;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use support::{DataDir, block_on};

async fn pool(url: &str) -> DatabaseConnection {
    let settings = gateway::db::PoolSettings {
        max_connections: 1,
        ..Default::default()
    };
    gateway::db::connect(url, &settings).await.expect("connect")
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect(sql)
        .expect("a row");
    row.try_get_by_index::<i64>(0).expect("a count")
}

async fn create_tables(db: &DatabaseConnection) {
    for sql in [
        "CREATE TABLE parent (id INTEGER PRIMARY KEY)",
        // Deferred, so a violation surfaces at COMMIT, which then fails and leaves the
        // transaction open: the way to make a commit fail on demand.
        "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)",
        "CREATE TABLE probe (v INTEGER NOT NULL)",
    ] {
        db.execute_unprepared(sql).await.expect(sql);
    }
}

/// Runs `sql` in a write transaction of another pool and commits it: proof that nobody holds
/// the write lock (SQLite would make it wait, then fail).
async fn write_elsewhere(other: &DatabaseConnection, sql: &str) {
    let txn = begin_write(other).await.expect("the write lock is free");
    txn.execute_unprepared(sql).await.expect(sql);
    txn.commit().await.expect("commit");
}

/// Lets the pool take back a connection that was just dropped (its return runs on a task).
async fn settle() {
    tokio::time::sleep(Duration::from_millis(100)).await;
}

#[test]
fn a_connection_whose_transaction_ended_behind_the_drivers_back_is_not_reused() {
    let data = DataDir::new();
    block_on(async {
        let db = pool(&data.url()).await;
        let observer = pool(&data.url()).await;
        create_tables(&db).await;

        // SQLite rolls a transaction back by itself on some I/O errors (a full disk): the
        // driver still counts it as open, and the ROLLBACK it sends when the transaction is
        // dropped fails. A COMMIT sent behind the driver's back leaves the same state.
        let txn = begin_write(&db).await.expect("begin");
        txn.execute_unprepared("COMMIT")
            .await
            .expect("commit behind");
        drop(txn);
        settle().await;

        // A commit that fails and leaves the transaction open.
        let txn = begin_write(&db).await.expect("begin");
        txn.execute_unprepared("INSERT INTO child (id, parent_id) VALUES (1, 999)")
            .await
            .expect("insert");
        assert!(txn.commit().await.is_err(), "the deferred violation fails");
        settle().await;

        // An acknowledged write: committed for every other connection to see.
        let txn = begin_write(&db).await.expect("begin");
        txn.execute_unprepared("INSERT INTO probe (v) VALUES (1)")
            .await
            .expect("insert");
        txn.commit().await.expect("commit");
        settle().await;

        assert_eq!(
            count(&observer, "SELECT COUNT(*) FROM probe").await,
            1,
            "an acknowledged commit is visible to another connection"
        );
        write_elsewhere(&observer, "INSERT INTO probe (v) VALUES (2)").await;
        assert_eq!(count(&db, "SELECT COUNT(*) FROM probe").await, 2);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM child").await, 0);
    });
}

#[test]
fn a_begin_cancelled_in_flight_leaves_no_transaction_behind() {
    let data = DataDir::new();
    block_on(async {
        let db = pool(&data.url()).await;
        let observer = pool(&data.url()).await;
        create_tables(&db).await;
        settle().await;

        // Poll the BEGIN once, so it goes out, then drop it before its answer is read: what
        // a client that disconnects, or a request cut off at shutdown, does to a request.
        let postgres = db.get_database_backend() == DbBackend::Postgres;
        let mut begin = Box::pin(begin_write(&db));
        let mut answered = begin.as_mut().now_or_never();
        // The answer can be there by the one poll (SQLite's worker thread, rarely a fast
        // PostgreSQL): on PostgreSQL, try again until a BEGIN is caught in flight.
        for _ in 0..50 {
            if !postgres || answered.is_none() {
                break;
            }
            drop(answered);
            settle().await;
            begin = Box::pin(begin_write(&db));
            answered = begin.as_mut().now_or_never();
        }
        if postgres {
            assert!(answered.is_none(), "no BEGIN was caught in flight");
            // Wait until the server has opened the transaction the driver does not know of.
            let deadline = Instant::now() + Duration::from_secs(5);
            while count(
                &observer,
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'",
            )
            .await
                == 0
            {
                assert!(Instant::now() < deadline, "the BEGIN never arrived");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
        // SQLite's worker thread may answer within the one poll; dropping the transaction it
        // began is then the same path one step later.
        drop(answered);
        drop(begin);
        settle().await;

        // A single statement outside any transaction commits by itself.
        db.execute_unprepared("INSERT INTO probe (v) VALUES (3)")
            .await
            .expect("insert");
        assert_eq!(
            count(&observer, "SELECT COUNT(*) FROM probe WHERE v = 3").await,
            1,
            "the statement ran outside any transaction"
        );
        write_elsewhere(&observer, "SELECT 1").await;
    });
}
