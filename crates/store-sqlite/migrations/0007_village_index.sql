-- PostgreSQL rebuilds households_village_idx as a plain b-tree here (see its 0007); on
-- SQLite it always was one, so this only keeps the migration numbers in lock-step.
create index if not exists households_village_idx on households (village_code, welfare_status);
