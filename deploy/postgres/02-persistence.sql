-- marker: orleansstorage
-- AgentOrleans — grain storage for Microsoft.Orleans.Persistence.AdoNet 10.4.2 (part 2 of 4).
-- Requires 01-main.sql. Query keys: WriteToStorageKey, ReadFromStorageKey,
-- ClearStorageKey, and DeleteStorageKey (used only with DeleteStateOnClear = true).
--
-- Parameters the provider binds: @GrainIdHash, @GrainIdN0, @GrainIdN1,
-- @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString, @ServiceId,
-- @GrainStateVersion, @PayloadBinary. (Orleans 3.x also bound @PayloadJson and
-- @PayloadXml; 10.x binds only the binary payload from its IGrainStorageSerializer,
-- and an unbound @Name in a query fails, so the queries reference none of them.)
-- Results it reads: PayloadBinary, Version (read); NewGrainStateVersion (write, clear, delete).
--
-- A row is one grain's state for one service. Grain ids and type names are long,
-- so lookups go through two int hashes first, then the exact strings prune hash
-- collisions. Version is the ETag: a write carrying a stale version changes
-- nothing, returns the old version, and Orleans raises InconsistentStateException.

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer                     NOT NULL,
    GrainIdN0              bigint                      NOT NULL,
    GrainIdN1              bigint                      NOT NULL,
    GrainTypeHash          integer                     NOT NULL,
    GrainTypeString        varchar(512)                NOT NULL,
    GrainIdExtensionString varchar(512)                NULL,
    ServiceId              varchar(150)                NOT NULL,
    PayloadBinary          bytea                       NULL,
    ModifiedOn             timestamp without time zone NOT NULL,
    Version                integer                     NULL
);

-- One row per grain identity. Unlike a plain index this also makes the
-- first-write race (two activations of one grain during a split brain, both with
-- no version) safe: exactly one INSERT wins, the other sees the conflict.
-- NULLS NOT DISTINCT (PostgreSQL 15+) so a NULL key extension is one identity.
CREATE UNIQUE INDEX IF NOT EXISTS ux_orleansstorage_identity
    ON OrleansStorage (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1,
                       GrainTypeString, GrainIdExtensionString, ServiceId)
    NULLS NOT DISTINCT;

-- Returns the new version on success; the unchanged (old) version, or NULL for a
-- first write that lost the race, when nothing was written.
CREATE OR REPLACE FUNCTION orleans_write_to_storage(
    p_grain_id_hash       integer,
    p_grain_id_n0         bigint,
    p_grain_id_n1         bigint,
    p_grain_type_hash     integer,
    p_grain_type_string   varchar,
    p_grain_id_extension  varchar,
    p_service_id          varchar,
    p_expected_version    integer,
    p_payload_binary      bytea)
RETURNS TABLE (NewGrainStateVersion integer)
LANGUAGE plpgsql
AS $$
DECLARE
    v_new integer;
BEGIN
    IF p_expected_version IS NULL THEN
        -- No version: the grain believes there is no row yet.
        INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash,
                                    GrainTypeString, GrainIdExtensionString, ServiceId,
                                    PayloadBinary, ModifiedOn, Version)
        VALUES (p_grain_id_hash, p_grain_id_n0, p_grain_id_n1, p_grain_type_hash,
                p_grain_type_string, p_grain_id_extension, p_service_id,
                p_payload_binary,
                (now() AT TIME ZONE 'utc'), 1)
        ON CONFLICT DO NOTHING
        RETURNING Version INTO v_new;
    ELSE
        -- Optimistic concurrency: only the holder of the current version may write.
        UPDATE OrleansStorage
        SET PayloadBinary = p_payload_binary,
            ModifiedOn    = (now() AT TIME ZONE 'utc'),
            Version       = Version + 1
        WHERE GrainIdHash = p_grain_id_hash
          AND GrainTypeHash = p_grain_type_hash
          AND GrainIdN0 = p_grain_id_n0
          AND GrainIdN1 = p_grain_id_n1
          AND GrainTypeString = p_grain_type_string
          AND GrainIdExtensionString IS NOT DISTINCT FROM p_grain_id_extension
          AND ServiceId = p_service_id
          AND Version = p_expected_version
        RETURNING Version INTO v_new;
    END IF;

    RETURN QUERY SELECT COALESCE(v_new, p_expected_version);
END
$$;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'WriteToStorageKey', '
    SELECT NewGrainStateVersion
    FROM orleans_write_to_storage(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash,
        @GrainTypeString, @GrainIdExtensionString, @ServiceId, @GrainStateVersion,
        @PayloadBinary);
'),
(
    'ReadFromStorageKey', '
    SELECT PayloadBinary,
           (now() AT TIME ZONE ''utc'') AS ReadOn,
           Version
    FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash
      AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1
      AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS varchar)
      AND ServiceId = @ServiceId;
'),
(
    -- Clear keeps the row (payload NULL) and bumps the version, so a stale
    -- activation still cannot write over the cleared state.
    'ClearStorageKey', '
    UPDATE OrleansStorage
    SET PayloadBinary = NULL,
        ModifiedOn    = (now() AT TIME ZONE ''utc''),
        Version       = Version + 1
    WHERE GrainIdHash = @GrainIdHash
      AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1
      AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS varchar)
      AND ServiceId = @ServiceId
      AND Version = @GrainStateVersion
    RETURNING Version AS NewGrainStateVersion;
'),
(
    -- DeleteStateOnClear = true: remove the row instead of tombstoning it.
    'DeleteStorageKey', '
    DELETE FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash
      AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1
      AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS varchar)
      AND ServiceId = @ServiceId
      AND Version = @GrainStateVersion
    RETURNING Version + 1 AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
