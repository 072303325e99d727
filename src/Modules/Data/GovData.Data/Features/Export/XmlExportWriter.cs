using System.Globalization;
using System.Text;
using System.Xml;
using GovData.Data.Domain;

namespace GovData.Data.Features.Export;

/// <summary>
/// Streams rows as XML:
/// <code>
/// &lt;dataset resource="303026010201/1" name="企业法人库" version="3" xmlns:xsi="…"&gt;
///   &lt;fields&gt;&lt;field element="credit_code" name="统一社会信用代码" code="credit_code" type="C"/&gt;…&lt;/fields&gt;
///   &lt;row&gt;&lt;credit_code&gt;91370000163044841F&lt;/credit_code&gt;&lt;成立日期&gt;2018-08-31&lt;/成立日期&gt;…&lt;/row&gt;
/// &lt;/dataset&gt;
/// </code>
/// Each column's element name is its field name made a valid XML name by <see cref="ElementNames"/>; when the mapping
/// had to change the name, the element also carries <c>name="原信息项名称"</c>, and the <c>&lt;fields&gt;</c> header
/// lists every element with its item name, field code and data type once. Values: invariant text, dates
/// <c>yyyy-MM-dd</c>, timestamps as xs:dateTime <c>yyyy-MM-ddTHH:mm:ss</c>, booleans true/false, null as
/// <c>xsi:nil="true"</c>. Characters XML 1.0 cannot carry become U+FFFD.
/// </summary>
internal static class XmlExportWriter
{
    private const string XsiNs = "http://www.w3.org/2001/XMLSchema-instance";

    /// <summary>Writes the document; returns the number of rows.</summary>
    public static async Task<long> WriteAsync(ExportDataset dataset, IAsyncEnumerable<object?[]> rows, Stream output, bool raw,
        CancellationToken ct = default)
    {
        var columns = dataset.Columns;
        var mask = ExportValues.MaskFlags(columns, raw);
        var names = ElementNames(columns);
        var settings = new XmlWriterSettings
        {
            Async = true,
            Encoding = new UTF8Encoding(false),
            Indent = false,
            CloseOutput = false,
            CheckCharacters = true,
            NewLineHandling = NewLineHandling.Entitize,   // CR in values as &#xD;, so readers do not fold CRLF into LF
        };
        long count = 0;
        await using (var xml = XmlWriter.Create(output, settings))
        {
            await xml.WriteStartDocumentAsync();
            await xml.WriteWhitespaceAsync("\n");
            await xml.WriteStartElementAsync(null, "dataset", null);
            await xml.WriteAttributeStringAsync(null, "resource", null, ExportValues.CleanXml(dataset.ResourceCode));
            await xml.WriteAttributeStringAsync(null, "name", null, ExportValues.CleanXml(dataset.ResourceName));
            await xml.WriteAttributeStringAsync(null, "version", null, dataset.Version.ToString(CultureInfo.InvariantCulture));
            await xml.WriteAttributeStringAsync("xmlns", "xsi", null, XsiNs);
            await xml.WriteWhitespaceAsync("\n");
            await xml.WriteStartElementAsync(null, "fields", null);
            for (var i = 0; i < columns.Count; i++)
            {
                await xml.WriteStartElementAsync(null, "field", null);
                await xml.WriteAttributeStringAsync(null, "element", null, names[i]);
                await xml.WriteAttributeStringAsync(null, "name", null, ExportValues.CleanXml(columns[i].ItemName));
                if (columns[i].FieldCode is { } code) await xml.WriteAttributeStringAsync(null, "code", null, ExportValues.CleanXml(code));
                await xml.WriteAttributeStringAsync(null, "type", null, columns[i].DataType.ToString());
                await xml.WriteEndElementAsync();
            }
            await xml.WriteEndElementAsync();
            await xml.WriteWhitespaceAsync("\n");

            var renamed = columns.Select((c, i) => names[i] != c.FieldName).ToArray();
            await foreach (var row in rows.WithCancellation(ct))
            {
                count++;
                ExportValues.Prepare(row, columns, mask, count);
                await xml.WriteStartElementAsync(null, "row", null);
                for (var i = 0; i < row.Length; i++)
                {
                    await xml.WriteStartElementAsync(null, names[i], null);
                    if (renamed[i]) await xml.WriteAttributeStringAsync(null, "name", null, ExportValues.CleanXml(columns[i].ItemName));
                    if (row[i] is null) await xml.WriteAttributeStringAsync("xsi", "nil", XsiNs, "true");
                    else await xml.WriteStringAsync(ValueText(row[i]!));
                    await xml.WriteEndElementAsync();
                }
                await xml.WriteEndElementAsync();
                await xml.WriteWhitespaceAsync("\n");
            }
            await xml.WriteEndElementAsync();
            await xml.WriteWhitespaceAsync("\n");
            await xml.WriteEndDocumentAsync();
            await xml.FlushAsync();
        }
        await output.FlushAsync(ct);
        return count;
    }

    private static string ValueText(object value) => value switch
    {
        string s => ExportValues.CleanXml(s),
        DateTime t => t.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        _ => ExportValues.ToText(value) ?? "",
    };

    /// <summary>
    /// Valid, distinct XML element names for the columns, from their field names: characters that may not appear in an
    /// XML name (spaces, punctuation, '/' …; ':' too, since names are unprefixed) become '_'; a name that cannot start
    /// with its first character (a digit, '-', '.') or starts with "xml" (reserved) gets a leading '_'; an empty name
    /// becomes "field"; names that collide, or that equal the structural names dataset, fields, field, row, get "_2", "_3" ….
    /// Chinese and other letters are valid XML name characters and are kept: 成立日期 stays 成立日期.
    /// </summary>
    public static string[] ElementNames(IReadOnlyList<DataColumn> columns)
    {
        var used = new HashSet<string>(StringComparer.Ordinal) { "row", "fields", "field", "dataset" };
        var result = new string[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            var name = SafeName(columns[i].FieldName);
            var candidate = name;
            for (var n = 2; !used.Add(candidate); n++) candidate = name + "_" + n.ToString(CultureInfo.InvariantCulture);
            result[i] = candidate;
        }
        return result;
    }

    /// <summary>A valid unprefixed XML name (NCName) for <paramref name="text"/>.</summary>
    public static string SafeName(string text)
    {
        var sb = new StringBuilder(text.Length + 1);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                // Supplementary characters (CJK Extension B …) are valid name characters in XML 1.0 fifth edition,
                // but not for every parser; map them to '_' to stay safe.
                sb.Append('_');
                i++;
                continue;
            }
            sb.Append(XmlConvert.IsNCNameChar(c) ? c : '_');
        }
        if (sb.Length == 0) return "field";
        if (!XmlConvert.IsStartNCNameChar(sb[0]) || sb.ToString().StartsWith("xml", StringComparison.OrdinalIgnoreCase)) sb.Insert(0, '_');
        var name = sb.ToString();
        XmlConvert.VerifyNCName(name);
        return name;
    }
}
