using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Server.Settings;
using NodeDiffusion.Server.Tests.Infrastructure;

namespace NodeDiffusion.Server.Tests.Api;

/// <summary>ComfyUI's /settings routes on the real server, the settings file behind them, and extra_data.preview_method on /prompt.</summary>
public sealed class SettingsApiTests : IAsyncLifetime
{
    private readonly ServerHost _server = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private string SettingsFile => _server.PathOf("user", UserSettingsStore.FileName);

    [Theory]
    [InlineData("")]
    [InlineData("/api")]
    public async Task Settings_are_set_merged_read_back_and_kept_in_the_user_folder(string prefix)
    {
        var (status, all) = await _server.Client.GetJsonAsync(prefix + "/settings");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(all!.AsObject());
        var (_, missing) = await _server.Client.GetJsonAsync(prefix + "/settings/Comfy.ColorPalette");
        Assert.Null(missing); // ComfyUI answers null for a setting never set

        var (set, setBody) = await _server.Client.PostRawAsync(prefix + "/settings/Comfy.ColorPalette", "\"light\"");
        Assert.Equal(HttpStatusCode.OK, set);
        Assert.Null(setBody); // 200 with no body, as ComfyUI
        var (merged, _) = await _server.Client.PostJsonAsync(prefix + "/settings", new JsonObject
        {
            ["Comfy.Execution.PreviewMethod"] = "none",
            ["Some.Extension.Layout"] = new JsonObject { ["panels"] = new JsonArray(1, 2, 3), ["pinned"] = true },
            ["Comfy.NodeBadge.NodeIdBadgeMode"] = "Show all",
        });
        Assert.Equal(HttpStatusCode.OK, merged);

        var (_, palette) = await _server.Client.GetJsonAsync(prefix + "/settings/Comfy.ColorPalette");
        Assert.Equal("light", palette!.GetValue<string>());
        var (_, extension) = await _server.Client.GetJsonAsync(prefix + "/settings/Some.Extension.Layout");
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["panels"] = new JsonArray(1, 2, 3), ["pinned"] = true }, extension));
        (_, all) = await _server.Client.GetJsonAsync(prefix + "/settings");
        Assert.Equal(["Comfy.ColorPalette", "Comfy.Execution.PreviewMethod", "Some.Extension.Layout", "Comfy.NodeBadge.NodeIdBadgeMode"],
            all!.AsObject().Select(p => p.Key));

        // On disk as ComfyUI writes comfy.settings.json, and read again by a fresh store (what a restart does).
        var onDisk = JsonNode.Parse(await File.ReadAllTextAsync(SettingsFile, TestContext.Current.CancellationToken));
        Assert.True(JsonNode.DeepEquals(all, onDisk));
        var fresh = new UserSettingsStore(_server.Services.GetRequiredService<EngineHost>(), NullLogger<UserSettingsStore>.Instance);
        Assert.Equal(EditorTheme.Light, fresh.Theme);
        Assert.Equal("none", fresh.PreviewMethod);

        // A value can be replaced, and set to null.
        await _server.Client.PostRawAsync(prefix + "/settings/Comfy.ColorPalette", "\"dark\"");
        await _server.Client.PostRawAsync(prefix + "/settings/Some.Extension.Layout", "null");
        (_, all) = await _server.Client.GetJsonAsync(prefix + "/settings");
        Assert.Equal("dark", all!["Comfy.ColorPalette"]!.GetValue<string>());
        Assert.True(all.AsObject().ContainsKey("Some.Extension.Layout"));
        Assert.Null(all["Some.Extension.Layout"]);
    }

    [Theory]
    [InlineData("/settings", "[1, 2]", HttpStatusCode.BadRequest, "invalid_json")]
    [InlineData("/settings", "\"light\"", HttpStatusCode.BadRequest, "invalid_json")]
    [InlineData("/settings", "{not json", HttpStatusCode.BadRequest, "invalid_json")]
    [InlineData("/settings", "", HttpStatusCode.BadRequest, "invalid_json")]
    [InlineData("/settings/Comfy.ColorPalette", "", HttpStatusCode.BadRequest, "invalid_json")]
    [InlineData("/settings/Comfy.ColorPalette", "{oops", HttpStatusCode.BadRequest, "invalid_json")]
    [InlineData("/settings/Comfy.ColorPalette", "5", HttpStatusCode.BadRequest, "invalid_setting")]
    [InlineData("/settings/Comfy.Execution.PreviewMethod", "\"fast\"", HttpStatusCode.BadRequest, "invalid_setting")]
    [InlineData("/settings", "{\"Comfy.Theme.Ok\": 1, \"Comfy.Execution.PreviewMethod\": true}", HttpStatusCode.BadRequest, "invalid_setting")]
    [InlineData("/settings", "{\"\": 1}", HttpStatusCode.BadRequest, "invalid_setting")]
    public async Task Bad_settings_get_a_json_error_and_change_nothing(string path, string body, HttpStatusCode expected, string type)
    {
        await _server.Client.PostRawAsync("/settings/Comfy.ColorPalette", "\"light\"");
        var (status, error) = await _server.Client.PostRawAsync(path, body);
        Assert.Equal(expected, status);
        Assert.Equal(type, error!["error"]!["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(error["error"]!["message"]!.GetValue<string>()));
        var (_, all) = await _server.Client.GetJsonAsync("/settings");
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["Comfy.ColorPalette"] = "light" }, all));
    }

    [Theory]
    [InlineData("/settings", "{\"Twice.Set\": 1, \"Twice.Set\": 2}", "Twice.Set")]
    [InlineData("/settings/Some.Layout", "{\"zz9\": 1, \"zz9\": 2}", "zz9")]
    public async Task A_body_naming_a_key_twice_gets_a_json_error_naming_it_and_changes_nothing(string path, string body, string key)
    {
        var (status, error) = await _server.Client.PostRawAsync(path, body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_json", error!["error"]!["type"]!.GetValue<string>());
        Assert.Contains(key, error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var (_, all) = await _server.Client.GetJsonAsync("/settings");
        Assert.Empty(all!.AsObject());
    }

    [Fact]
    public async Task A_settings_file_naming_a_key_twice_is_kept_aside_like_any_unreadable_one()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SettingsFile)!);
        await File.WriteAllTextAsync(SettingsFile, "{\"Comfy.ColorPalette\": \"light\", \"Comfy.ColorPalette\": \"dark\"}", TestContext.Current.CancellationToken);
        var store = new UserSettingsStore(_server.Services.GetRequiredService<EngineHost>(), NullLogger<UserSettingsStore>.Instance);
        Assert.Empty(store.All());
        Assert.True(File.Exists(SettingsFile + ".broken"));
        Assert.Null(store.Set("Comfy.ColorPalette", JsonValue.Create("light")));
        Assert.Equal("light", store.Get("Comfy.ColorPalette")!.GetValue<string>());
    }

    [Fact]
    public async Task The_settings_are_bounded_in_size()
    {
        var big = new string('x', (UserSettingsStore.MaxBytes / 2) + 1);
        var (first, _) = await _server.Client.PostJsonAsync("/settings", new JsonObject { ["A.Big"] = big });
        Assert.Equal(HttpStatusCode.OK, first);
        // Each body fits, but together they would pass the bound.
        var (second, error) = await _server.Client.PostJsonAsync("/settings/B.Big", JsonValue.Create(big));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, second);
        Assert.Equal("too_large", error!["error"]!["type"]!.GetValue<string>());
        var (tooBig, _) = await _server.Client.PostRawAsync("/settings/C.Big", $"\"{new string('y', UserSettingsStore.MaxBytes + 10)}\"");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig);
        var (_, all) = await _server.Client.GetJsonAsync("/settings");
        Assert.Equal(["A.Big"], all!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task An_unreadable_settings_file_is_kept_aside_and_the_server_starts_from_defaults()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SettingsFile)!);
        await File.WriteAllTextAsync(SettingsFile, "{ broken", TestContext.Current.CancellationToken);
        var store = new UserSettingsStore(_server.Services.GetRequiredService<EngineHost>(), NullLogger<UserSettingsStore>.Instance);
        Assert.Empty(store.All());
        Assert.Equal(EditorTheme.Dark, store.Theme);
        Assert.Equal("{ broken", await File.ReadAllTextAsync(SettingsFile + ".broken", TestContext.Current.CancellationToken));
        Assert.Null(store.Set("Comfy.ColorPalette", JsonValue.Create("light")));
        Assert.Equal(EditorTheme.Light, store.Theme);
    }

    [Fact]
    public async Task A_prompt_runs_with_the_preview_method_of_its_extra_data_else_the_server_default()
    {
        var workflow = Workflows.Native(("1", new JsonObject { ["type"] = "TestPreviewMethod" }));
        JsonNode? lastQueueItem = null;
        async Task<string> RunAsync(JsonNode? extraData)
        {
            var prompt = Workflows.Prompt(workflow.DeepClone().AsObject());
            if (extraData is not null)
            {
                prompt["extra_data"] = extraData;
            }
            var (status, body) = await _server.Client.PostJsonAsync("/prompt", prompt);
            Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
            var promptId = body!["prompt_id"]!.GetValue<string>();
            var entry = await _server.Client.WaitForHistoryAsync(promptId);
            lastQueueItem = entry["prompt"];
            return entry["outputs"]!["1"]!["text"]![0]!.GetValue<string>();
        }

        Assert.Equal("auto", await RunAsync(null));
        Assert.Null(lastQueueItem![3]!["preview_method"]);
        Assert.Equal("none", await RunAsync(new JsonObject { ["preview_method"] = "none" }));
        Assert.Equal("none", lastQueueItem![3]!["preview_method"]!.GetValue<string>()); // ComfyUI's queue item keeps extra_data
        Assert.Equal("latent2rgb", await RunAsync(new JsonObject { ["preview_method"] = "latent2rgb", ["extra_pnginfo"] = new JsonObject() }));
        Assert.Equal("auto", await RunAsync(new JsonObject { ["preview_method"] = "default" }));
        // The saved setting is the editor's to send; an API prompt without extra_data keeps the server's default.
        await _server.Client.PostRawAsync("/settings/Comfy.Execution.PreviewMethod", "\"none\"");
        Assert.Equal("auto", await RunAsync(null));

        foreach (var bad in new JsonNode[] { new JsonObject { ["preview_method"] = "fast" }, new JsonObject { ["preview_method"] = 3 }, JsonValue.Create("none") })
        {
            var prompt = Workflows.Prompt(workflow.DeepClone().AsObject());
            prompt["extra_data"] = bad;
            var (status, error) = await _server.Client.PostJsonAsync("/prompt", prompt);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("extra_data", error!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }
}
