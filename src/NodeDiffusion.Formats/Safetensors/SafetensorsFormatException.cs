namespace NodeDiffusion.Formats.Safetensors;

/// <summary>A safetensors file that cannot be read; the message names the file and the problem.</summary>
public sealed class SafetensorsFormatException : Exception
{
    public SafetensorsFormatException(string source, SafetensorsError error, string detail)
        : base($"{source}: {error}: {detail}")
    {
        SourceName = source;
        Error = error;
        Detail = detail;
    }

    /// <summary>The file path (or the name given to in-memory data).</summary>
    public string SourceName { get; }

    public SafetensorsError Error { get; }

    public string Detail { get; }
}
