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
