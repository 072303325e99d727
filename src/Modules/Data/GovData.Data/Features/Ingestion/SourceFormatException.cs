namespace GovData.Data.Features.Ingestion;

/// <summary>A source file that cannot be read at all (not a single record can be trusted); the message is Chinese and names the cause.</summary>
internal sealed class SourceFormatException : Exception
{
    public SourceFormatException(string message) : base(message) { }

    public SourceFormatException(string message, Exception inner) : base(message, inner) { }
}
