using NodeDiffusion.Graph.Files;
using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Nodes.Diffusion.Services;

/// <summary>A model file named by a node input, resolved inside its models/ folder, with a cheap identity of its contents.</summary>
public sealed record ModelFile(string Name, string Path, string Fingerprint)
{
    /// <summary>
    /// Resolves <paramref name="name"/> inside models/<paramref name="folder"/>: names leaving the folder and missing files are
    /// a NodeException on <paramref name="input"/> that says which <paramref name="kind"/> was asked for.
    /// </summary>
    public static ModelFile Resolve(StorageRoots roots, string folder, string name, string input, string kind)
    {
        if (!ConfinedPath.TryResolve(System.IO.Path.Combine(roots.Models, folder), name, out var path, out var problem))
        {
            throw new NodeException($"Refused {kind} name: {problem}.", input);
        }
        if (!File.Exists(path))
        {
            throw new NodeException($"The {kind} \"{name}\" is not in models/{folder}.", input);
        }
        var info = new FileInfo(path);
        return new ModelFile(name, path, $"{info.Length}:{info.LastWriteTimeUtc.Ticks}");
    }
}
