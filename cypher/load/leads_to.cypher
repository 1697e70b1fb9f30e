// Upsert career moves (graph/career_moves.py). $rows: list of {code, next_code, kind
// ("advancement"|"lateral"|"step_back"), cost (cost points = -ln probability, > 0),
// probability (fitted P(next | leaving code), 0-1), related_tier, related_rank (code's O*NET
// listing of next_code), reverse_tier, reverse_rank (next_code's listing of code),
// career_changers_rank, ladder ("to_supervisor"|"to_manager"|null), observed_share (CPS ASEC
// share of code's movers found in next_code, 0-1, or null), similarity, skill_shortfall,
// job_zone_delta, education_delta, wage_delta_usd, wage_delta_pct, reasons (list<string>)};
// $load_id: string.
UNWIND $rows AS row
MATCH (a:Occupation {code: row.code})
MATCH (b:Occupation {code: row.next_code})
MERGE (a)-[r:LEADS_TO]->(b)
SET r = row { .kind, .cost, .probability, .related_tier, .related_rank, .reverse_tier,
               .reverse_rank, .career_changers_rank, .ladder, .observed_share, .similarity,
               .skill_shortfall, .job_zone_delta, .education_delta, .wage_delta_usd,
               .wage_delta_pct, .reasons, load_id: $load_id }
