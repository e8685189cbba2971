-- The text search configuration: English stemming, with accents removed
-- (Zürich finds Zurich) when the unaccent extension can be installed.
DO $$
DECLARE
	nsp text;
BEGIN
	BEGIN
		CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
	EXCEPTION WHEN OTHERS THEN
		RAISE NOTICE 'newsdigest: unaccent extension not available (%); search will not fold accents', SQLERRM;
	END;
	CREATE TEXT SEARCH CONFIGURATION newsdigest (COPY = pg_catalog.english);
	SELECT n.nspname INTO nsp FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace
		WHERE d.dictname = 'unaccent' LIMIT 1;
	IF nsp IS NOT NULL THEN
		EXECUTE format('ALTER TEXT SEARCH CONFIGURATION newsdigest ALTER MAPPING FOR hword, hword_part, word WITH %I.unaccent, english_stem', nsp);
	END IF;
END
$$;

CREATE TABLE sources (
	id            BIGSERIAL PRIMARY KEY,
	name          TEXT NOT NULL UNIQUE,
	url           TEXT NOT NULL,
	kind          TEXT NOT NULL,
	interval_ns   BIGINT NOT NULL DEFAULT 0,
	language      TEXT NOT NULL DEFAULT '',
	link_selector TEXT NOT NULL DEFAULT '',
	body_selector TEXT NOT NULL DEFAULT '',
	include_kw    TEXT[] NOT NULL DEFAULT '{}',
	exclude_kw    TEXT[] NOT NULL DEFAULT '{}',
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	last_fetch    TIMESTAMPTZ,
	last_success  TIMESTAMPTZ,
	next_fetch    TIMESTAMPTZ,
	failures      INTEGER NOT NULL DEFAULT 0,
	last_error    TEXT NOT NULL DEFAULT '',
	primed        BOOLEAN NOT NULL DEFAULT false,
	fetched       BIGINT NOT NULL DEFAULT 0,
	failed        BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE stories (
	id         BIGSERIAL PRIMARY KEY,
	lead_id    BIGINT,
	first_seen TIMESTAMPTZ NOT NULL,
	last_seen  TIMESTAMPTZ NOT NULL,
	size       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE articles (
	id           BIGSERIAL PRIMARY KEY,
	source_id    BIGINT REFERENCES sources(id) ON DELETE SET NULL,
	source_name  TEXT NOT NULL DEFAULT '',
	url          TEXT UNIQUE,
	item_key     TEXT UNIQUE,
	content_hash TEXT UNIQUE,
	fingerprint  BIGINT NOT NULL DEFAULT 0, -- uint64 SimHash as its int64 bits
	headline     TEXT NOT NULL DEFAULT '',
	place        TEXT NOT NULL DEFAULT '',
	dl_published TEXT NOT NULL DEFAULT '', -- RFC 3339 with the page's own offset
	dl_has_time  BOOLEAN NOT NULL DEFAULT false,
	dl_zone      TEXT NOT NULL DEFAULT '',
	desk         TEXT NOT NULL DEFAULT '',
	author       TEXT NOT NULL DEFAULT '',
	body         TEXT NOT NULL DEFAULT '',
	summary      TEXT[] NOT NULL DEFAULT '{}',
	language     TEXT NOT NULL DEFAULT '',
	published    TIMESTAMPTZ,
	first_seen   TIMESTAMPTZ NOT NULL,
	story_id     BIGINT NOT NULL REFERENCES stories(id),
	backlog      BOOLEAN NOT NULL DEFAULT false,
	-- headline weight A, summary B, body D; CJK text segmented before indexing
	tsv          TSVECTOR NOT NULL
);
CREATE INDEX articles_first_seen ON articles(first_seen);
CREATE INDEX articles_story ON articles(story_id, first_seen);
CREATE INDEX articles_tsv ON articles USING GIN (tsv);

CREATE TABLE tombstones (
	article_id   BIGINT PRIMARY KEY,
	story_id     BIGINT NOT NULL,
	url          TEXT,
	item_key     TEXT,
	content_hash TEXT,
	fingerprint  BIGINT NOT NULL DEFAULT 0,
	first_seen   TIMESTAMPTZ NOT NULL,
	pruned_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX tombstones_url ON tombstones(url) WHERE url IS NOT NULL;
CREATE INDEX tombstones_item_key ON tombstones(item_key) WHERE item_key IS NOT NULL;
CREATE INDEX tombstones_content_hash ON tombstones(content_hash) WHERE content_hash IS NOT NULL;
CREATE INDEX tombstones_first_seen ON tombstones(first_seen);

CREATE TABLE subscriptions (
	id          BIGSERIAL PRIMARY KEY,
	platform    TEXT NOT NULL,
	chat_id     TEXT NOT NULL,
	thread_id   TEXT NOT NULL DEFAULT '',
	guild_id    TEXT NOT NULL DEFAULT '',
	time_of_day TEXT NOT NULL DEFAULT '',
	time_zone   TEXT NOT NULL DEFAULT '',
	max_stories INTEGER NOT NULL DEFAULT 0,
	keywords    TEXT[] NOT NULL DEFAULT '{}',
	send_empty  BOOLEAN NOT NULL DEFAULT false,
	active      BOOLEAN NOT NULL DEFAULT false,
	failure     TEXT NOT NULL DEFAULT '',
	cutoff      TIMESTAMPTZ,
	next_run    TIMESTAMPTZ,
	created_at  TIMESTAMPTZ,
	created_by  TEXT NOT NULL DEFAULT '',
	UNIQUE (platform, chat_id, thread_id)
);
CREATE INDEX subscriptions_next_run ON subscriptions(next_run);

CREATE TABLE deliveries (
	key             TEXT PRIMARY KEY,
	subscription_id BIGINT NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
	platform        TEXT NOT NULL,
	chat_id         TEXT NOT NULL,
	thread_id       TEXT NOT NULL DEFAULT '',
	scheduled       TIMESTAMPTZ NOT NULL,
	part            INTEGER NOT NULL,
	parts           INTEGER NOT NULL,
	payload         BYTEA,
	state           TEXT NOT NULL,
	attempts        INTEGER NOT NULL DEFAULT 0,
	message_id      TEXT NOT NULL DEFAULT '',
	error           TEXT NOT NULL DEFAULT '',
	late            BOOLEAN NOT NULL DEFAULT false,
	owner           TEXT NOT NULL DEFAULT '',
	lease_until     TIMESTAMPTZ,
	updated_at      TIMESTAMPTZ
);
CREATE INDEX deliveries_pending ON deliveries(platform, scheduled, subscription_id, part)
	WHERE state IN ('planned', 'sending');
CREATE INDEX deliveries_subscription ON deliveries(subscription_id, scheduled);

CREATE TABLE leases (
	name  TEXT PRIMARY KEY,
	owner TEXT NOT NULL,
	until TIMESTAMPTZ NOT NULL
);
