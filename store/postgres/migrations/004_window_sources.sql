-- WindowArticles (the ranking pass of /trending) reads the window's
-- articles with their sources from this index alone (an index-only scan
-- once the table is vacuumed); it also serves what articles_window served.
DROP INDEX articles_window;
CREATE INDEX articles_window_sources ON articles(first_seen, story_id, backlog) INCLUDE (source_id, source_name, id);
