using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Graph.Files;
using NodeDiffusion.Graph.Workflows;

namespace NodeDiffusion.Server.Files;

/// <summary>Workflows the user saved (and the editor's autosave), as JSON files under user/workflows.</summary>
public sealed class UserWorkflowStore(EngineHost host)
{
    public const string AutosaveName = "autosave.json";

    private string Root => Path.Combine(host.Settings.Roots.UserData, "workflows");

    public IReadOnlyList<string> List() =>
        Directory.Exists(Root)
            ? Directory.EnumerateFiles(Root, "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList()
            : [];

    public void Save(string name, string json)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(json) > WorkflowLimits.MaxJsonBytes)
        {
            throw new ArgumentException($"The workflow is larger than {WorkflowLimits.MaxJsonBytes:N0} bytes.");
        }
        AtomicFile.WriteAllText(Resolve(name), json);
    }

    public string? Load(string name)
    {
        var path = Resolve(name);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    private string Resolve(string name)
    {
        if (!name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || name.Contains('/') || name.Contains('\\'))
        {
            throw new ArgumentException($"\"{name}\" must be a plain file name ending in .json.");
        }
        Directory.CreateDirectory(Root);
        return ConfinedPath.TryResolve(Root, name, out var path, out var problem)
            ? path
            : throw new ArgumentException($"Refused workflow name: {problem}.");
    }
}
