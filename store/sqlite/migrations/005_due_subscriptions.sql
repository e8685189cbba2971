-- DueSubscriptions reads the active subscriptions by next_run: the planner
-- asks each second, and inactive ones (a chat the bot left) never are due.
DROP INDEX subscriptions_next_run;
CREATE INDEX subscriptions_due ON subscriptions(next_run) WHERE active = 1;
