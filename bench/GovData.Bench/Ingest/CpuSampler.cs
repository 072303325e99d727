using System.Globalization;

namespace GovData.Bench.Ingest;

/// <summary>
/// CPU time (user + system) of other processes during a measurement, from <c>/proc/[pid]/stat</c>: the processes are
/// chosen by a predicate over (pid, parent pid, name) and sampled every 100 ms; a process that exits keeps its last
/// sample (at most 100 ms of its CPU is missed). Used for the database side of a load (the PostgreSQL cluster's
/// processes, the psql or sqlite3 client), where wall time alone says little on a shared machine.
/// </summary>
internal sealed class CpuSampler : IAsyncDisposable
{
    private static readonly double TicksPerSecond = 100.0; // USER_HZ on Linux
    private readonly Func<int, int, string, bool> _select;
    private readonly Dictionary<int, (double First, double Last)> _seen = [];
    private readonly HashSet<int> _ignored = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public CpuSampler(Func<int, int, string, bool> select)
    {
        _select = select;
        Sample();
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try { await Task.Delay(100, _stop.Token); } catch (OperationCanceledException) { }
                Sample();
            }
        });
    }

    /// <summary>Seconds of CPU the selected processes used since the sampler started.</summary>
    public double Seconds
    {
        get
        {
            lock (_seen) return _seen.Values.Sum(v => v.Last - v.First);
        }
    }

    /// <summary>Processes of a PostgreSQL cluster: the postmaster and its children.</summary>
    public static Func<int, int, string, bool> Cluster(int postmasterPid) => (pid, parent, _) => pid == postmasterPid || parent == postmasterPid;

    private void Sample()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (name.Length == 0 || !char.IsAsciiDigit(name[0])) continue;
            var pid = int.Parse(name, CultureInfo.InvariantCulture);
            // A process's parent and name are fixed once it runs: a process rejected once is never read again.
            if (_ignored.Contains(pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            // pid (comm) state ppid ... utime(14) stime(15): comm may contain spaces, so split after the last ')'.
            var close = stat.LastIndexOf(')');
            if (close < 0) continue;
            var comm = stat[(stat.IndexOf('(') + 1)..close];
            var fields = stat[(close + 2)..].Split(' ');
            var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
            if (!_select(pid, parent, comm))
            {
                // psql/sqlite3 are exec'd after fork: only their final name counts, so a child of this process is re-read.
                if (parent != Environment.ProcessId) _ignored.Add(pid);
                continue;
            }
            var cpu = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
            lock (_seen)
                _seen[pid] = _seen.TryGetValue(pid, out var v) ? (v.First, cpu) : (_loop is null ? cpu : 0, cpu);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Sample();
        _stop.Dispose();
    }
}
