using BenchmarkDotNet.Running;

// Run: dotnet run -c Release --project bench/GovData.Bench -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>Entry point holder.</summary>
public partial class Program;
