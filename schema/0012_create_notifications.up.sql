-- notifier: preferences and the outbox of e-mails.
CREATE TYPE notification_channel AS ENUM ('email', 'slack', 'webhook');

CREATE TABLE notification_preferences (
    account_id bigint NOT NULL,
    channel    notification_channel NOT NULL,
    topic      varchar(64) NOT NULL,
    enabled    boolean NOT NULL DEFAULT true,
    PRIMARY KEY (account_id, channel, topic)
);

CREATE TABLE outbound_emails (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    to_address   text NOT NULL,
    template     varchar(64) NOT NULL,
    variables    jsonb NOT NULL DEFAULT '{}'::jsonb,
    queued_at    timestamptz NOT NULL DEFAULT now(),
    sent_at      timestamptz,
    attempts     smallint NOT NULL DEFAULT 0
);
CREATE INDEX outbound_emails_unsent_idx ON outbound_emails (queued_at) WHERE sent_at IS NULL;
