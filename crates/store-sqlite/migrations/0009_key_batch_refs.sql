-- `last_batch_id` of the key tables no longer references `import_batches`. The reference was
-- checked row by row, for every key a batch writes (on PostgreSQL about 4 µs a row, a fifth
-- of the chunk writes of a first load), yet only the import that holds the batch's own row
-- in its transaction ever sets it, and batches are never deleted. SQLite cannot drop a
-- constraint: the two tables are copied without it.
create table household_keys_next (
    source text not null,
    key text not null,
    household_id text not null constraint household_keys_household_fk references households (id),
    last_batch_id text not null,
    constraint household_keys_pk primary key (source, key)
) without rowid;
insert into household_keys_next (source, key, household_id, last_batch_id)
    select source, key, household_id, last_batch_id from household_keys;
drop table household_keys;
alter table household_keys_next rename to household_keys;
create index household_keys_household_idx on household_keys (household_id);

create table individual_keys_next (
    source text not null,
    key text not null,
    individual_id text not null constraint individual_keys_individual_fk references individuals (id),
    last_batch_id text not null,
    constraint individual_keys_pk primary key (source, key)
) without rowid;
insert into individual_keys_next (source, key, individual_id, last_batch_id)
    select source, key, individual_id, last_batch_id from individual_keys;
drop table individual_keys;
alter table individual_keys_next rename to individual_keys;
