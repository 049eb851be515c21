-- households.village_code has collation "C" since 0004, so a plain b-tree now serves the
-- range scans every region query uses (village_code >= low and < high) as well as prefix
-- LIKE. The text_pattern_ops index of 0001 served only LIKE: range queries (a village's
-- dashboard refresh, region search, a campaign's selection) read the whole table.
-- Lock-step with store-sqlite/migrations (where the index was always plain).
drop index households_village_idx;
create index households_village_idx on households (village_code, welfare_status);
