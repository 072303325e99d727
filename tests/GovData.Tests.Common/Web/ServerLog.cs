using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GovData.Tests.Common.Web;

/// <summary>
/// Keeps the host's warnings and errors in memory so a failing test can show what the server logged,
/// without flooding the test output with every request.
/// </summary>
public sealed class ServerLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    /// <summary>Entries so far, oldest first.</summary>
    public IReadOnlyList<string> Entries => _entries.ToArray();

    /// <summary>All entries as one text block.</summary>
    public override string ToString() => string.Join(Environment.NewLine, _entries);

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc />
    public void Dispose() { }

    private sealed class Logger(ServerLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var text = $"{logLevel} {category}: {formatter(state, exception)}";
            if (exception is not null) text += Environment.NewLine + exception;
            log._entries.Enqueue(text);
            while (log._entries.Count > 500 && log._entries.TryDequeue(out _)) { }
        }
    }
}
