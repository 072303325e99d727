namespace GovData.Data.Tests.Query;

/// <summary>Splits a query string the way the host does (name=value pairs, percent-decoding, '+' as space).</summary>
internal static class QueryString
{
    public static List<KeyValuePair<string, string?>> Parse(string query)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            pairs.Add(new(Decode(key), Decode(value)));
        }
        return pairs;
    }

    private static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));

    /// <summary>Escapes a value for a query string.</summary>
    public static string E(string value) => Uri.EscapeDataString(value);
}
