using System.Text.Json.Nodes;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Cli.Tests;

public sealed class CliTests : IDisposable
{
    private readonly TempDirectory _work = new("nd-cli");

    public void Dispose() => _work.Dispose();

    private static string Workflow(string name) => Path.Combine(SharedData.RepositoryRoot, "workflows", name);

    private string Write(string name, string json)
    {
        var path = _work.Combine(name);
        File.WriteAllText(path, json);
        return path;
    }

    public static TheoryData<string> RepositoryWorkflows()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(SharedData.RepositoryRoot, "workflows"), "*.json").Order())
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RepositoryWorkflows))]
    public async Task EveryRepositoryWorkflowRuns(string name)
    {
        var result = await CliProcess.RunAsync(_work.Path, "run", Workflow(name), "--report", "report.json");
        Assert.True(result.ExitCode == 0, result.StandardError);
        var report = JsonNode.Parse(File.ReadAllText(_work.Combine("report.json")))!;
        Assert.Equal("success", report["runs"]![0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ARepeatedRunReportsEveryNodeCached()
    {
        var workflow = Workflow("image-basics.json");
        var result = await CliProcess.RunAsync(_work.Path, "run", workflow, workflow, "--report", "report.json");
        Assert.True(result.ExitCode == 0, result.StandardError);
        var runs = JsonNode.Parse(File.ReadAllText(_work.Combine("report.json")))!["runs"]!.AsArray();
        Assert.Equal(2, runs.Count);
        var first = runs[0]!["nodes"]!.AsArray();
        var second = runs[1]!["nodes"]!.AsArray();
        Assert.All(first, n => Assert.Equal("executed", n!["status"]!.GetValue<string>()));
        Assert.Equal(first.Count, second.Count);
        Assert.All(second, n => Assert.Equal("cached", n!["status"]!.GetValue<string>()));
        var saved = first.Single(n => n!["type"]!.GetValue<string>() == "SaveImage")!["files"]![0]!["filename"]!.GetValue<string>();
        Assert.Equal("image-basics_00001_.png", saved);
        Assert.Contains("[1/6]", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SavedPngsCarryTheWorkflow()
    {
        var result = await CliProcess.RunAsync(_work.Path, "run", Workflow("image-basics.json"), "--set", "6.filename_prefix=\"carried\"");
        Assert.True(result.ExitCode == 0, result.StandardError);
        var png = _work.Combine("output", "carried_00001_.png");
        var text = PngTextChunks.Read(png);
        var embedded = JsonNode.Parse(text["nodediffusion"])!;
        Assert.Equal("nodediffusion.workflow", embedded["format"]!.GetValue<string>());
        Assert.Equal("carried", embedded["nodes"]!["6"]!["inputs"]!["filename_prefix"]!.GetValue<string>());
    }

    [Fact]
    public async Task SetOverridesAWidget()
    {
        var result = await CliProcess.RunAsync(_work.Path, "run", Workflow("math-and-text.json"), "--set", "1.value=100", "--report", "r.json");
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("\"id\": \"6\"", File.ReadAllText(_work.Combine("r.json")), StringComparison.Ordinal);
        var bad = await CliProcess.RunAsync(_work.Path, "run", Workflow("math-and-text.json"), "--set", "1.value=5000000000000000000000");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("value_out_of_range", bad.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateReportsCyclesTypeMismatchesAndUnknownNodesWithIds()
    {
        var path = Write("broken.json", """
            {"format":"nodediffusion.workflow","version":1,"nodes":{
              "1":{"type":"IntMath","inputs":{"operation":"add"},"links":{"a":["3",0],"b":["2",0]}},
              "2":{"type":"EmptyImage"},
              "3":{"type":"IntMath","inputs":{"operation":"add","b":1},"links":{"a":["1",0]}},
              "4":{"type":"ShowText","links":{"source":["3",0]}},
              "5":{"type":"Upscaler9000"},
              "6":{"type":"ShowText","links":{"source":["5",0]}}}}
            """);
        var result = await CliProcess.RunAsync(_work.Path, "validate", path, "--json");
        Assert.Equal(2, result.ExitCode);
        var errors = JsonNode.Parse(result.StandardOutput)!["errors"]!.AsArray();
        Assert.Contains(errors, e => e!["code"]!.GetValue<string>() == "cycle" && e["node_id"]!.GetValue<string>() == "1");
        Assert.Contains(errors, e => e!["code"]!.GetValue<string>() == "cycle" && e["node_id"]!.GetValue<string>() == "3");
        Assert.Contains(errors, e => e!["code"]!.GetValue<string>() == "type_mismatch" && e["node_id"]!.GetValue<string>() == "1" && e["input_name"]!.GetValue<string>() == "b");
        Assert.Contains(errors, e => e!["code"]!.GetValue<string>() == "unknown_node_type" && e["node_id"]!.GetValue<string>() == "5");

        var text = await CliProcess.RunAsync(_work.Path, "validate", path);
        Assert.Equal(2, text.ExitCode);
        Assert.Contains("node 5 (Upscaler9000)", text.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text.StandardOutput + text.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateRefusesTruncatedAndOversizedFiles()
    {
        var full = File.ReadAllText(Workflow("image-basics.json"));
        var truncated = await CliProcess.RunAsync(_work.Path, "validate", Write("cut.json", full[..(full.Length / 2)]), "--json");
        Assert.Equal(2, truncated.ExitCode);
        Assert.Equal("invalid_json", JsonNode.Parse(truncated.StandardOutput)!["errors"]![0]!["code"]!.GetValue<string>());

        var huge = _work.Combine("huge.json");
        using (var stream = File.Create(huge))
        {
            stream.SetLength((32L * 1024 * 1024) + 1);
        }
        var oversized = await CliProcess.RunAsync(_work.Path, "validate", huge, "--json");
        Assert.Equal(2, oversized.ExitCode);
        Assert.Equal("too_large", JsonNode.Parse(oversized.StandardOutput)!["errors"]![0]!["code"]!.GetValue<string>());

        var missing = await CliProcess.RunAsync(_work.Path, "validate", _work.Combine("nope.json"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANodeFailureNamesTheNodeAndExitsWithTwo()
    {
        var path = Write("divide.json", """
            {"format":"nodediffusion.workflow","version":1,"nodes":{
              "1":{"type":"IntMath","inputs":{"a":1,"b":0,"operation":"divide"}},
              "2":{"type":"ShowText","links":{"source":["1",0]}}}}
            """);
        var result = await CliProcess.RunAsync(_work.Path, "run", path);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error in node 1 (IntMath): Cannot divide 1 by zero.", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodesListsEverySchemaAsObjectInfo()
    {
        var result = await CliProcess.RunAsync(_work.Path, "nodes", "--json");
        Assert.Equal(0, result.ExitCode);
        var info = JsonNode.Parse(result.StandardOutput)!.AsObject();
        Assert.True(info.ContainsKey("SaveImage"));
        Assert.True(info.ContainsKey("LoadImage"));
        Assert.Equal("image", info["LoadImage"]!["category"]!.GetValue<string>());
        var text = await CliProcess.RunAsync(_work.Path, "nodes");
        Assert.Contains("ImageBlend", text.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadArgumentsExitWithTwo()
    {
        var result = await CliProcess.RunAsync(_work.Path, "run");
        Assert.Equal(2, result.ExitCode);
        var unknown = await CliProcess.RunAsync(_work.Path, "frobnicate");
        Assert.Equal(2, unknown.ExitCode);
    }
}
