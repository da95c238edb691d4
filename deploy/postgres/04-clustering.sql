-- marker: orleansmembershiptable
-- AgentOrleans — membership tables for Microsoft.Orleans.Clustering.AdoNet 10.4.2 (part 4 of 4).
-- OPTIONAL: AgentOrleans uses Redis for membership; this is here so ADO.NET
-- clustering can be switched on without hunting for a schema. Requires 01-main.sql.
--
-- Query keys: UpdateIAmAlivetimeKey, InsertMembershipVersionKey, InsertMembershipKey,
-- UpdateMembershipKey, MembershipReadRowKey, MembershipReadAllKey,
-- DeleteMembershipTableEntriesKey, GatewaysQueryKey, CleanupDefunctSiloEntriesKey.
-- Parameters: @DeploymentId (= ClusterId), @Address, @Port, @Generation, @SiloName,
-- @HostName, @Status, @ProxyPort, @SuspectTimes, @StartTime, @IAmAliveTime, @Version.
--
-- Protocol: one version row per cluster; every membership change must carry the
-- table version the silo last read and bumps it, all or nothing. Insert/update
-- return 1 on success and 0 when nothing changed (Orleans then re-reads, retries).
-- SiloStatus values: 3 = Active, 6 = Dead.

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0,

    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL,
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NULL,
    SuspectTimes varchar(8000)  NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,

    CONSTRAINT PK_MembershipTable_DeploymentId PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId
        FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- Creates the cluster's version row once; 1 if created, 0 if it existed.
CREATE OR REPLACE FUNCTION orleans_insert_membership_version(p_deployment_id varchar)
RETURNS TABLE (row_count integer)
LANGUAGE plpgsql
AS $$
DECLARE
    n integer;
BEGIN
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    VALUES (p_deployment_id)
    ON CONFLICT (DeploymentId) DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN QUERY SELECT n;
END
$$;

-- Adds a silo row and bumps the table version, both or neither. The inner block
-- is a savepoint: raising inside it undoes whatever it did (a plain RAISE, not
-- ASSERT, so it works even with plpgsql.check_asserts = off).
CREATE OR REPLACE FUNCTION orleans_insert_membership(
    p_deployment_id varchar, p_address varchar, p_port integer, p_generation integer,
    p_silo_name varchar, p_host_name varchar, p_status integer, p_proxy_port integer,
    p_start_time timestamptz, p_i_am_alive_time timestamptz, p_version integer)
RETURNS TABLE (row_count integer)
LANGUAGE plpgsql
AS $$
DECLARE
    n integer;
BEGIN
    BEGIN
        UPDATE OrleansMembershipVersionTable
        SET Timestamp = now(), Version = Version + 1
        WHERE DeploymentId = p_deployment_id AND Version = p_version;
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n = 0 THEN
            RETURN QUERY SELECT 0;  -- stale version: nothing changed
            RETURN;
        END IF;

        INSERT INTO OrleansMembershipTable
            (DeploymentId, Address, Port, Generation, SiloName, HostName, Status,
             ProxyPort, StartTime, IAmAliveTime)
        VALUES (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name,
                p_status, p_proxy_port, p_start_time, p_i_am_alive_time)
        ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n = 0 THEN
            RAISE EXCEPTION 'membership row exists' USING ERRCODE = 'OR001';
        END IF;
    EXCEPTION WHEN SQLSTATE 'OR001' THEN
        RETURN QUERY SELECT 0;  -- version bump rolled back with the savepoint
        RETURN;
    END;
    RETURN QUERY SELECT 1;
END
$$;

-- Changes a silo's status/suspicions and bumps the table version, both or neither.
CREATE OR REPLACE FUNCTION orleans_update_membership(
    p_deployment_id varchar, p_address varchar, p_port integer, p_generation integer,
    p_status integer, p_suspect_times varchar, p_i_am_alive_time timestamptz, p_version integer)
RETURNS TABLE (row_count integer)
LANGUAGE plpgsql
AS $$
DECLARE
    n integer;
BEGIN
    BEGIN
        UPDATE OrleansMembershipVersionTable
        SET Timestamp = now(), Version = Version + 1
        WHERE DeploymentId = p_deployment_id AND Version = p_version;
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n = 0 THEN
            RETURN QUERY SELECT 0;
            RETURN;
        END IF;

        UPDATE OrleansMembershipTable
        SET Status = p_status, SuspectTimes = p_suspect_times, IAmAliveTime = p_i_am_alive_time
        WHERE DeploymentId = p_deployment_id AND Address = p_address
          AND Port = p_port AND Generation = p_generation;
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n = 0 THEN
            RAISE EXCEPTION 'membership row missing' USING ERRCODE = 'OR001';
        END IF;
    EXCEPTION WHEN SQLSTATE 'OR001' THEN
        RETURN QUERY SELECT 0;
        RETURN;
    END;
    RETURN QUERY SELECT 1;
END
$$;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    -- Heartbeat: not versioned, result not checked by Orleans.
    'UpdateIAmAlivetimeKey', '
    UPDATE OrleansMembershipTable
    SET IAmAliveTime = @IAmAliveTime
    WHERE DeploymentId = @DeploymentId
      AND Address = @Address
      AND Port = @Port
      AND Generation = @Generation;
'),
(
    'InsertMembershipVersionKey', '
    SELECT row_count FROM orleans_insert_membership_version(@DeploymentId);
'),
(
    'InsertMembershipKey', '
    SELECT row_count FROM orleans_insert_membership(
        @DeploymentId, @Address, CAST(@Port AS integer), CAST(@Generation AS integer),
        @SiloName, @HostName, CAST(@Status AS integer), CAST(@ProxyPort AS integer),
        CAST(@StartTime AS timestamptz), CAST(@IAmAliveTime AS timestamptz), CAST(@Version AS integer));
'),
(
    'UpdateMembershipKey', '
    SELECT row_count FROM orleans_update_membership(
        @DeploymentId, @Address, CAST(@Port AS integer), CAST(@Generation AS integer),
        CAST(@Status AS integer), CAST(@SuspectTimes AS varchar),
        CAST(@IAmAliveTime AS timestamptz), CAST(@Version AS integer));
'),
(
    -- The version row comes back even when the silo has no row yet (LEFT JOIN).
    'MembershipReadRowKey', '
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName,
           m.Status, m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m
           ON m.DeploymentId = v.DeploymentId
          AND m.Address = @Address
          AND m.Port = @Port
          AND m.Generation = @Generation
    WHERE v.DeploymentId = @DeploymentId;
'),
(
    'MembershipReadAllKey', '
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName,
           m.Status, m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
    WHERE v.DeploymentId = @DeploymentId;
'),
(
    'DeleteMembershipTableEntriesKey', '
    DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
    DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
'),
(
    -- Gateways clients may use: Active silos (@Status = 3) with a proxy port.
    'GatewaysQueryKey', '
    SELECT Address, ProxyPort, Generation
    FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId
      AND Status = @Status
      AND ProxyPort > 0;
'),
(
    -- Forget silos that are not Active and gave no sign of life since the cutoff.
    'CleanupDefunctSiloEntriesKey', '
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId
      AND Status <> 3
      AND GREATEST(IAmAliveTime, StartTime) < @IAmAliveTime;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
