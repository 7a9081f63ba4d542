namespace NodeDiffusion.Diffusion.Sampling.Samplers;

/// <summary>
/// ComfyUI's UniPC (comfy/extra_samplers/uni_pc.py <c>sample_unipc</c>): multistep predictor–corrector of order
/// min(3, steps − 1) on the data prediction, in VP scaling (x/√(σ²+1)) with λ = −ln σ; B(h) = h for "bh1" (uni_pc) and
/// e^h − 1 for "bh2" (uni_pc_bh2). A final σ of 0 is replaced by 0.001, and the last step runs no corrector.
/// KSampler gives this sampler one extra schedule step and drops the penultimate σ.
/// </summary>
public sealed class UniPcSampler(bool bh2) : KDiffusionSampler
{
    private const int MaxOrder = 3;

    public override string Name => bh2 ? "uni_pc_bh2" : "uni_pc";

    protected override void Run(SamplerRun run)
    {
        var count = run.Sigmas.Length;
        var timesteps = new double[count];
        for (var i = 0; i < count; i++)
        {
            timesteps[i] = run.Sigmas[i];
        }
        if (timesteps[^1] == 0)
        {
            timesteps[^1] = 0.001;
        }
        var state = new State(run, bh2);
        var x = run.X;
        SamplerMath.Scale(x, 1 / Math.Sqrt(1 + timesteps[0] * timesteps[0]));

        var steps = count - 1;
        var order = Math.Min(MaxOrder, count - 2);
        for (var stepIndex = 0; stepIndex < steps; stepIndex++)
        {
            if (stepIndex == 0)
            {
                state.Push(timesteps[0]);
                state.DataPrediction(run, x, timesteps[0], state.Newest);
            }
            else if (stepIndex < order)
            {
                state.Update(run, x, timesteps[stepIndex], stepIndex, useCorrector: true);
            }
            else
            {
                var last = stepIndex == steps - 1 ? stepIndex + 1 : stepIndex;
                for (var step = stepIndex; step <= last; step++)
                {
                    var stepOrder = Math.Min(order, steps + 1 - step);
                    state.Update(run, x, timesteps[step], stepOrder, useCorrector: step != steps);
                }
            }
            run.Report(stepIndex, run.Sigmas[stepIndex], x, state.Newest);
        }
        SamplerMath.Scale(x, Math.Sqrt(1 + timesteps[^1] * timesteps[^1]));
    }

    /// <summary>The model-output and timestep history (oldest first) and the step's scratch buffers.</summary>
    private sealed class State
    {
        private readonly bool _bh2;
        private readonly float[][] _models = new float[MaxOrder][];
        private readonly double[] _times = new double[MaxOrder];
        private readonly float[][] _d1 = new float[MaxOrder - 1][];
        private readonly float[] _xBase;
        private readonly float[] _d1t;
        private readonly float[] _veInput;
        private int _count;

        public State(SamplerRun run, bool bh2)
        {
            _bh2 = bh2;
            for (var i = 0; i < MaxOrder; i++)
            {
                _models[i] = run.NewBuffer();
            }
            for (var i = 0; i < MaxOrder - 1; i++)
            {
                _d1[i] = run.NewBuffer();
            }
            _xBase = run.NewBuffer();
            _d1t = run.NewBuffer();
            _veInput = run.NewBuffer();
        }

        public float[] Newest => _models[_count - 1];

        /// <summary>Appends a history slot for timestep <paramref name="t"/>, dropping the oldest when full.</summary>
        public void Push(double t)
        {
            if (_count < MaxOrder)
            {
                _times[_count++] = t;
                return;
            }
            var oldest = _models[0];
            for (var i = 0; i < MaxOrder - 1; i++)
            {
                _models[i] = _models[i + 1];
                _times[i] = _times[i + 1];
            }
            _models[MaxOrder - 1] = oldest;
            _times[MaxOrder - 1] = t;
        }

        /// <summary>x₀ prediction at σ for a VP-scaled latent: the denoiser applied to the latent rescaled to VE.</summary>
        public void DataPrediction(SamplerRun run, ReadOnlySpan<float> xVp, double sigma, Span<float> destination)
        {
            SamplerMath.Combine(Math.Sqrt(sigma * sigma + 1), xVp, 0, xVp, _veInput);
            run.Denoise(_veInput, (float)sigma, destination);
        }

        /// <summary>
        /// One UniPC step of the given order from the newest history entry to t. The corrector's model evaluation (at the
        /// predicted latent) becomes the newest history entry; without a corrector (the final step) the history is left as is.
        /// </summary>
        public void Update(SamplerRun run, Span<float> x, double t, int order, bool useCorrector)
        {
            var historyCount = _count;
            var tPrev0 = _times[historyCount - 1];
            var modelPrev0 = _models[historyCount - 1];
            var lambdaPrev0 = -Math.Log(tPrev0);
            var lambdaT = -Math.Log(t);
            var sigmaPrev0 = tPrev0 / Math.Sqrt(tPrev0 * tPrev0 + 1);
            var sigmaT = t / Math.Sqrt(t * t + 1);
            var alphaT = 1 / Math.Sqrt(t * t + 1);
            var h = lambdaT - lambdaPrev0;

            Span<double> rks = stackalloc double[order];
            for (var i = 1; i < order; i++)
            {
                var lambdaPrevI = -Math.Log(_times[historyCount - 1 - i]);
                var rk = (lambdaPrevI - lambdaPrev0) / h;
                rks[i - 1] = rk;
                SamplerMath.Combine(1 / rk, _models[historyCount - 1 - i], -1 / rk, modelPrev0, _d1[i - 1]);
            }
            rks[order - 1] = 1;

            var hh = -h;
            var hPhi1 = SamplerMath.ExpM1(hh);
            var hPhiK = hPhi1 / hh - 1;
            var factorial = 1.0;
            var bH = _bh2 ? SamplerMath.ExpM1(hh) : hh;
            Span<double> r = stackalloc double[order * order];
            Span<double> b = stackalloc double[order];
            for (var i = 1; i <= order; i++)
            {
                for (var k = 0; k < order; k++)
                {
                    r[(i - 1) * order + k] = Math.Pow(rks[k], i - 1);
                }
                b[i - 1] = hPhiK * factorial / bH;
                factorial *= i + 1;
                hPhiK = hPhiK / hh - 1 / factorial;
            }

            var d1Count = order - 1;
            Span<double> rhosP = stackalloc double[Math.Max(d1Count, 1)];
            if (d1Count > 0)
            {
                if (order == 2)
                {
                    rhosP[0] = 0.5;
                }
                else
                {
                    SmallLinearSystem.Solve(r, order, d1Count, b[..d1Count], rhosP[..d1Count]);
                }
            }
            Span<double> rhosC = stackalloc double[order];
            if (useCorrector)
            {
                if (order == 1)
                {
                    rhosC[0] = 0.5;
                }
                else
                {
                    SmallLinearSystem.Solve(r, order, order, b, rhosC);
                }
            }

            SamplerMath.Combine(sigmaT / sigmaPrev0, x, -alphaT * hPhi1, modelPrev0, _xBase);
            _xBase.CopyTo(x);
            for (var k = 0; k < d1Count; k++)
            {
                SamplerMath.AddScaled(x, _d1[k], -alphaT * bH * rhosP[k]);
            }

            if (useCorrector)
            {
                Push(t);
                var modelT = Newest;
                DataPrediction(run, x, t, modelT);
                _xBase.CopyTo(x);
                for (var k = 0; k < d1Count; k++)
                {
                    SamplerMath.AddScaled(x, _d1[k], -alphaT * bH * rhosC[k]);
                }
                SamplerMath.Combine(1, modelT, -1, modelPrev0, _d1t);
                SamplerMath.AddScaled(x, _d1t, -alphaT * bH * rhosC[order - 1]);
            }
        }
    }
}
