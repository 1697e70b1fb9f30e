// Upsert education shares. $rows: list of {code, category (1-12), share_pct (0-100),
// estimated_from (list of O*NET-SOC codes, empty for the occupation's own shares),
// estimate_source (string or null)}; $load_id: string.
UNWIND $rows AS row
MATCH (o:Occupation {code: row.code})
MATCH (e:EducationLevel {category: row.category})
MERGE (o)-[r:TYPICAL_EDUCATION]->(e)
SET r.share_pct = row.share_pct,
    r.estimated_from = CASE WHEN size(row.estimated_from) > 0 THEN row.estimated_from END,
    r.estimate_source = row.estimate_source, r.load_id = $load_id
