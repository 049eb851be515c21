-- Field verification (verval): campaigns over a selection of households, assigned to
-- villages and their operators. Kept in lock-step with store-sqlite/migrations.

create table campaigns (
    id uuid not null constraint campaigns_pk primary key,
    name text not null,
    scope_code text,
    -- The filters the households were selected by (JSON), as the campaign was created.
    selection text not null,
    due_on date,
    households bigint not null default 0,
    created_by text not null,
    created_at timestamptz not null
);

create table campaign_households (
    campaign_id uuid not null constraint campaign_households_campaign_fk references campaigns (id),
    household_id uuid not null constraint campaign_households_household_fk references households (id),
    village_code text collate "C" not null,
    -- Username of the village operator who visits; null until the village is assigned.
    assignee text,
    -- listed → visited → submitted → (returned →) reviewed → approved
    state text not null default 'listed',
    version bigint not null default 1,
    updated_at timestamptz not null,
    constraint campaign_households_pk primary key (campaign_id, household_id)
);
create index campaign_households_village_idx on campaign_households (campaign_id, village_code);
create index campaign_households_assignee_idx on campaign_households (assignee, campaign_id);
