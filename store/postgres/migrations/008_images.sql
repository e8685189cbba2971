-- The article's lead picture (absolute https URL, or ''), shown on cards
-- from its URL; and whether a subscription's cards show pictures.
ALTER TABLE articles ADD COLUMN image TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN no_images BOOLEAN NOT NULL DEFAULT FALSE;
-- How a Discord subscription posts: '' (messages in the channel), 'thread'
-- (a header message and the cards in a thread started from it) or 'forum'
-- (a forum post per digest).
ALTER TABLE subscriptions ADD COLUMN post_mode TEXT NOT NULL DEFAULT '';
