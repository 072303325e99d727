using BenchmarkDotNet.Running;
using GovData.Bench;
using GovData.Bench.Export;
using GovData.Bench.Ingest;
using GovData.Bench.Search;

// Micro-benchmarks:        dotnet run -c Release --project bench/GovData.Bench -- --filter '*'
// Catalog import harness:  dotnet run -c Release --project bench/GovData.Bench -- catalog-import 10000
// Export throughput:      dotnet run -c Release --project bench/GovData.Bench -- export-bench [--rows 1000000] [--runs 3] [--sqlite-only|--postgres-only]
// 核验 over HTTP (wrk):   dotnet run -c Release --project bench/GovData.Bench -- verify-bench [--rows 1000000] [--seconds 20] [--connections 16] [--sqlite]
// Ingest (5M-row CSV):    dotnet run -c Release --project bench/GovData.Bench -- ingest [--rows 5000000] [--runs 3] [--stages] [--sqlite-only|--postgres-only]
// Key lookup (HTTP + limit): bench/http/run-lookup.sh (uses lookup-file and lookup-limit)
// Search at scale:         dotnet run -c Release --project bench/GovData.Bench -- search [--resources 100000] [--runs 100] [--sqlite-only|--postgres-only]
// Portal (50,000 open datasets): dotnet build -c Release src/GovData.Web && dotnet run -c Release --project bench/GovData.Bench -- portal [--datasets 50000] [--runs 100] [--warmup 10] [--seconds 10] [--connections 16] [--sqlite-only|--postgres-only]
// Exchange audit log:      dotnet run -c Release --project bench/GovData.Bench -- audit-verify [--entries 1000000] [--producers 256] [--sqlite-only|--postgres-only]
if (args.Length > 0 && args[0] == "catalog-import")
    return await CatalogImportHarness.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 10_000);
if (args.Length > 0 && args[0] == "export-bench") return await ExportBenchmark.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "verify-bench") return await GovData.Bench.Exchange.VerifyBenchmark.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "audit-verify") return await GovData.Bench.Audit.AuditVerifyBenchmark.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "ingest") return await IngestBenchmark.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "lookup-file") return await GovData.Bench.Lookup.LookupBenchmark.FileAsync(args[1..]);
if (args.Length > 0 && args[0] == "lookup-limit") return await GovData.Bench.Lookup.LookupBenchmark.LimitAsync(args[1..]);
if (args.Length > 0 && args[0] == "ingest-writers") return await WriterProfile.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "search") return await SearchBenchmark.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "portal") return await GovData.Bench.Portal.PortalBenchmark.RunAsync(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(CatalogImportHarness).Assembly).Run(args);
return 0;
