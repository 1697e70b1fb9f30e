// Upsert observed moves (loaders/transitions.py). $rows: list of {code, next_code,
// share_of_movers (0-1: share of the people who left `code` found in `next_code` a year
// later), rank (int, 1 = most common destination), source ("CPS ASEC"), from_oes_codes,
// to_oes_codes (lists of BLS OES SOC 2010 codes the figure is read from), estimated (bool),
// from_group_title, to_group_title (title of the SOC code whose figure it is, or null)};
// $load_id: string.
UNWIND $rows AS row
MATCH (a:Occupation {code: row.code})
MATCH (b:Occupation {code: row.next_code})
MERGE (a)-[r:MOVED_TO]->(b)
SET r = row { .share_of_movers, .rank, .source, .from_oes_codes, .to_oes_codes, .estimated,
              .from_group_title, .to_group_title, load_id: $load_id }
