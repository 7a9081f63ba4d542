namespace NodeDiffusion.Server.Editor;

/// <summary>
/// The workflow the editor opens with: the "default-workflow" setting (a file name in workflows/) when given,
/// else workflows/txt2img.json when it exists, else workflows/image-basics.json.
/// </summary>
public sealed class DefaultWorkflows(IConfiguration configuration)
{
    public static readonly string[] Candidates = ["txt2img.json", "image-basics.json"];

    private readonly string? _configured = configuration["default-workflow"];

    public string? Directory { get; } = FindDirectory();

    public string? Load()
    {
        if (Directory is null)
        {
            return null;
        }
        foreach (var name in (_configured is null ? Candidates : [Path.GetFileName(_configured), .. Candidates]))
        {
            var path = Path.Combine(Directory, name);
            if (File.Exists(path))
            {
                return File.ReadAllText(path);
            }
        }
        return null;
    }

    private static string? FindDirectory()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "workflows");
        return System.IO.Directory.Exists(beside) ? beside : null;
    }
}
