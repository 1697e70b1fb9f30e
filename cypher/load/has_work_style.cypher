// Upsert work style importance ratings. $rows: list of {code, element_id, importance (IM 1-5),
// estimated_from (list of O*NET-SOC codes, empty for the occupation's own rating),
// estimate_source (string or null)}; $load_id: string. Estimated ratings keep their marks.
UNWIND $rows AS row
MATCH (o:Occupation {code: row.code})
MATCH (w:WorkStyle {element_id: row.element_id})
MERGE (o)-[r:HAS_WORK_STYLE]->(w)
SET r.importance = row.importance,
    r.estimated_from = CASE WHEN size(row.estimated_from) > 0 THEN row.estimated_from END,
    r.estimate_source = row.estimate_source, r.load_id = $load_id
