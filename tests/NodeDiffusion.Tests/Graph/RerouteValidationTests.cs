using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Registry;
using NodeDiffusion.Graph.Validation;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Tests.Support;

namespace NodeDiffusion.Tests.Graph;

public sealed class RerouteValidationTests : IDisposable
{
    private readonly TestHost _host = new();

    public void Dispose() => _host.Dispose();

    private ValidationResult Validate(GraphBuilder builder) => _host.Validator.Validate(builder.Workflow);

    [Fact]
    public void EveryRegistryHasTheRerouteButObjectInfoLeavesItOutAsComfyUiDoes()
    {
        var schema = new NodeRegistry().Find("Reroute")!.Schema;
        Assert.Equal((PortTypes.Any, PortTypes.Any), (Assert.Single(schema.Inputs).Type, Assert.Single(schema.Outputs).Type));
        Assert.Equal("input", schema.Inputs[0].Name);
        Assert.NotNull(_host.Registry.Find("Reroute"));
        Assert.False(ObjectInfoWriter.Write(_host.Registry).ContainsKey("Reroute"));
        Assert.True(ObjectInfoWriter.Write(_host.Registry).ContainsKey("TestSink"));
    }

    [Fact]
    public void AChainOfReroutesResolvesToTheSourceAndNeverRuns()
    {
        var result = Validate(new GraphBuilder()
            .Node("1", "TestNumber", new { value = 5 })
            .Node("r1", "Reroute", null, ("input", "1", 0))
            .Node("r2", "Reroute", null, ("input", "r1", 0))
            .Node("2", "TestSink", null, ("value", "r2", 0)));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(new LinkRef("1", 0), result.Workflow!.Nodes["2"].Links["value"]);
        Assert.Equal(["1", "2"], result.Workflow.Nodes.Keys.Order());
    }

    [Fact]
    public void ReroutesAndBypassedNodesResolveThroughEachOther()
    {
        var builder = new GraphBuilder()
            .Node("1", "TestNumber", new { value = 5 })
            .Node("r1", "Reroute", null, ("input", "1", 0))
            .Node("b", "TestSum", null, ("a", "r1", 0))
            .Node("r2", "Reroute", null, ("input", "b", 0))
            .Node("2", "TestSink", null, ("value", "r2", 0));
        builder.Workflow.Nodes["b"].Mode = NodeMode.Bypassed;
        builder.Workflow.Nodes["r2"].Mode = NodeMode.Bypassed; // a bypassed reroute still passes its link on
        var result = Validate(builder);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(new LinkRef("1", 0), result.Workflow!.Nodes["2"].Links["value"]);
    }

    [Fact]
    public void TypesAreCheckedAgainstTheResolvedSourceAndTheErrorNamesTheReroute()
    {
        var error = Assert.Single(Validate(new GraphBuilder()
            .Node("1", "EmptyImage")
            .Node("7", "Reroute", null, ("input", "1", 0))
            .Node("2", "TestSink", null, ("value", "7", 0))).Errors);
        Assert.Equal((ValidationCodes.TypeMismatch, "2", "TestSink", "value"), (error.Code, error.NodeId, error.NodeType, error.InputName));
        Assert.Contains("expects INT", error.Message, StringComparison.Ordinal);
        Assert.Contains("through reroute 7", error.Message, StringComparison.Ordinal);
        Assert.Contains("gives IMAGE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnconnectedRerouteFeedingARequiredInputIsAMissingInputNamingTheReroute()
    {
        var error = Assert.Single(Validate(new GraphBuilder()
            .Node("r1", "Reroute")
            .Node("r2", "Reroute", null, ("input", "r1", 0))
            .Node("2", "TestSink", null, ("value", "r2", 0))).Errors);
        Assert.Equal((ValidationCodes.MissingRequiredInput, "2", "value"), (error.Code, error.NodeId, error.InputName));
        Assert.Contains("reroute r1 has no input", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnconnectedRerouteOnAnOptionalInputLeavesItEmpty()
    {
        var result = Validate(new GraphBuilder()
            .Node("r", "Reroute")
            .Node("1", "TestSum", null, ("a", "r", 0))
            .Node("2", "TestSink", null, ("value", "1", 0)));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Empty(result.Workflow!.Nodes["1"].Links);
    }

    [Fact]
    public void ACycleOfReroutesIsAnErrorNotAHang()
    {
        var errors = Validate(new GraphBuilder()
            .Node("r1", "Reroute", null, ("input", "r2", 0))
            .Node("r2", "Reroute", null, ("input", "r1", 0))
            .Node("2", "TestSink", null, ("value", "r1", 0))).Errors;
        var error = Assert.Single(errors);
        Assert.Equal((ValidationCodes.Cycle, "2", "value"), (error.Code, error.NodeId, error.InputName));
        Assert.Contains("r1 → r2 → r1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALoopBackThroughARerouteIsACycleOfTheRealNodes()
    {
        var errors = Validate(new GraphBuilder()
            .Node("1", "TestSum", null, ("a", "r", 0))
            .Node("r", "Reroute", null, ("input", "1", 0))
            .Node("2", "TestSink", null, ("value", "1", 0))).Errors;
        Assert.Equal(ValidationCodes.Cycle, Assert.Single(errors).Code);
        Assert.Equal("1", errors[0].NodeId);
    }

    [Fact]
    public void AMutedRerouteCutsItsLink()
    {
        var builder = new GraphBuilder()
            .Node("1", "TestNumber")
            .Node("r", "Reroute", null, ("input", "1", 0))
            .Node("2", "TestSink", null, ("value", "r", 0));
        builder.Workflow.Nodes["r"].Mode = NodeMode.Muted;
        var error = Assert.Single(Validate(builder).Errors);
        Assert.Equal(ValidationCodes.MissingRequiredInput, error.Code);
        Assert.Contains("reroute r is muted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARerouteToANodeThatDoesNotExistDangles()
    {
        var error = Assert.Single(Validate(new GraphBuilder()
            .Node("r", "Reroute", null, ("input", "9", 0))
            .Node("2", "TestSink", null, ("value", "r", 0))).Errors);
        Assert.Equal((ValidationCodes.DanglingLink, "2"), (error.Code, error.NodeId));
        Assert.Contains("through reroute r", error.Message, StringComparison.Ordinal);
    }
}
