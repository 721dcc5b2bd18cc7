-- Where to tell a user that an execution ended, and whether they want to be told (on unless they said no).
ALTER TABLE users ADD COLUMN email VARCHAR(254);
ALTER TABLE users ADD COLUMN notify_by_mail BOOLEAN DEFAULT TRUE NOT NULL;
