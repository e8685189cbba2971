-- Sources from the chat: where a source came from and who added it; the
-- sources a subscription reads when it reads its own list (every existing
-- subscription keeps reading the whole catalogue); confirmations waiting
-- for an admin's button.
ALTER TABLE sources ADD COLUMN origin TEXT NOT NULL DEFAULT 'config';
ALTER TABLE sources ADD COLUMN added_by TEXT NOT NULL DEFAULT '';
CREATE INDEX sources_url ON sources (url);
ALTER TABLE subscriptions ADD COLUMN own_sources INTEGER NOT NULL DEFAULT 0;
CREATE TABLE subscription_sources (
	subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
	source_id       INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	added_by        TEXT NOT NULL DEFAULT '',
	added_at        INTEGER NOT NULL,
	PRIMARY KEY (subscription_id, source_id)
);
CREATE INDEX subscription_sources_source ON subscription_sources (source_id);
CREATE TABLE pending_actions (
	token      TEXT PRIMARY KEY,
	chat       TEXT NOT NULL,
	payload    BLOB NOT NULL,
	created_at INTEGER NOT NULL
);
