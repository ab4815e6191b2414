//! The table and trigger the listener expects, as SQL to run once (a migration).

/// The channel the trigger of [`SCHEMA`] notifies, and the one an
/// [`OriginListener`](crate::OriginListener) listens to unless
/// [told otherwise](crate::OriginListener::channel).
pub const CHANNEL: &str = "cors_origins";

/// The table of allowed origins and the trigger that tells every listening instance about each
/// change: run it once, as a migration. Its notifications (channel [`CHANNEL`]) carry `+`
/// and the origin for an origin added, `-` and the origin for one removed (an `UPDATE` of an
/// origin is both), and `*` after a `TRUNCATE` (every instance starts again from the table).
/// PostgreSQL delivers them when the transaction commits, in commit order.
///
/// Each change's payload ends with a space and a number from a sequence: PostgreSQL folds
/// identical notifications of one transaction into one, so that a transaction that adds,
/// removes and adds an origin would otherwise send `+origin -origin` and leave an origin set
/// without it. The listener reads the origin up to the space; a payload without the number
/// works too.
///
/// ```
/// assert!(cors_postgres::SCHEMA.contains("CREATE TABLE IF NOT EXISTS cors_origins"));
/// assert!(cors_postgres::SCHEMA.contains("pg_notify('cors_origins'"));
/// ```
///
/// A table of another shape works too: what the listener needs is a trigger that sends these
/// payloads on the channel it listens to, and (for an origin set) a query that returns the
/// allowed origins, one `text` column.
pub const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS cors_origins (
    origin text PRIMARY KEY CHECK (length(origin) <= 512)
);

CREATE SEQUENCE IF NOT EXISTS cors_origins_changes;

CREATE OR REPLACE FUNCTION cors_origins_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('cors_origins', '*');
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM pg_notify('cors_origins', '+' || NEW.origin || ' ' || nextval('cors_origins_changes'));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('cors_origins', '-' || OLD.origin || ' ' || nextval('cors_origins_changes'));
    ELSIF NEW.origin IS DISTINCT FROM OLD.origin THEN
        PERFORM pg_notify('cors_origins', '-' || OLD.origin || ' ' || nextval('cors_origins_changes'));
        PERFORM pg_notify('cors_origins', '+' || NEW.origin || ' ' || nextval('cors_origins_changes'));
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS cors_origins_notify ON cors_origins;
CREATE TRIGGER cors_origins_notify
    AFTER INSERT OR UPDATE OR DELETE ON cors_origins
    FOR EACH ROW EXECUTE FUNCTION cors_origins_notify();

DROP TRIGGER IF EXISTS cors_origins_truncated ON cors_origins;
CREATE TRIGGER cors_origins_truncated
    AFTER TRUNCATE ON cors_origins
    FOR EACH STATEMENT EXECUTE FUNCTION cors_origins_notify();
"#;

/// The query that reads every allowed origin of [`SCHEMA`]'s table.
pub const ALL_ORIGINS: &str = "SELECT origin FROM cors_origins";
