using System.Globalization;
using System.Text;
using System.Xml;
using BenchmarkDotNet.Attributes;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace GovData.Bench.Export;

/// <summary>
/// What the SDK's SAX writer costs: the same worksheet XML (10,000 rows × 10 cells, each with its reference, a type,
/// and a value) written by <see cref="OpenXmlWriter"/> — what <c>XlsxExportWriter</c> uses — and by the plain
/// <see cref="XmlWriter"/> it wraps (the limit), into Stream.Null, no compression.
/// Run: <c>dotnet run -c Release --project bench/GovData.Bench -- --filter '*SheetXml*' --job short</c>
/// </summary>
[MemoryDiagnoser]
public class SheetXmlBenchmarks
{
    private const int Rows = 10_000;
    private const int Columns = 10;
    private const string MainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private static readonly string[] Letters = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"];

    [Benchmark(Baseline = true, Description = "limit: System.Xml XmlWriter")]
    public void PlainXmlWriter()
    {
        using var w = XmlWriter.Create(Stream.Null, new XmlWriterSettings { Encoding = new UTF8Encoding(false) });
        w.WriteStartDocument();
        w.WriteStartElement("worksheet", MainNs);
        w.WriteStartElement("sheetData", MainNs);
        for (var r = 1; r <= Rows; r++)
        {
            var rowText = r.ToString(CultureInfo.InvariantCulture);
            w.WriteStartElement("row", MainNs);
            w.WriteAttributeString("r", rowText);
            for (var c = 0; c < Columns; c++)
            {
                w.WriteStartElement("c", MainNs);
                w.WriteAttributeString("r", string.Concat(Letters[c], rowText));
                w.WriteAttributeString("t", "n");
                w.WriteStartElement("v", MainNs);
                w.WriteString("12345.67");
                w.WriteEndElement();
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
    }

    [Benchmark(Description = "DocumentFormat.OpenXml OpenXmlWriter (as in XlsxExportWriter)")]
    public void SdkOpenXmlWriter()
    {
        using var w = OpenXmlWriter.Create(Stream.Null);
        var cell = new Cell();
        var row = new Row();
        var value = new CellValue();
        var attributes = new List<OpenXmlAttribute>(3);
        var none = new List<OpenXmlAttribute>();
        w.WriteStartDocument();
        w.WriteStartElement(new Worksheet());
        w.WriteStartElement(new SheetData());
        for (var r = 1; r <= Rows; r++)
        {
            var rowText = r.ToString(CultureInfo.InvariantCulture);
            attributes.Clear();
            attributes.Add(new OpenXmlAttribute("r", "", rowText));
            w.WriteStartElement(row, attributes);
            for (var c = 0; c < Columns; c++)
            {
                attributes.Clear();
                attributes.Add(new OpenXmlAttribute("r", "", string.Concat(Letters[c], rowText)));
                attributes.Add(new OpenXmlAttribute("t", "", "n"));
                w.WriteStartElement(cell, attributes);
                w.WriteStartElement(value, none);
                w.WriteString("12345.67");
                w.WriteEndElement();
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
    }
}
