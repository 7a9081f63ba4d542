using NodeDiffusion.Graph.Files;
using NodeDiffusion.Server.Files;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Server.Tests.Api;

/// <summary>The /view naming the gallery and "Load workflow" share: escaping, the "[type]" suffix, and confinement.</summary>
public sealed class ViewFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void The_url_escapes_every_part_and_download_adds_the_flag()
    {
        var file = new ViewFile("a b&c=1.png", "sub/dir", "output");
        Assert.Equal("/view?filename=a%20b%26c%3D1.png&subfolder=sub%2Fdir&type=output", file.Url());
        Assert.Equal(file.Url() + "&download=1", file.Url(download: true));
    }

    [Fact]
    public void A_type_suffix_on_the_name_becomes_the_type()
    {
        Assert.Equal(new ViewFile("in.png", "", "input"), new ViewFile("in.png [input]", "", "").Normalized());
        Assert.Equal(new ViewFile("x [other].png", "", ""), new ViewFile("x [other].png", "", "").Normalized());
    }

    [Theory]
    [InlineData("../secret.png", "")]
    [InlineData("secret.png", "..")]
    [InlineData("secret.png", "/etc")]
    public void A_name_that_leaves_its_folder_does_not_resolve(string filename, string subfolder)
    {
        var roots = StorageRoots.Under(_directory.Path);
        Assert.False(new ViewFile(filename, subfolder, "output").TryResolve(roots, out var path, out var problem));
        Assert.Equal("", path);
        Assert.StartsWith("Refused file name", problem);
    }

    [Fact]
    public void A_name_inside_resolves_under_the_root_of_its_type()
    {
        var roots = StorageRoots.Under(_directory.Path);
        Assert.True(new ViewFile("r.png", "sub", "temp").TryResolve(roots, out var path, out _));
        Assert.Equal(Path.Combine(roots.Temp, "sub", "r.png"), path);
        Assert.False(new ViewFile("r.png", "", "models").TryResolve(roots, out _, out var problem));
        Assert.Contains("must be output, input or temp", problem);
    }
}
