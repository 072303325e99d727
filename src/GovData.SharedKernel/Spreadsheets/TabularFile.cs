using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace GovData.SharedKernel.Spreadsheets;

/// <summary>One row of a sheet: its 1-based row number in the file and its cell texts.</summary>
public sealed record SheetRow(int RowNumber, IReadOnlyList<string> Cells)
{
    /// <summary>Cell text by 0-based column, empty when absent.</summary>
    public string this[int column] => column < Cells.Count ? Cells[column] : "";

    /// <summary>True when every cell is blank.</summary>
    public bool IsBlank => Cells.All(string.IsNullOrWhiteSpace);
}

/// <summary>
/// Reads and writes the small tabular files operators exchange (department lists, catalog templates):
/// CSV (UTF-8 with or without BOM, or GB18030) and XLSX. Large data loads use the Data module's streaming path instead.
/// </summary>
public static class TabularFile
{
    static TabularFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>True for file names this reader understands.</summary>
    public static bool IsSupported(string fileName) =>
        Path.GetExtension(fileName).ToLowerInvariant() is ".csv" or ".xlsx";

    /// <summary>Reads the rows of a CSV file or of one sheet of an XLSX file (first sheet when <paramref name="sheetName"/> is null).</summary>
    public static IReadOnlyList<SheetRow> Read(Stream stream, string fileName, string? sheetName = null)
    {
        return Path.GetExtension(fileName).ToLowerInvariant() switch
        {
            ".csv" => ReadCsv(stream),
            ".xlsx" => ReadXlsx(stream, sheetName) ?? throw new InvalidDataException($"工作簿中没有名为“{sheetName}”的工作表"),
            _ => throw new InvalidDataException($"不支持的文件类型“{Path.GetExtension(fileName)}”，请上传 .csv 或 .xlsx 文件"),
        };
    }

    /// <summary>Names of the sheets of an XLSX workbook.</summary>
    public static IReadOnlyList<string> SheetNames(Stream stream)
    {
        using var doc = OpenXlsx(stream);
        return doc.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name?.Value ?? "").ToList();
    }

    /// <summary>Reads a CSV, detecting UTF-8 (BOM or valid UTF-8) versus GB18030.</summary>
    public static IReadOnlyList<SheetRow> ReadCsv(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        var text = DecodeText(bytes);
        using var reader = new StringReader(text);
        using var csv = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectDelimiter = true,
            BadDataFound = null,
            TrimOptions = TrimOptions.Trim,
        });
        var rows = new List<SheetRow>();
        while (csv.Read())
            rows.Add(new SheetRow(csv.Row, csv.Record ?? []));
        return rows;
    }

    /// <summary>Decodes bytes as UTF-8 when they are valid UTF-8 (with or without BOM), otherwise as GB18030.</summary>
    public static string DecodeText(byte[] bytes)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
            return Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding("GB18030").GetString(bytes);
        }
    }

    private static SpreadsheetDocument OpenXlsx(Stream stream)
    {
        try { return SpreadsheetDocument.Open(stream, false); }
        catch (Exception ex) when (ex is OpenXmlPackageException or InvalidDataException or FileFormatException or IOException)
        { throw new InvalidDataException("无法读取 XLSX 文件：文件已损坏或不是 Excel 2007 及以上格式", ex); }
    }

    private static List<SheetRow>? ReadXlsx(Stream stream, string? sheetName)
    {
        using var doc = OpenXlsx(stream);
        var workbook = doc.WorkbookPart ?? throw new InvalidDataException("XLSX 文件缺少工作簿");
        var sheet = workbook.Workbook.Sheets?.Elements<Sheet>()
            .FirstOrDefault(s => sheetName is null || s.Name?.Value == sheetName);
        if (sheet?.Id?.Value is not { } relId) return sheetName is null ? [] : null;
        var part = (WorksheetPart)workbook.GetPartById(relId);
        var shared = workbook.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().Select(i => i.InnerText).ToArray() ?? [];

        var rows = new List<SheetRow>();
        using var reader = OpenXmlReader.Create(part);
        while (reader.Read())
        {
            if (reader.ElementType != typeof(Row) || !reader.IsStartElement) continue;
            var row = (Row)reader.LoadCurrentElement()!;
            var cells = new List<string>();
            foreach (var cell in row.Elements<Cell>())
            {
                var col = ColumnIndex(cell.CellReference?.Value) ?? cells.Count;
                while (cells.Count < col) cells.Add("");
                cells.Add(CellText(cell, shared));
            }
            rows.Add(new SheetRow((int)(row.RowIndex?.Value ?? (uint)(rows.Count + 1)), cells));
        }
        return rows;
    }

    private static string CellText(Cell cell, string[] shared)
    {
        if (cell.DataType?.Value == CellValues.InlineString) return cell.InlineString?.InnerText ?? "";
        var raw = cell.CellValue?.Text ?? "";
        if (cell.DataType?.Value == CellValues.SharedString)
            return int.TryParse(raw, out var i) && i < shared.Length ? shared[i] : "";
        if (cell.DataType?.Value == CellValues.Boolean) return raw == "1" ? "TRUE" : "FALSE";
        return raw;
    }

    /// <summary>0-based column index of a reference like "C12".</summary>
    public static int? ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference)) return null;
        var n = 0;
        foreach (var c in reference)
        {
            if (c is < 'A' or > 'Z') break;
            n = n * 26 + (c - 'A' + 1);
        }
        return n == 0 ? null : n - 1;
    }

    /// <summary>Column letters of a 0-based index (0 → A).</summary>
    public static string ColumnName(int index)
    {
        var s = "";
        for (index++; index > 0; index = (index - 1) / 26) s = (char)('A' + (index - 1) % 26) + s;
        return s;
    }

    /// <summary>Writes sheets of text cells to an XLSX stream (streaming writer: constant memory per row).</summary>
    public static void WriteXlsx(Stream output, IEnumerable<(string Name, IEnumerable<IReadOnlyList<string>> Rows)> sheets) =>
        // A null text is written as an empty text cell, as before (the typed writer leaves null cells out).
        WriteXlsxCells(output, sheets.Select(s => (s.Name, s.Rows.Select(r => (IReadOnlyList<object?>)r.Select(c => (object?)(c ?? "")).ToArray()))));

    /// <summary>
    /// Writes sheets of typed cells to an XLSX stream (streaming writer: constant memory per row): numbers (int, long, short, decimal, double, float) become numeric
    /// cells, null an empty cell, anything else text (its invariant string form).
    /// </summary>
    public static void WriteXlsxCells(Stream output, IEnumerable<(string Name, IEnumerable<IReadOnlyList<object?>> Rows)> sheets)
    {
        using var doc = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        var workbook = doc.AddWorkbookPart();
        workbook.Workbook = new Workbook();
        var sheetList = workbook.Workbook.AppendChild(new Sheets());
        uint id = 1;
        foreach (var (name, rows) in sheets)
        {
            var part = workbook.AddNewPart<WorksheetPart>();
            using (var writer = OpenXmlWriter.Create(part))
            {
                writer.WriteStartElement(new Worksheet());
                writer.WriteStartElement(new SheetData());
                uint r = 1;
                foreach (var row in rows)
                {
                    writer.WriteStartElement(new Row(), [new OpenXmlAttribute("r", "", r.ToString(CultureInfo.InvariantCulture))]);
                    for (var c = 0; c < row.Count; c++)
                    {
                        var reference = new OpenXmlAttribute("r", "", ColumnName(c) + r.ToString(CultureInfo.InvariantCulture));
                        switch (row[c])
                        {
                            case null:
                                continue;
                            case int or long or short or decimal or double or float:
                                writer.WriteStartElement(new Cell(), [reference]);
                                writer.WriteElement(new CellValue(Convert.ToString(row[c], CultureInfo.InvariantCulture)!));
                                break;
                            default:
                                writer.WriteStartElement(new Cell(), [reference, new OpenXmlAttribute("t", "", "inlineStr")]);
                                writer.WriteElement(new InlineString(new Text(Convert.ToString(row[c], CultureInfo.InvariantCulture) ?? "")
                                    { Space = SpaceProcessingModeValues.Preserve }));
                                break;
                        }
                        writer.WriteEndElement();
                    }
                    writer.WriteEndElement();
                    r++;
                }
                writer.WriteEndElement();
                writer.WriteEndElement();
            }
            sheetList.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id++, Name = name });
        }
        workbook.Workbook.Save();
    }

    /// <summary>Writes rows as UTF-8 CSV with a BOM (so Excel opens Chinese text correctly).</summary>
    public static void WriteCsv(Stream output, IEnumerable<IReadOnlyList<string>> rows)
    {
        using var writer = new StreamWriter(output, new UTF8Encoding(true), leaveOpen: true);
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        foreach (var row in rows)
        {
            foreach (var cell in row) csv.WriteField(cell);
            csv.NextRecord();
        }
    }
}
