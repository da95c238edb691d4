using Npgsql;

namespace AgentOrleans.Grains.Index;

/// <summary>The PostgreSQL connections of the index, catalog and tombstones (tables of deploy/postgres/20-execution-index.sql).</summary>
public sealed class IndexDatabase(string connectionString) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = NpgsqlDataSource.Create(connectionString);

    public NpgsqlCommand Command(string sql) => DataSource.CreateCommand(sql);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
