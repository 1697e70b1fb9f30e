// Upsert occupations. $rows: list of {code, title, description, job_zone (int|null),
// soc_major_group}; $load_id: string tag of this load. Replaces all properties (BLS figures
// are set again by occupation_labor_market.cypher). Returns nothing.
UNWIND $rows AS row
MERGE (o:Occupation {code: row.code})
SET o = row { .code, .title, .description, .job_zone, .soc_major_group, load_id: $load_id }
