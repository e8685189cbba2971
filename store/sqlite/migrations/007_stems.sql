-- Search in the article's language: the index gets a fourth column, the
-- article's text stemmed in Go by its language's stemmer (fts.Stems), so
-- that "Wahlen" finds "Wahl" and "выборах" finds "выборы". An FTS5 table
-- takes no new column, so it is made anew; the Go step of this migration
-- (reindexStems) fills it from the articles in the same transaction.
DROP TABLE articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5(
	headline, summary, body, stems,
	content = '',
	contentless_delete = 1,
	tokenize = 'porter unicode61 remove_diacritics 2'
);

-- Per channel: the languages its digest keeps (empty: all) and the
-- language of the bot's own words in it.
ALTER TABLE subscriptions ADD COLUMN languages TEXT NOT NULL DEFAULT '[]';
ALTER TABLE subscriptions ADD COLUMN locale TEXT NOT NULL DEFAULT '';
