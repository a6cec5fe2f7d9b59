namespace ClusterPro.Groups;

/// <summary>Orders a group's resources: explicit dependencies first, then registration order.</summary>
internal static class DependencyOrder
{
    /// <summary>
    /// Returns the activation order: a resource comes after everything it depends on; among resources
    /// whose dependencies are met, the one registered first comes first (a stable topological sort).
    /// </summary>
    /// <param name="resources">Resource names in registration order, with what each depends on.</param>
    /// <param name="groupName">The group, for messages.</param>
    /// <returns>The activation order (deactivation is its reverse).</returns>
    /// <exception cref="InvalidOperationException">A dependency names an unknown resource, or the dependencies form a cycle (the message names it).</exception>
    public static IReadOnlyList<string> Resolve(IReadOnlyList<(string Name, IEnumerable<string> DependsOn)> resources, string groupName)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var comparer = StringComparer.OrdinalIgnoreCase;
        var index = new Dictionary<string, int>(comparer);
        for (var i = 0; i < resources.Count; i++)
        {
            index[resources[i].Name] = i;
        }

        var deps = new List<string>[resources.Count];
        for (var i = 0; i < resources.Count; i++)
        {
            deps[i] = [];
            foreach (var d in resources[i].DependsOn)
            {
                if (!index.TryGetValue(d, out var at))
                {
                    throw new InvalidOperationException(
                        $"Resource '{resources[i].Name}' in group '{groupName}' depends on '{d}', which is not a resource of that group; fix ClusterPro:Groups:{groupName}:Resources:{resources[i].Name}:DependsOn.");
                }

                deps[i].Add(resources[at].Name);
            }
        }

        var order = new List<string>(resources.Count);
        var done = new HashSet<string>(comparer);
        while (order.Count < resources.Count)
        {
            var progressed = false;
            for (var i = 0; i < resources.Count; i++)
            {
                var name = resources[i].Name;
                if (!done.Contains(name) && deps[i].All(done.Contains))
                {
                    order.Add(name);
                    done.Add(name);
                    progressed = true;
                    break;
                }
            }

            if (!progressed)
            {
                var cycle = FindCycle(resources, deps, done, index);
                throw new InvalidOperationException(
                    $"The resources of group '{groupName}' depend on each other in a cycle: {string.Join(" -> ", cycle)}; remove one of these DependsOn entries.");
            }
        }

        return order;
    }

    private static List<string> FindCycle(IReadOnlyList<(string Name, IEnumerable<string> DependsOn)> resources, List<string>[] deps, HashSet<string> done, Dictionary<string, int> index)
    {
        // Walk dependencies from any unfinished resource until a name repeats.
        var start = Enumerable.Range(0, resources.Count).First(i => !done.Contains(resources[i].Name));
        var path = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var current = start;
        while (true)
        {
            var name = resources[current].Name;
            if (seen.TryGetValue(name, out var at))
            {
                var cycle = path.Skip(at).ToList();
                cycle.Add(name);
                return cycle;
            }

            seen[name] = path.Count;
            path.Add(name);
            var next = deps[current].First(d => !done.Contains(d));
            current = index[next];
        }
    }
}
