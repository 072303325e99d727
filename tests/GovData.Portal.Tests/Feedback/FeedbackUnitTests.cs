using GovData.Portal.Features.Feedback;

namespace GovData.Portal.Tests.Feedback;

public sealed class FeedbackUnitTests
{
    [Theory]
    [InlineData("违 禁 词", "违禁词")]
    [InlineData("违*禁-词", "违禁词")]
    [InlineData("ＢＡＤ　Word", "badword")]
    [InlineData("a.b_c·d|e/f\\g，h。i", "abcdefghi")]
    public void Normalize_ignores_width_case_spaces_and_separators(string text, string expected) =>
        SensitiveWordFilter.Normalize(text).ShouldBe(expected);

    [Fact]
    public void Clean_keeps_line_breaks_drops_control_characters_and_trims()
    {
        FeedbackService.Clean("  第一行\r\n第二行\u0000\u0007\r第三行\t ").ShouldBe("第一行\n第二行\n第三行");
        FeedbackService.Clean(" \u0001 ").ShouldBeNull();
        FeedbackService.Clean(null).ShouldBeNull();
        FeedbackService.Clean("<b>x</b>").ShouldBe("<b>x</b>", "markup is kept as typed; the pages encode it");
    }
}
