namespace GovData.Data.Contracts;

/// <summary>
/// What a caller may read of a resource (e.g. the terms of an exchange grant).
/// </summary>
/// <param name="Fields">
/// The allowed fields, by API name (field code, or item name when the item has none; item names are accepted too). Null
/// allows every field. Fields of the policy that the current version does not have are ignored; when none remains the
/// access is refused. Every other field is never returned and cannot be used to filter, sort or verify.
/// </param>
/// <param name="Rows">Row conditions, always ANDed to every statement (they may name fields outside <paramref name="Fields"/>).
/// A condition on a field the current version does not have refuses the access (never widens it).</param>
/// <param name="Raw">True: stored values; false: every field with a 脱敏规则 is masked and cannot be filtered or sorted on.</param>
public sealed record AccessPolicy(IReadOnlyCollection<string>? Fields, IReadOnlyList<RowCondition> Rows, bool Raw)
{
    /// <summary>Every field and row, masked unless <paramref name="raw"/>.</summary>
    public static AccessPolicy Everything(bool raw) => new(null, [], raw);
}

/// <summary>A row condition of a policy.</summary>
/// <param name="Field">API name of the field (or item name).</param>
/// <param name="Operator">Equals one value, in a list, or starts with (text fields, e.g. a region code prefix 3701).</param>
/// <param name="Values">One value for <see cref="RowConditionOperator.Equals"/> and <see cref="RowConditionOperator.Prefix"/>,
/// one or more for <see cref="RowConditionOperator.In"/>; parsed as the field's type.</param>
public sealed record RowCondition(string Field, RowConditionOperator Operator, IReadOnlyList<string> Values);

/// <summary>Operators of a <see cref="RowCondition"/>.</summary>
public enum RowConditionOperator
{
    /// <summary>等于.</summary>
    Equals = 1,
    /// <summary>属于.</summary>
    In = 2,
    /// <summary>以…开头 (text only).</summary>
    Prefix = 3,
}
