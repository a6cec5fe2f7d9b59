// Each test class runs real node processes and a browser: one at a time on a 2-core machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
