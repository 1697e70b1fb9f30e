// Upsert O*NET Related Occupations. $rows: list of {code, related_code, tier, rank (1-20),
// cost (cost points, graph/cost.py)}; $load_id: string.
UNWIND $rows AS row
MATCH (a:Occupation {code: row.code})
MATCH (b:Occupation {code: row.related_code})
MERGE (a)-[r:RELATED_TO]->(b)
SET r.tier = row.tier, r.rank = row.rank, r.cost = row.cost, r.load_id = $load_id
