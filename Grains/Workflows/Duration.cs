using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;

namespace AgentOrleans.Grains.Workflows;

/// <summary>Durations as definitions write them: <c>500ms</c>, <c>2s</c>, <c>5m</c>, <c>1h</c>, <c>1d</c>, or ISO 8601 (<c>PT2S</c>).</summary>
public static partial class Duration
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var match = Short().Match(text);
        if (match.Success)
        {
            var amount = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
            try
            {
                value = match.Groups["unit"].Value switch
                {
                    "ms" => TimeSpan.FromMilliseconds(amount),
                    "s" => TimeSpan.FromSeconds(amount),
                    "m" => TimeSpan.FromMinutes(amount),
                    "h" => TimeSpan.FromHours(amount),
                    _ => TimeSpan.FromDays(amount),
                };
                return true;
            }
            catch (OverflowException)
            {
                // Longer than TimeSpan holds (some ten million days): not a duration anything can wait for.
                return false;
            }
        }

        // XmlConvert alone would also take years and months, whose length varies.
        if (!Iso().IsMatch(text))
        {
            return false;
        }

        try
        {
            value = XmlConvert.ToTimeSpan(text);
            return value >= TimeSpan.Zero;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            return false;
        }
    }

    public const string Expected = "a duration such as 500ms, 2s, 5m, 1h, 1d or ISO 8601 PT2S";

    [GeneratedRegex(@"^(?<n>[0-9]+(\.[0-9]+)?)(?<unit>ms|s|m|h|d)\z")]
    private static partial Regex Short();

    [GeneratedRegex(@"^P(?!\z)([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+(\.[0-9]+)?S)?)?\z")]
    private static partial Regex Iso();
}
