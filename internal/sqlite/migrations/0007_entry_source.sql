-- Where an entry taken from another system is there (a Slack message's permalink and thread),
-- as JSON; '' for entries recorded here.
ALTER TABLE entries ADD COLUMN source TEXT NOT NULL DEFAULT '';
