-- Events already handled (a Discord interaction, a Telegram update), so
-- that one replayed, or received by two processes or instances, is handled
-- once. A key is forgotten after its expiry (unix microseconds).
CREATE TABLE seen_events (
	key     TEXT PRIMARY KEY,
	expires INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX seen_events_expires ON seen_events(expires);
