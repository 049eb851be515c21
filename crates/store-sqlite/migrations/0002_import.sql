-- Imports: batch counts, source keys that make re-imports idempotent, the history of every
-- changed value, and flags for people to review. Lock-step with store-postgres/migrations.

alter table import_batches add column format text not null default '';
alter table import_batches add column file_sha256 text not null default '';
alter table import_batches add column headers text not null default '[]';
alter table import_batches add column rows_imported integer not null default 0;
alter table import_batches add column rows_rejected integer not null default 0;
alter table import_batches add column rows_warned integer not null default 0;
alter table import_batches add column households_created integer not null default 0;
alter table import_batches add column households_updated integer not null default 0;
alter table import_batches add column individuals_created integer not null default 0;
alter table import_batches add column individuals_updated integer not null default 0;
alter table import_batches add column individuals_missing integer not null default 0;
alter table import_batches add column report text;
alter table import_batches add column finished_at text;
create index import_batches_sha_idx on import_batches (source, file_sha256);

-- A family's identity in one source (P3KE id_keluarga, DTSEN No KK …). Without rowid and
-- without secondary indexes: a million-row import maintains one B-tree per key, not three.
create table household_keys (
    source text not null,
    key text not null,
    household_id text not null constraint household_keys_household_fk references households (id),
    last_batch_id text not null constraint household_keys_batch_fk references import_batches (id),
    constraint household_keys_pk primary key (source, key)
) without rowid;

-- A person's identity in one source (id_individu, else NIK, else family + name + birth date).
create table individual_keys (
    source text not null,
    key text not null,
    individual_id text not null constraint individual_keys_individual_fk references individuals (id),
    last_batch_id text not null constraint individual_keys_batch_fk references import_batches (id),
    constraint individual_keys_pk primary key (source, key)
) without rowid;

-- Append-only: every value a batch (or later a person) changed, with the old value.
create table field_changes (
    id integer not null constraint field_changes_pk primary key,
    household_id text not null constraint field_changes_household_fk references households (id),
    individual_id text constraint field_changes_individual_fk references individuals (id),
    field text not null,
    old_value text,
    new_value text,
    batch_id text constraint field_changes_batch_fk references import_batches (id),
    actor text not null,
    recorded_at text not null
);
create index field_changes_household_idx on field_changes (household_id, id);

create trigger field_changes_no_update before update on field_changes
begin select raise(abort, 'field_changes is append-only'); end;
create trigger field_changes_no_delete before delete on field_changes
begin select raise(abort, 'field_changes is append-only'); end;

create table register_flags (
    id integer not null constraint register_flags_pk primary key,
    household_id text constraint register_flags_household_fk references households (id),
    individual_id text constraint register_flags_individual_fk references individuals (id),
    kind text not null,
    batch_id text constraint register_flags_batch_fk references import_batches (id),
    detail text,
    created_at text not null,
    resolved_at text
);
create index register_flags_kind_idx on register_flags (kind, id);
create index register_flags_household_idx on register_flags (household_id);
