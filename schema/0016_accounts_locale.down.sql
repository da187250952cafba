ALTER TABLE accounts ALTER COLUMN display_name TYPE varchar(120);
ALTER TABLE accounts DROP COLUMN locale;
