namespace ClusterPro.Failover;

/// <summary>Raising <see cref="FailoverEvent"/>s to subscribers that must not break the raiser.</summary>
internal static class FailoverEventHandlers
{
    /// <summary>Calls every subscriber in turn; one that throws is reported through <paramref name="failed"/> and the rest still run.</summary>
    /// <param name="handlers">The subscribers (null: none).</param>
    /// <param name="sender">The sender they are given.</param>
    /// <param name="e">The event.</param>
    /// <param name="failed">Told of each subscriber's exception.</param>
    public static void RaiseEach(EventHandler<FailoverEvent>? handlers, object sender, FailoverEvent e, Action<Exception> failed)
    {
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<FailoverEvent>>())
        {
            try
            {
                handler(sender, e);
            }
#pragma warning disable CA1031 // A subscriber's exception never reaches the raiser.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failed(ex);
            }
        }
    }
}
