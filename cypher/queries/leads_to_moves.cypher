// Question: which career moves (LEADS_TO) lead out of this occupation, cheapest first?
//   (GET /v1/occupations/{code}/related, next_steps)
// Parameters: $code (string, O*NET-SOC code).
// Returns: code, title, job_zone (int or null) of the next occupation; kind ("advancement" |
//   "lateral" | "step_back"), cost (float, cost points of the move), related_tier (string or
//   null), related_rank (int 1-20 or null), career_changers_rank (int 1-10 or null),
//   similarity (float 0-1 or null), job_zone_delta (int or null), wage_delta_pct (float,
//   percent, or null), reasons (list<string>), source_bls, target_bls (maps: bls_soc_code,
//   bls_title, figures_for of the two occupations); by cost, then code. No rows if none.
// Example params: {"code": "15-1252.00"}
MATCH (a:Occupation {code: $code})-[m:LEADS_TO]->(b:Occupation)
RETURN b.code AS code, b.title AS title, b.job_zone AS job_zone, m.kind AS kind, m.cost AS cost,
       m.related_tier AS related_tier, m.related_rank AS related_rank,
       m.career_changers_rank AS career_changers_rank, m.similarity AS similarity,
       m.job_zone_delta AS job_zone_delta, m.wage_delta_pct AS wage_delta_pct,
       coalesce(m.reasons, []) AS reasons,
       a { .bls_soc_code, .bls_title, .figures_for } AS source_bls,
       b { .bls_soc_code, .bls_title, .figures_for } AS target_bls
ORDER BY cost, code
