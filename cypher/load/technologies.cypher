// Upsert technologies and USES_TECHNOLOGY edges. $rows: list of {code, name, commodity_code,
// commodity_title, hot (bool), in_demand (bool)}; $load_id: string.
UNWIND $rows AS row
MERGE (t:Technology {name: row.name})
SET t.commodity_code = row.commodity_code, t.commodity_title = row.commodity_title,
    t.load_id = $load_id
WITH t, row
MATCH (o:Occupation {code: row.code})
MERGE (o)-[r:USES_TECHNOLOGY]->(t)
SET r.hot = row.hot, r.in_demand = row.in_demand, r.commodity_code = row.commodity_code,
    r.load_id = $load_id
