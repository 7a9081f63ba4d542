using NodeDiffusion.Graph.Files;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Tests.Graph;

public sealed class ConfinedPathTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("../secret.txt")]
    [InlineData("a/../../secret.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("..\\secret.txt")]
    [InlineData("C:/Windows/win.ini")]
    [InlineData("")]
    [InlineData("a\0b")]
    public void RefusesNamesThatLeaveTheRoot(string name)
    {
        var root = _directory.Combine("root");
        Directory.CreateDirectory(root);
        Assert.False(ConfinedPath.TryResolve(root, name, out _, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Fact]
    public void AcceptsNamesInsideIncludingSubfolders()
    {
        var root = _directory.Combine("root");
        Assert.True(ConfinedPath.TryResolve(root, "sub/image.png", out var path, out _));
        Assert.Equal(Path.Combine(root, "sub", "image.png"), path);
    }

    [Fact]
    public void RefusesSymbolicLinksThatPointOutside()
    {
        var root = _directory.Combine("root");
        var outside = _directory.Combine("outside");
        Directory.CreateDirectory(root);
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret.txt"), "x");
        File.CreateSymbolicLink(Path.Combine(root, "link.txt"), Path.Combine(outside, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(root, "dir"), outside);
        Assert.False(ConfinedPath.TryResolve(root, "link.txt", out _, out var fileProblem));
        Assert.Contains("link", fileProblem, StringComparison.Ordinal);
        Assert.False(ConfinedPath.TryResolve(root, "dir/secret.txt", out _, out _));
        Assert.False(ConfinedPath.TryResolve(root, "dir/new.txt", out _, out _));
    }

    [Fact]
    public void AcceptsSymbolicLinksThatStayInside()
    {
        var root = _directory.Combine("root");
        Directory.CreateDirectory(Path.Combine(root, "real"));
        File.WriteAllText(Path.Combine(root, "real", "a.txt"), "x");
        Directory.CreateSymbolicLink(Path.Combine(root, "alias"), Path.Combine(root, "real"));
        Assert.True(ConfinedPath.TryResolve(root, "alias/a.txt", out _, out _));
    }
}
