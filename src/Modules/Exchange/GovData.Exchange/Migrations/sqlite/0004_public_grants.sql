-- Exchange module, part 4: grants held by a public account (有条件开放 through the portal).
-- holder_kind: 'department' (every grant before this migration: the consumer department holds it) or 'public' (a
-- developer's account holds it; consumer_department_id is then the nil UUID and holder_account_id the account).
-- Department code paths (lists, lookups of signed department apps, statistics, disputes) only ever see 'department'.
ALTER TABLE exchange_grants ADD COLUMN holder_kind TEXT NOT NULL DEFAULT 'department' CHECK (holder_kind IN ('department', 'public'));
ALTER TABLE exchange_grants ADD COLUMN holder_account_id TEXT NULL;
CREATE INDEX ix_exchange_grants_holder ON exchange_grants (holder_account_id, resource_code) WHERE holder_account_id IS NOT NULL;
