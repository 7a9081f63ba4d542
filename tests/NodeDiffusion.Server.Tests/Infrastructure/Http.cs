using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace NodeDiffusion.Server.Tests.Infrastructure;

/// <summary>JSON requests against the test server, and waiting for a prompt to finish.</summary>
public static class Http
{
    public static async Task<(HttpStatusCode Status, JsonNode? Body)> PostJsonAsync(this HttpClient client, string path, JsonNode body) =>
        await ReadAsync(await client.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken));

    public static async Task<(HttpStatusCode Status, JsonNode? Body)> PostRawAsync(this HttpClient client, string path, string body) =>
        await ReadAsync(await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken));

    public static async Task<(HttpStatusCode Status, JsonNode? Body)> GetJsonAsync(this HttpClient client, string path) =>
        await ReadAsync(await client.GetAsync(path, TestContext.Current.CancellationToken));

    public static async Task<(HttpStatusCode Status, JsonNode? Body)> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.DoesNotContain("   at ", text); // never a stack trace
            return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
        }
    }

    /// <summary>Queues a workflow and returns its prompt id.</summary>
    public static async Task<string> QueueAsync(this HttpClient client, JsonObject workflow, string? clientId = null)
    {
        var (status, body) = await client.PostJsonAsync("/prompt", Workflows.Prompt(workflow, clientId));
        Assert.True(status == HttpStatusCode.OK, $"POST /prompt answered {status}: {body?.ToJsonString()}");
        return body!["prompt_id"]!.GetValue<string>();
    }

    /// <summary>Polls /history/{id} until the prompt has an entry.</summary>
    public static async Task<JsonNode> WaitForHistoryAsync(this HttpClient client, string promptId, int timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            var (_, body) = await client.GetJsonAsync($"/history/{promptId}");
            if (body?[promptId] is { } entry)
            {
                return entry;
            }
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException($"Prompt {promptId} did not finish within {timeoutSeconds} s.");
    }

    public static JsonContent Json(JsonNode node) => JsonContent.Create(node);
}
