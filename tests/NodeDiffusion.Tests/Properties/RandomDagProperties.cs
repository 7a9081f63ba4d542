using CsCheck;
using NodeDiffusion.Engine;
using NodeDiffusion.Tests.Support;

namespace NodeDiffusion.Tests.Properties;

/// <summary>On random DAGs, every node the outputs need runs exactly once, after its inputs, and computes the right value.</summary>
public sealed class RandomDagProperties
{
    private sealed record RandomDag(int Count, int[] Choices)
    {
        public List<int>[] Parents()
        {
            var parents = new List<int>[Count];
            for (var i = 0; i < Count; i++)
            {
                parents[i] = [];
                for (var slot = 0; slot < 3 && i > 0; slot++)
                {
                    var pick = (Choices[(3 * i) + slot] % (i + 1)) - 1;
                    if (pick >= 0)
                    {
                        parents[i].Add(pick);
                    }
                }
            }
            return parents;
        }

        public bool HasSink(int i) => i == Count - 1 || Choices[3 * i] % 3 == 0;

        public override string ToString() => $"{Count} nodes: [{string.Join(",", Choices)}]";
    }

    private static readonly Gen<RandomDag> Dags =
        Gen.Int[1, 40].SelectMany(n => Gen.Int[0, 1_000_000].Array[3 * n].Select(choices => new RandomDag(n, choices)));

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void EveryNeededNodeRunsExactlyOnceAfterItsInputs(int parallelism)
    {
        Dags.Sample(dag =>
        {
            using var host = new TestHost(parallelism);
            var parents = dag.Parents();
            var builder = new GraphBuilder();
            for (var i = 0; i < dag.Count; i++)
            {
                if (parents[i].Count == 0)
                {
                    builder.Node($"n{i}", "TestNumber", new { value = i % 1000 });
                }
                else
                {
                    builder.Node($"n{i}", "TestSum", null, parents[i].Select((p, slot) => ("abc"[slot].ToString(), $"n{p}", 0)).ToArray());
                }
                if (dag.HasSink(i))
                {
                    builder.Node($"s{i}", "TestSink", null, ("value", $"n{i}", 0));
                }
            }

            var result = host.RunAsync(builder.Workflow).GetAwaiter().GetResult();
            Assert.Equal(ExecutionStatus.Success, result.Status);

            var needed = new HashSet<int>();
            var stack = new Stack<int>(Enumerable.Range(0, dag.Count).Where(dag.HasSink));
            while (stack.Count > 0)
            {
                var i = stack.Pop();
                if (needed.Add(i))
                {
                    parents[i].ForEach(stack.Push);
                }
            }
            var log = host.Log.Entries;
            Assert.Equal(log.Count, log.Distinct().Count());
            Assert.Equal(needed.Select(i => $"n{i}").Concat(Enumerable.Range(0, dag.Count).Where(dag.HasSink).Select(i => $"s{i}")).Order(), log.Order());
            var position = log.Select((id, index) => (id, index)).ToDictionary(p => p.id, p => p.index);
            foreach (var i in needed)
            {
                Assert.All(parents[i], p => Assert.True(position[$"n{p}"] < position[$"n{i}"]));
            }

            var values = new long[dag.Count];
            for (var i = 0; i < dag.Count; i++)
            {
                values[i] = parents[i].Count == 0 ? i % 1000 : parents[i].Sum(p => values[p]);
            }
            foreach (var i in Enumerable.Range(0, dag.Count).Where(dag.HasSink))
            {
                var text = result.Nodes.Single(n => n.NodeId == $"s{i}").Ui.Items["text"][0].Text;
                Assert.Equal(values[i].ToString(System.Globalization.CultureInfo.InvariantCulture), text);
            }
        }, iter: 60);
    }
}
