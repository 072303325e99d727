namespace GovData.Identity.Contracts;

/// <summary>Kind of a government body (部门/单位类别).</summary>
public enum DepartmentKind
{
    /// <summary>党委.</summary>
    PartyCommittee = 1,
    /// <summary>人大.</summary>
    PeoplesCongress = 2,
    /// <summary>政府.</summary>
    Government = 3,
    /// <summary>政协.</summary>
    PoliticalConsultative = 4,
    /// <summary>法院.</summary>
    Court = 5,
    /// <summary>检察院.</summary>
    Procuratorate = 6,
    /// <summary>事业单位.</summary>
    PublicInstitution = 7,
    /// <summary>其他.</summary>
    Other = 9,
}

/// <summary>Chinese names of <see cref="DepartmentKind"/>.</summary>
public static class DepartmentKinds
{
    /// <summary>Kind → Chinese name.</summary>
    public static IReadOnlyDictionary<DepartmentKind, string> Names { get; } = new Dictionary<DepartmentKind, string>
    {
        [DepartmentKind.PartyCommittee] = "党委",
        [DepartmentKind.PeoplesCongress] = "人大",
        [DepartmentKind.Government] = "政府",
        [DepartmentKind.PoliticalConsultative] = "政协",
        [DepartmentKind.Court] = "法院",
        [DepartmentKind.Procuratorate] = "检察院",
        [DepartmentKind.PublicInstitution] = "事业单位",
        [DepartmentKind.Other] = "其他",
    };

    /// <summary>Parses a Chinese name or the enum name.</summary>
    public static bool TryParse(string? text, out DepartmentKind kind)
    {
        kind = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim();
        foreach (var (k, name) in Names)
            if (name == t) { kind = k; return true; }
        return Enum.TryParse(t, ignoreCase: true, out kind) && Enum.IsDefined(kind);
    }
}
