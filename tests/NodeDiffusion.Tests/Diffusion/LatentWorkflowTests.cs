namespace NodeDiffusion.Tests.Diffusion;

/// <summary>The shipped img2img, inpaint and hires-fix workflows, run end to end on the demo checkpoint with few steps.</summary>
public sealed class LatentWorkflowTests(DemoPipelineFixture demo) : IClassFixture<DemoPipelineFixture>
{
    [Fact]
    public async Task Img2ImgAtDenoiseZeroIsTheVaeRoundTripAndHigherDenoiseChangesIt()
    {
        var host = demo.NewHost();
        var zero = WorkflowRuns.Load("img2img.json", "i2i-zero");
        zero.Set("3", "denoise", 0.0);
        var zeroPixels = await WorkflowRuns.PixelsAsync(host, zero);
        Assert.Equal(256 * 256 * 3, zeroPixels.Length);

        var roundTrip = WorkflowRuns.Load("img2img.json", "i2i-roundtrip");
        roundTrip.Nodes["8"].Links["samples"] = new NodeDiffusion.Graph.Workflows.LinkRef("11", 0);
        Assert.Equal(zeroPixels, await WorkflowRuns.PixelsAsync(demo.NewHost(), roundTrip));

        var changed = await WorkflowRuns.PixelsAsync(host, WorkflowRuns.Load("img2img.json", "i2i"));
        Assert.NotEqual(zeroPixels, changed);
    }

    [Fact]
    public async Task InpaintingWithAnotherSeedChangesTheMaskedCentreFarMoreThanTheKeptBorder()
    {
        var first = await WorkflowRuns.PixelsAsync(demo.NewHost(), WorkflowRuns.Load("inpaint.json", "inpaint-a", seed: 1));
        var second = await WorkflowRuns.PixelsAsync(demo.NewHost(), WorkflowRuns.Load("inpaint.json", "inpaint-b", seed: 2));
        Assert.Equal(256 * 256 * 3, first.Length);
        // FeatherMask 96 rounds to a mask over about pixels 47..208 (grown by 6); the border strip is ≥ 20 pixels away from it.
        double border = 0, centre = 0;
        int borderCount = 0, centreCount = 0;
        for (var y = 0; y < 256; y++)
        {
            for (var x = 0; x < 256; x++)
            {
                var diff = 0;
                for (var c = 0; c < 3; c++)
                {
                    diff += Math.Abs(first[(((y * 256) + x) * 3) + c] - second[(((y * 256) + x) * 3) + c]);
                }
                if (x < 20 || x >= 236 || y < 20 || y >= 236)
                {
                    (border, borderCount) = (border + diff, borderCount + 1);
                }
                else if (x is >= 96 and < 160 && y is >= 96 and < 160)
                {
                    (centre, centreCount) = (centre + diff, centreCount + 1);
                }
            }
        }
        (border, centre) = (border / borderCount, centre / centreCount);
        Assert.True(centre > 3, $"the masked centre hardly changed with the seed ({centre:F2} levels summed over RGB)");
        Assert.True(border < 0.25 * centre, $"the kept border changed {border:F2} levels vs {centre:F2} in the masked centre");
    }

    [Fact]
    public async Task HiresFixUpscalesTheFirstPassLatentAndResamplesIt()
    {
        var workflow = WorkflowRuns.Load("hires-fix.json", "hires");
        workflow.Set("12", "steps", 4);
        var pixels = await WorkflowRuns.PixelsAsync(demo.NewHost(), workflow);
        Assert.Equal(384 * 384 * 3, pixels.Length);

        var noSecondPass = WorkflowRuns.Load("hires-fix.json", "hires-zero");
        noSecondPass.Set("12", "steps", 4);
        noSecondPass.Set("12", "denoise", 0.0);
        Assert.NotEqual(pixels, await WorkflowRuns.PixelsAsync(demo.NewHost(), noSecondPass));
    }
}
