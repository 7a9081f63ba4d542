namespace NodeDiffusion.Graph.Files;

/// <summary>
/// The folders that nodes and requests may read and write. Every file name a workflow or request gives is resolved
/// inside one of these, never outside.
/// </summary>
public sealed record StorageRoots(string Input, string Output, string Temp, string Models, string UserData)
{
    public static StorageRoots Under(string baseDirectory) => new(
        Path.Combine(baseDirectory, "input"),
        Path.Combine(baseDirectory, "output"),
        Path.Combine(baseDirectory, "temp"),
        Path.Combine(baseDirectory, "models"),
        Path.Combine(baseDirectory, "user"));

    /// <summary>The root for ComfyUI's "type" parameter: input, output or temp.</summary>
    public string? ForType(string? type) => type switch
    {
        null or "" or "output" => Output,
        "input" => Input,
        "temp" => Temp,
        _ => null,
    };
}
