using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Models.Architectures.IpAdapter;
using NodeDiffusion.Models.Checkpoints;

namespace NodeDiffusion.Nodes.Diffusion.Values;

/// <summary>IPADAPTER: an IP-Adapter file in models/ipadapter and what it holds.</summary>
[PortType(PortTypes.IpAdapter)]
public sealed record IpAdapterHandle(string Name, string Path, string Fingerprint, IpAdapterLayout Layout)
{
    public IpAdapterApplication ToApplication() => new(Path, Fingerprint, Layout);

    public override string ToString() => $"IPADAPTER({Name}, {Layout.Kind}, {Layout.Tokens} tokens)";
}
