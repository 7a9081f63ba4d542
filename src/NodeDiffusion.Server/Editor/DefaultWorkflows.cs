namespace NodeDiffusion.Server.Editor;

/// <summary>The workflow the editor opens with: workflows/txt2img.json when it exists, else workflows/image-basics.json.</summary>
public sealed class DefaultWorkflows
{
    public static readonly string[] Candidates = ["txt2img.json", "image-basics.json"];

    public string? Directory { get; } = FindDirectory();

    public string? Load()
    {
        if (Directory is null)
        {
            return null;
        }
        foreach (var name in Candidates)
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
