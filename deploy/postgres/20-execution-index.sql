-- marker: ao_execution_index
-- AgentOrleans — the execution index, workflow catalog and tombstones (issue 20; not an Orleans provider's schema).
--
-- ao_execution_index: one row per execution (ids bare, the tenant beside them), written at-least-once by the
-- execution grain after each checkpoint that changes its status; an upsert with a lower revision than the stored
-- one changes nothing (docs/decisions.md#execution-index-at-least-once). Listings run newest first, keyset-paginated
-- on (created_at, id); the indexes below serve a tenant's listing alone, by status, by workflow, by both, and the
-- retention sweeper's scan of expired rows. Labels are a jsonb object, filtered by containment (GIN).
-- Re-runnable: IF NOT EXISTS throughout. Plain SQL only (docker-entrypoint-initdb.d runs it as it is).

CREATE TABLE IF NOT EXISTS ao_execution_index
(
    tenant       text        COLLATE "C" NOT NULL,
    id           text        COLLATE "C" NOT NULL,
    workflow_id  text        NOT NULL,
    version      integer     NOT NULL,
    status       text        NOT NULL,
    created_at   timestamptz NOT NULL,
    started_at   timestamptz,
    completed_at timestamptz,
    parent       text,
    schedule     text,
    error_type   text,
    labels       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    expires_at   timestamptz,
    revision     bigint      NOT NULL,

    CONSTRAINT ao_execution_index_pk PRIMARY KEY (tenant, id)
);

CREATE INDEX IF NOT EXISTS ao_execution_index_created ON ao_execution_index (tenant, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS ao_execution_index_status ON ao_execution_index (tenant, status, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS ao_execution_index_workflow ON ao_execution_index (tenant, workflow_id, status, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS ao_execution_index_parent ON ao_execution_index (tenant, parent, created_at DESC, id DESC) WHERE parent IS NOT NULL;
CREATE INDEX IF NOT EXISTS ao_execution_index_schedule ON ao_execution_index (tenant, schedule, created_at DESC, id DESC) WHERE schedule IS NOT NULL;
CREATE INDEX IF NOT EXISTS ao_execution_index_labels ON ao_execution_index USING gin (labels jsonb_path_ops);
CREATE INDEX IF NOT EXISTS ao_execution_index_expires ON ao_execution_index (expires_at) WHERE expires_at IS NOT NULL;

-- A deleted execution's id answers 404 with reason "deleted" until keep_until.
CREATE TABLE IF NOT EXISTS ao_execution_tombstones
(
    tenant     text        NOT NULL,
    id         text        NOT NULL,
    deleted_at timestamptz NOT NULL,
    keep_until timestamptz NOT NULL,

    CONSTRAINT ao_execution_tombstones_pk PRIMARY KEY (tenant, id)
);

CREATE INDEX IF NOT EXISTS ao_execution_tombstones_keep ON ao_execution_tombstones (keep_until);

-- One row per published workflow: its latest version, written by every publish.
CREATE TABLE IF NOT EXISTS ao_workflow_catalog
(
    tenant         text        NOT NULL,
    id             text        COLLATE "C" NOT NULL,
    latest_version integer     NOT NULL,
    description    text,
    updated_at     timestamptz NOT NULL,

    CONSTRAINT ao_workflow_catalog_pk PRIMARY KEY (tenant, id)
);
