using System.Text.RegularExpressions;

namespace GovData.Cli;

/// <summary>
/// Chinese wording for the parts of System.CommandLine 3.0 whose zh-Hans resources are missing or awkward
/// (help section titles, "(REQUIRED)", several parse errors).
/// </summary>
internal static partial class ChineseText
{
    public static string ParseError(string message)
    {
        var m = MissingOption().Match(message);
        if (m.Success) return $"缺少必需的选项 {m.Groups[1].Value}";
        m = CannotParse().Match(message);
        if (m.Success)
        {
            var expected = m.Groups[3].Value.Contains("Int32") || m.Groups[3].Value.Contains("Int64") ? "，应为整数" : "";
            return $"{m.Groups[2].Value} 的值“{m.Groups[1].Value}”无效{expected}";
        }
        m = Unrecognized().Match(message);
        if (m.Success) return $"无法识别的命令或参数“{m.Groups[1].Value}”";
        m = OptionWithoutValue().Match(message);
        if (m.Success) return $"选项 {m.Groups[1].Value} 缺少取值";
        m = CommandWithoutArgument().Match(message);
        if (m.Success) return $"命令 {m.Groups[1].Value} 缺少参数“{m.Groups[2].Value}”";
        if (message.StartsWith("未提供必需的命令", StringComparison.Ordinal) || message.StartsWith("Required command was not provided", StringComparison.Ordinal))
            return "请指定要执行的子命令";
        return message;
    }

    public static string Help(string text)
    {
        text = text.Replace(" (REQUIRED)", "（必填）").Replace("[command]", "[命令]").Replace("[options]", "[选项]");
        return HelpTitle().Replace(text, m => m.Groups[1].Value switch
        {
            "Description" => "说明：",
            "Usage" or "用法" => "用法：",
            "Options" or "选项" => "选项：",
            "Commands" or "命令" => "命令：",
            "Arguments" or "参数" or "自变量" => "参数：",
            var other => other + "：",
        });
    }

    [GeneratedRegex(@"^Option '([^']+)' is required\.?$")]
    private static partial Regex MissingOption();

    [GeneratedRegex(@"^Cannot parse argument '(.*)' for (?:option|command) '([^']+)' as expected type '([^']+)'")]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"^(?:未识别命令或参数|Unrecognized command or argument)\s*[“']+(.*?)['”]+\.?$")]
    private static partial Regex Unrecognized();

    [GeneratedRegex(@"^(?:选项缺少所需参数|Required argument missing for option)\s*[:：]\s*'([^']+)'\.?$")]
    private static partial Regex OptionWithoutValue();

    [GeneratedRegex(@"^(?:命令|Required argument missing for command)[:：]?\s*'([^']+)'\s*(?:缺少所需参数\s*'([^']+)')?")]
    private static partial Regex CommandWithoutArgument();

    [GeneratedRegex(@"^([^\s:：][^:：\n]*?):[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex HelpTitle();
}
