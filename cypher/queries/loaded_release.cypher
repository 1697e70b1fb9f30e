// Question: which O*NET release does the graph hold, and since when?
// Parameters: none. Returns: release (string), loaded_at (datetime), load_id (string, new
//   with every load: caches of the graph's contents are keyed on it), table_rows (string:
//   JSON object of data rows per source table, null for graphs loaded before it was recorded).
MATCH (g:GraphRelease {key: 'onet'})
RETURN g.release AS release, g.loaded_at AS loaded_at, g.load_id AS load_id,
       g.table_rows AS table_rows
