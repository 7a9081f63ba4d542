namespace NodeDiffusion.Models.Tests;

public sealed class ProjectSmokeTests
{
    [Fact]
    public void SharedDataIsFoundBesideTheRepository()
    {
        var path = NodeDiffusion.Testing.SharedData.Require("reference/README.md");
        Assert.True(File.Exists(path));
    }
}
