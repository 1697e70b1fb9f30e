// Upsert work value extents. $rows: list of {code, element_id, extent (EX 1-7),
// estimated_from (list of O*NET-SOC codes, empty for the occupation's own value),
// estimate_source (string or null)}; $load_id: string. Estimated values keep their marks.
UNWIND $rows AS row
MATCH (o:Occupation {code: row.code})
MATCH (w:WorkValue {element_id: row.element_id})
MERGE (o)-[r:HAS_WORK_VALUE]->(w)
SET r.extent = row.extent,
    r.estimated_from = CASE WHEN size(row.estimated_from) > 0 THEN row.estimated_from END,
    r.estimate_source = row.estimate_source, r.load_id = $load_id
