// Uniqueness constraints: one node per natural key. Run before any load (idempotent).
CREATE CONSTRAINT occupation_code IF NOT EXISTS FOR (o:Occupation) REQUIRE o.code IS UNIQUE;
CREATE CONSTRAINT title_name IF NOT EXISTS FOR (t:Title) REQUIRE t.name IS UNIQUE;
CREATE CONSTRAINT skill_element_id IF NOT EXISTS FOR (s:Skill) REQUIRE s.element_id IS UNIQUE;
CREATE CONSTRAINT knowledge_element_id IF NOT EXISTS FOR (k:Knowledge) REQUIRE k.element_id IS UNIQUE;
CREATE CONSTRAINT technology_name IF NOT EXISTS FOR (t:Technology) REQUIRE t.name IS UNIQUE;
CREATE CONSTRAINT education_level_category IF NOT EXISTS FOR (e:EducationLevel) REQUIRE e.category IS UNIQUE;
CREATE CONSTRAINT interest_element_id IF NOT EXISTS FOR (i:Interest) REQUIRE i.element_id IS UNIQUE;
CREATE CONSTRAINT graph_release_key IF NOT EXISTS FOR (r:GraphRelease) REQUIRE r.key IS UNIQUE;
CREATE CONSTRAINT work_style_element_id IF NOT EXISTS FOR (w:WorkStyle) REQUIRE w.element_id IS UNIQUE;
CREATE CONSTRAINT work_value_element_id IF NOT EXISTS FOR (w:WorkValue) REQUIRE w.element_id IS UNIQUE;
CREATE CONSTRAINT task_id IF NOT EXISTS FOR (t:Task) REQUIRE t.task_id IS UNIQUE;
