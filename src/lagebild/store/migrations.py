"""Named schema migrations, applied in order when a store is opened and recorded in `migrations`.

A migration is never edited once released: a schema change is a new entry at the end of
`MIGRATIONS`. Each runs in its own transaction together with the row that records it, so a
crash leaves it either applied and recorded or not applied at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from lagebild.store.errors import MigrationError


@dataclass(slots=True, frozen=True)
class Migration:
    name: str
    statements: tuple[str, ...]


_INITIAL = (
    """
    CREATE TABLE articles (
        article_id          VARCHAR PRIMARY KEY,
        input               VARCHAR,
        source_id           VARCHAR,
        url                 VARCHAR,
        outlet              VARCHAR,
        agency              VARCHAR,
        title               VARCHAR,
        published           VARCHAR,
        published_precision VARCHAR,
        published_basis     VARCHAR,
        published_date      DATE,
        lang                VARCHAR,
        text                VARCHAR NOT NULL,
        n_chars             INTEGER,
        n_sentences         INTEGER,
        n_tokens            INTEGER,
        notes               VARCHAR[],
        ingested_at         TIMESTAMP NOT NULL,
        duplicate_of        VARCHAR,
        similarity          DOUBLE,
        record              VARCHAR
    )
    """,
    """
    CREATE TABLE article_signatures (
        article_id  VARCHAR PRIMARY KEY,
        num_perm    INTEGER NOT NULL,
        seed        INTEGER NOT NULL,
        scheme      VARCHAR NOT NULL,
        signature   BLOB NOT NULL
    )
    """,
    """
    CREATE TABLE mentions (
        mention_id              VARCHAR PRIMARY KEY,
        article_id              VARCHAR NOT NULL,
        event_id                VARCHAR NOT NULL,
        own_event_id            VARCHAR NOT NULL,
        linked_via_duplicate    BOOLEAN NOT NULL,
        ordinal                 INTEGER NOT NULL,
        code                    VARCHAR,
        root                    VARCHAR,
        quad_class              INTEGER,
        goldstein               DOUBLE,
        plover                  VARCHAR,
        source_code             VARCHAR,
        source_role             VARCHAR,
        source_name             VARCHAR,
        source_actor_id         VARCHAR,
        source_start            INTEGER,
        source_end              INTEGER,
        source_antecedent_start INTEGER,
        source_antecedent_end   INTEGER,
        target_code             VARCHAR,
        target_role             VARCHAR,
        target_name             VARCHAR,
        target_actor_id         VARCHAR,
        target_start            INTEGER,
        target_end              INTEGER,
        target_antecedent_start INTEGER,
        target_antecedent_end   INTEGER,
        date_value              VARCHAR,
        date_granularity        VARCHAR,
        date_basis              VARCHAR,
        date_time_id            VARCHAR,
        date_start              DATE,
        date_end                DATE,
        status                  VARCHAR,
        location_name           VARCHAR,
        location_country        VARCHAR,
        location_lat            DOUBLE,
        location_lon            DOUBLE,
        location_start          INTEGER,
        location_end            INTEGER,
        sentence                INTEGER,
        sentence_start          INTEGER,
        sentence_end            INTEGER,
        sentence_text           VARCHAR,
        trigger_text            VARCHAR,
        trigger_lemma           VARCHAR,
        trigger_start           INTEGER,
        trigger_end             INTEGER,
        rule_id                 VARCHAR,
        rule_file               VARCHAR,
        rule_line               INTEGER,
        rule_pattern            VARCHAR,
        quote_ids               VARCHAR[],
        speaker_code            VARCHAR,
        speaker_name            VARCHAR,
        speaker_actor_id        VARCHAR,
        confidence              DOUBLE,
        lang                    VARCHAR,
        record                  VARCHAR NOT NULL
    )
    """,
    """
    CREATE TABLE events (
        event_id            VARCHAR PRIMARY KEY,
        global_id           BIGINT NOT NULL,
        code                VARCHAR,
        base_code           VARCHAR,
        root                VARCHAR,
        quad_class          INTEGER,
        goldstein           DOUBLE,
        plover              VARCHAR,
        source_code         VARCHAR,
        source_role         VARCHAR,
        source_name         VARCHAR,
        source_actor_id     VARCHAR,
        target_code         VARCHAR,
        target_role         VARCHAR,
        target_name         VARCHAR,
        target_actor_id     VARCHAR,
        date_value          VARCHAR,
        date_granularity    VARCHAR,
        date_basis          VARCHAR,
        date_start          DATE,
        date_end            DATE,
        location_name       VARCHAR,
        location_country    VARCHAR,
        location_lat        DOUBLE,
        location_lon        DOUBLE,
        status              VARCHAR,
        status_mix          VARCHAR,
        num_mentions        INTEGER NOT NULL,
        num_sources         INTEGER NOT NULL,
        num_articles        INTEGER NOT NULL,
        first_seen          TIMESTAMP,
        last_seen           TIMESTAMP,
        first_published     VARCHAR,
        last_published      VARCHAR,
        mean_confidence     DOUBLE,
        mean_goldstein      DOUBLE,
        min_sentence        INTEGER,
        source_url          VARCHAR,
        source_outlet       VARCHAR,
        lang                VARCHAR
    )
    """,
    """
    CREATE TABLE actors (
        article_id      VARCHAR NOT NULL,
        mention_id      VARCHAR NOT NULL,
        ordinal     INTEGER NOT NULL,
        text            VARCHAR,
        start           INTEGER,
        "end"           INTEGER,
        sentence        INTEGER,
        code            VARCHAR,
        role            VARCHAR,
        actor_id        VARCHAR,
        kind            VARCHAR,
        resolved_from   VARCHAR,
        rule_file       VARCHAR,
        rule_line       INTEGER,
        record          VARCHAR NOT NULL,
        PRIMARY KEY (article_id, mention_id)
    )
    """,
    """
    CREATE TABLE quotes (
        article_id          VARCHAR NOT NULL,
        quote_id            VARCHAR NOT NULL,
        ordinal     INTEGER NOT NULL,
        kind                VARCHAR,
        text                VARCHAR,
        start               INTEGER,
        "end"               INTEGER,
        sentence            INTEGER,
        speaker_code        VARCHAR,
        speaker_role        VARCHAR,
        speaker_name        VARCHAR,
        speaker_actor_id    VARCHAR,
        via_code            VARCHAR,
        via_name            VARCHAR,
        via_actor_id        VARCHAR,
        cue                 VARCHAR,
        record              VARCHAR NOT NULL,
        PRIMARY KEY (article_id, quote_id)
    )
    """,
    """
    CREATE TABLE places (
        article_id  VARCHAR NOT NULL,
        place_id    VARCHAR NOT NULL,
        ordinal     INTEGER NOT NULL,
        text        VARCHAR,
        start       INTEGER,
        "end"       INTEGER,
        sentence    INTEGER,
        name        VARCHAR,
        country     VARCHAR,
        lat         DOUBLE,
        lon         DOUBLE,
        record      VARCHAR NOT NULL,
        PRIMARY KEY (article_id, place_id)
    )
    """,
    """
    CREATE TABLE times (
        article_id  VARCHAR NOT NULL,
        time_id     VARCHAR NOT NULL,
        ordinal     INTEGER NOT NULL,
        text        VARCHAR,
        start       INTEGER,
        "end"       INTEGER,
        sentence    INTEGER,
        value       VARCHAR,
        granularity VARCHAR,
        kind        VARCHAR,
        record      VARCHAR NOT NULL,
        PRIMARY KEY (article_id, time_id)
    )
    """,
    """
    CREATE TABLE failures (
        input       VARCHAR NOT NULL,
        reason      VARCHAR NOT NULL,
        kind        VARCHAR,
        first_seen  TIMESTAMP NOT NULL,
        last_seen   TIMESTAMP NOT NULL,
        attempts    INTEGER NOT NULL,
        PRIMARY KEY (input, reason)
    )
    """,
    "CREATE INDEX mentions_by_event ON mentions (event_id)",
    "CREATE INDEX mentions_by_article ON mentions (article_id)",
    "CREATE INDEX articles_by_url ON articles (url)",
    "CREATE INDEX articles_by_duplicate ON articles (duplicate_of)",
)

#: Every migration, in the order it is applied. Append only.
MIGRATIONS: tuple[Migration, ...] = (Migration("0001_initial", _INITIAL),)


def _ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE TABLE IF NOT EXISTS migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL)")


def applied(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of the migrations recorded in the database, oldest first."""
    exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'migrations'").fetchone()[0]
    if not exists:
        return []
    return [row[0] for row in con.execute("SELECT name FROM migrations ORDER BY applied_at, name").fetchall()]


def pending(con: duckdb.DuckDBPyConnection) -> list[Migration]:
    """Migrations not yet applied; raises if the database knows migrations this code does not."""
    done = set(applied(con))
    known = {m.name for m in MIGRATIONS}
    unknown = sorted(done - known)
    if unknown:
        raise MigrationError(
            f"the database was written by a newer lagebild (unknown migrations: {', '.join(unknown)}); "
            "upgrade lagebild or use another --db"
        )
    return [m for m in MIGRATIONS if m.name not in done]


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every pending migration in order; returns the names applied."""
    _ensure_table(con)
    done: list[str] = []
    for migration in pending(con):
        con.begin()
        try:
            for statement in migration.statements:
                con.execute(statement)
            con.execute(
                "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                [migration.name, datetime.now(UTC).replace(tzinfo=None)],
            )
            con.commit()
        except duckdb.Error as exc:
            con.rollback()
            raise MigrationError(f"migration {migration.name} failed: {exc}") from exc
        done.append(migration.name)
    return done
