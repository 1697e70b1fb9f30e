// Upsert directional skill similarities (top 10 per occupation, graph/similarity.py).
// $rows: list of {code, other_code, score, coverage, shortfall (all 0-1)}; $load_id: string.
UNWIND $rows AS row
MATCH (a:Occupation {code: row.code})
MATCH (b:Occupation {code: row.other_code})
MERGE (a)-[r:SIMILAR_TO]->(b)
SET r.score = row.score, r.coverage = row.coverage, r.shortfall = row.shortfall,
    r.load_id = $load_id
