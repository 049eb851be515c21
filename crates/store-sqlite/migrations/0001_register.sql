-- The register on SQLite. Kept in lock-step with store-postgres/migrations: the contract
-- suite compares the two migrated schemas (type families, nullability, index names).
-- uuid, date and timestamp columns are text here; booleans are integers 0/1.

create table regions (
    code text not null constraint regions_pk primary key,
    name text not null,
    level integer not null constraint regions_level_ck check (level between 1 and 4),
    parent_code text constraint regions_parent_fk references regions (code),
    population integer,
    population_male integer,
    population_female integer,
    version integer not null default 1,
    updated_at text not null
);
create index regions_parent_idx on regions (parent_code);
create index regions_level_idx on regions (level);

create table households (
    id text not null constraint households_pk primary key,
    no_kk text,
    street text not null default '',
    rt text,
    rw text,
    dusun text,
    village_code text not null constraint households_village_fk references regions (code),
    latitude real,
    longitude real,
    desil integer constraint households_desil_ck check (desil between 1 and 10),
    desil_source text,
    desil_year integer,
    floor text,
    wall text,
    roof text,
    water_source text,
    lighting text,
    cooking_fuel text,
    toilet text,
    ownership text,
    floor_area_m2 real,
    assets text not null default '',
    welfare_status text not null,
    version integer not null default 1,
    created_at text not null,
    updated_at text not null
);
create index households_no_kk_idx on households (no_kk);
create index households_village_idx on households (village_code, welfare_status);

create table individuals (
    id text not null constraint individuals_pk primary key,
    household_id text not null constraint individuals_household_fk references households (id),
    nik text,
    name text not null,
    name_key text not null,
    sex text not null,
    birth_place text,
    birth_date text,
    relationship text not null,
    marital_status text,
    education text,
    occupation text,
    disability text,
    chronic_illness text,
    life_status text not null default 'hidup',
    deceased_on text,
    moved integer not null default 0,
    version integer not null default 1,
    created_at text not null,
    updated_at text not null
);
create index individuals_nik_idx on individuals (nik);
create index individuals_household_idx on individuals (household_id);
create index individuals_name_key_idx on individuals (name_key);

-- Append-only: the count of extremely poor people on any past date is computed from here.
create table status_history (
    id integer not null constraint status_history_pk primary key,
    household_id text not null constraint status_history_household_fk references households (id),
    from_status text,
    to_status text not null,
    effective_on text not null,
    reason text not null,
    actor text not null,
    reference text,
    recorded_at text not null
);
create index status_history_household_idx on status_history (household_id, effective_on);

create trigger status_history_no_update before update on status_history
begin select raise(abort, 'status_history is append-only'); end;
create trigger status_history_no_delete before delete on status_history
begin select raise(abort, 'status_history is append-only'); end;

create table import_batches (
    id text not null constraint import_batches_pk primary key,
    source text not null,
    file_name text not null,
    rows_read integer not null default 0,
    actor text not null,
    started_at text not null
);

create table source_records (
    id integer not null constraint source_records_pk primary key,
    batch_id text not null constraint source_records_batch_fk references import_batches (id),
    line integer not null,
    household_id text constraint source_records_household_fk references households (id),
    individual_id text constraint source_records_individual_fk references individuals (id),
    payload text not null,
    constraint source_records_batch_line_uq unique (batch_id, line)
);
create index source_records_household_idx on source_records (household_id);
create index source_records_individual_idx on source_records (individual_id);

create table users (
    id text not null constraint users_pk primary key,
    username text not null constraint users_username_uq unique,
    display_name text not null,
    role text not null,
    region_scope text,
    password_hash text,
    full_view integer not null default 0,
    active integer not null default 1,
    version integer not null default 1,
    created_at text not null,
    updated_at text not null
);

create table audit_events (
    id integer not null constraint audit_events_pk primary key,
    occurred_at text not null,
    actor text not null,
    action text not null,
    subject text,
    detail text,
    ip text
);
create index audit_events_occurred_idx on audit_events (occurred_at);

create trigger audit_events_no_update before update on audit_events
begin select raise(abort, 'audit_events is append-only'); end;
create trigger audit_events_no_delete before delete on audit_events
begin select raise(abort, 'audit_events is append-only'); end;
