namespace Orders.Infrastructure.Sqlite;

/// <summary>
/// Versioned migrations, applied in order at start-up inside one transaction each. Never edit a migration that has
/// shipped; add the next one.
/// </summary>
public static class SqliteSchema
{
    public static IReadOnlyList<(int Version, string Sql)> Migrations { get; } =
    [
        (1, """
            CREATE TABLE orders (
                order_id       TEXT    NOT NULL PRIMARY KEY,
                version        INTEGER NOT NULL,
                status         TEXT    NOT NULL,
                buyer_id       TEXT    NOT NULL,
                created_at     INTEGER NOT NULL,
                updated_at     INTEGER NOT NULL,
                payment_due_by INTEGER NOT NULL,
                document       TEXT    NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX ix_orders_status ON orders (status, created_at);

            -- The history and the outbox: one row per history entry, numbered per order, positioned globally in
            -- commit order (writers are serialised, so positions are assigned and committed in the same order).
            CREATE TABLE order_events (
                position INTEGER PRIMARY KEY AUTOINCREMENT,
                order_id TEXT    NOT NULL,
                sequence INTEGER NOT NULL,
                type     TEXT    NOT NULL,
                at       INTEGER NOT NULL,
                entry    TEXT    NOT NULL,
                UNIQUE (order_id, sequence)
            );
            CREATE TRIGGER order_events_append_only_update BEFORE UPDATE ON order_events
            BEGIN SELECT RAISE(ABORT, 'order_events is append-only'); END;
            CREATE TRIGGER order_events_append_only_delete BEFORE DELETE ON order_events
            BEGIN SELECT RAISE(ABORT, 'order_events is append-only'); END;

            CREATE TABLE idempotency (
                order_id     TEXT    NOT NULL,
                record_id    TEXT    NOT NULL,
                request_hash TEXT    NOT NULL,
                response     TEXT    NOT NULL,
                created_at   INTEGER NOT NULL,
                expires_at   INTEGER NOT NULL,
                PRIMARY KEY (order_id, record_id)
            ) WITHOUT ROWID;
            CREATE INDEX ix_idempotency_expires ON idempotency (expires_at);

            CREATE TABLE checkpoints (
                consumer TEXT    NOT NULL PRIMARY KEY,
                position INTEGER NOT NULL
            ) WITHOUT ROWID;
            """),
        (2, """
            -- Inbound integration events already handled (the inbox): redeliveries are recognised and ignored.
            CREATE TABLE inbox (
                event_id    TEXT    NOT NULL PRIMARY KEY,
                handled_at  INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX ix_inbox_handled_at ON inbox (handled_at);
            """),
        (3, """
            -- Inbound answers that arrived before the fact they depend on, kept until it is recorded (never expire).
            CREATE TABLE parked_answers (
                order_id    TEXT    NOT NULL,
                event_id    TEXT    NOT NULL,
                type        TEXT    NOT NULL,
                time        INTEGER NOT NULL,
                data        TEXT    NOT NULL,
                parked_at   INTEGER NOT NULL,
                reason      TEXT    NOT NULL,
                PRIMARY KEY (order_id, event_id)
            ) WITHOUT ROWID;
            """),
        (4, """
            -- Tables whose rows run to kilobytes become rowid tables. A WITHOUT ROWID row keeps at most ~1,000 bytes
            -- on its page (a quarter of a 4 KiB page); the rest goes to an overflow page, which SQLite reads with its
            -- own system call on every read (overflow reads bypass the page cache) and frees and re-allocates on
            -- every update. An order's state document is ~1.7 KiB: every point read and every save paid that. SQLite's
            -- advice is WITHOUT ROWID only for rows under ~1/20 of a page. Keys, columns and indexes are unchanged.
            CREATE TABLE orders_v4 (
                order_id       TEXT    NOT NULL PRIMARY KEY,
                version        INTEGER NOT NULL,
                status         TEXT    NOT NULL,
                buyer_id       TEXT    NOT NULL,
                created_at     INTEGER NOT NULL,
                updated_at     INTEGER NOT NULL,
                payment_due_by INTEGER NOT NULL,
                document       TEXT    NOT NULL
            );
            INSERT INTO orders_v4 (order_id, version, status, buyer_id, created_at, updated_at, payment_due_by, document)
                SELECT order_id, version, status, buyer_id, created_at, updated_at, payment_due_by, document FROM orders;
            DROP TABLE orders;
            ALTER TABLE orders_v4 RENAME TO orders;
            CREATE INDEX ix_orders_status ON orders (status, created_at);

            CREATE TABLE idempotency_v4 (
                order_id     TEXT    NOT NULL,
                record_id    TEXT    NOT NULL,
                request_hash TEXT    NOT NULL,
                response     TEXT    NOT NULL,
                created_at   INTEGER NOT NULL,
                expires_at   INTEGER NOT NULL,
                PRIMARY KEY (order_id, record_id)
            );
            INSERT INTO idempotency_v4 (order_id, record_id, request_hash, response, created_at, expires_at)
                SELECT order_id, record_id, request_hash, response, created_at, expires_at FROM idempotency;
            DROP TABLE idempotency;
            ALTER TABLE idempotency_v4 RENAME TO idempotency;
            CREATE INDEX ix_idempotency_expires ON idempotency (expires_at);

            CREATE TABLE parked_answers_v4 (
                order_id    TEXT    NOT NULL,
                event_id    TEXT    NOT NULL,
                type        TEXT    NOT NULL,
                time        INTEGER NOT NULL,
                data        TEXT    NOT NULL,
                parked_at   INTEGER NOT NULL,
                reason      TEXT    NOT NULL,
                PRIMARY KEY (order_id, event_id)
            );
            INSERT INTO parked_answers_v4 (order_id, event_id, type, time, data, parked_at, reason)
                SELECT order_id, event_id, type, time, data, parked_at, reason FROM parked_answers;
            DROP TABLE parked_answers;
            ALTER TABLE parked_answers_v4 RENAME TO parked_answers;
            """),
        // Whether the remembered answer changed nothing (Order-Unchanged on its replay); records before it did.
        (5, """
            ALTER TABLE idempotency ADD COLUMN unchanged INTEGER NOT NULL DEFAULT 0;
            """),
    ];
}
