-- Exchange 0002: the tamper-evident audit log (交换审计日志). Layout, encoding and hashes: Features/Audit and the
-- module README (审计日志 / Audit log). Times are UTC text 'yyyy-MM-dd HH:mm:ss.FFFFFFF' (whole microseconds), GUIDs
-- upper-case text, hashes lower-case hex.

-- Entries: seq 1, 2, 3 … without gaps, assigned under the write lock; never updated or deleted by the platform.
CREATE TABLE exchange_audit_entries (
    seq INTEGER NOT NULL PRIMARY KEY,
    format INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL,
    consumer_department_id TEXT NULL,
    provider_department_id TEXT NULL,
    client_id TEXT NULL,
    user_id TEXT NULL,
    resource_code TEXT NULL,
    grant_id TEXT NULL,
    request_id TEXT NULL,
    purpose TEXT NULL,
    issue TEXT NULL,
    message_id TEXT NULL,
    rows_returned INTEGER NOT NULL,
    request_hash TEXT NULL,
    response_hash TEXT NULL,
    detail TEXT NULL,
    entry_hash TEXT NOT NULL,
    leaf_hash TEXT NOT NULL,
    chain_hash TEXT NOT NULL
);
CREATE INDEX ix_exchange_audit_entries_time ON exchange_audit_entries (recorded_at);
CREATE INDEX ix_exchange_audit_entries_consumer ON exchange_audit_entries (consumer_department_id, seq);
CREATE INDEX ix_exchange_audit_entries_provider ON exchange_audit_entries (provider_department_id, seq);
CREATE INDEX ix_exchange_audit_entries_resource ON exchange_audit_entries (resource_code, seq);
CREATE INDEX ix_exchange_audit_entries_grant ON exchange_audit_entries (grant_id, seq);

-- Signed checkpoints: RFC 6962 Merkle root over the leaf hashes of entries 1..tree_size.
CREATE TABLE exchange_audit_checkpoints (
    tree_size INTEGER NOT NULL PRIMARY KEY,
    root_hash TEXT NOT NULL,
    chain_hash TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    key_id TEXT NOT NULL,
    signature TEXT NOT NULL,
    frontier TEXT NOT NULL
);

-- Cache of perfect subtrees (2^8 leaves and more) written when sealing, for proofs. Derived data: proofs built from it
-- are checked against the signed root, so a changed row makes a proof fail, never pass.
CREATE TABLE exchange_audit_tree_nodes (
    level INTEGER NOT NULL,
    node_index INTEGER NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (level, node_index)
);

-- Node signing keys (ECDSA P-256): public key in clear, private key protected with ASP.NET Core Data Protection.
CREATE TABLE exchange_audit_node_keys (
    key_id TEXT NOT NULL PRIMARY KEY,
    algorithm TEXT NOT NULL,
    public_key TEXT NOT NULL,
    protected_private_key TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Runs of the verifier (page 审计日志校验).
CREATE TABLE exchange_audit_verifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    run_by TEXT NOT NULL,
    ok INTEGER NOT NULL,
    entries INTEGER NOT NULL,
    checkpoints INTEGER NOT NULL,
    first_problem_seq INTEGER NULL,
    summary TEXT NOT NULL,
    report TEXT NOT NULL
);

-- Nothing the platform does changes or removes these rows. The triggers stop mistakes and the application's own
-- connection; whoever can drop a trigger can also change rows, which is what the hash chain and the signed
-- checkpoints are for (govdata audit verify finds it).
CREATE TRIGGER tr_exchange_audit_entries_no_update BEFORE UPDATE ON exchange_audit_entries
BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END;
CREATE TRIGGER tr_exchange_audit_entries_no_delete BEFORE DELETE ON exchange_audit_entries
BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能删除'); END;
CREATE TRIGGER tr_exchange_audit_checkpoints_no_update BEFORE UPDATE ON exchange_audit_checkpoints
BEGIN SELECT RAISE(ABORT, '审计日志检查点不能修改'); END;
CREATE TRIGGER tr_exchange_audit_checkpoints_no_delete BEFORE DELETE ON exchange_audit_checkpoints
BEGIN SELECT RAISE(ABORT, '审计日志检查点不能删除'); END;
CREATE TRIGGER tr_exchange_audit_node_keys_no_update BEFORE UPDATE ON exchange_audit_node_keys
BEGIN SELECT RAISE(ABORT, '审计日志节点密钥不能修改'); END;
CREATE TRIGGER tr_exchange_audit_node_keys_no_delete BEFORE DELETE ON exchange_audit_node_keys
BEGIN SELECT RAISE(ABORT, '审计日志节点密钥不能删除'); END;
CREATE TRIGGER tr_exchange_audit_verifications_no_update BEFORE UPDATE ON exchange_audit_verifications
BEGIN SELECT RAISE(ABORT, '审计日志校验记录不能修改'); END;
CREATE TRIGGER tr_exchange_audit_verifications_no_delete BEFORE DELETE ON exchange_audit_verifications
BEGIN SELECT RAISE(ABORT, '审计日志校验记录不能删除'); END;
