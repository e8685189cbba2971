-- Stories reads the window from an index alone; lead overrides are few.
DROP INDEX articles_first_seen;
CREATE INDEX articles_window ON articles(first_seen, story_id, backlog);
CREATE INDEX stories_lead ON stories(last_seen) WHERE lead_id IS NOT NULL;
