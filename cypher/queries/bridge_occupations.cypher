// Question: which occupations are the best-connected bridges between career families?
// Parameters: $min_other_groups (int, >= 0: keep occupations whose RELATED_TO neighbours
//   span at least this many other SOC major groups), $limit (int, occupations listed).
// Returns: code, title, soc_major_group, in_degree (int, occupations listing it as related),
//   out_degree (int, occupations it lists), degree (int, in + out), other_groups (int, distinct
//   other SOC major groups among its neighbours, both directions), other_group_codes
//   (list<string>).
// Notes: degree centrality over RELATED_TO, with the cross-family count as the bridge measure.
//   Betweenness centrality would be the textbook measure, but APOC Core 5.26 has no
//   betweenness procedure and Graph Data Science is not installed, so it is not computed.
// Example params: {"min_other_groups": 3, "limit": 20}
MATCH (o:Occupation)
CALL (o) {
  OPTIONAL MATCH (o)-[:RELATED_TO]-(n:Occupation)
  WHERE n.soc_major_group <> o.soc_major_group
  WITH DISTINCT n.soc_major_group AS other_group
  ORDER BY other_group
  RETURN collect(other_group) AS other_group_codes
}
WITH o, other_group_codes, COUNT { (o)<-[:RELATED_TO]-(:Occupation) } AS in_degree,
     COUNT { (o)-[:RELATED_TO]->(:Occupation) } AS out_degree
WHERE size(other_group_codes) >= $min_other_groups
RETURN o.code AS code, o.title AS title, o.soc_major_group AS soc_major_group, in_degree,
       out_degree, in_degree + out_degree AS degree, size(other_group_codes) AS other_groups,
       other_group_codes
ORDER BY degree DESC, other_groups DESC, code
LIMIT toInteger($limit)
