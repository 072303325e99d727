using System.Collections.Immutable;
using GovData.SharedKernel.Regions;

namespace GovData.Data.Features.Ingestion;

/// <summary>
/// How raw texts become column values. Immutable; <see cref="Default"/> is what a load uses unless the user changes it.
/// </summary>
internal sealed record ConversionOptions
{
    /// <summary>The markers real files use for "no value" (compared after trimming, ignoring ASCII case).</summary>
    public static ImmutableArray<string> DefaultNullMarkers { get; } = ["", "-", "NULL", "null", "无", "N/A", "/"];

    /// <summary>Default options: the null markers above, values trimmed, 15-digit ID numbers accepted, offsets to UTC+8.</summary>
    public static ConversionOptions Default { get; } = new();

    /// <summary>
    /// Texts that mean "no value" (null). A required item holding one is reported under REQUIRED. The empty string is
    /// always a null whether listed or not.
    /// </summary>
    public ImmutableArray<string> NullMarkers { get; init; } = DefaultNullMarkers;

    /// <summary>Trim white space (including the full-width space U+3000) around every value before anything else.</summary>
    public bool Trim { get; init; } = true;

    /// <summary>
    /// Accept the 15-digit ID numbers issued before 1999 (no check digit: only digits, province and birth date are checked).
    /// Historical registers still hold them; set false to require the 18-digit GB 11643 form.
    /// </summary>
    public bool AcceptOldIdNumbers { get; init; } = true;

    /// <summary>
    /// The local time zone offset timestamps are stored in. A timestamp written with <c>Z</c> or an offset
    /// (<c>2018-08-31T14:14:50Z</c>, <c>+08:00</c>) is converted to this offset; Beijing time (UTC+8, no daylight saving) by default.
    /// </summary>
    public TimeSpan LocalOffset { get; init; } = TimeSpan.FromHours(8);

    /// <summary>These options with other null markers (null → unchanged), e.g. from a load's options.</summary>
    public ConversionOptions WithNullMarkers(IEnumerable<string>? markers) =>
        markers is null ? this : this with { NullMarkers = [.. markers] };

    /// <summary>The GB/T 2260 list region codes are checked against.</summary>
    public RegionDirectory Regions { get; init; } = RegionDirectory.Default;
}
