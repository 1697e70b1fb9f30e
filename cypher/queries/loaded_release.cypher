// Question: which O*NET release does the graph hold, and since when?
// Parameters: none. Returns: release (string), loaded_at (datetime), table_rows (string:
// JSON object of data rows per source table, null for graphs loaded before it was recorded).
MATCH (g:GraphRelease {key: 'onet'})
RETURN g.release AS release, g.loaded_at AS loaded_at, g.table_rows AS table_rows
