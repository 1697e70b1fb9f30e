// Question: per occupation, how cheap is its cheapest incoming and outgoing hop of each route
// relationship? (Stored bounds the route queries prune with; run once per load, after the
// relationships are written and stale ones deleted, inside the load's transaction.)
// Parameters: none.
// Writes: Occupation.leads_to_min_in_cost, leads_to_min_out_cost, related_to_min_in_cost,
//   related_to_min_out_cost (float, cost points; no property when there is no such hop): the
//   least `cost` of the LEADS_TO / RELATED_TO relationships into and out of the occupation.
//   Filters only remove hops, so each is a lower bound of any filtered route's hop there.
MATCH (o:Occupation)
CALL (o) {
  OPTIONAL MATCH (:Occupation)-[r:LEADS_TO]->(o)
  RETURN min(r.cost) AS leads_in
}
CALL (o) {
  OPTIONAL MATCH (o)-[r:LEADS_TO]->(:Occupation)
  RETURN min(r.cost) AS leads_out
}
CALL (o) {
  OPTIONAL MATCH (:Occupation)-[r:RELATED_TO]->(o)
  RETURN min(r.cost) AS related_in
}
CALL (o) {
  OPTIONAL MATCH (o)-[r:RELATED_TO]->(:Occupation)
  RETURN min(r.cost) AS related_out
}
SET o.leads_to_min_in_cost = leads_in, o.leads_to_min_out_cost = leads_out,
    o.related_to_min_in_cost = related_in, o.related_to_min_out_cost = related_out
