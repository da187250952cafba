ALTER TABLE accounts ADD COLUMN locale varchar(10) DEFAULT 'en';
ALTER TABLE accounts ALTER COLUMN display_name TYPE varchar(200);
