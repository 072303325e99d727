using GovData.Identity.Features.Auth;
using GovData.Identity.Persistence;
using Shouldly;
using Xunit;

namespace GovData.Identity.Tests.Unit;

public sealed class PasswordPolicyTests
{
    private static User NewUser() => new() { Id = Guid.NewGuid(), UserName = "zhangsan", DisplayName = "张三", PasswordHash = "", SecurityStamp = "s" };

    [Theory]
    [InlineData(null, "密码不能为空")]
    [InlineData("", "密码不能为空")]
    [InlineData("Ab1!xyz", "至少需要8位")]
    [InlineData("password", "至少三类")]
    [InlineData("PASSWORD123", "至少三类")]
    [InlineData("12345678!", "至少三类")]
    [InlineData("abcdefgh1", "至少三类")]
    public void Weak_passwords_are_refused(string? password, string reason) =>
        PasswordPolicy.Validate(password).ShouldNotBeNull().ShouldContain(reason);

    [Fact]
    public void Overlong_passwords_are_refused() =>
        PasswordPolicy.Validate("Aa1!" + new string('x', 125)).ShouldBe("密码不能超过128位");

    [Theory]
    [InlineData("Demo@2026")]
    [InlineData("abcdEFGH1")]
    [InlineData("abcd1234!")]
    [InlineData("中文密码Abc123")]
    public void Strong_passwords_are_accepted(string password) => PasswordPolicy.Validate(password).ShouldBeNull();

    [Fact]
    public void Hash_verifies_only_the_right_password()
    {
        var user = NewUser();
        user.PasswordHash = PasswordPolicy.Hash(user, "Demo@2026");
        user.PasswordHash.ShouldNotContain("Demo@2026");

        PasswordPolicy.Verify(user, "Demo@2026", out var rehash).ShouldBeTrue();
        rehash.ShouldBeNull();
        PasswordPolicy.Verify(user, "demo@2026", out _).ShouldBeFalse();
        PasswordPolicy.Verify(user, "", out _).ShouldBeFalse();
    }

    [Fact]
    public void Hashes_are_salted()
    {
        var a = NewUser();
        var b = NewUser();
        PasswordPolicy.Hash(a, "Demo@2026").ShouldNotBe(PasswordPolicy.Hash(b, "Demo@2026"));
    }
}
