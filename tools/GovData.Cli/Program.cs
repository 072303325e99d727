using System.Text;

namespace GovData.Cli;

/// <summary>Process entry point; everything else goes through <see cref="CliApp.RunAsync"/> so tests run the same code in-process.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        Console.OutputEncoding = Encoding.UTF8;
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        return await CliApp.RunAsync(args, Console.Out, Console.Error, CliEnvironment.FromProcess(), cancel.Token);
    }
}
