using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace NodeDiffusion.Server.Tests.Browser;

/// <summary>
/// Bench mode, not a test: set ND_BENCH=1 to run it. It opens a 300-node workflow in the editor and prints the load
/// time, the latency of pan and zoom steps (gesture → new transform on screen) and the time to queue and run it.
/// Results go to the console and to bench-results.txt beside the test assembly. Nothing here is asserted on time.
/// </summary>
public sealed class EditorBenchmark(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const int Rows = 10;
    private const int Columns = 30;

    [Fact]
    [Trait("Category", "Benchmark")]
    public Task A_300_node_workflow_loads_pans_zooms_and_queues() => fixture.RunAsync("bench-300", async page =>
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("ND_BENCH") == "1", "Bench mode: set ND_BENCH=1 to run it.");
        var report = new StringBuilder();
        void Log(string line)
        {
            report.AppendLine(line);
            TestContext.Current.TestOutputHelper?.WriteLine("BENCH " + line);
            File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "bench-results.txt"), report.ToString());
        }

        var file = Path.Combine(fixture.Server.Directory.Path, "bench-300.json");
        await File.WriteAllTextAsync(file, Workflow(), TestContext.Current.CancellationToken);
        const int nodes = Rows * Columns;
        const int links = Rows * (Columns - 1);
        await page.OpenEditorAsync();

        var clock = Stopwatch.StartNew();
        await page.Locator(".nd-file-input").SetInputFilesAsync(file);
        await Assertions.Expect(page.Locator(".nd-node")).ToHaveCountAsync(nodes, new() { Timeout = 120_000 });
        var nodesShown = clock.Elapsed;
        await Assertions.Expect(page.Locator(".diagram-link")).ToHaveCountAsync(links, new() { Timeout = 120_000 });
        await WaitForPortsAsync(page, links);
        Log($"open file: {nodes} nodes shown after {Ms(nodesShown)}, all {links} links drawn after {Ms(clock.Elapsed)}");

        clock.Restart();
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator(".nd-node")).ToHaveCountAsync(nodes, new() { Timeout = 120_000 });
        await Assertions.Expect(page.Locator(".diagram-link")).ToHaveCountAsync(links, new() { Timeout = 120_000 });
        await WaitForPortsAsync(page, links);
        Log($"reload (autosave restore): all nodes and links after {Ms(clock.Elapsed)}");

        // Empty canvas: between row 0's Invert Image cards (80 px tall) and row 1, which starts 200 px lower.
        var canvas = (await page.Locator(".nd-canvas").BoundingBoxAsync())!;
        var x = canvas.X + 370;
        var y = canvas.Y + 150;
        foreach (var minimap in new[] { true, false })
        {
            if (!minimap)
            {
                await page.Locator(".nd-minimap-toggle").ClickAsync();
                await Assertions.Expect(page.Locator(".nd-minimap")).ToHaveCountAsync(0);
            }
            var label = minimap ? "minimap on" : "minimap off";
            await page.Mouse.MoveAsync(x, y);
            var zoom = new List<double>();
            for (var i = 0; i < 20; i++)
            {
                zoom.Add(await StepAsync(page, () => page.Mouse.WheelAsync(0, i < 10 ? 100 : -100)));
            }
            Log($"zoom ({label}): {Stats(zoom)} per wheel tick (gesture until the new transform is on screen)");

            var pan = new List<double>();
            await page.Mouse.MoveAsync(x, y);
            await page.Mouse.DownAsync();
            for (var i = 1; i <= 30; i++)
            {
                // Out and back, so that the next pass starts over the same empty canvas.
                var step = i <= 15 ? i : 30 - i;
                pan.Add(await StepAsync(page, () => page.Mouse.MoveAsync(x + (step * 8), y + (step * 3))));
            }
            await page.Mouse.UpAsync();
            Log($"pan ({label}): {Stats(pan)} per drag step");
        }

        var frames = await page.EvaluateAsync<double[]>(@"() => new Promise(resolve => {
            const times = []; let last = performance.now();
            function tick(now) { times.push(now - last); last = now; if (times.length < 120) requestAnimationFrame(tick); else resolve(times); }
            requestAnimationFrame(tick);
        })");
        Log($"idle frames with 300 nodes: {Stats(frames.Skip(1).ToList())}");

        clock.Restart();
        await page.Keyboard.PressAsync("Control+Enter");
        await Assertions.Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = "Queued" })).ToBeVisibleAsync(new() { Timeout = 120_000 });
        var queued = clock.Elapsed;
        await Assertions.Expect(page.Locator(".nd-history-success")).ToHaveCountAsync(1, new() { Timeout = 300_000 });
        await Assertions.Expect(page.Node($"{Rows * Columns}")).ToHaveAttributeAsync("data-status", "done", new() { Timeout = 300_000 });
        Log($"queue: validated and queued after {Ms(queued)}; run finished and shown after {Ms(clock.Elapsed)}");

    });

    /// <summary>Runs one gesture and returns the milliseconds until the canvas transform changed on screen.</summary>
    private static async Task<double> StepAsync(IPage page, Func<Task> gesture)
    {
        const string transform = "() => { const l = document.querySelector('.diagram-html-layer'); return l ? l.getAttribute('style') : ''; }";
        var before = await page.EvaluateAsync<string>(transform);
        var clock = Stopwatch.StartNew();
        await gesture();
        await page.WaitForFunctionAsync(
            "before => { const l = document.querySelector('.diagram-html-layer'); return l && l.getAttribute('style') !== before; }", before,
            new() { PollingInterval = 1 });
        // The change is in the DOM; wait for the frame that paints it.
        await page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => r(0)))");
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>Links are drawn once both of their sockets were measured in the browser.</summary>
    private static Task WaitForPortsAsync(IPage page, int links) => page.WaitForFunctionAsync(
        "n => [...document.querySelectorAll('.diagram-link path')].filter(p => (p.getAttribute('d') || '').length > 0 && !(p.getAttribute('d') || '').includes('NaN')).length >= n",
        links, new() { Timeout = 120_000, PollingInterval = 50 });

    private static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";

    private static string Stats(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        string F(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
        return $"median {F(sorted[sorted.Count / 2])} ms, p95 {F(sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(sorted.Count * 0.95) - 1)])} ms, max {F(sorted[^1])} ms (n={sorted.Count})";
    }

    /// <summary>Rows of Empty Image → 28 × Invert Image → Save Image; node ids are 1…300, row by row.</summary>
    private static string Workflow()
    {
        var nodes = new JsonObject();
        for (var row = 0; row < Rows; row++)
        {
            for (var column = 0; column < Columns; column++)
            {
                var id = (row * Columns) + column + 1;
                var node = column switch
                {
                    0 => new JsonObject { ["type"] = "EmptyImage", ["inputs"] = new JsonObject { ["width"] = 8, ["height"] = 8, ["batch_size"] = 1, ["color"] = row * 1000 } },
                    Columns - 1 => new JsonObject { ["type"] = "SaveImage", ["inputs"] = new JsonObject { ["filename_prefix"] = $"bench-{row}" } },
                    _ => new JsonObject { ["type"] = "ImageInvert" },
                };
                if (column > 0)
                {
                    node["links"] = new JsonObject { [column == Columns - 1 ? "images" : "image"] = new JsonArray((id - 1).ToString(CultureInfo.InvariantCulture), 0) };
                }
                node["layout"] = new JsonObject { ["pos"] = new JsonArray(column * 260, row * 200) };
                nodes[id.ToString(CultureInfo.InvariantCulture)] = node;
            }
        }
        // At 1:1 from the origin, so that the pan and zoom gestures start over the same empty canvas (a file without a view is fitted).
        var viewport = new JsonObject { ["x"] = 0, ["y"] = 0, ["zoom"] = 1 };
        return new JsonObject { ["format"] = "nodediffusion.workflow", ["version"] = 1, ["name"] = "bench-300", ["nodes"] = nodes, ["viewport"] = viewport }.ToJsonString();
    }
}
