// Upsert occupational interest scores. $rows: list of {code, element_id, score (OI 1-7),
// estimated_from (list of O*NET-SOC codes, empty for the occupation's own scores),
// estimate_source (string or null)}; $load_id: string.
UNWIND $rows AS row
MATCH (o:Occupation {code: row.code})
MATCH (i:Interest {element_id: row.element_id})
MERGE (o)-[r:HAS_INTEREST]->(i)
SET r.score = row.score,
    r.estimated_from = CASE WHEN size(row.estimated_from) > 0 THEN row.estimated_from END,
    r.estimate_source = row.estimate_source, r.load_id = $load_id
