// Upsert occupations. $rows: list of {code, title, description, job_zone (int|null),
// soc_major_group}; $load_id: string tag of this load. Returns nothing.
UNWIND $rows AS row
MERGE (o:Occupation {code: row.code})
SET o.title = row.title,
    o.description = row.description,
    o.job_zone = row.job_zone,
    o.soc_major_group = row.soc_major_group,
    o.load_id = $load_id
