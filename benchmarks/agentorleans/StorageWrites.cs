using System.Diagnostics;
using System.Globalization;

/// <summary>
/// Grain-state writes to PostgreSQL, counted exactly: each write bumps a row's Version (the ETag),
/// so the sum of versions grows by one per write. Only when AO_BENCH_PG holds a libpq conninfo.
/// </summary>
internal static class StorageWrites
{
    public static async Task<long?> CountAsync()
    {
        if (Environment.GetEnvironmentVariable("AO_BENCH_PG") is not { Length: > 0 } conninfo)
        {
            return null;
        }

        var psi = new ProcessStartInfo("psql") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { conninfo, "-Atc", "select coalesce(sum(version), 0) from orleansstorage" })
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 && long.TryParse(output.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var sum) ? sum : null;
    }
}
