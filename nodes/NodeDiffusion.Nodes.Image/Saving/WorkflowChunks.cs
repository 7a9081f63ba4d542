using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Nodes.Image.Saving;

/// <summary>The PNG text chunks that carry a workflow: ours, and ComfyUI's "prompt" and "workflow" when known.</summary>
public static class WorkflowChunks
{
    /// <summary>The tEXt keyword of the native workflow.</summary>
    public const string NativeKeyword = "nodediffusion";

    public static List<KeyValuePair<string, string>> For(WorkflowSnapshot workflow)
    {
        var chunks = new List<KeyValuePair<string, string>>();
        if (workflow.ComfyPromptJson is { } prompt)
        {
            chunks.Add(new("prompt", AsciiOnly(prompt)));
        }
        if (workflow.ComfyWorkflowJson is { } comfyWorkflow)
        {
            chunks.Add(new("workflow", AsciiOnly(comfyWorkflow)));
        }
        if (workflow.NativeJson is { } native)
        {
            chunks.Add(new(NativeKeyword, AsciiOnly(native)));
        }
        return chunks;
    }

    /// <summary>tEXt is Latin-1; JSON escapes keep every character intact, as Python's json.dumps does.</summary>
    private static string AsciiOnly(string json)
    {
        if (json.All(c => c < 128))
        {
            return json;
        }
        var builder = new System.Text.StringBuilder(json.Length + 16);
        foreach (var c in json)
        {
            if (c < 128)
            {
                builder.Append(c);
            }
            else
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }
}
