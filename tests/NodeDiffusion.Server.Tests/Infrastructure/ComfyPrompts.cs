using System.Net;
using System.Text.Json.Nodes;

namespace NodeDiffusion.Server.Tests.Infrastructure;

/// <summary>ComfyUI API-format prompts (class_type + inputs, links as [id, slot]) and queuing them as a ComfyUI client does.</summary>
public static class ComfyPrompts
{
    public static JsonObject Node(string classType, JsonObject inputs) => new() { ["class_type"] = classType, ["inputs"] = inputs };

    public static JsonObject SaveEmptyImage(string prefix = "comfy") => new()
    {
        ["1"] = Node("EmptyImage", new JsonObject { ["width"] = 24, ["height"] = 16, ["batch_size"] = 1, ["color"] = 255 }),
        ["2"] = Node("SaveImage", new JsonObject { ["filename_prefix"] = prefix, ["images"] = new JsonArray("1", 0) }),
    };

    /// <summary>ComfyUI's default graph with ComfyUI class names, on the demo checkpoint.</summary>
    public static JsonObject TextToImage(int size = 64, int steps = 3, string prefix = "comfy_txt2img") => new()
    {
        ["4"] = Node("CheckpointLoaderSimple", new JsonObject { ["ckpt_name"] = "nodediffusion-demo" }),
        ["6"] = Node("CLIPTextEncode", new JsonObject { ["text"] = "a lighthouse at dawn", ["clip"] = new JsonArray("4", 1) }),
        ["7"] = Node("CLIPTextEncode", new JsonObject { ["text"] = "blurry", ["clip"] = new JsonArray("4", 1) }),
        ["5"] = Node("EmptyLatentImage", new JsonObject { ["width"] = size, ["height"] = size, ["batch_size"] = 1 }),
        ["3"] = Node("KSampler", new JsonObject
        {
            ["seed"] = 42, ["steps"] = steps, ["cfg"] = 7.0, ["sampler_name"] = "euler", ["scheduler"] = "normal", ["denoise"] = 1.0,
            ["model"] = new JsonArray("4", 0), ["positive"] = new JsonArray("6", 0), ["negative"] = new JsonArray("7", 0), ["latent_image"] = new JsonArray("5", 0),
        }),
        ["8"] = Node("VAEDecode", new JsonObject { ["samples"] = new JsonArray("3", 0), ["vae"] = new JsonArray("4", 2) }),
        ["9"] = Node("SaveImage", new JsonObject { ["filename_prefix"] = prefix, ["images"] = new JsonArray("8", 0) }),
    };

    public static async Task<string> QueueComfyAsync(this HttpClient client, JsonObject prompt, string? clientId)
    {
        var (status, body) = await client.PostJsonAsync("/prompt", new JsonObject { ["prompt"] = prompt, ["client_id"] = clientId });
        Assert.True(status == HttpStatusCode.OK, $"POST /prompt answered {status}: {body?.ToJsonString()}");
        return body!["prompt_id"]!.GetValue<string>();
    }
}
