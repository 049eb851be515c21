-- Verval visits: what the village operator found, its way through the approval chain,
-- and the photos taken. Lock-step with store-postgres/migrations.

create table verval_visits (
    campaign_id text not null,
    household_id text not null,
    result text not null,
    -- The household's version when the form was opened: approval refuses a visit made
    -- against a register that has changed since.
    household_version integer not null,
    -- The whole form as submitted (JSON): members, housing, checklist, GPS, notes.
    record text not null,
    visited_by text not null,
    submitted_at text not null,
    -- The last send-back comment, cleared by nothing (the audit trail keeps every one).
    comment text,
    reviewed_by text,
    reviewed_at text,
    approved_by text,
    approved_at text,
    constraint verval_visits_pk primary key (campaign_id, household_id),
    constraint verval_visits_target_fk foreign key (campaign_id, household_id)
        references campaign_households (campaign_id, household_id)
);

create table verval_photos (
    id text not null constraint verval_photos_pk primary key,
    campaign_id text not null,
    household_id text not null,
    content_type text not null,
    bytes blob not null,
    created_by text not null,
    created_at text not null,
    constraint verval_photos_target_fk foreign key (campaign_id, household_id)
        references campaign_households (campaign_id, household_id)
);
create index verval_photos_visit_idx on verval_photos (campaign_id, household_id);

-- A change made by an approved visit names its campaign (an import's names its batch).
alter table field_changes add column campaign_id text constraint field_changes_campaign_fk references campaigns (id);
