-- Web sign-in and the register search. Kept in lock-step with store-sqlite/migrations.
-- Session and API tokens are stored as SHA-256 hashes: a copy of the database does not
-- let anyone sign in.

alter table users add column failed_logins bigint not null default 0;
alter table users add column locked_until timestamptz;
alter table users add column last_login_at timestamptz;

create table sessions (
    token_hash text not null constraint sessions_pk primary key,
    user_id uuid not null constraint sessions_user_fk references users (id),
    csrf_token text not null,
    ip text,
    created_at timestamptz not null,
    expires_at timestamptz not null
);
create index sessions_user_idx on sessions (user_id);
create index sessions_expires_idx on sessions (expires_at);

create table api_tokens (
    token_hash text not null constraint api_tokens_pk primary key,
    user_id uuid not null constraint api_tokens_user_fk references users (id),
    label text not null,
    created_at timestamptz not null,
    revoked_at timestamptz
);
create index api_tokens_user_idx on api_tokens (user_id);

-- The search filter "from source X" walks from a household to its keys.
create index household_keys_household_idx on household_keys (household_id);

-- Region ranges and name prefixes compare bytes, whatever the database's collation
-- (under en_US the '.' and '~' of a code range would be ignored and scopes would leak).
alter table households alter column village_code type text collate "C";
alter table individuals alter column name_key type text collate "C";

-- The name search walks this index in key order: with the id in it, a page needs no sort.
drop index individuals_name_key_idx;
create index individuals_name_key_idx on individuals (name_key, id);

-- Dashboard figures per village, recomputed after every change that moves them (import,
-- demo, link decisions, status changes). Higher levels are sums over a code range.
create table village_stats (
    village_code text collate "C" not null constraint village_stats_pk primary key,
    households bigint not null,
    individuals bigint not null,
    extreme_households bigint not null,
    extreme_individuals bigint not null,
    refreshed_at timestamptz not null
);

-- Extremely poor households per village on each half-year date since July 2022.
create table village_trend (
    village_code text collate "C" not null,
    on_date date not null,
    households bigint not null,
    constraint village_trend_pk primary key (village_code, on_date)
);

-- Households per desil per village, for the dashboard's desil distribution.
create table village_desil (
    village_code text collate "C" not null,
    desil integer not null,
    households bigint not null,
    constraint village_desil_pk primary key (village_code, desil)
);
