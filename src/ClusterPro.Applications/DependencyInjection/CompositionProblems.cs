using ClusterPro.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.Applications.DependencyInjection;

/// <summary>What composing the application resources and monitors from configuration found wrong, reported with every other problem at start-up.</summary>
/// <param name="problems">One line per problem.</param>
internal sealed class CompositionProblems(IReadOnlyList<string> problems) : IValidateOptions<ClusterProOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterProOptions options) =>
        problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
}
