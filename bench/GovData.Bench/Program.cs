using BenchmarkDotNet.Running;
using GovData.Bench.Search;

// Micro-benchmarks: dotnet run -c Release --project bench/GovData.Bench -- --filter '*'
// Search at scale:  dotnet run -c Release --project bench/GovData.Bench -- search [--resources 100000] [--runs 100] [--sqlite-only|--postgres-only]
if (args.Length > 0 && args[0] == "search") return await SearchBenchmark.RunAsync(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

/// <summary>Entry point holder.</summary>
public partial class Program;
