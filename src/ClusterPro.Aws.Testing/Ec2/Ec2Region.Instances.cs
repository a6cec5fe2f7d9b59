namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>Instances: launch, stop, start, terminate, and the transitions between their states.</summary>
internal sealed partial class Ec2Region
{
    /// <summary>Launches one running instance into a subnet (the canonical scenario's way).</summary>
    public InstanceModel RunInstance(string subnetId, string? privateIp, string? imageId, string? instanceType, IReadOnlyList<string>? groups = null) =>
        RunInstances(new InstanceLaunch([new LaunchInterface(0) { Spec = new InterfaceSpec(subnetId) { PrivateIp = privateIp, Groups = groups ?? [], Description = "Primary network interface" } }])
        {
            ImageId = imageId,
            InstanceType = instanceType,
        })[0];

    public List<InstanceModel> RunInstances(InstanceLaunch launch)
    {
        if (launch.KeyName is { } keyName && !KeyPairs.ContainsKey(keyName))
        {
            throw new AwsErrorException("InvalidKeyPair.NotFound", $"The key pair '{keyName}' does not exist");
        }

        var primary = launch.Interfaces.FirstOrDefault(i => i.DeviceIndex == 0)
            ?? throw new AwsErrorException("InvalidParameterValue", "Each instance must have a network interface at device index 0.");
        if (launch.Interfaces.Select(i => i.DeviceIndex).Distinct().Count() != launch.Interfaces.Count)
        {
            throw new AwsErrorException("InvalidParameterValue", "Each network interface requires a unique device index.");
        }

        if (launch.Interfaces.Count > 1 && launch.Interfaces.Any(i => i.AssociatePublicIp == true))
        {
            throw new AwsErrorException("InvalidParameterCombination", "The associatePublicIPAddress parameter cannot be specified when launching with multiple network interfaces.");
        }

        if (launch.Interfaces.Any(i => i.NetworkInterfaceId is not null && i.AssociatePublicIp is not null))
        {
            throw new AwsErrorException("InvalidParameterCombination", "The associatePublicIPAddress parameter cannot be specified for a network interface ID.");
        }

        if (launch.Count > 1 && launch.Interfaces.Any(i => i.NetworkInterfaceId is not null))
        {
            throw new AwsErrorException("InvalidParameterCombination", "A network interface ID cannot be specified when launching more than one instance.");
        }

        var existing = launch.Interfaces.Where(i => i.NetworkInterfaceId is not null).Select(i => Eni(i.NetworkInterfaceId!)).ToList();
        if (existing.FirstOrDefault(e => e.InstanceId is not null) is { } busy)
        {
            throw new AwsErrorException("InvalidNetworkInterface.InUse", $"Interface: [{busy.Id}] in use.");
        }

        var subnets = launch.Interfaces.Select(i => i.NetworkInterfaceId is { } id ? Subnet(Eni(id).SubnetId) : Subnet(i.Spec!.SubnetId)).ToList();
        if (subnets.Select(s => s.Zone.Name).Distinct().Count() > 1)
        {
            throw new AwsErrorException("InvalidParameterValue", "All network interfaces of an instance must be in the same availability zone.");
        }

        string? reservation = null;
        var instances = new List<InstanceModel>();
        for (var n = 0; n < launch.Count; n++)
        {
            var enis = launch.Interfaces.OrderBy(i => i.DeviceIndex).Select(i =>
            {
                var eni = i.NetworkInterfaceId is { } existingId
                    ? Eni(existingId)
                    : CreateNetworkInterface(n == 0 ? i.Spec! : i.Spec! with { PrivateIp = null, SecondaryIps = [] });
                eni.DeviceIndex = i.DeviceIndex;
                eni.DeleteOnTermination = i.NetworkInterfaceId is null && i.DeleteOnTermination;
                eni.MapsPublicIp = launch.Interfaces.Count == 1 && i.NetworkInterfaceId is null && (i.AssociatePublicIp ?? Subnet(eni.SubnetId).MapPublicIpOnLaunch);
                return eni;
            }).ToList();
            var first = enis[0];
            var id = _ids.Next("i");
            reservation ??= "r-" + id[2..];
            var instance = new InstanceModel
            {
                Id = id,
                ReservationId = reservation,
                SubnetId = first.SubnetId,
                VpcId = first.VpcId,
                Zone = first.Zone,
                PrimaryEniId = first.Id,
                LaunchTime = Now,
                LaunchIndex = n,
                ImageId = launch.ImageId ?? "ami-00000000000000000",
                InstanceType = launch.InstanceType ?? "t3.micro",
                KeyName = launch.KeyName,
                DisableApiTermination = launch.DisableApiTermination,
                DisableApiStop = launch.DisableApiStop,
                State = launch.Pending ? "pending" : "running",
                Transition = launch.Pending ? ("running", Now + _startDelay()) : null,
            };
            foreach (var eni in enis)
            {
                eni.InstanceId = instance.Id;
                eni.AttachmentId = _ids.Next("eni-attach");
                eni.AutoPublicIp = eni.MapsPublicIp ? NewPublicIp() : null;
            }

            Instances[instance.Id] = instance;
            instances.Add(instance);
        }

        return instances;
    }

    public List<(InstanceModel Instance, string Previous)> StopInstances(IReadOnlyList<string> ids, bool force)
    {
        var changes = Changes(ids);
        if (changes.Select(c => c.Instance).FirstOrDefault(i => i.State is "terminated" or "shutting-down") is { } gone)
        {
            throw new AwsErrorException("IncorrectInstanceState", $"The instance '{gone.Id}' is not in a state from which it can be stopped.");
        }

        if (changes.Select(c => c.Instance).FirstOrDefault(i => i.DisableApiStop) is { } protectedInstance)
        {
            throw new AwsErrorException("OperationNotPermitted", $"The instance '{protectedInstance.Id}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.");
        }

        foreach (var (instance, previous) in changes)
        {
            if (previous is "running" or "pending")
            {
                instance.State = "stopping";
                instance.Transition = ("stopped", Now + _stopDelay(force));
            }
            else if (previous is "stopping" && force && instance.Transition is { } t && Now + _stopDelay(true) < t.Due)
            {
                instance.Transition = ("stopped", Now + _stopDelay(true));
            }
        }

        Refresh();
        return changes;
    }

    public List<(InstanceModel Instance, string Previous)> StartInstances(IReadOnlyList<string> ids)
    {
        var changes = Changes(ids);
        foreach (var (instance, previous) in changes)
        {
            if (previous is "stopping" or "shutting-down" or "terminated")
            {
                throw new AwsErrorException("IncorrectInstanceState", $"The instance '{instance.Id}' is not in a state from which it can be started.");
            }
        }

        foreach (var (instance, previous) in changes.Where(c => c.Previous == "stopped"))
        {
            instance.State = "pending";
            instance.Transition = ("running", Now + _startDelay());
            foreach (var eni in Enis.Values.Where(e => e.InstanceId == instance.Id && e.MapsPublicIp))
            {
                eni.AutoPublicIp = NewPublicIp();
            }
        }

        Refresh();
        return changes;
    }

    /// <summary>Terminates instances: <c>shutting-down</c>, then <c>terminated</c> after the stop delay, when their interfaces and volumes go.</summary>
    public List<(InstanceModel Instance, string Previous)> TerminateInstances(IReadOnlyList<string> ids)
    {
        var changes = Changes(ids);
        if (changes.Select(c => c.Instance).FirstOrDefault(i => i.DisableApiTermination) is { } protectedInstance)
        {
            throw new AwsErrorException("OperationNotPermitted", $"The instance '{protectedInstance.Id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.");
        }

        foreach (var (instance, previous) in changes.Where(c => c.Previous is not ("terminated" or "shutting-down")))
        {
            instance.State = "shutting-down";
            instance.Transition = ("terminated", Now + _stopDelay(false));
        }

        Refresh();
        return changes;
    }

    /// <summary>Completes instance state transitions whose time has come.</summary>
    public void Refresh()
    {
        var now = Now;
        foreach (var instance in Instances.Values)
        {
            if (instance.Transition is { } t && now >= t.Due)
            {
                instance.State = t.Target;
                instance.Transition = null;
                switch (t.Target)
                {
                    case "stopped":
                        foreach (var eni in Enis.Values.Where(e => e.InstanceId == instance.Id))
                        {
                            eni.AutoPublicIp = null;
                        }

                        break;
                    case "terminated":
                        Release(instance);
                        break;
                }
            }
        }
    }

    private List<(InstanceModel Instance, string Previous)> Changes(IReadOnlyList<string> ids)
    {
        if (ids.Count == 0)
        {
            throw new AwsErrorException("MissingParameter", "The request must contain the parameter InstanceId");
        }

        return ids.Select(Instance).ToList().Select(i => (i, i.State)).ToList();
    }

    /// <summary>What termination frees: interfaces (deleted or detached), volumes (deleted or detached), the public address.</summary>
    private void Release(InstanceModel instance)
    {
        foreach (var eni in Enis.Values.Where(e => e.InstanceId == instance.Id).ToList())
        {
            if (eni.DeleteOnTermination)
            {
                RemoveNetworkInterface(eni);
            }
            else
            {
                eni.InstanceId = null;
                eni.AttachmentId = null;
                eni.AutoPublicIp = null;
                eni.MapsPublicIp = false;
            }
        }

        foreach (var volume in Volumes.Values.Where(v => v.Attachments.Any(a => a.InstanceId == instance.Id)).ToList())
        {
            if (volume.Attachments.Single(a => a.InstanceId == instance.Id).DeleteOnTermination && volume.Attachments.Count == 1)
            {
                Volumes.Remove(volume.Id);
                Tags.Remove(volume.Id);
            }
            else
            {
                volume.Attachments.RemoveAll(a => a.InstanceId == instance.Id);
            }
        }
    }
}
