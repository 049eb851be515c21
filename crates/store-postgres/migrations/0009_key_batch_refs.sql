-- `last_batch_id` of the key tables no longer references `import_batches`. The reference was
-- checked row by row, for every key a batch writes (about 4 µs a row, a fifth of the chunk
-- writes of a first load; it cannot be set aside during an import without locking the list
-- of batches), yet only the import that holds the batch's own row in its transaction ever
-- sets it, and batches are never deleted.
alter table household_keys drop constraint household_keys_batch_fk;
alter table individual_keys drop constraint individual_keys_batch_fk;
