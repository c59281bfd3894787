-- A SQLite store is a file of one operating-system user: there are no database roles to
-- create (PostgreSQL's version of this migration creates them).
SELECT 1;
