"""The events.db schema and its migrations (PRAGMA user_version counts them)."""

from __future__ import annotations

import sqlite3

# Each entry moves the database from version i to i+1. Never edit a released one:
# add a new entry instead, and keep a fixture of the old file in tests/fixtures/.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE events (
        seq          INTEGER PRIMARY KEY,
        id           TEXT NOT NULL UNIQUE,
        rule_id      TEXT NOT NULL,
        received_at  TEXT NOT NULL,
        received_ts  REAL NOT NULL,
        method       TEXT NOT NULL,
        query        TEXT NOT NULL,
        headers      TEXT NOT NULL,
        content_type TEXT NOT NULL,
        body         BLOB NOT NULL,
        delivery_id  TEXT,
        state        TEXT NOT NULL DEFAULT 'new'
    );
    CREATE INDEX events_by_rule ON events (rule_id, seq);
    CREATE INDEX events_new ON events (state) WHERE state = 'new';
    CREATE TABLE runs (
        seq          INTEGER PRIMARY KEY,
        id           TEXT NOT NULL UNIQUE,
        event_id     TEXT NOT NULL REFERENCES events (id),
        rule_id      TEXT NOT NULL,
        reason       TEXT NOT NULL,
        status       TEXT NOT NULL,
        started_at   TEXT NOT NULL,
        finished_at  TEXT,
        duration_ms  REAL,
        error        TEXT,
        next_try_ts  REAL
    );
    CREATE INDEX runs_by_event ON runs (event_id, seq);
    CREATE INDEX runs_unfinished ON runs (status) WHERE status IN ('running', 'waiting');
    CREATE TABLE step_runs (
        run_id       TEXT NOT NULL REFERENCES runs (id),
        idx          INTEGER NOT NULL,
        type         TEXT NOT NULL,
        label        TEXT NOT NULL,
        status       TEXT NOT NULL,
        attempts     INTEGER NOT NULL,
        input        TEXT,
        output       TEXT,
        error        TEXT,
        started_at   TEXT,
        duration_ms  REAL,
        PRIMARY KEY (run_id, idx)
    );
    """,
    # 2: finding an earlier delivery of the same sender id fast (dedupe).
    """
    CREATE INDEX events_by_delivery ON events (rule_id, delivery_id, received_ts)
        WHERE delivery_id IS NOT NULL;
    """,
    # 3: the Activity page's "Failed" filter reads the few failed runs, not every run
    # (a partial index: runs that succeed never enter it, so deliveries pay nothing).
    """
    CREATE INDEX runs_failed ON runs (event_id) WHERE status = 'failed';
    """,
    # 4: events stored before credentials were hidden (bellhop.core.inbox.credentials) lose the
    # values of the headers that always carry one; json_replace sets only keys present.
    """
    UPDATE events SET headers = json_replace(headers,
            '$.authorization', '(hidden)', '$."proxy-authorization"', '(hidden)',
            '$.cookie', '(hidden)', '$."set-cookie"', '(hidden)')
        WHERE CASE WHEN json_valid(headers) THEN
            json_type(headers, '$.authorization') IS NOT NULL
            OR json_type(headers, '$."proxy-authorization"') IS NOT NULL
            OR json_type(headers, '$.cookie') IS NOT NULL
            OR json_type(headers, '$."set-cookie"') IS NOT NULL
        ELSE 0 END;
    """,
    # 5: each rule's backlog is read back a page at a time, in arrival order: the index
    # of events waiting for their first run goes by rule and seq (still only those).
    """
    DROP INDEX events_new;
    CREATE INDEX events_new ON events (rule_id, seq) WHERE state = 'new';
    """,
    # 6: what fixes a step's error (core/errors.py Fix, as a JSON list), for the window's
    # button beside it; NULL for steps stored before, and for errors nobody can fix here.
    """
    ALTER TABLE step_runs ADD COLUMN fix TEXT;
    """,
    # 7: a step can be done with warnings: fields the event lacks that it left empty, in
    # words (a JSON list); NULL for none, and for steps stored before.
    """
    ALTER TABLE step_runs ADD COLUMN warnings TEXT;
    """,
    # 8: deliveries the receiver turned away (wrong secret, method, JSON, size, address),
    # so Activity can say why. Repeats within a minute share a row and its `count`; the
    # writer keeps only the newest rows (core/storage/refusals.py), so a flood stays small.
    # rule_id is '' when no rule has the address.
    """
    CREATE TABLE refusals (
        seq          INTEGER PRIMARY KEY,
        rule_id      TEXT NOT NULL,
        status       INTEGER NOT NULL,
        kind         TEXT NOT NULL,
        reason       TEXT NOT NULL,
        first_ts     REAL NOT NULL,
        last_ts      REAL NOT NULL,
        count        INTEGER NOT NULL
    );
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


class NewerDatabase(Exception):
    """The file was written by a newer Bellhop."""


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database to SCHEMA_VERSION; returns the version it started at."""
    start = conn.execute("PRAGMA user_version").fetchone()[0]
    if start > SCHEMA_VERSION:
        raise NewerDatabase(start)
    if start == SCHEMA_VERSION:
        return start
    # A migration that blanks a value (4: credentials) must leave no copy of it in the
    # file's free space; many SQLite builds do not zero freed bytes unless asked.
    zeroing = conn.execute("PRAGMA secure_delete").fetchone()[0]
    conn.execute("PRAGMA secure_delete = ON")
    try:
        for version in range(start, SCHEMA_VERSION):
            conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in MIGRATIONS[version].split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {version + 1}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        # The blanked pages go to the main file now, and the WAL is emptied (it may hold
        # frames an older Bellhop wrote before a crash), not at some later checkpoint.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.execute(f"PRAGMA secure_delete = {int(zeroing)}")
    return start
