// Upsert job titles and their TITLE_OF edges. $rows: list of {name, name_key, alias_key,
// abbrev_key (lookup keys, graph.titles.title_keys; alias/abbrev may be null), code, source
// ("occupation"|"alternate"|"reported"), onet_sources (Alternate Titles Source(s) codes, list
// of strings, empty unless alternate), shown_in_my_next_move (bool, Sample of Reported
// Titles), lookup_keys (list of strings: graph.titles.title_lookup_forms of the name),
// lookup_codes (list of strings: the O*NET-SOC code graph.titles resolves each lookup key to,
// same order)}; $load_id: string. One edge per (title, occupation, source).
UNWIND $rows AS row
MERGE (t:Title {name: row.name})
SET t.name_lower = toLower(row.name), t.name_key = row.name_key, t.alias_key = row.alias_key,
    t.abbrev_key = row.abbrev_key, t.lookup_keys = row.lookup_keys,
    t.lookup_codes = row.lookup_codes, t.load_id = $load_id
WITH t, row
MATCH (o:Occupation {code: row.code})
MERGE (t)-[r:TITLE_OF {source: row.source}]->(o)
SET r.onet_sources = row.onet_sources, r.shown_in_my_next_move = row.shown_in_my_next_move,
    r.load_id = $load_id
