namespace Orders.Infrastructure.Sqlite;

/// <summary>
/// Versioned migrations, applied in order at start-up inside one transaction each. Never edit a migration that has
/// shipped; add the next one.
/// </summary>
internal static class SqliteSchema
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
    ];
}
