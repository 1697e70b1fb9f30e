// Upsert job titles and their TITLE_OF edges. $rows: list of {name, name_key, alias_key,
// abbrev_key (lookup keys, graph.titles.title_keys; alias/abbrev may be null), code, source
// ("occupation"|"alternate"|"reported")}; $load_id: string. One edge per (title, occupation, source).
UNWIND $rows AS row
MERGE (t:Title {name: row.name})
SET t.name_lower = toLower(row.name), t.name_key = row.name_key, t.alias_key = row.alias_key,
    t.abbrev_key = row.abbrev_key, t.load_id = $load_id
WITH t, row
MATCH (o:Occupation {code: row.code})
MERGE (t)-[r:TITLE_OF {source: row.source}]->(o)
SET r.load_id = $load_id
