using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Nodes.Diffusion.Previews;
using NodeDiffusion.Server.Settings;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Server.Tests.Api;

/// <summary>The server's --preview-method: checked before start-up, and the default the engine's samplers see.</summary>
public sealed class PreviewMethodOptionTests
{
    private static IConfiguration Configuration(string? value) =>
        new ConfigurationBuilder().AddInMemoryCollection(value is null ? [] : [new(SettingsServices.PreviewMethodKey, value)]).Build();

    [Theory]
    [InlineData(null, PreviewMethod.Auto)]
    [InlineData("none", PreviewMethod.None)]
    [InlineData("latent2rgb", PreviewMethod.Latent2Rgb)]
    [InlineData("TAESD", PreviewMethod.Taesd)]
    public void A_valid_value_becomes_the_engines_default(string? value, PreviewMethod expected)
    {
        var configuration = Configuration(value);
        Assert.Null(SettingsServices.PreviewMethodProblem(configuration));
        using var provider = new ServiceCollection().AddSingleton(configuration).AddUserSettings().BuildServiceProvider();
        using var directory = new TempDirectory();
        var host = EngineHost.Create(EngineSettings.Under(directory.Path), fallback: provider);
        Assert.Equal(expected, host.Services.Get<PreviewOptions>().Method);
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("default")]
    public void Anything_else_is_refused_with_the_values_named(string value)
    {
        var problem = SettingsServices.PreviewMethodProblem(Configuration(value));
        Assert.NotNull(problem);
        Assert.Contains($"\"{value}\"", problem, StringComparison.Ordinal);
        Assert.Contains("auto, latent2rgb, taesd or none", problem, StringComparison.Ordinal);
    }
}
