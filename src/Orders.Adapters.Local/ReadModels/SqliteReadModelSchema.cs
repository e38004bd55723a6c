namespace Orders.Infrastructure.ReadModels;

/// <summary>
/// Versioned migrations of the read-model tables, applied in order at start-up, each in its own transaction and
/// recorded in <c>read_model_migrations</c>. Never edit a migration that has shipped; add the next one.
/// </summary>
public static class SqliteReadModelSchema
{
    public static IReadOnlyList<(int Version, string Sql)> Migrations { get; } =
    [
        (1, """
            -- The order detail: the view readers get, and the entries the projection folds the next one onto.
            CREATE TABLE rm_order_details (
                order_id TEXT    NOT NULL PRIMARY KEY,
                sequence INTEGER NOT NULL,
                view     TEXT    NOT NULL,
                entries  TEXT    NOT NULL
            ) WITHOUT ROWID;

            -- Lists are read newest first within one buyer or seller, optionally by status: each index matches the
            -- ORDER BY (created_at DESC, order_id) of its query exactly, so a page is one index range scan.
            CREATE TABLE rm_buyer_orders (
                buyer_id   TEXT    NOT NULL,
                order_id   TEXT    NOT NULL,
                version    INTEGER NOT NULL,
                status     TEXT    NOT NULL,
                created_at INTEGER NOT NULL,
                item       TEXT    NOT NULL,
                PRIMARY KEY (buyer_id, order_id)
            ) WITHOUT ROWID;
            CREATE INDEX ix_rm_buyer_orders_newest ON rm_buyer_orders (buyer_id, created_at DESC, order_id);
            CREATE INDEX ix_rm_buyer_orders_status ON rm_buyer_orders (buyer_id, status, created_at DESC, order_id);

            CREATE TABLE rm_seller_orders (
                seller_id   TEXT    NOT NULL,
                order_id    TEXT    NOT NULL,
                version     INTEGER NOT NULL,
                status      TEXT    NOT NULL,
                created_at  INTEGER NOT NULL,
                currency    TEXT    NOT NULL,
                value_minor INTEGER NOT NULL,
                ready_since INTEGER,
                item        TEXT    NOT NULL,
                PRIMARY KEY (seller_id, order_id)
            ) WITHOUT ROWID;
            CREATE INDEX ix_rm_seller_orders_newest ON rm_seller_orders (seller_id, created_at DESC, order_id);
            CREATE INDEX ix_rm_seller_orders_status ON rm_seller_orders (seller_id, status, created_at DESC, order_id);
            CREATE INDEX ix_rm_seller_orders_waiting ON rm_seller_orders (seller_id, ready_since, order_id) WHERE ready_since IS NOT NULL;
            """),
        (2, """
            -- Rowid tables: a WITHOUT ROWID row keeps at most ~1,000 bytes on its page and spills the rest to overflow
            -- pages, read with a system call each on every read and re-allocated on every update. Details (view and
            -- entries) run to kilobytes, list items to most of a kilobyte. Keys, columns and indexes are unchanged.
            CREATE TABLE rm_order_details_v2 (
                order_id TEXT    NOT NULL PRIMARY KEY,
                sequence INTEGER NOT NULL,
                view     TEXT    NOT NULL,
                entries  TEXT    NOT NULL
            );
            INSERT INTO rm_order_details_v2 (order_id, sequence, view, entries) SELECT order_id, sequence, view, entries FROM rm_order_details;
            DROP TABLE rm_order_details;
            ALTER TABLE rm_order_details_v2 RENAME TO rm_order_details;

            CREATE TABLE rm_buyer_orders_v2 (
                buyer_id   TEXT    NOT NULL,
                order_id   TEXT    NOT NULL,
                version    INTEGER NOT NULL,
                status     TEXT    NOT NULL,
                created_at INTEGER NOT NULL,
                item       TEXT    NOT NULL,
                PRIMARY KEY (buyer_id, order_id)
            );
            INSERT INTO rm_buyer_orders_v2 (buyer_id, order_id, version, status, created_at, item)
                SELECT buyer_id, order_id, version, status, created_at, item FROM rm_buyer_orders;
            DROP TABLE rm_buyer_orders;
            ALTER TABLE rm_buyer_orders_v2 RENAME TO rm_buyer_orders;
            CREATE INDEX ix_rm_buyer_orders_newest ON rm_buyer_orders (buyer_id, created_at DESC, order_id);
            CREATE INDEX ix_rm_buyer_orders_status ON rm_buyer_orders (buyer_id, status, created_at DESC, order_id);

            CREATE TABLE rm_seller_orders_v2 (
                seller_id   TEXT    NOT NULL,
                order_id    TEXT    NOT NULL,
                version     INTEGER NOT NULL,
                status      TEXT    NOT NULL,
                created_at  INTEGER NOT NULL,
                currency    TEXT    NOT NULL,
                value_minor INTEGER NOT NULL,
                ready_since INTEGER,
                item        TEXT    NOT NULL,
                PRIMARY KEY (seller_id, order_id)
            );
            INSERT INTO rm_seller_orders_v2 (seller_id, order_id, version, status, created_at, currency, value_minor, ready_since, item)
                SELECT seller_id, order_id, version, status, created_at, currency, value_minor, ready_since, item FROM rm_seller_orders;
            DROP TABLE rm_seller_orders;
            ALTER TABLE rm_seller_orders_v2 RENAME TO rm_seller_orders;
            CREATE INDEX ix_rm_seller_orders_newest ON rm_seller_orders (seller_id, created_at DESC, order_id);
            CREATE INDEX ix_rm_seller_orders_status ON rm_seller_orders (seller_id, status, created_at DESC, order_id);
            CREATE INDEX ix_rm_seller_orders_waiting ON rm_seller_orders (seller_id, ready_since, order_id) WHERE ready_since IS NOT NULL;
            """),
    ];
}
