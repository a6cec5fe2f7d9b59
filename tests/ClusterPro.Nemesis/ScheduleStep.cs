namespace ClusterPro.Nemesis;

/// <summary>
/// One step of a schedule: an action at <see cref="At"/> seconds after the faults begin, or, with
/// <see cref="AfterStopRequestBy"/>, <see cref="At"/> seconds after that node's first StopInstances request reaches its
/// proxy (so that a peer can be woken while a fence is in flight).
/// </summary>
/// <param name="At">Seconds after the faults begin (or after the trigger).</param>
/// <param name="Action">What to do.</param>
/// <param name="AfterStopRequestBy">A node whose StopInstances request triggers the step, or null.</param>
/// <param name="Id">
/// Names the step, so that a later step can act on the node this one's role resolved to (<c>=Id</c> as its node): the
/// node frozen as the owner is the one woken, even when the group has moved since.
/// </param>
internal sealed record ScheduleStep(double At, NemesisAction Action, string? AfterStopRequestBy = null, int? Id = null);
