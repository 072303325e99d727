using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GovData.Bench.Search;
using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.Exchange.Features.Access;
using GovData.Exchange.Features.Audit;
using GovData.Exchange.Features.Sharing;
using GovData.Exchange.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Hosting;
using GovData.SharedKernel.Persistence;
using GovData.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovData.Bench.Exchange;

/// <summary>
/// 核验 throughput and p99 over HTTP with <c>wrk</c> on loopback, on the demo 企业法人库 of N rows (default 1,000,000) in a
/// throwaway PostgreSQL (or SQLite with <c>--sqlite</c>), served by the platform's own composition on Kestrel:
/// <list type="bullet">
/// <item><b>in-process lookup</b> (the limit): <see cref="IGovernedDataAccess.VerifyAsync"/> called directly by as many
/// concurrent loops as wrk has connections — resolve the version, one indexed lookup, nothing else;</item>
/// <item><b>bare endpoint</b>: <c>POST /bench/verify/{code}</c>, the same body parsing, data call and JSON answer as the
/// real endpoint, without signature, grant, quota/rate and audit;</item>
/// <item><b>signed, audit off</b>: the real <c>POST /api/v1/exchange/verify/{code}</c> (signature, nonce insert, grant,
/// hashes) with the audit trail switched off;</item>
/// <item><b>signed + audit</b>: the real endpoint with the registered <see cref="IAuditTrail"/>; when the host registers none
/// (the access branch alone), a stand-in that INSERTs one row per call.</item>
/// </list>
/// wrk cannot compute HMACs, so the signed runs replay a file of requests signed just before the run (one nonce each,
/// one timestamp, split between wrk threads); any non-2xx answer is reported. Questions: 60% 一致, 20% 不一致, 20% 库中无此记录,
/// from 5,000 real rows. The grant has no quota or rate limit (their cost is one upsert each when set).
/// <para>Run: <c>dotnet run -c Release --project bench/GovData.Bench -- verify-bench [--rows 1000000] [--seconds 20] [--connections 16] [--threads 2] [--sqlite]</c></para>
/// </summary>
internal static partial class VerifyBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = Option(args, "--rows", 1_000_000);
        var seconds = Option(args, "--seconds", 20);
        var connections = Option(args, "--connections", 16);
        var threads = Option(args, "--threads", 2);
        var sqlite = args.Contains("--sqlite");
        var folder = Path.Combine(Path.GetTempPath(), "govdata-bench-verify-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        ThrowawayPostgres? pg = null;
        try
        {
            string connectionString;
            string engine;
            if (sqlite)
            {
                connectionString = $"Data Source={Path.Combine(folder, "bench.db")}";
                engine = "SQLite";
            }
            else
            {
                pg = await ThrowawayPostgres.StartAsync();
                connectionString = pg.ConnectionString;
                engine = pg.Version;
            }
            Console.WriteLine($"# 核验基准：企业法人库 {rows:N0} 行，{engine}，wrk -t{threads} -c{connections} -d{seconds}s，.NET {Environment.Version}，" +
                $"{Environment.ProcessorCount} 核，GC {(System.Runtime.GCSettings.IsServerGC ? "Server" : "Workstation")}");
            await RunHostAsync(connectionString, folder, rows, seconds, connections, threads);
        }
        finally
        {
            if (pg is not null) await pg.DisposeAsync();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
        return 0;
    }

    private static async Task RunHostAsync(string connectionString, string folder, int rows, int seconds, int connections, int threads)
    {
        var audit = new AuditSwitch();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = folder, EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GovData:ConnectionString"] = connectionString,
            ["GovData:DataFolder"] = folder,
            ["GovData:Data:DemoEnterpriseRows"] = rows.ToString(CultureInfo.InvariantCulture),
            ["GovData:Data:DemoRowsPerResource"] = "20",
            ["GovData:Jobs:Enabled"] = "false",
            ["GovData:Exchange:Access:Files:WorkerEnabled"] = "false",
            // The exchange demo data holds another 企业法人库 grant of 人社厅 (default rate 60/min); the run uses only its own.
            ["GovData:Exchange:DemoData"] = "false",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Services.AddGovData(builder.Configuration, folder);
        builder.Services.AddProblemDetails();
        var auditKind = WrapAuditTrail(builder.Services, audit);
        await using var app = builder.Build();

        var seed = Stopwatch.StartNew();
        await app.Services.GetRequiredService<SchemaMigrator>().MigrateAsync();
        await app.Services.GetRequiredService<DemoSeedRunner>().SeedAsync();
        Console.WriteLine($"迁移并写入演示数据（含企业法人库 {rows:N0} 行）：{seed.Elapsed.TotalSeconds:F0} 秒（不计入基准）；审计：{auditKind}");
        await StandInAuditTrail.CreateTableAsync(app.Services.GetRequiredService<DatabaseSettings>());

        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGovData();
        app.MapPost("/bench/verify/{code}", BareAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var (resource, questions, client) = await PrepareAsync(app.Services);
        await SettleAsync(app.Services, resource);
        var path = "/api/v1/exchange/verify/" + Uri.EscapeDataString(resource.ResourceCode);
        var bodies = Path.Combine(folder, "bodies.txt");
        await File.WriteAllLinesAsync(bodies, questions);

        var results = new List<(string Case, double Rate, double P50, double P99, string Note)>();
        var inProcess = await InProcessAsync(app.Services, resource, questions, seconds, connections);
        results.Add(("进程内查找（极限）", inProcess.Rate, inProcess.P50, inProcess.P99, $"{connections} 个并发循环"));

        var bare = await WrkAsync(address, "/bench/verify/" + Uri.EscapeDataString(resource.ResourceCode), folder, BareLua, [bodies], seconds, connections, threads);
        results.Add(("HTTP 裸端点（无签名、授权、审计）", bare.Rate, bare.P50, bare.P99, bare.Note));

        audit.Enabled = false;
        var signedFile = await SignAsync(folder, client, "POST", path, questions, (int)(bare.Rate * seconds * 1.5) + 20_000, threads);
        var signed = await WrkAsync(address, path, folder, SignedLua, [client.ClientId, signedFile.Timestamp, bodies, signedFile.File, threads.ToString(CultureInfo.InvariantCulture)],
            seconds, connections, threads);
        results.Add(("HTTP 签名 + 授权（审计关闭）", signed.Rate, signed.P50, signed.P99, signed.Note));

        audit.Enabled = true;
        var auditedFile = await SignAsync(folder, client, "POST", path, questions, (int)(bare.Rate * seconds * 1.5) + 20_000, threads);
        var audited = await WrkAsync(address, path, folder, SignedLua, [client.ClientId, auditedFile.Timestamp, bodies, auditedFile.File, threads.ToString(CultureInfo.InvariantCulture)],
            seconds, connections, threads);
        results.Add(("HTTP 签名 + 授权 + 审计", audited.Rate, audited.P50, audited.P99, audited.Note + $"；审计 {audit.Appended:N0} 条"));
        await using (var check = app.Services.CreateAsyncScope())
        {
            // What the audited run's calls came to, from the log itself (every call is one entry, refused ones too).
            var outcomes = await check.ServiceProvider.GetRequiredService<ExchangeDb>().AuditEntries.AsNoTracking()
                .Where(e => e.Kind == AuditKinds.Verify).GroupBy(e => new { e.Outcome, e.Detail }).Select(g => new { g.Key.Outcome, g.Key.Detail, Count = g.Count() })
                .OrderByDescending(g => g.Count).Take(5).ToListAsync();
            Console.WriteLine("审计日志中的核验结果：" + string.Join("；", outcomes.Select(o => $"{o.Outcome} {o.Count:N0}（{o.Detail}）")));
        }

        Console.WriteLine();
        Console.WriteLine("| 用例 | 核验/秒 | p50 (ms) | p99 (ms) | 相对裸端点 | 说明 |");
        Console.WriteLine("|---|---:|---:|---:|---:|---|");
        foreach (var r in results)
            Console.WriteLine($"| {r.Case} | {r.Rate:N0} | {r.P50:F2} | {r.P99:F2} | {bare.Rate / r.Rate:F2}× 用时 | {r.Note} |");
        Console.WriteLine();
        Console.WriteLine($"签名 + 授权的开销：每次 {(1 / signed.Rate - 1 / bare.Rate) * 1e6:F0} µs（吞吐 {signed.Rate / bare.Rate:P0}）；" +
            $"审计的开销：每次 {(1 / audited.Rate - 1 / signed.Rate) * 1e6:F0} µs（相对签名端点吞吐下降 {1 - audited.Rate / signed.Rate:P0}）");
        await app.StopAsync();
    }

    /// <summary>The 企业法人库 resource, 5,000 questions as JSON bodies, an application of 人社厅 and its grant.</summary>
    private static async Task<(DataResourceDescription Resource, List<string> Questions, BenchClient Client)> PrepareAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var departments = await sp.GetRequiredService<IDepartmentDirectory>().ListAsync();
        var market = departments.Single(d => d.Name == "山东省市场监督管理局（演示）").Id;
        var consumer = departments.Single(d => d.Name == "山东省人力资源和社会保障厅（演示）").Id;
        var entry = (await sp.GetRequiredService<ICatalogResources>().ListPublishedAsync(market)).Single(r => r.Name == "企业法人库");
        var data = sp.GetRequiredService<IGovernedDataAccess>();
        var resource = (await data.DescribeAsync(entry.Code, AccessPolicy.Everything(raw: true)))!;
        var key = resource.Fields.Single(f => f.IsKey).Name;
        var name = resource.Fields.Single(f => f.ItemName == "法人名称").Name;

        var random = new Random(20260701);
        var sample = new List<(string Code, string Name)>();
        for (var page = 0; page < 5; page++)
        {
            var offset = random.Next(0, (int)Math.Max(1, resource.RowCount - 1000));
            var rows = await data.QueryAsync(entry.Code, AccessPolicy.Everything(raw: true),
                [new("fields", key + "," + name), new("limit", "1000"), new("offset", offset.ToString(CultureInfo.InvariantCulture)), new("count", "false")]);
            sample.AddRange(rows.Rows.Select(r => ((string)r[0]!, (string)r[1]!)));
        }
        var questions = sample.Select((s, i) => (i % 5) switch
        {
            0 => Body(key, "91370000MA" + random.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture), name, s.Name),
            1 => Body(key, s.Code, name, s.Name + "（分公司）"),
            _ => Body(key, s.Code, name, s.Name),
        }).ToList();

        var secrets = sp.GetRequiredService<AppSecrets>();
        var secret = secrets.Create();
        var now = DateTime.UtcNow;
        var appCredential = new AppCredential
        {
            Id = Guid.CreateVersion7(), DepartmentId = consumer, Name = "核验基准", ClientId = AppSecrets.NewClientId(), SecretProtected = secret.Protected,
            SecretHint = secret.Hint, Status = AppStatus.Active, CreatedByName = "基准", CreatedAt = now, UpdatedAt = now,
        };
        var db = sp.GetRequiredService<ExchangeDb>();
        db.Apps().Add(appCredential);
        await db.SaveChangesAsync();
        await GrantVerificationAsync(sp, departments, consumer, market, entry.Code.ToString(), [key, name]);
        return (resource, questions, new BenchClient(appCredential.ClientId, secret.Secret));
    }

    /// <summary>
    /// Lets the database settle after the bulk load (VACUUM ANALYZE on PostgreSQL, ANALYZE on SQLite, so autovacuum does not
    /// run during the measurements) and prints the plan of one 核验 statement: it must be a lookup on the key index.
    /// </summary>
    private static async Task SettleAsync(IServiceProvider services, DataResourceDescription resource)
    {
        var settings = services.GetRequiredService<DatabaseSettings>();
        await using var scope = services.CreateAsyncScope();
        var table = (await scope.ServiceProvider.GetRequiredService<GovData.Data.Features.Query.IDataTableResolver>()
            .ResolveAsync(ResourceCode.Parse(resource.ResourceCode), null, CancellationToken.None))!;
        var key = table.Layout.KeyColumns.Single();
        var claim = table.Layout.Columns.Single(c => c.ItemName == "法人名称");
        var statement = GovData.Data.Features.Query.QuerySql.Verify(table.Layout, settings.Provider,
            [new GovData.Data.Features.Query.QueryFilter("k", key, GovData.Data.Features.Query.FilterOp.Eq, ["91370000MA00000000"])],
            [new GovData.Data.Features.Query.QueryFilter("c", claim, GovData.Data.Features.Query.FilterOp.Eq, ["x"])], []);
        await using var connection = settings.CreateConnection();
        await connection.OpenAsync();
        var watch = Stopwatch.StartNew();
        await using (var vacuum = connection.CreateCommand())
        {
            vacuum.CommandText = settings.IsPostgres ? "VACUUM ANALYZE" : "ANALYZE";
            vacuum.CommandTimeout = 0;
            await vacuum.ExecuteNonQueryAsync();
        }
        Console.WriteLine($"{(settings.IsPostgres ? "VACUUM ANALYZE" : "ANALYZE")}：{watch.Elapsed.TotalSeconds:F0} 秒");
        await using var explain = statement.CreateCommand(connection, null, 60);
        explain.CommandText = (settings.IsPostgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + explain.CommandText;
        await using var reader = await explain.ExecuteReaderAsync();
        var plan = new List<string>();
        while (await reader.ReadAsync()) plan.Add(reader.GetValue(settings.IsPostgres ? 0 : reader.FieldCount - 1)?.ToString()?.Trim() ?? "");
        Console.WriteLine("核验语句：" + statement.Sql);
        Console.WriteLine("执行计划：" + string.Join(" / ", plan));
    }

    private static string Body(string key, string code, string name, string value) =>
        JsonSerializer.Serialize(new { keys = new Dictionary<string, string> { [key] = code }, claims = new Dictionary<string, string> { [name] = value } },
            AccessGate.Json);

    /// <summary>The same work as the real endpoint without signature, grant and audit.</summary>
    private static async Task<IResult> BareAsync(string code, HttpContext http, IGovernedDataAccess data)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var (questions, _) = VerifyBody.Parse(buffer.ToArray(), 100);
        var resourceCode = ResourceCode.Parse(Uri.UnescapeDataString(code));
        var outcome = await data.VerifyAsync(resourceCode, Policy!, questions[0], http.RequestAborted);
        var body = new VerifyResponse("gd-" + Guid.CreateVersion7().ToString("N"), resourceCode.ToString(), AccessApi.Code(outcome), AccessApi.Text(outcome));
        return AccessResponse.Json(StatusCodes.Status200OK, body);
    }

    /// <summary>The granted items as a data policy, for the bare endpoint and the in-process limit (set with the grant).</summary>
    private static AccessPolicy? Policy { get; set; }

    private static async Task<(double Rate, double P50, double P99)> InProcessAsync(IServiceProvider services, DataResourceDescription resource,
        List<string> questions, int seconds, int concurrency)
    {
        var code = ResourceCode.Parse(resource.ResourceCode);
        var parsed = questions.Select(q => VerifyBody.Parse(Encoding.UTF8.GetBytes(q), 1).Questions[0]).ToList();
        async Task<List<double>> Loop(int seed, TimeSpan length, CancellationToken ct)
        {
            var latencies = new List<double>();
            var i = seed * 997;
            var until = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < until)
            {
                var started = Stopwatch.GetTimestamp();
                await using var scope = services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IGovernedDataAccess>().VerifyAsync(code, Policy!, parsed[i++ % parsed.Count], ct);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            return latencies;
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => Loop(i, TimeSpan.FromSeconds(2), CancellationToken.None)));   // warm-up
        var watch = Stopwatch.StartNew();
        var all = (await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => Loop(i, TimeSpan.FromSeconds(seconds), CancellationToken.None))))
            .SelectMany(l => l).Order().ToList();
        return (all.Count / watch.Elapsed.TotalSeconds, all[all.Count / 2], all[(int)(all.Count * 0.99)]);
    }

    /// <summary>Signs <paramref name="count"/> requests (one nonce each, one timestamp) into a file for the wrk script: nonce, signature, body index.</summary>
    private static async Task<(string File, string Timestamp)> SignAsync(string folder, BenchClient client, string method, string path, List<string> bodies,
        int count, int threads)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var hashes = bodies.Select(b => RequestSigning.BodyHash(Encoding.UTF8.GetBytes(b))).ToArray();
        var file = Path.Combine(folder, $"signed-{Guid.NewGuid():N}.txt");
        await using var writer = new StreamWriter(file);
        for (var i = 0; i < count; i++)
        {
            var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var b = i % bodies.Count;
            var signature = RequestSigning.Sign(client.Secret, RequestSigning.CanonicalString(method, path, null, timestamp, nonce, hashes[b]));
            await writer.WriteLineAsync($"{nonce} {signature} {b}");
        }
        return (file, timestamp);
    }

    private static async Task<(double Rate, double P50, double P99, string Note)> WrkAsync(string address, string path, string folder, string lua,
        string[] scriptArgs, int seconds, int connections, int threads)
    {
        var script = Path.Combine(folder, $"script-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, lua);
        var psi = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency", "-s", script, address + path, "--", path }.Concat(scriptArgs))
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("无法启动 wrk");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"wrk 失败：{error}\n{output}");
        var rate = double.Parse(RateLine().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        double Percentile(string p)
        {
            var m = Regex.Match(output, @"^\s+" + p + @"%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
            var v = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value switch { "us" => v / 1000, "s" => v * 1000, _ => v };
        }
        var non2xx = NonSuccess().Match(output) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var errors = SocketErrors().Match(output) is { Success: true } e ? e.Value.Trim() : null;
        return (rate, Percentile("50"), Percentile("99"), (non2xx == 0 ? "全部 200" : $"非 2xx：{non2xx:N0}") + (errors is null ? "" : "；" + errors));
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RateLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors:.*")]
    private static partial Regex SocketErrors();

    private const string BareLua = """
        local bodies = {}
        local path
        local i = 0
        init = function(args)
          path = args[1]
          for line in io.lines(args[2]) do bodies[#bodies + 1] = line end
        end
        request = function()
          i = i + 1
          return wrk.format("POST", path, { ["Content-Type"] = "application/json" }, bodies[(i % #bodies) + 1])
        end
        """;

    private const string SignedLua = """
        local threads = {}
        setup = function(thread)
          thread:set("id", #threads)
          table.insert(threads, thread)
        end
        local bodies, reqs = {}, {}
        local path, client, ts
        local i = 0
        init = function(args)
          path, client, ts = args[1], args[2], args[3]
          for line in io.lines(args[4]) do bodies[#bodies + 1] = line end
          local n, count = 0, tonumber(args[6])
          for line in io.lines(args[5]) do
            if n % count == id then reqs[#reqs + 1] = line end
            n = n + 1
          end
        end
        request = function()
          i = i + 1
          if i > #reqs then i = 1 end
          local nonce, sig, b = reqs[i]:match("(%S+) (%S+) (%d+)")
          return wrk.format("POST", path, {
            ["Content-Type"] = "application/json", ["X-GovData-Client"] = client, ["X-GovData-Timestamp"] = ts,
            ["X-GovData-Nonce"] = nonce, ["X-GovData-Signature"] = sig }, bodies[tonumber(b) + 1])
        end
        """;

    /// <summary>
    /// Puts a switch in front of the host's audit trail (or, when the host registers none, a stand-in that inserts one row
    /// per record); returns what is measured.
    /// </summary>
    private static string WrapAuditTrail(IServiceCollection services, AuditSwitch audit)
    {
        var existing = services.LastOrDefault(d => d.ServiceType == typeof(IAuditTrail) && !d.IsKeyedService);
        string kind;
        if (existing is null)
        {
            services.AddKeyedScoped<IAuditTrail, StandInAuditTrail>("inner");
            kind = "替身（每次调用一条 INSERT，未分组提交、无哈希链）——本分支尚未合并审计日志实现";
        }
        else
        {
            services.Remove(existing);
            if (existing.ImplementationType is { } type) services.Add(ServiceDescriptor.KeyedScoped(typeof(IAuditTrail), "inner", type));
            else if (existing.ImplementationFactory is { } factory) services.AddKeyedScoped<IAuditTrail>("inner", (sp, _) => (IAuditTrail)factory(sp));
            else services.AddKeyedSingleton<IAuditTrail>("inner", (IAuditTrail)existing.ImplementationInstance!);
            kind = "平台注册的审计日志 " + (existing.ImplementationType?.Name ?? "（工厂）");
        }
        services.AddScoped<IAuditTrail>(sp => new SwitchedAuditTrail(sp.GetRequiredKeyedService<IAuditTrail>("inner"), audit));
        return kind;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed record BenchClient(string ClientId, string Secret);

    /// <summary>
    /// A real grant through the sharing model (request of 人社厅 → compliance → approval), so the endpoint's grant check is
    /// the platform's own lookup over <c>exchange_grants</c>. The grant's default quota and rate limit are then lifted
    /// (each would add an upsert per call and throttle the run; their cost is not what this measures).
    /// </summary>
    private static async Task GrantVerificationAsync(IServiceProvider sp, IReadOnlyList<DepartmentInfo> departments, Guid consumer, Guid market,
        string code, string[] items)
    {
        var sharing = sp.GetRequiredService<SharingService>();
        var platform = departments.First(d => d.IsCompetent);
        SharingActor Actor(string name, Guid department, string role) =>
            new(null, name, departments.Single(d => d.Id == department), new HashSet<string> { role });
        var created = await sharing.CreateAsync(Actor("基准用数人员", consumer, Roles.DataUser),
            new CreateRequestInput(code, "核验基准：企业登记信息核验", "基准测试", "基准测试", [.. items], [], ["verify"], 90, true), CancellationToken.None);
        var request = created.Value ?? throw new InvalidOperationException("基准的共享申请未能创建：" + string.Join("；", created.Errors?.SelectMany(e => e.Value) ?? []));
        if (request.Status == "pending_compliance")
            request = (await sharing.PassComplianceAsync(new SharingActor(null, "基准管理员", platform, new HashSet<string> { Roles.PlatformAdmin }),
                request.Id, new TransitionInput(), CancellationToken.None)).Value!;
        if (request.Status == "pending_provider")
            request = (await sharing.ApproveAsync(Actor("基准提供方", market, Roles.DepartmentAdmin), request.Id, new ApproveInput(Items: [.. items]),
                CancellationToken.None)).Value!;
        if (request.Status != "approved" || request.GrantId is not { } grantId) throw new InvalidOperationException("基准的共享申请未获批准：" + request.Status);
        var db = sp.GetRequiredService<ExchangeDb>();
        var lifted = await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE exchange_grants SET daily_quota = NULL, rate_limit_per_minute = NULL WHERE id = {grantId}");
        if (lifted != 1) throw new InvalidOperationException($"基准授权 {grantId} 的配额未能取消（更新了 {lifted} 行）");
        Console.WriteLine($"授权：{grantId}（申请 {request.Id}，{request.Status}），配额与频率已取消");
        Policy = new AccessPolicy(items, [], false);
    }

    private sealed class AuditSwitch
    {
        private long _appended;
        public volatile bool Enabled = true;
        public long Appended => Interlocked.Read(ref _appended);
        public void Count() => Interlocked.Increment(ref _appended);
    }

    private sealed class SwitchedAuditTrail(IAuditTrail inner, AuditSwitch audit) : IAuditTrail
    {
        public async Task AppendAsync(AuditRecord record, CancellationToken ct = default)
        {
            if (!audit.Enabled) return;
            await inner.AppendAsync(record, ct);
            audit.Count();
        }
    }

    /// <summary>Stand-in for the audit log while it is not merged: one INSERT of the record (as JSON) per call.</summary>
    private sealed class StandInAuditTrail(DatabaseSettings settings) : IAuditTrail
    {
        public static async Task CreateTableAsync(DatabaseSettings settings)
        {
            await using var connection = settings.CreateConnection();
            await connection.OpenAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = settings.IsPostgres
                ? "CREATE TABLE IF NOT EXISTS bench_audit_standin (seq bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), entry text NOT NULL)"
                : "CREATE TABLE IF NOT EXISTS bench_audit_standin (seq INTEGER PRIMARY KEY, at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, entry TEXT NOT NULL)";
            await create.ExecuteNonQueryAsync();
        }

        public async Task AppendAsync(AuditRecord record, CancellationToken ct = default)
        {
            await using var connection = settings.CreateConnection();
            await connection.OpenAsync(ct);
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO bench_audit_standin (entry) VALUES (@e)";
            var p = insert.CreateParameter();
            p.ParameterName = "@e";
            p.Value = JsonSerializer.Serialize(record);
            insert.Parameters.Add(p);
            await insert.ExecuteNonQueryAsync(ct);
        }
    }
}
