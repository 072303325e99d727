using BenchmarkDotNet.Running;
using GovData.Bench;

// BenchmarkDotNet suites:   dotnet run -c Release --project bench/GovData.Bench -- --filter '*'
// Catalog import harness:   dotnet run -c Release --project bench/GovData.Bench -- catalog-import 10000
if (args.Length > 0 && args[0] == "catalog-import")
    return await CatalogImportHarness.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 10_000);
BenchmarkSwitcher.FromAssembly(typeof(CatalogImportHarness).Assembly).Run(args);
return 0;
