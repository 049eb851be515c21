-- Record linkage over the register: a person found to be a duplicate points at the record
-- kept (nothing is deleted, so an unmerge restores it and its source rows exactly), and
-- every scored pair is kept with its explanation. Lock-step with store-postgres.

alter table individuals add column merged_into text constraint individuals_merged_fk references individuals (id);
-- No index on merged_into: almost every row is null, and with one SQLite's planner chose
-- to drive joins from it (every person × every key) instead of from the keys.

create table link_pairs (
    id integer not null constraint link_pairs_pk primary key,
    run_id text not null,
    left_id text not null constraint link_pairs_left_fk references individuals (id),
    right_id text not null constraint link_pairs_right_fk references individuals (id),
    probability real not null,
    weight real not null,
    explanation text not null,
    -- merged (automatically or accepted), review, rejected, unmerged, superseded
    status text not null,
    decided_by text,
    decided_at text,
    created_at text not null
);
create index link_pairs_status_idx on link_pairs (status, id);
create index link_pairs_left_idx on link_pairs (left_id);
create index link_pairs_right_idx on link_pairs (right_id);
