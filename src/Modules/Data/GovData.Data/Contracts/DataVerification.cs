namespace GovData.Data.Contracts;

/// <summary>One 核验 question.</summary>
/// <param name="Keys">A value for every key item of the resource (API name → value), e.g. <c>credit_code</c>.</param>
/// <param name="Claims">The values to check (API name → claimed value), e.g. <c>name</c>; none checks only existence.
/// Values are compared exactly (as the field's type; text after trimming surrounding blanks).</param>
public sealed record VerificationQuery(IReadOnlyDictionary<string, string?> Keys, IReadOnlyDictionary<string, string?> Claims);

/// <summary>The only answers of 核验.</summary>
public enum VerificationOutcome
{
    /// <summary>一致: the row exists and every claimed value equals the stored one.</summary>
    Match = 1,
    /// <summary>不一致: the row exists and at least one claimed value differs.</summary>
    Mismatch = 2,
    /// <summary>库中无此记录: no row with these keys (within the policy's row conditions).</summary>
    NotFound = 3,
}
