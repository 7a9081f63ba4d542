using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodeDiffusion.Graph.Validation;

namespace NodeDiffusion.Engine.Planning;

/// <summary>
/// The cache key of a node before it runs: type id, version, fingerprint, literal inputs and, for each link, the
/// upstream signature plus output index. Node ids and layout never enter it, so equal sub-graphs share results.
/// </summary>
public static class NodeSignature
{
    public static string Compute(ResolvedNode node, string? fingerprint, IReadOnlyDictionary<string, string> upstreamSignatures, string? nonce)
    {
        var builder = new StringBuilder(256);
        builder.Append(node.Definition.Schema.TypeId).Append('\u001f').Append(node.Definition.Schema.Version.ToString(CultureInfo.InvariantCulture));
        if (fingerprint is not null)
        {
            builder.Append("\u001ffp=").Append(fingerprint);
        }
        if (nonce is not null)
        {
            builder.Append("\u001fnonce=").Append(nonce);
        }
        foreach (var input in node.Definition.Schema.Inputs)
        {
            if (node.Links.TryGetValue(input.Name, out var link))
            {
                builder.Append('\u001e').Append(input.Name).Append("=@").Append(upstreamSignatures[link.Node]).Append('#').Append(link.Output);
            }
            else if (node.Values.TryGetValue(input.Name, out var value))
            {
                builder.Append('\u001e').Append(input.Name).Append('=').Append(Literal(value));
            }
        }
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString()), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    private static string Literal(object? value) => value switch
    {
        null => "null",
        string text => "s:" + text,
        bool flag => flag ? "b:1" : "b:0",
        double number => "f:" + number.ToString("R", CultureInfo.InvariantCulture),
        float number => "f:" + ((double)number).ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => "i:" + formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => "o:" + value,
    };
}
