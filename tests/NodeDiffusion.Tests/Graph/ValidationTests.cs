using NodeDiffusion.Graph.Validation;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Tests.Support;

namespace NodeDiffusion.Tests.Graph;

public sealed class ValidationTests : IDisposable
{
    private readonly TestHost _host = new();

    public void Dispose() => _host.Dispose();

    private IReadOnlyList<ValidationError> Validate(GraphBuilder builder) => _host.Validator.Validate(builder.Workflow).Errors;

    [Fact]
    public void AValidGraphResolvesOnlyWhatTheOutputNeeds()
    {
        var result = _host.Validator.Validate(new GraphBuilder()
            .Node("1", "TestNumber", new { value = 5 })
            .Node("2", "TestSink", null, ("value", "1", 0))
            .Node("3", "TestNumber", new { value = 9 })
            .Workflow);
        Assert.True(result.IsValid);
        Assert.Equal(["1", "2"], result.Workflow!.Nodes.Keys.Order());
        Assert.Equal(5L, result.Workflow.Nodes["1"].Values["value"]);
    }

    [Fact]
    public void UnknownNodeTypeSuggestsTheClosestName()
    {
        var error = Assert.Single(Validate(new GraphBuilder().Node("1", "TestNumbr").Node("2", "TestSink", null, ("value", "1", 0))));
        Assert.Equal((ValidationCodes.UnknownNodeType, "1", "TestNumbr"), (error.Code, error.NodeId, error.NodeType));
        Assert.Contains("\"TestNumber\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingRequiredLinkIsReported()
    {
        var error = Assert.Single(Validate(new GraphBuilder().Node("2", "TestSink")));
        Assert.Equal((ValidationCodes.MissingRequiredInput, "2", "value"), (error.Code, error.NodeId, error.InputName));
        Assert.Contains("INT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TypeMismatchSaysWhatWasExpectedAndFound()
    {
        var error = Assert.Single(Validate(new GraphBuilder()
            .Node("1", "EmptyImage")
            .Node("2", "TestSink", null, ("value", "1", 0))));
        Assert.Equal((ValidationCodes.TypeMismatch, "2", "value"), (error.Code, error.NodeId, error.InputName));
        Assert.Contains("expects INT", error.Message, StringComparison.Ordinal);
        Assert.Contains("gives IMAGE", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1001, ValidationCodes.ValueOutOfRange)]
    [InlineData(-1, ValidationCodes.ValueOutOfRange)]
    [InlineData("five", ValidationCodes.TypeMismatch)]
    [InlineData(2.5, ValidationCodes.TypeMismatch)]
    public void WidgetValuesAreCheckedAgainstTheSchema(object value, string code)
    {
        var error = Assert.Single(Validate(new GraphBuilder()
            .Node("1", "TestNumber", new { value })
            .Node("2", "TestSink", null, ("value", "1", 0))));
        Assert.Equal((code, "1", "value"), (error.Code, error.NodeId, error.InputName));
        if (code == ValidationCodes.ValueOutOfRange)
        {
            Assert.Contains("[0, 1000]", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ComboValueNotInListNamesTheClosestOptions()
    {
        var errors = Validate(new GraphBuilder()
            .Node("1", "TestPick", new { choice = "betta", amount = 0.3, note = "n" })
            .Node("2", "TestSink", null, ("value", "1", 0)));
        var error = Assert.Single(errors);
        Assert.Equal(ValidationCodes.ValueNotInList, error.Code);
        Assert.Contains("\"beta\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingImageFileIsNotInTheInputFolderList()
    {
        File.WriteAllBytes(Path.Combine(_host.Roots.Input, "cat.png"), [1]);
        var error = Assert.Single(Validate(new GraphBuilder()
            .Node("1", "LoadImage", new { image = "cta.png" })
            .Node("2", "PreviewImage", null, ("images", "1", 0))));
        Assert.Equal((ValidationCodes.ValueNotInList, "image"), (error.Code, error.InputName));
        Assert.Contains("\"cat.png\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LinksToMissingNodesOrOutputsDangle()
    {
        var errors = Validate(new GraphBuilder()
            .Node("1", "TestNumber")
            .Node("2", "TestSum", null, ("a", "1", 3), ("b", "99", 0))
            .Node("3", "TestSink", null, ("value", "2", 0)));
        Assert.Equal(2, errors.Count(e => e.Code == ValidationCodes.DanglingLink));
        Assert.All(errors, e => Assert.Equal("2", e.NodeId));
    }

    [Fact]
    public void CyclesAreReportedOnEveryNodeOfTheCycle()
    {
        var errors = Validate(new GraphBuilder()
            .Node("1", "TestSum", null, ("a", "3", 0))
            .Node("2", "TestSum", null, ("a", "1", 0))
            .Node("3", "TestSum", null, ("a", "2", 0))
            .Node("4", "TestSink", null, ("value", "3", 0)));
        var cycle = errors.Where(e => e.Code == ValidationCodes.Cycle).Select(e => e.NodeId).Order().ToList();
        Assert.Equal(["1", "2", "3"], cycle);
        Assert.Contains("→", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AWorkflowWithoutOutputsIsRefused()
    {
        var error = Assert.Single(Validate(new GraphBuilder().Node("1", "TestNumber")));
        Assert.Equal(ValidationCodes.NoOutputs, error.Code);
    }

    [Fact]
    public void UnknownInputNamesAreErrors()
    {
        var error = Assert.Single(Validate(new GraphBuilder()
            .Node("1", "TestNumber", new { valeu = 3 })
            .Node("2", "TestSink", null, ("value", "1", 0))));
        Assert.Equal((ValidationCodes.UnknownInput, "valeu"), (error.Code, error.InputName));
        Assert.Contains("\"value\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AllErrorsAreReportedAtOnce()
    {
        var errors = Validate(new GraphBuilder()
            .Node("1", "TestNumber", new { value = 5000 })
            .Node("2", "Nope")
            .Node("3", "TestSum", null, ("a", "1", 0), ("b", "2", 0), ("c", "9", 0))
            .Node("4", "TestSink", null, ("value", "3", 0))
            .Node("5", "TestSink"));
        Assert.Equal(
            [ValidationCodes.DanglingLink, ValidationCodes.MissingRequiredInput, ValidationCodes.UnknownNodeType, ValidationCodes.ValueOutOfRange],
            errors.Select(e => e.Code).Order().ToArray());
    }

    [Fact]
    public void BypassedNodesPassTheirMatchingInputThrough()
    {
        var builder = new GraphBuilder()
            .Node("1", "TestNumber", new { value = 4 })
            .Node("2", "TestSum", null, ("a", "1", 0))
            .Node("3", "TestSink", null, ("value", "2", 0));
        builder.Workflow.Nodes["2"].Mode = NodeMode.Bypassed;
        var result = _host.Validator.Validate(builder.Workflow);
        Assert.True(result.IsValid);
        Assert.Equal(new LinkRef("1", 0), result.Workflow!.Nodes["3"].Links["value"]);
        Assert.DoesNotContain("2", result.Workflow.Nodes.Keys);
    }

    [Fact]
    public void ALinkFromAMutedNodeLeavesTheInputMissing()
    {
        var builder = new GraphBuilder()
            .Node("1", "TestNumber", new { value = 4 })
            .Node("3", "TestSink", null, ("value", "1", 0));
        builder.Workflow.Nodes["1"].Mode = NodeMode.Muted;
        var error = Assert.Single(_host.Validator.Validate(builder.Workflow).Errors);
        Assert.Equal((ValidationCodes.MissingRequiredInput, "3"), (error.Code, error.NodeId));
        Assert.Contains("muted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MutedOutputsDoNotRun()
    {
        var builder = new GraphBuilder().Node("1", "TestNumber").Node("2", "TestSink", null, ("value", "1", 0));
        builder.Workflow.Nodes["2"].Mode = NodeMode.Muted;
        Assert.Equal(ValidationCodes.NoOutputs, Assert.Single(_host.Validator.Validate(builder.Workflow).Errors).Code);
    }

    [Fact]
    public void AWidgetFedByALinkTakesTheLink()
    {
        var result = _host.Validator.Validate(new GraphBuilder()
            .Node("1", "TestNumber", new { value = 7 })
            .Node("2", "TestNumber", new { value = 3 }, ("value", "1", 0))
            .Node("3", "TestSink", null, ("value", "2", 0))
            .Workflow);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(new LinkRef("1", 0), result.Workflow!.Nodes["2"].Links["value"]);
    }
}
