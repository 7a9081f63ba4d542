namespace NodeDiffusion.Diffusion.Sampling.Samplers;

/// <summary>
/// k-diffusion <c>sample_ipndm</c> / <c>sample_ipndm_v</c> (ComfyUI, from zju-pi/diff-sampler): Adams–Bashforth on the
/// derivative history up to order 4, with fixed coefficients (ipndm) or coefficients for variable step sizes (ipndm_v).
/// </summary>
public sealed class IpndmSampler(bool variableStep, int maxOrder = 4) : KDiffusionSampler
{
    public override string Name => variableStep ? "ipndm_v" : "ipndm";

    protected override void Run(SamplerRun run)
    {
        var x = run.X;
        var t = run.Sigmas;
        Span<float> denoised = run.NewBuffer();
        var history = new float[maxOrder][];
        for (var k = 0; k < maxOrder; k++)
        {
            history[k] = run.NewBuffer();
        }
        Span<double> coefficients = stackalloc double[maxOrder];
        for (var i = 0; i < run.Steps; i++)
        {
            double tCur = t[i];
            double tNext = t[i + 1];
            run.Denoise(x, (float)tCur, denoised);
            run.Report(i, (float)tCur, x, denoised);
            // history[i % maxOrder] is the newest derivative d_cur, history[(i − k) % maxOrder] the k-th previous one.
            var current = history[i % maxOrder];
            SamplerMath.ToDerivative(x, denoised, tCur, current);
            var order = Math.Min(maxOrder, i + 1);
            if (tNext == 0)
            {
                denoised.CopyTo(x);
                continue;
            }
            if (variableStep)
            {
                VariableCoefficients(t, i, order, coefficients);
            }
            else
            {
                FixedCoefficients(order, coefficients);
            }
            var dt = tNext - tCur;
            for (var k = 0; k < order; k++)
            {
                SamplerMath.AddScaled(x, history[(i - k) % maxOrder], dt * coefficients[k]);
            }
        }
    }

    private static void FixedCoefficients(int order, Span<double> c)
    {
        switch (order)
        {
            case 1:
                c[0] = 1;
                break;
            case 2:
                c[0] = 3.0 / 2;
                c[1] = -1.0 / 2;
                break;
            case 3:
                c[0] = 23.0 / 12;
                c[1] = -16.0 / 12;
                c[2] = 5.0 / 12;
                break;
            default:
                c[0] = 55.0 / 24;
                c[1] = -59.0 / 24;
                c[2] = 37.0 / 24;
                c[3] = -9.0 / 24;
                break;
        }
    }

    private static void VariableCoefficients(ReadOnlySpan<float> t, int i, int order, Span<double> c)
    {
        if (order == 1)
        {
            c[0] = 1;
            return;
        }
        double hN = t[i + 1] - t[i];
        double hN1 = t[i] - t[i - 1];
        if (order == 2)
        {
            c[0] = (2 + hN / hN1) / 2;
            c[1] = -(hN / hN1) / 2;
            return;
        }
        double hN2 = t[i - 1] - t[i - 2];
        var temp1 = (1 - hN / (3 * (hN + hN1)) * (hN * (hN + hN1)) / (hN1 * (hN1 + hN2))) / 2;
        if (order == 3)
        {
            c[0] = (2 + hN / hN1) / 2 + temp1;
            c[1] = -(hN / hN1) / 2 - (1 + hN1 / hN2) * temp1;
            c[2] = temp1 * hN1 / hN2;
            return;
        }
        double hN3 = t[i - 2] - t[i - 3];
        var temp2 = ((1 - hN / (3 * (hN + hN1))) / 2 + (1 - hN / (2 * (hN + hN1))) * hN / (6 * (hN + hN1 + hN2)))
            * (hN * (hN + hN1) * (hN + hN1 + hN2)) / (hN1 * (hN1 + hN2) * (hN1 + hN2 + hN3));
        var ratio = hN1 * (hN1 + hN2) / (hN2 * (hN2 + hN3));
        c[0] = (2 + hN / hN1) / 2 + temp1 + temp2;
        c[1] = -(hN / hN1) / 2 - (1 + hN1 / hN2) * temp1 - (1 + hN1 / hN2 + ratio) * temp2;
        c[2] = temp1 * hN1 / hN2 + (hN1 / hN2 + ratio * (1 + hN2 / hN3)) * temp2;
        c[3] = -temp2 * ratio * hN1 / hN2;
    }
}
