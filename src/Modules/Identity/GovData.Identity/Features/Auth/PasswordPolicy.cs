using GovData.Identity.Persistence;
using Microsoft.AspNetCore.Identity;

namespace GovData.Identity.Features.Auth;

/// <summary>Password rules and hashing (ASP.NET Core's PBKDF2 PasswordHasher).</summary>
internal static class PasswordPolicy
{
    private static readonly PasswordHasher<User> Hasher = new();

    public const int MinLength = 8;

    /// <summary>Returns a Chinese reason when the password is too weak, else null.</summary>
    public static string? Validate(string? password)
    {
        if (string.IsNullOrEmpty(password)) return "密码不能为空";
        if (password.Length < MinLength) return $"密码至少需要{MinLength}位";
        if (password.Length > 128) return "密码不能超过128位";
        var classes = (password.Any(char.IsAsciiLetterLower) ? 1 : 0) + (password.Any(char.IsAsciiLetterUpper) ? 1 : 0)
            + (password.Any(char.IsAsciiDigit) ? 1 : 0) + (password.Any(c => !char.IsAsciiLetterOrDigit(c)) ? 1 : 0);
        if (classes < 3) return "密码需包含大写字母、小写字母、数字、符号中的至少三类";
        return null;
    }

    public static string Hash(User user, string password) => Hasher.HashPassword(user, password);

    /// <summary>Verifies; returns true and a rehash when the stored hash uses old parameters.</summary>
    public static bool Verify(User user, string password, out string? rehash)
    {
        rehash = null;
        var result = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded) rehash = Hasher.HashPassword(user, password);
        return result != PasswordVerificationResult.Failed;
    }
}
