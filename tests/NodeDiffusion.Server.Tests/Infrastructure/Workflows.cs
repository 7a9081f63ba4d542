using System.Text.Json.Nodes;

namespace NodeDiffusion.Server.Tests.Infrastructure;

/// <summary>Small native workflows for tests.</summary>
public static class Workflows
{
    public static JsonObject Native(params (string Id, JsonObject Node)[] nodes)
    {
        var map = new JsonObject();
        foreach (var (id, node) in nodes)
        {
            map[id] = node;
        }
        return new JsonObject { ["format"] = "nodediffusion.workflow", ["version"] = 1, ["nodes"] = map };
    }

    public static JsonObject SlowSteps(int steps = 5, int delayMs = 20) =>
        Native(("1", new JsonObject { ["type"] = "TestSlowSteps", ["inputs"] = new JsonObject { ["steps"] = steps, ["delay_ms"] = delayMs } }));

    public static JsonObject SaveBlueImage(string prefix = "test") => Native(
        ("1", new JsonObject { ["type"] = "EmptyImage", ["inputs"] = new JsonObject { ["width"] = 16, ["height"] = 8, ["batch_size"] = 1, ["color"] = 255 } }),
        ("2", new JsonObject { ["type"] = "SaveImage", ["inputs"] = new JsonObject { ["filename_prefix"] = prefix }, ["links"] = new JsonObject { ["images"] = new JsonArray("1", 0) } }));

    public static JsonObject Prompt(JsonObject workflow, string? clientId = null) =>
        new() { ["workflow"] = workflow, ["client_id"] = clientId };
}
