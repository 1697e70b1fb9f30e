// Upsert career moves (graph/career_moves.py). $rows: list of {code, next_code, kind
// ("advancement"|"lateral"|"step_back"), cost (cost points), related_tier, related_rank,
// career_changers_rank, similarity, skill_shortfall, job_zone_delta, education_delta,
// wage_delta_usd, wage_delta_pct, reasons (list<string>)}; $load_id: string.
UNWIND $rows AS row
MATCH (a:Occupation {code: row.code})
MATCH (b:Occupation {code: row.next_code})
MERGE (a)-[r:LEADS_TO]->(b)
SET r = row { .kind, .cost, .related_tier, .related_rank, .career_changers_rank, .similarity,
               .skill_shortfall, .job_zone_delta, .education_delta, .wage_delta_usd,
               .wage_delta_pct, .reasons, load_id: $load_id }
