-- The table the JDBC sink upserts into, one row per event id (docs/CONNECT-POSTGRES.md).
CREATE TABLE IF NOT EXISTS enriched_events (
    id                     text PRIMARY KEY,
    event_time             timestamptz NOT NULL,
    sentiment_label        text NOT NULL,
    sentiment_negative     real NOT NULL,
    sentiment_neutral      real NOT NULL,
    sentiment_positive     real NOT NULL,
    entities               jsonb NOT NULL,
    embedding              real[],
    model                  text NOT NULL,
    model_version          text NOT NULL,
    sentiment_head_version text NOT NULL,
    ner_head_version       text NOT NULL
);
