-- The table the JDBC sink upserts into, one row per event id (docs/CONNECT-POSTGRES.md).
CREATE TABLE IF NOT EXISTS enriched_events (
    id                     text PRIMARY KEY,
    event_time             timestamptz NOT NULL,
    detected_language      text,
    language_confidence    real,
    skip_reason            text,
    sentiment_label        text,
    sentiment_negative     real,
    sentiment_neutral      real,
    sentiment_positive     real,
    entities               jsonb NOT NULL,
    embedding              real[],
    model                  text NOT NULL,
    model_version          text NOT NULL,
    sentiment_head_version text NOT NULL,
    ner_head_version       text NOT NULL
);
