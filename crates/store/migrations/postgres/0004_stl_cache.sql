-- Seasonally adjusted values by the fingerprint of what they were computed from (the STL
-- method, its parameters and the input values; indicators::StlCache), so that evaluating
-- rules again on unchanged data does not fit STL again. A cache: an evaluation that had to
-- fit replaces the whole table with the entries it used, so it never outgrows one run.

CREATE TABLE stl_cache (
    fingerprint TEXT PRIMARY KEY,
    -- The values as consecutive little-endian IEEE 754 doubles.
    adjusted    BYTEA NOT NULL
);
