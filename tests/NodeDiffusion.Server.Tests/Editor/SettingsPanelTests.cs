using System.Text.Json.Nodes;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;
using MudBlazor.Services;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Nodes.Diffusion.Previews;
using NodeDiffusion.Server.Components.Settings;
using NodeDiffusion.Server.Settings;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Server.Tests.Editor;

/// <summary>The settings panel rendered with bUnit over a real settings store and engine host.</summary>
public sealed class SettingsPanelTests : IAsyncLifetime
{
    private readonly BunitContext _context = new();
    private readonly TempDirectory _directory = new();
    private readonly EngineHost _host;
    private readonly UserSettingsStore _store;

    public SettingsPanelTests()
    {
        _host = EngineHost.Create(EngineSettings.Under(_directory.Path));
        _store = new UserSettingsStore(_host, NullLogger<UserSettingsStore>.Instance);
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddMudServices();
        _context.Services.AddSingleton(_host);
        _context.Services.AddSingleton(_store);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        _directory.Dispose();
    }

    private static (string Theme, string Preview) Chosen(IRenderedComponent<SettingsPanel> cut)
    {
        var groups = cut.FindComponents<MudRadioGroup<string>>();
        return (groups[0].Instance.Value!, groups[1].Instance.Value!);
    }

    [Fact]
    public void Choosing_a_theme_and_a_preview_method_saves_them_at_once()
    {
        var cut = _context.Render<SettingsPanel>();
        Assert.Equal(("dark", PreviewMethodNames.Default), Chosen(cut));
        Assert.Contains("Server default (auto)", cut.Find(".nd-preview-default").TextContent, StringComparison.Ordinal);
        Assert.Equal("not installed", cut.Find(".nd-taesd-state").TextContent);
        // Each method says what it costs.
        Assert.Equal(PreviewMethodNames.All.Count, cut.FindAll(".nd-settings-cost").Count);
        Assert.Contains("Never loads TAESD", cut.Find(".nd-preview-latent2rgb").ParentElement!.TextContent, StringComparison.Ordinal);

        cut.Find(".nd-theme-light input").Click();
        Assert.Equal(EditorTheme.Light, _store.Theme);
        cut.Find(".nd-preview-none input").Click();
        Assert.Equal("none", _store.PreviewMethod);
        Assert.Equal("none", _store.OptionsForPrompt().PreviewMethod);
        cut.WaitForAssertion(() => Assert.Equal(("light", "none"), Chosen(cut)));

        var onDisk = JsonNode.Parse(File.ReadAllText(_store.FilePath))!;
        Assert.Equal("light", onDisk[SettingIds.ColorPalette]!.GetValue<string>());
        Assert.Equal("none", onDisk[SettingIds.PreviewMethod]!.GetValue<string>());

        cut.Find(".nd-preview-default input").Click();
        Assert.Equal(PreviewMethodNames.Default, _store.PreviewMethod);
        Assert.Null(_store.OptionsForPrompt().PreviewMethod);
    }

    [Fact]
    public void A_change_made_elsewhere_shows_in_an_open_panel()
    {
        var cut = _context.Render<SettingsPanel>();
        Assert.Null(_store.Merge(new JsonObject { [SettingIds.ColorPalette] = "light", [SettingIds.PreviewMethod] = "taesd" }));
        cut.WaitForAssertion(() => Assert.Equal(("light", "taesd"), Chosen(cut)));
    }

    [Fact]
    public void An_installed_sd1_taesd_decoder_is_named()
    {
        var folder = Path.Combine(_host.Settings.Roots.Models, TaesdPreviewDecoders.Folder);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "taesd_decoder.safetensors"), [0]);
        var cut = _context.Render<SettingsPanel>();
        Assert.Equal("installed", cut.Find(".nd-taesd-state").TextContent);
    }
}
