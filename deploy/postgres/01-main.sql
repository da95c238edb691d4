-- marker: orleansquery
-- AgentOrleans — PostgreSQL schema for the Orleans 10.4.2 ADO.NET providers, part 1 of 4.
--
-- The providers ship no SQL. At start-up each provider reads every row of
-- OrleansQuery ("SELECT QueryKey, QueryText FROM OrleansQuery") and runs the text
-- stored under the keys it needs, binding parameters by name (@Name) and reading
-- result columns by name. So the contract is: this table, the query keys, the
-- parameter names and the result column names/types, as in the reference scripts
-- of dotnet/orleans at tag v10.4.2. Everything else (tables, functions, indexes)
-- is ours to shape.
--
-- Apply in order: 01-main, 02-persistence, 03-reminders, 04-clustering (only if
-- ADO.NET clustering is used; we use Redis). Every script is re-runnable: tables and
-- indexes are IF NOT EXISTS, functions CREATE OR REPLACE, and query rows upserted.
-- Identifiers are unquoted, hence stored lower-case.
-- Plain SQL only (no psql meta-commands): the postgres image's
-- /docker-entrypoint-initdb.d runs these files as they are.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,

    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);
