-- marker: orleansreminderstable
-- AgentOrleans — reminder table for Microsoft.Orleans.Reminders.AdoNet 10.4.2 (part 3 of 4).
-- Requires 01-main.sql. Query keys: UpsertReminderRowKey, ReadReminderRowsKey,
-- ReadReminderRowKey, ReadRangeRows1Key, ReadRangeRows2Key, DeleteReminderRowKey,
-- DeleteReminderRowsKey.
--
-- Parameters the provider binds: @ServiceId, @GrainId, @ReminderName, @StartTime,
-- @Period, @GrainHash, @BeginHash, @EndHash, @Version.
-- Columns it reads: GrainId, ReminderName, StartTime, Period, Version; the upsert
-- returns the new Version, the single-row delete a row count.
--
-- Reminders are spread over silos by GrainHash ranges of the consistent ring:
-- a silo reads (BeginHash, EndHash], or the wrapped range when Begin >= End.
-- Version is the reminder's ETag: delete succeeds only for the version the caller saw.

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    varchar(150)   NOT NULL,
    GrainId      varchar(512)   NOT NULL,  -- reference uses 150; grain ids here embed user-chosen keys
    ReminderName varchar(150)   NOT NULL,
    StartTime    timestamptz(3) NOT NULL,
    Period       bigint         NOT NULL,  -- milliseconds
    GrainHash    integer        NOT NULL,
    Version      integer        NOT NULL,

    CONSTRAINT PK_RemindersTable_ServiceId_GrainId_ReminderName
        PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- Range reads (every silo, on every ring change and periodically) filter on GrainHash.
CREATE INDEX IF NOT EXISTS ix_orleansreminderstable_servicehash
    ON OrleansRemindersTable (ServiceId, GrainHash);

-- Insert or update in one statement; returns the row's version after the change.
CREATE OR REPLACE FUNCTION orleans_upsert_reminder(
    p_service_id    varchar,
    p_grain_id      varchar,
    p_reminder_name varchar,
    p_start_time    timestamptz,
    p_period        bigint,
    p_grain_hash    integer)
RETURNS TABLE (Version integer)
LANGUAGE sql
AS $$
    INSERT INTO OrleansRemindersTable AS r
        (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
    VALUES (p_service_id, p_grain_id, p_reminder_name, p_start_time, p_period, p_grain_hash, 0)
    ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
        SET StartTime = EXCLUDED.StartTime,
            Period    = EXCLUDED.Period,
            GrainHash = EXCLUDED.GrainHash,
            Version   = r.Version + 1
    RETURNING r.Version;
$$;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'UpsertReminderRowKey', '
    SELECT Version
    FROM orleans_upsert_reminder(@ServiceId, @GrainId, @ReminderName,
        CAST(@StartTime AS timestamptz), CAST(@Period AS bigint), CAST(@GrainHash AS integer));
'),
(
    'ReadReminderRowsKey', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId
      AND GrainId = @GrainId;
'),
(
    'ReadReminderRowKey', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId
      AND GrainId = @GrainId
      AND ReminderName = @ReminderName;
'),
(
    -- Ring range that does not wrap: (BeginHash, EndHash].
    'ReadRangeRows1Key', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId
      AND GrainHash > @BeginHash
      AND GrainHash <= @EndHash;
'),
(
    -- Ring range that wraps around: (BeginHash, max] and [min, EndHash].
    'ReadRangeRows2Key', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId
      AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
'),
(
    -- 1 when the caller''s version matched and the row is gone, 0 otherwise.
    'DeleteReminderRowKey', '
    WITH deleted AS (
        DELETE FROM OrleansRemindersTable
        WHERE ServiceId = @ServiceId
          AND GrainId = @GrainId
          AND ReminderName = @ReminderName
          AND Version = @Version
        RETURNING 1
    )
    SELECT CAST(count(*) AS integer) AS row_count FROM deleted;
'),
(
    'DeleteReminderRowsKey', '
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
