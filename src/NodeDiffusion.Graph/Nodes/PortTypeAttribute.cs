namespace NodeDiffusion.Graph.Nodes;

/// <summary>Marks a data type as the value carried by a port type, so inputs and outputs of that CLR type become links.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface, Inherited = true)]
public sealed class PortTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
