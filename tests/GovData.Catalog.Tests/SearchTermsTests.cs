using GovData.Catalog.Features.Search;

namespace GovData.Catalog.Tests;

public class SearchTermsTests
{
    [Theory]
    [InlineData("社保", new[] { "社保" })]
    [InlineData("  统一社会信用代码   企业法人库 ", new[] { "统一社会信用代码", "企业法人库" })]
    [InlineData("社保　参保", new[] { "社保", "参保" })]                        // full-width space
    [InlineData("\"企业\" OR 法人*", new[] { "企业", "or", "法人" })]
    [InlineData("NEAR(法人, 企业)", new[] { "near", "法人", "企业" })]
    [InlineData("PM2.5 GB/T 2260 -社保-", new[] { "pm2.5", "gb/t", "2260", "社保" })]
    [InlineData("法人 法人 FaRen faren", new[] { "法人", "faren" })]
    [InlineData("「社保」、《法人》；（企业）", new[] { "社保", "法人", "企业" })]
    [InlineData("\" * ( ) ' : ^ -", new string[0])]
    [InlineData("", new string[0])]
    public void Queries_are_cut_into_folded_distinct_terms(string query, string[] expected) =>
        SearchTerms.Parse(query).ShouldBe(expected);

    [Fact]
    public void Folding_changes_ascii_letters_only()
    {
        SearchTerms.Fold("AQI 指数 ＡＢＣ Ä").ShouldBe("aqi 指数 ＡＢＣ Ä");
        SearchTerms.Length("社保").ShouldBe(2);
        SearchTerms.Length("𠀀社").ShouldBe(2);                                       // a supplementary-plane character counts once
        SearchTerms.IsShort("社保").ShouldBeTrue();
        SearchTerms.IsShort("社保卡").ShouldBeFalse();
        SearchTerms.Hex("社保").ShouldBe("E7A4BEE4BF9D");                             // SQLite: hex('社保')
        SearchTerms.ContainsPattern("a_b%c\\").ShouldBe("%a\\_b\\%c\\\\%");
    }

    [Fact]
    public void Highlighting_escapes_first_and_merges_overlapping_hits()
    {
        SearchTerms.Highlight("社保卡与社保", ["社保", "保卡"]).ShouldBe("<mark>社保卡</mark>与<mark>社保</mark>");
        SearchTerms.Highlight("<script>alert('社保')</script>", ["社保"]).ShouldBe("&lt;script&gt;alert(&#39;<mark>社保</mark>&#39;)&lt;/script&gt;");
        SearchTerms.Highlight("Tom & Jerry", ["amp"]).ShouldBe("Tom &amp; Jerry");
        SearchTerms.Highlight("AQI指数", ["aqi"]).ShouldBe("<mark>AQI</mark>指数");
        SearchTerms.Highlight(null, ["社保"]).ShouldBe("");
        SearchTerms.Highlight("无命中 <b>", ["社保"]).ShouldBe("无命中 &lt;b&gt;");
    }
}
