using Xunit;

namespace NodeDiffusion.Testing;

/// <summary>
/// Locates the read-only reference data in <c>../shared</c> beside the repository root.
/// A test that needs it calls <see cref="Require"/>, which reports the test as skipped (never passed) when the data is absent.
/// </summary>
public static class SharedData
{
    private static readonly Lazy<string> RepositoryRootPath = new(FindRepositoryRoot);

    public static string RepositoryRoot => RepositoryRootPath.Value;

    public static string Root => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    /// <summary>The full path of a file or folder under ../shared, or a skip when it is not there.</summary>
    public static string Require(string relativePath)
    {
        var path = Path.Combine(Root, relativePath);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            Assert.Skip($"Reference data ../shared/{relativePath} is not present; this test needs it.");
        }
        return path;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NodeDiffusion.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find NodeDiffusion.sln above " + AppContext.BaseDirectory);
    }
}
