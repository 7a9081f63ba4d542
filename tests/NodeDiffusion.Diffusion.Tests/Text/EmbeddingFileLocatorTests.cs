using NodeDiffusion.Diffusion.Text;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Diffusion.Tests.Text;

public sealed class EmbeddingFileLocatorTests
{
    [Fact]
    public void FindsTheNameWithOrWithoutExtension()
    {
        using var dir = new TempDirectory();
        var file = Touch(dir, "EasyNegative.safetensors");

        Assert.Equal(file, EmbeddingFileLocator.Find([dir.Path], "EasyNegative"));
        Assert.Equal(file, EmbeddingFileLocator.Find([dir.Path], "EasyNegative.safetensors"));
    }

    [Fact]
    public void PrefersExtensionsInComfyOrder()
    {
        using var dir = new TempDirectory();
        Touch(dir, "x.bin");
        var pt = Touch(dir, "x.pt");

        Assert.Equal(pt, EmbeddingFileLocator.Find([dir.Path], "x"));
    }

    [Fact]
    public void SearchesSubfoldersAndAcceptsRelativeNames()
    {
        using var dir = new TempDirectory();
        var nested = Touch(dir, "styles", "deep", "birb.bin");

        Assert.Equal(nested, EmbeddingFileLocator.Find([dir.Path], "birb"));
        Assert.Equal(nested, EmbeddingFileLocator.Find([dir.Path], "deep/birb"));
    }

    [Fact]
    public void RootWinsOverSubfolders()
    {
        using var dir = new TempDirectory();
        Touch(dir, "a", "same.pt");
        var top = Touch(dir, "same.pt");

        Assert.Equal(top, EmbeddingFileLocator.Find([dir.Path], "same"));
    }

    [Fact]
    public void RefusesNamesThatLeaveTheFolder()
    {
        using var outer = new TempDirectory();
        var embeddings = Path.Combine(outer.Path, "embeddings");
        Directory.CreateDirectory(embeddings);
        var secret = Touch(outer, "secret.pt");

        Assert.Null(EmbeddingFileLocator.Find([embeddings], "../secret"));
        Assert.Null(EmbeddingFileLocator.Find([embeddings], secret));
        Assert.Null(EmbeddingFileLocator.Find([embeddings], ""));
    }

    [Fact]
    public void MissingFoldersAndNamesGiveNull()
    {
        using var dir = new TempDirectory();

        Assert.Null(EmbeddingFileLocator.Find([dir.Path], "nope"));
        Assert.Null(EmbeddingFileLocator.Find([Path.Combine(dir.Path, "absent")], "nope"));
    }

    private static string Touch(TempDirectory dir, params string[] parts)
    {
        var path = dir.Combine(parts);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [0]);
        return path;
    }
}
