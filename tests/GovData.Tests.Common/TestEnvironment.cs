using Xunit;

namespace GovData.Tests.Common;

/// <summary>
/// What the machine running the tests offers, and the one rule for missing prerequisites: on a developer
/// machine a test that needs PostgreSQL or Chromium is skipped with the reason; on CI (env <c>CI=true</c>)
/// it fails, so a broken CI image never passes by skipping half of the suite.
/// </summary>
public static class TestEnvironment
{
    /// <summary>True when env <c>CI</c> is <c>true</c> or <c>1</c>.</summary>
    public static bool IsCI =>
        Environment.GetEnvironmentVariable("CI") is { } ci && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    /// <summary>
    /// Does nothing when <paramref name="missing"/> is null; otherwise skips the current test with that reason,
    /// or, on CI, fails it.
    /// </summary>
    public static void SkipOrFailWhenMissing(string? missing)
    {
        if (missing is null) return;
        if (IsCI) throw new InvalidOperationException($"CI=true: a required test prerequisite is missing: {missing}");
        Assert.Skip(missing);
    }

    /// <summary>
    /// Folder for this test process's temporary files (databases, data folders, browser profiles).
    /// Env <c>GOVDATA_TEST_TMP</c> overrides the system temp folder.
    /// </summary>
    public static string TempRoot { get; } = CreateTempRoot();

    /// <summary>A new, empty folder under <see cref="TempRoot"/>.</summary>
    public static string NewTempFolder(string prefix)
    {
        var path = Path.Combine(TempRoot, $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Deletes a folder, ignoring files that vanish or are still locked.</summary>
    public static void TryDeleteFolder(string? path)
    {
        if (path is null) return;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
                return;
            }
            catch (IOException) { Thread.Sleep(100); }
            catch (UnauthorizedAccessException) { Thread.Sleep(100); }
        }
    }

    private const string TempPrefix = "govdata-tests-";

    /// <summary>Deletes temp folders of test processes that ended without cleaning up (killed runs).</summary>
    private static void RemoveFoldersOfEndedRuns(string baseDir)
    {
        if (!Directory.Exists(baseDir)) return;
        foreach (var folder in Directory.EnumerateDirectories(baseDir, TempPrefix + "*"))
        {
            if (!int.TryParse(Path.GetFileName(folder)[TempPrefix.Length..], out var pid) || pid == Environment.ProcessId) continue;
            if (ProcessIsAlive(pid)) continue;
            TryDeleteFolder(folder);
        }
    }

    /// <summary>True when a process with this id is running.</summary>
    public static bool ProcessIsAlive(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    private static string CreateTempRoot()
    {
        var baseDir = Environment.GetEnvironmentVariable("GOVDATA_TEST_TMP");
        if (string.IsNullOrWhiteSpace(baseDir)) baseDir = Path.GetTempPath();
        RemoveFoldersOfEndedRuns(baseDir);
        var root = Path.Combine(baseDir, $"{TempPrefix}{Environment.ProcessId}");
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDeleteFolder(root);
        return root;
    }
}
