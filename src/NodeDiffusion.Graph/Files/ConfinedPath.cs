namespace NodeDiffusion.Graph.Files;

/// <summary>
/// Resolves a user-supplied relative path inside a root, following symbolic links, and refuses anything that would
/// leave the root: absolute paths, "..", drive letters, NUL bytes, or links pointing outside.
/// </summary>
public static class ConfinedPath
{
    public static bool TryResolve(string root, string relativePath, out string fullPath, out string problem)
    {
        fullPath = "";
        problem = "";
        if (string.IsNullOrWhiteSpace(relativePath))
        {
            problem = "the file name is empty";
            return false;
        }
        if (relativePath.Contains('\0') || relativePath.Length > 1024)
        {
            problem = "the file name contains a NUL byte or is too long";
            return false;
        }
        var normalized = relativePath.Replace('\\', '/');
        if (normalized.StartsWith('/') || Path.IsPathRooted(relativePath) || (normalized.Length > 1 && normalized[1] == ':'))
        {
            problem = $"\"{relativePath}\" is an absolute path; only names inside the folder are allowed";
            return false;
        }
        if (normalized.Split('/').Any(part => part == ".."))
        {
            problem = $"\"{relativePath}\" contains \"..\"; only names inside the folder are allowed";
            return false;
        }
        var rootFull = Path.GetFullPath(root);
        var candidate = Path.GetFullPath(Path.Combine(rootFull, normalized));
        if (!IsInside(rootFull, candidate))
        {
            problem = $"\"{relativePath}\" resolves outside the folder";
            return false;
        }
        var real = RealPath(candidate);
        var realRoot = RealPath(rootFull);
        if (!IsInside(realRoot, real))
        {
            problem = $"\"{relativePath}\" is a link that points outside the folder";
            return false;
        }
        fullPath = candidate;
        return true;
    }

    public static string Resolve(string root, string relativePath) =>
        TryResolve(root, relativePath, out var full, out var problem)
            ? full
            : throw new UnauthorizedAccessException($"Refused file name: {problem}.");

    private static bool IsInside(string root, string path)
    {
        var rootWithSeparator = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return path == root || path.StartsWith(rootWithSeparator, StringComparison.Ordinal);
    }

    /// <summary>The path with every existing symbolic link along it followed.</summary>
    private static string RealPath(string path)
    {
        var parts = new Stack<string>();
        var current = path;
        while (!Path.Exists(current))
        {
            var parent = Path.GetDirectoryName(current);
            if (parent is null || parent == current)
            {
                return path;
            }
            parts.Push(Path.GetFileName(current));
            current = parent;
        }
        var resolved = Resolve(current);
        foreach (var part in parts)
        {
            resolved = Path.Combine(resolved, part);
        }
        return resolved;
    }

    private static string Resolve(string existing, int depth = 0)
    {
        if (depth > 40)
        {
            throw new IOException($"Too many levels of symbolic links at {existing}.");
        }
        var parent = Path.GetDirectoryName(existing);
        var self = parent is null ? existing : Path.Combine(Resolve(parent, depth), Path.GetFileName(existing));
        var target = new FileInfo(self).LinkTarget is not null ? File.ResolveLinkTarget(self, returnFinalTarget: true) : null;
        return target is null ? self : Resolve(target.FullName, depth + 1);
    }
}
