// Question: which job titles name which occupations, with O*NET's evidence for each? The
//   records title resolution and title search are built from (graph/titles.py, TitleRecord),
//   as one row of parallel lists (decoding one row of lists is ~4x faster than 65k rows).
// Parameters: none.
// Returns: titles, codes, sources ("occupation"|"alternate"|"reported"), onet_sources (list of
//   Alternate Titles Source(s) codes "01".."10" per title), shown (bool per title, Sample of
//   Reported Titles "Shown in My Next Move"): one entry per TITLE_OF edge; occupations: one
//   [code, title, employment_2024_thousands (float or null, BLS EP 2024), bls_is_aggregate
//   (bool)] per occupation.
MATCH (t:Title)-[r:TITLE_OF]->(o:Occupation)
WITH collect(t.name) AS titles, collect(o.code) AS codes, collect(r.source) AS sources,
     collect(coalesce(r.onet_sources, [])) AS onet_sources,
     collect(coalesce(r.shown_in_my_next_move, false)) AS shown
MATCH (o:Occupation)
RETURN titles, codes, sources, onet_sources, shown,
       collect([o.code, o.title, o.employment_2024_thousands, coalesce(o.bls_is_aggregate, false)])
         AS occupations
