namespace ClusterPro.Resources;

/// <summary>A group resource built from two delegates; handy for host-specific resources (start a process, mount a share).</summary>
public sealed class DelegateGroupResource : IGroupResource
{
    private readonly Func<ResourceContext, CancellationToken, Task<ResourceResult>> _activate;
    private readonly Func<ResourceContext, CancellationToken, Task<ResourceResult>> _deactivate;

    /// <summary>Creates the resource.</summary>
    /// <param name="name">The resource name.</param>
    /// <param name="activate">Activation; must be idempotent.</param>
    /// <param name="deactivate">Deactivation; must be idempotent.</param>
    public DelegateGroupResource(
        string name,
        Func<ResourceContext, CancellationToken, Task<ResourceResult>> activate,
        Func<ResourceContext, CancellationToken, Task<ResourceResult>> deactivate)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(activate);
        ArgumentNullException.ThrowIfNull(deactivate);
        Name = name;
        _activate = activate;
        _deactivate = deactivate;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public Task<ResourceResult> ActivateAsync(ResourceContext context, CancellationToken cancellationToken = default) =>
        _activate(context, cancellationToken);

    /// <inheritdoc />
    public Task<ResourceResult> DeactivateAsync(ResourceContext context, CancellationToken cancellationToken = default) =>
        _deactivate(context, cancellationToken);
}
