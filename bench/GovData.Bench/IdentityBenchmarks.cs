using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using GovData.SharedKernel.Codes;
using GovData.SharedKernel.Regions;
using Microsoft.AspNetCore.Identity;

namespace GovData.Bench;

/// <summary>
/// Code validators on the hot paths of imports (every row of a department or catalog file is checked).
/// The limit measured beside them is a plain shape test of the same string: the cheapest check possible.
/// </summary>
[MemoryDiagnoser]
public class CodeValidationBenchmarks
{
    private const string Code = "9137130016829134XT";
    private readonly RegionDirectory _regions = RegionDirectory.Default;

    [Benchmark(Baseline = true, Description = "limit: length + char-class shape only")]
    public bool ShapeOnly()
    {
        if (Code.Length != 18) return false;
        foreach (var c in Code) if (!char.IsAsciiLetterOrDigit(c)) return false;
        return true;
    }

    [Benchmark(Description = "CreditCode.Validate (GB 32100 check character)")]
    public bool CreditCodeValidate() => CreditCode.Validate(Code) is null;

    [Benchmark(Description = "RegionDirectory.Validate (GB/T 2260 lookup)")]
    public bool RegionValidate() => _regions.Validate("371302") is null;
}

/// <summary>
/// Cost of authenticating an API key (SHA-256 of a 256-bit random key) against the peer it replaces, a PBKDF2
/// password verification, which would be the cost per request if keys were hashed like passwords.
/// </summary>
[MemoryDiagnoser]
public class CredentialBenchmarks
{
    private sealed class U;
    private readonly PasswordHasher<U> _hasher = new();
    private readonly U _user = new();
    private string _passwordHash = "";
    private byte[] _storedKeyHash = [];
    private const string Key = "gd_AbCdEfGh_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";

    [GlobalSetup]
    public void Setup()
    {
        _passwordHash = _hasher.HashPassword(_user, "Demo@2026");
        _storedKeyHash = SHA256.HashData(Encoding.UTF8.GetBytes(Key));
    }

    [Benchmark(Baseline = true, Description = "peer: PBKDF2 password verify (PasswordHasher)")]
    public bool PasswordVerify() => _hasher.VerifyHashedPassword(_user, _passwordHash, "Demo@2026") != PasswordVerificationResult.Failed;

    [Benchmark(Description = "API key: SHA-256 + constant-time compare")]
    public bool ApiKeyVerify() => CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(Key)), _storedKeyHash);
}
