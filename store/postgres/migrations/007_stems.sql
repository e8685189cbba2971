-- Search in the article's language: each article's tsvector gets its text
-- stemmed in Go by its language's stemmer (fts.Stems) under the 'simple'
-- configuration, weight C, so that "Wahlen" finds "Wahl" and "выборах"
-- finds "выборы" (PostgreSQL has no Ukrainian, Polish, Chinese or Japanese
-- configuration, and one stemmer for both stores gives both the same
-- results). The Go step of this migration (reindexStems) rebuilds the
-- tsvector of the articles stored before, in the same transaction.
CREATE INDEX articles_language ON articles (language);

-- Per channel: the languages its digest keeps (empty: all) and the
-- language of the bot's own words in it.
ALTER TABLE subscriptions ADD COLUMN languages TEXT[] NOT NULL DEFAULT '{}', ADD COLUMN locale TEXT NOT NULL DEFAULT '';
