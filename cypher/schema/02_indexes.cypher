// Lookup indexes: case-insensitive exact title match, full-text title search for Browser
// users and fuzzy matching, and load_id for removing what a new load no longer has.
CREATE INDEX title_name_lower IF NOT EXISTS FOR (t:Title) ON (t.name_lower);
CREATE INDEX title_name_key IF NOT EXISTS FOR (t:Title) ON (t.name_key);
CREATE INDEX title_alias_key IF NOT EXISTS FOR (t:Title) ON (t.alias_key);
CREATE INDEX title_abbrev_key IF NOT EXISTS FOR (t:Title) ON (t.abbrev_key);
CREATE FULLTEXT INDEX title_fulltext IF NOT EXISTS FOR (t:Title) ON EACH [t.name];
CREATE INDEX occupation_job_zone IF NOT EXISTS FOR (o:Occupation) ON (o.job_zone);
CREATE INDEX occupation_load_id IF NOT EXISTS FOR (o:Occupation) ON (o.load_id);
CREATE INDEX title_load_id IF NOT EXISTS FOR (t:Title) ON (t.load_id);
CREATE INDEX technology_load_id IF NOT EXISTS FOR (t:Technology) ON (t.load_id);
CREATE INDEX occupation_bls_soc_code IF NOT EXISTS FOR (o:Occupation) ON (o.bls_soc_code);
