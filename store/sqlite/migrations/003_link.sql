-- The address a card links to: the page as published (its declared canonical
-- or final URL), where url is the canonical form used to deduplicate.
ALTER TABLE articles ADD COLUMN link TEXT NOT NULL DEFAULT '';
