-- Field verification (verval): campaigns over a selection of households, assigned to
-- villages and their operators. Kept in lock-step with store-postgres/migrations.

create table campaigns (
    id text not null constraint campaigns_pk primary key,
    name text not null,
    scope_code text,
    -- The filters the households were selected by (JSON), as the campaign was created.
    selection text not null,
    due_on text,
    households integer not null default 0,
    created_by text not null,
    created_at text not null
);

create table campaign_households (
    campaign_id text not null constraint campaign_households_campaign_fk references campaigns (id),
    household_id text not null constraint campaign_households_household_fk references households (id),
    village_code text not null,
    -- Username of the village operator who visits; null until the village is assigned.
    assignee text,
    -- listed → visited → submitted → (returned →) reviewed → approved
    state text not null default 'listed',
    version integer not null default 1,
    updated_at text not null,
    constraint campaign_households_pk primary key (campaign_id, household_id)
);
create index campaign_households_village_idx on campaign_households (campaign_id, village_code);
create index campaign_households_assignee_idx on campaign_households (assignee, campaign_id);
