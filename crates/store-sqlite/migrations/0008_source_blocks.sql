-- Provenance per block of source lines (sipmas_store::provenance): the imported rows of a
-- batch, up to 1,024 lines per block, compressed once, indexed by the households whose
-- rows a block holds. Replaces one indexed source_records row per line; the store moves
-- any existing source_records rows into blocks, then drops that table, right after these
-- migrations (sources::upgrade). Lock-step with store-postgres/migrations.

create table source_blocks (
    id integer not null constraint source_blocks_pk primary key,
    batch_id text not null constraint source_blocks_batch_fk references import_batches (id),
    first_line integer not null,
    last_line integer not null,
    records integer not null,
    body blob not null
);
create index source_blocks_batch_idx on source_blocks (batch_id, first_line);

create table source_block_households (
    household_id text not null constraint source_block_households_household_fk references households (id),
    block_id integer not null constraint source_block_households_block_fk references source_blocks (id),
    constraint source_block_households_pk primary key (household_id, block_id)
) without rowid;
