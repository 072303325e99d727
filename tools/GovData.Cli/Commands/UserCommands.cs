using System.CommandLine;
using GovData.Identity.Contracts;
using GovData.Identity.Features.Users;
using GovData.Identity.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Cli.Commands;

/// <summary><c>govdata user add</c>: creates an account through the Identity module's UserAdministration.</summary>
internal static class UserCommands
{
    public static Command Create(CliContext cli)
    {
        var userName = new Option<string>("--username", "-u") { Description = "登录用户名（3至64位字母、数字或 _ . - @）", HelpName = "用户名", Required = true };
        var displayName = new Option<string>("--name", "-n") { Description = "姓名", HelpName = "姓名", Required = true };
        var department = new Option<string?>("--dept", "-d")
        {
            Description = "所属部门：统一社会信用代码、部门ID或部门全称。开发者、公众账号不填",
            HelpName = "部门",
        };
        var roles = new Option<string[]>("--role", "-r")
        {
            Description = "角色（可重复，也可用逗号分隔）：" + string.Join("，", Roles.All.Select(r => $"{r}（{Roles.DisplayName(r)}）")),
            HelpName = "角色",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var password = new Option<string?>("--password", "-p")
        {
            Description = "初始密码（至少8位，含大写字母、小写字母、数字、符号中的三类）。也可用 --password-stdin 或环境变量 GOVDATA_PASSWORD 提供",
            HelpName = "密码",
        };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "从标准输入的第一行读取密码（避免密码出现在命令历史中）" };
        var email = new Option<string?>("--email") { Description = "邮箱", HelpName = "邮箱" };
        var phone = new Option<string?>("--phone") { Description = "电话", HelpName = "电话" };

        var add = new Command("add", "新建账号。以平台管理员身份执行，校验规则与控制台相同（角色组合与三员分立、密码强度、部门存在），并记入安全日志")
        {
            userName, displayName, department, roles, password, passwordStdin, email, phone,
        };
        add.SetAction((parse, ct) => cli.RunAsync(parse, ct, async (host, token) =>
        {
            await host.EnsureMigratedAsync(token);
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            var departmentText = parse.GetValue(department)?.Trim();
            Department? dept = null;
            if (!string.IsNullOrEmpty(departmentText))
                dept = await FindDepartmentAsync(db, departmentText, token)
                    ?? throw CliException.NotFound($"部门“{departmentText}”不存在（--dept 可填统一社会信用代码、部门ID或部门全称）");
            var secret = cli.ReadPassword(parse.GetValue(password), parse.GetValue(passwordStdin));
            if (string.IsNullOrEmpty(secret))
                throw CliException.Validation("未提供密码：请使用 --password、--password-stdin 或环境变量 GOVDATA_PASSWORD");

            var input = new UserInput(parse.GetValue(userName), parse.GetValue(displayName), parse.GetValue(email), parse.GetValue(phone),
                dept?.Id, NormalizeRoles(parse.GetValue(roles) ?? []), secret);
            var result = await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(CliHost.SystemPrincipal, input, token);
            if (result.Errors is not null)
                throw CliException.Validation("账号未创建：", result.Errors.SelectMany(e => e.Value.Select(m => $"{FieldLabel(e.Key)}：{m}")).ToList());
            if (!result.Ok) throw new CliException(ExitCodes.Failure, "账号未创建：" + (result.Forbidden ?? result.Conflict ?? "未知原因"));
            var user = result.Value!;
            cli.Out.WriteLine($"已创建账号 {user.UserName}（{user.DisplayName}）");
            cli.Out.WriteLine($"  ID：{user.Id}");
            cli.Out.WriteLine($"  部门：{dept?.Name ?? "（无，非政务账号）"}");
            cli.Out.WriteLine($"  角色：{string.Join("、", user.RoleCodes.Select(r => $"{Roles.DisplayName(r)}（{r}）"))}");
            return ExitCodes.Ok;
        }));

        return new Command("user", "账号管理") { add };
    }

    /// <summary>Finds an active or inactive department by id, credit code or full name.</summary>
    internal static async Task<Department?> FindDepartmentAsync(IdentityDb db, string text, CancellationToken ct)
    {
        if (Guid.TryParse(text, out var id)) return await db.Departments.FirstOrDefaultAsync(d => d.Id == id, ct);
        var code = text.ToUpperInvariant();
        if (await db.Departments.FirstOrDefaultAsync(d => d.CreditCode == code, ct) is { } byCode) return byCode;
        var byName = await db.Departments.Where(d => d.Name == text).Take(2).ToListAsync(ct);
        if (byName.Count > 1) throw CliException.Validation($"名为“{text}”的部门不止一个，请改用统一社会信用代码或部门ID");
        return byName.SingleOrDefault();
    }

    /// <summary>Splits comma-separated values and accepts the Chinese role names (部门编目员) as well as the codes.</summary>
    internal static List<string> NormalizeRoles(IEnumerable<string> values) =>
        values.SelectMany(v => v.Split([',', '，', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(v => Roles.All.FirstOrDefault(r => Roles.DisplayName(r) == v) ?? v.ToLowerInvariant())
            .Distinct()
            .ToList();

    private static string FieldLabel(string field) => field switch
    {
        "userName" => "用户名（--username）",
        "displayName" => "姓名（--name）",
        "departmentId" => "部门（--dept）",
        "roles" => "角色（--role）",
        "password" => "密码",
        "email" => "邮箱（--email）",
        "phone" => "电话（--phone）",
        _ => field,
    };
}
