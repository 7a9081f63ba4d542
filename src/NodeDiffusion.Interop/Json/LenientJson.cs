using System.Buffers;
using System.Text;
using System.Text.Json;
using NodeDiffusion.Graph.Workflows;

namespace NodeDiffusion.Interop.Json;

/// <summary>
/// Parses JSON as Python's json module writes it: ComfyUI saves <c>NaN</c> (from <c>is_changed</c>) and may save
/// <c>Infinity</c>, which strict JSON rejects. Those bare tokens become <c>null</c>; everything else stays strict.
/// </summary>
public static class LenientJson
{
    public static readonly JsonDocumentOptions Options = new()
    {
        MaxDepth = WorkflowLimits.MaxDepth,
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly byte[][] NonFiniteTokens = [.. new[] { "-Infinity", "Infinity", "NaN" }.Select(Encoding.ASCII.GetBytes)];

    /// <summary>Parses UTF-8 JSON of at most <see cref="WorkflowLimits.MaxJsonBytes"/> bytes; throws <see cref="InteropFormatException"/> with a readable reason.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8)
    {
        if (utf8.Length > WorkflowLimits.MaxJsonBytes)
        {
            throw new InteropFormatException($"The JSON is {utf8.Length:N0} bytes; at most {WorkflowLimits.MaxJsonBytes:N0} bytes are accepted.");
        }
        if (utf8.Length == 0)
        {
            throw new InteropFormatException("The JSON text is empty.");
        }
        var source = ReplaceNonFinite(utf8.Span) is { } replaced ? replaced : utf8;
        try
        {
            return JsonDocument.Parse(source, Options);
        }
        catch (JsonException e)
        {
            var position = e.LineNumber is { } line ? $" at line {line + 1}, byte {e.BytePositionInLine + 1}" : "";
            throw new InteropFormatException($"Not valid JSON{position}: {e.Message.Split(". ")[0]}.", e);
        }
    }

    public static JsonDocument Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    /// <summary>A copy with bare NaN/Infinity tokens (outside strings) replaced by null, or null when there are none.</summary>
    private static byte[]? ReplaceNonFinite(ReadOnlySpan<byte> json)
    {
        ArrayBufferWriter<byte>? output = null;
        var copied = 0;
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                if (c == (byte)'\\')
                {
                    i++;
                }
                else if (c == (byte)'"')
                {
                    inString = false;
                }
                continue;
            }
            if (c == (byte)'"')
            {
                inString = true;
                continue;
            }
            if (c is not ((byte)'N' or (byte)'I' or (byte)'-'))
            {
                continue;
            }
            foreach (var token in NonFiniteTokens)
            {
                if (json[i..].StartsWith(token) && (i + token.Length == json.Length || !IsIdentifierByte(json[i + token.Length])))
                {
                    output ??= new ArrayBufferWriter<byte>(json.Length + 16);
                    output.Write(json[copied..i]);
                    output.Write("null"u8);
                    i += token.Length - 1;
                    copied = i + 1;
                    break;
                }
            }
        }
        if (output is null)
        {
            return null;
        }
        output.Write(json[copied..]);
        return output.WrittenSpan.ToArray();
    }

    private static bool IsIdentifierByte(byte b) => char.IsAsciiLetterOrDigit((char)b) || b == (byte)'_';
}
