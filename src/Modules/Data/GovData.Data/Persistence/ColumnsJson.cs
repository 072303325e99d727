using System.Text.Json;
using System.Text.Json.Serialization;
using GovData.Data.Domain;

namespace GovData.Data.Persistence;

/// <summary>
/// <c>data_versions.columns_json</c>: the version's <see cref="DataColumn"/>s as they were when it was created (enums by
/// name, so the stored JSON stays readable and survives reordered enums).
/// </summary>
internal static class ColumnsJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(IReadOnlyList<DataColumn> columns) => JsonSerializer.Serialize(columns, Options);

    public static IReadOnlyList<DataColumn> Deserialize(string json) =>
        JsonSerializer.Deserialize<List<DataColumn>>(json, Options) ?? throw new InvalidDataException("版本的列定义为空");

    /// <summary>The layout of a stored version.</summary>
    public static TableLayout LayoutOf(DataVersion version) => new(version.TableName, Deserialize(version.ColumnsJson));
}
