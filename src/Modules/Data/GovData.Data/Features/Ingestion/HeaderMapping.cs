using GovData.Data.Domain;

namespace GovData.Data.Features.Ingestion;

/// <summary>How a source column was tied to a data column.</summary>
internal enum HeaderMatch
{
    /// <summary>The header is the item's name (信息项名称).</summary>
    ItemName = 1,
    /// <summary>The header is the item's field code (or API field name).</summary>
    FieldCode = 2,
    /// <summary>The header matches once decorations are removed: a leading * (required mark in templates), a trailing
    /// bracketed note such as （万元）, and _ - . separators.</summary>
    Loose = 3,
    /// <summary>The user chose it.</summary>
    User = 4,
}

/// <summary>One data column and the source column its values come from.</summary>
internal sealed record ColumnBinding(DataColumn Column, int SourceIndex, string SourceHeader, HeaderMatch Match);

/// <summary>
/// Ties the columns of a source file (its header) to a version's data columns. <see cref="Automatic"/> matches by item
/// name or field code, tolerant of case, blanks and full-width characters (<c>ＤＥＡＬ＿ＤＡＴＥ</c>, <c>deal_date</c> and
/// <c> Deal_Date </c> are alike), then loosely (a leading *, a trailing （单位） note, _ - . ignored). <see cref="WithUserMapping"/>
/// applies a user's correction — source header → field name (also accepted: the item name or field code); a null or empty
/// target means "ignore this source column"; source columns the user did not mention are matched automatically.
/// <see cref="Errors"/> block the load (a required item without a source column, a mapping naming an unknown column or
/// item, two source columns for one item); <see cref="Warnings"/> do not (ignored source columns, optional items left empty,
/// duplicate or blank headers). All messages are Chinese.
/// </summary>
internal sealed class HeaderMapping
{
    private readonly int[] _sourceIndexes;

    private HeaderMapping(IReadOnlyList<string> sourceHeader, IReadOnlyList<DataColumn> columns, List<ColumnBinding> bindings,
        List<string> errors, List<string> warnings)
    {
        SourceHeader = sourceHeader;
        Columns = columns;
        Bindings = bindings.OrderBy(b => b.Column.Ordinal).ToList();
        _sourceIndexes = Enumerable.Repeat(-1, columns.Count).ToArray();
        var position = columns.Select((c, i) => (c, i)).ToDictionary(x => x.c.ColumnName, x => x.i);
        foreach (var b in bindings) _sourceIndexes[position[b.Column.ColumnName]] = b.SourceIndex;

        var used = bindings.Select(b => b.SourceIndex).ToHashSet();
        UnmappedSourceColumns = sourceHeader.Where((h, i) => !used.Contains(i)).ToList();
        MissingColumns = columns.Where((c, i) => _sourceIndexes[i] < 0).ToList();
        MissingRequired = MissingColumns.Where(c => c.IsRequired).ToList();

        foreach (var c in MissingRequired) errors.Add($"必填数据项“{c.ItemName}”在文件中没有对应的列");
        foreach (var c in MissingColumns.Where(c => !c.IsRequired)) warnings.Add($"数据项“{c.ItemName}”在文件中没有对应的列，将为空");
        for (var i = 0; i < sourceHeader.Count; i++)
        {
            if (used.Contains(i)) continue;
            warnings.Add(sourceHeader[i].Length == 0
                ? $"文件第{i + 1}列没有表头，将被忽略"
                : $"文件中的列“{sourceHeader[i]}”没有对应的数据项，将被忽略");
        }
        Errors = errors;
        Warnings = warnings;
    }

    public IReadOnlyList<string> SourceHeader { get; }

    public IReadOnlyList<DataColumn> Columns { get; }

    /// <summary>The mapped data columns, in column order.</summary>
    public IReadOnlyList<ColumnBinding> Bindings { get; }

    /// <summary>Source columns no data column takes (ignored).</summary>
    public IReadOnlyList<string> UnmappedSourceColumns { get; }

    /// <summary>Data columns without a source column (their values are null).</summary>
    public IReadOnlyList<DataColumn> MissingColumns { get; }

    public IReadOnlyList<DataColumn> MissingRequired { get; }

    /// <summary>Problems that must be fixed before loading.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>Things the user should know.</summary>
    public IReadOnlyList<string> Warnings { get; }

    public bool IsValid => Errors.Count == 0;

    /// <summary>The source column index of the data column at a position in <see cref="Columns"/>, or -1.</summary>
    public int SourceIndexOf(int columnPosition) => _sourceIndexes[columnPosition];

    /// <summary>The raw value of the data column at a position, taken from a source record's values (null when unmapped or absent).</summary>
    public string? ValueOf(string?[] sourceValues, int columnPosition)
    {
        var i = _sourceIndexes[columnPosition];
        return i >= 0 && i < sourceValues.Length ? sourceValues[i] : null;
    }

    /// <summary>The mapping as a user would edit it: every source header → the field name it feeds, or null when ignored.</summary>
    public IReadOnlyDictionary<string, string?> ToUserMapping()
    {
        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < SourceHeader.Count; i++)
        {
            if (SourceHeader[i].Length == 0 || map.ContainsKey(SourceHeader[i])) continue;
            map[SourceHeader[i]] = Bindings.FirstOrDefault(b => b.SourceIndex == i)?.Column.FieldName;
        }
        return map;
    }

    /// <summary>Matches source columns to data columns by item name, then field code, then loosely.</summary>
    public static HeaderMapping Automatic(IReadOnlyList<string> sourceHeader, IReadOnlyList<DataColumn> columns)
    {
        var errors = new List<string>();
        var warnings = new List<string>();
        var bindings = new List<ColumnBinding>();
        AddDuplicateWarnings(sourceHeader, warnings);
        AutoMatch(sourceHeader, columns, bindings, usedSources: [], boundColumns: [], ignoredSources: []);
        return new HeaderMapping(sourceHeader, columns, bindings, errors, warnings);
    }

    /// <summary>Applies a user's mapping (source header → field name, item name or field code; null/empty = ignore).</summary>
    public static HeaderMapping WithUserMapping(IReadOnlyList<string> sourceHeader, IReadOnlyList<DataColumn> columns,
        IReadOnlyDictionary<string, string?> mapping)
    {
        var errors = new List<string>();
        var warnings = new List<string>();
        var bindings = new List<ColumnBinding>();
        AddDuplicateWarnings(sourceHeader, warnings);
        var usedSources = new HashSet<int>();
        var boundColumns = new Dictionary<string, string>(StringComparer.Ordinal); // column name → source header
        var ignoredSources = new HashSet<int>();

        foreach (var (header, target) in mapping)
        {
            var index = IndexOfHeader(sourceHeader, header);
            if (index < 0)
            {
                errors.Add($"映射中的列“{header}”不在文件的表头中");
                continue;
            }
            if (string.IsNullOrWhiteSpace(target))
            {
                ignoredSources.Add(index);
                continue;
            }
            var column = FindColumn(columns, target);
            if (column is null)
            {
                errors.Add($"映射目标“{target}”不是本资源的数据项（列“{header}”）");
                continue;
            }
            if (boundColumns.TryGetValue(column.ColumnName, out var other))
            {
                errors.Add($"数据项“{column.ItemName}”被映射了两次：文件中的列“{other}”和“{header}”");
                continue;
            }
            boundColumns[column.ColumnName] = header;
            usedSources.Add(index);
            bindings.Add(new ColumnBinding(column, index, sourceHeader[index], HeaderMatch.User));
        }
        AutoMatch(sourceHeader, columns, bindings, usedSources, boundColumns.Keys.ToHashSet(), ignoredSources);
        return new HeaderMapping(sourceHeader, columns, bindings, errors, warnings);
    }

    private static void AutoMatch(IReadOnlyList<string> sourceHeader, IReadOnlyList<DataColumn> columns, List<ColumnBinding> bindings,
        HashSet<int> usedSources, HashSet<string> boundColumns, HashSet<int> ignoredSources)
    {
        var normalized = sourceHeader.Select(HeaderText.Normalize).ToArray();
        var loose = sourceHeader.Select(Loose).ToArray();
        (HeaderMatch Match, Func<DataColumn, IEnumerable<string>> Keys, string[] Source)[] passes =
        [
            (HeaderMatch.ItemName, c => [HeaderText.Normalize(c.ItemName)], normalized),
            (HeaderMatch.FieldCode, c => [HeaderText.Normalize(c.FieldCode), HeaderText.Normalize(c.FieldName)], normalized),
            (HeaderMatch.Loose, c => [Loose(c.ItemName), Loose(c.FieldCode), Loose(c.FieldName)], loose),
        ];
        foreach (var (match, keys, source) in passes)
        {
            foreach (var column in columns)
            {
                if (boundColumns.Contains(column.ColumnName)) continue;
                var wanted = keys(column).Where(k => k.Length > 0).ToHashSet(StringComparer.Ordinal);
                for (var i = 0; i < source.Length; i++)
                {
                    if (usedSources.Contains(i) || ignoredSources.Contains(i) || source[i].Length == 0 || !wanted.Contains(source[i])) continue;
                    usedSources.Add(i);
                    boundColumns.Add(column.ColumnName);
                    bindings.Add(new ColumnBinding(column, i, sourceHeader[i], match));
                    break;
                }
            }
        }
    }

    private static void AddDuplicateWarnings(IReadOnlyList<string> sourceHeader, List<string> warnings)
    {
        foreach (var g in sourceHeader.Select((h, i) => (h, i)).Where(x => x.h.Length > 0).GroupBy(x => HeaderText.Normalize(x.h)).Where(g => g.Count() > 1))
            warnings.Add($"文件中有{g.Count()}列表头相同（“{g.First().h}”，第{string.Join("、", g.Select(x => x.i + 1))}列），只使用第一列");
    }

    private static int IndexOfHeader(IReadOnlyList<string> header, string name)
    {
        for (var i = 0; i < header.Count; i++)
            if (header[i] == name) return i;
        var key = HeaderText.Normalize(name);
        for (var i = 0; i < header.Count; i++)
            if (HeaderText.Normalize(header[i]) == key) return i;
        return -1;
    }

    private static DataColumn? FindColumn(IReadOnlyList<DataColumn> columns, string target)
    {
        var exact = columns.FirstOrDefault(c => c.FieldName == target);
        if (exact is not null) return exact;
        var key = HeaderText.Normalize(target);
        return columns.FirstOrDefault(c => HeaderText.Normalize(c.FieldName) == key)
            ?? columns.FirstOrDefault(c => HeaderText.Normalize(c.ItemName) == key)
            ?? columns.FirstOrDefault(c => c.FieldCode is not null && HeaderText.Normalize(c.FieldCode) == key);
    }

    /// <summary>Normal form with decorations removed: leading * or ＊, a trailing (…)/（…）/【…】/[…] note, and _ - . ·.</summary>
    internal static string Loose(string? text)
    {
        var s = HeaderText.Normalize(text).TrimStart('*');
        if (s.Length > 0 && s[^1] is ')' or '）' or '】' or ']')
        {
            var open = s.LastIndexOfAny(['(', '（', '【', '[']);
            if (open > 0) s = s[..open];
        }
        return new string(s.Where(c => c is not ('_' or '-' or '.' or '·')).ToArray());
    }
}
