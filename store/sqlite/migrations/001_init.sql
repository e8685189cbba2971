-- Sources and what the fetcher remembers of them. Times are Unix
-- microseconds (UTC), NULL when unknown; durations are nanoseconds.
CREATE TABLE sources (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL UNIQUE,
	url           TEXT NOT NULL,
	kind          TEXT NOT NULL,
	interval_ns   INTEGER NOT NULL DEFAULT 0,
	language      TEXT NOT NULL DEFAULT '',
	link_selector TEXT NOT NULL DEFAULT '',
	body_selector TEXT NOT NULL DEFAULT '',
	include_kw    TEXT NOT NULL DEFAULT '[]', -- JSON array
	exclude_kw    TEXT NOT NULL DEFAULT '[]', -- JSON array
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	last_fetch    INTEGER,
	last_success  INTEGER,
	next_fetch    INTEGER,
	failures      INTEGER NOT NULL DEFAULT 0,
	last_error    TEXT NOT NULL DEFAULT '',
	primed        INTEGER NOT NULL DEFAULT 0,
	fetched       INTEGER NOT NULL DEFAULT 0,
	failed        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE stories (
	id         INTEGER PRIMARY KEY,
	lead_id    INTEGER, -- set by SetStoryLead; NULL means the default rule
	first_seen INTEGER NOT NULL,
	last_seen  INTEGER NOT NULL,
	size       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE articles (
	id            INTEGER PRIMARY KEY,
	source_id     INTEGER REFERENCES sources(id) ON DELETE SET NULL,
	source_name   TEXT NOT NULL DEFAULT '', -- kept for articles whose source was deleted
	url           TEXT UNIQUE,              -- NULL when empty
	item_key      TEXT UNIQUE,
	content_hash  TEXT UNIQUE,
	fingerprint   INTEGER NOT NULL DEFAULT 0, -- uint64 SimHash stored as its int64 bits
	headline      TEXT NOT NULL DEFAULT '',
	place         TEXT NOT NULL DEFAULT '',
	dl_published  TEXT NOT NULL DEFAULT '', -- RFC 3339 with the page's own offset
	dl_has_time   INTEGER NOT NULL DEFAULT 0,
	dl_zone       TEXT NOT NULL DEFAULT '',
	desk          TEXT NOT NULL DEFAULT '',
	author        TEXT NOT NULL DEFAULT '',
	body          TEXT NOT NULL DEFAULT '',
	summary       TEXT NOT NULL DEFAULT '', -- lines separated by \n (a line holds none)
	language      TEXT NOT NULL DEFAULT '',
	published     INTEGER,
	first_seen    INTEGER NOT NULL,
	story_id      INTEGER NOT NULL REFERENCES stories(id),
	backlog       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX articles_first_seen ON articles(first_seen);
CREATE INDEX articles_story ON articles(story_id, first_seen);

-- Keys of pruned articles: Known stays true for them, and their
-- fingerprints keep near-duplicates of old items from coming back.
CREATE TABLE tombstones (
	article_id   INTEGER PRIMARY KEY,
	story_id     INTEGER NOT NULL,
	url          TEXT,
	item_key     TEXT,
	content_hash TEXT,
	fingerprint  INTEGER NOT NULL DEFAULT 0,
	first_seen   INTEGER NOT NULL,
	pruned_at    INTEGER NOT NULL
);
CREATE INDEX tombstones_url ON tombstones(url) WHERE url IS NOT NULL;
CREATE INDEX tombstones_item_key ON tombstones(item_key) WHERE item_key IS NOT NULL;
CREATE INDEX tombstones_content_hash ON tombstones(content_hash) WHERE content_hash IS NOT NULL;
CREATE INDEX tombstones_first_seen ON tombstones(first_seen);

-- The search index holds no copy of the text (contentless); rowid is the
-- article ID. Text in scripts without spaces is segmented before indexing.
CREATE VIRTUAL TABLE articles_fts USING fts5(
	headline, summary, body,
	content = '',
	contentless_delete = 1,
	tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TABLE subscriptions (
	id          INTEGER PRIMARY KEY,
	platform    TEXT NOT NULL,
	chat_id     TEXT NOT NULL,
	thread_id   TEXT NOT NULL DEFAULT '',
	guild_id    TEXT NOT NULL DEFAULT '',
	time_of_day TEXT NOT NULL DEFAULT '',
	time_zone   TEXT NOT NULL DEFAULT '',
	max_stories INTEGER NOT NULL DEFAULT 0,
	keywords    TEXT NOT NULL DEFAULT '[]', -- JSON array
	send_empty  INTEGER NOT NULL DEFAULT 0,
	active      INTEGER NOT NULL DEFAULT 0,
	failure     TEXT NOT NULL DEFAULT '',
	cutoff      INTEGER,
	next_run    INTEGER,
	created_at  INTEGER,
	created_by  TEXT NOT NULL DEFAULT '',
	UNIQUE (platform, chat_id, thread_id)
);
CREATE INDEX subscriptions_next_run ON subscriptions(next_run);

-- The outbox: one row per message of a planned digest.
CREATE TABLE deliveries (
	key             TEXT PRIMARY KEY,
	subscription_id INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
	platform        TEXT NOT NULL,
	chat_id         TEXT NOT NULL,
	thread_id       TEXT NOT NULL DEFAULT '',
	scheduled       INTEGER NOT NULL,
	part            INTEGER NOT NULL,
	parts           INTEGER NOT NULL,
	payload         BLOB,
	state           TEXT NOT NULL,
	attempts        INTEGER NOT NULL DEFAULT 0,
	message_id      TEXT NOT NULL DEFAULT '',
	error           TEXT NOT NULL DEFAULT '',
	late            INTEGER NOT NULL DEFAULT 0,
	owner           TEXT NOT NULL DEFAULT '',
	lease_until     INTEGER,
	updated_at      INTEGER
) WITHOUT ROWID;
CREATE INDEX deliveries_pending ON deliveries(platform, scheduled, subscription_id, part)
	WHERE state IN ('planned', 'sending');
CREATE INDEX deliveries_subscription ON deliveries(subscription_id, scheduled);

-- Named leases between instances sharing a database (a source's fetch, the
-- one Telegram poller).
CREATE TABLE leases (
	name  TEXT PRIMARY KEY,
	owner TEXT NOT NULL,
	until INTEGER NOT NULL
) WITHOUT ROWID;
