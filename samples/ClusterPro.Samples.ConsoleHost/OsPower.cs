using Tmds.DBus.Protocol;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>Powers the machine off or reboots it: what the final actions <c>…ShutdownOs</c> and <c>…RebootOs</c> do.</summary>
internal interface IOsPower
{
    /// <summary>How the request is made, for the log line (e.g. <c>logind over the system D-Bus</c>).</summary>
    string Via { get; }

    /// <summary>Asks for the machine to be powered off.</summary>
    Task PowerOffAsync(CancellationToken cancellationToken = default);

    /// <summary>Asks for the machine to be rebooted.</summary>
    Task RebootAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// systemd-logind's <c>org.freedesktop.login1.Manager.PowerOff(false)</c> / <c>Reboot(false)</c> over the system D-Bus:
/// logind stops every unit in order (this node's included) and powers off or reboots. logind asks polkit whether the
/// caller may (<c>org.freedesktop.login1.power-off</c> / <c>reboot</c>): root may; the unit's <c>clusterpro</c> user may
/// through the shipped polkit rule (<c>clusterpro-polkit.rules</c>). A machine without systemd has no logind on the
/// system bus (or no system bus): the call fails and the caller says the OS was not shut down.
/// </summary>
/// <param name="address">The bus address; <see langword="null"/> for the system bus (<c>DBUS_SYSTEM_BUS_ADDRESS</c>, else <c>/run/dbus/system_bus_socket</c>).</param>
internal sealed class LogindPower(string? address = null) : IOsPower
{
    public const string Service = "org.freedesktop.login1";
    public const string ObjectPath = "/org/freedesktop/login1";
    public const string Interface = "org.freedesktop.login1.Manager";

    public string Via => "systemd-logind over the system D-Bus";

    public Task PowerOffAsync(CancellationToken cancellationToken = default) => CallAsync("PowerOff", cancellationToken);

    public Task RebootAsync(CancellationToken cancellationToken = default) => CallAsync("Reboot", cancellationToken);

    private async Task CallAsync(string member, CancellationToken cancellationToken)
    {
        var bus = address ?? DBusAddress.System
            ?? throw new InvalidOperationException("there is no system D-Bus address (no systemd on this machine?)");
        using var connection = new DBusConnection(bus);
        await connection.ConnectAsync().AsTask().WaitAsync(cancellationToken);
        await connection.CallMethodAsync(Message()).WaitAsync(cancellationToken);

        MessageBuffer Message()
        {
            using var writer = connection.GetMessageWriter();
            writer.WriteMethodCallHeader(destination: Service, path: ObjectPath, @interface: Interface, member: member, signature: "b");
            writer.WriteBool(false);   // interactive: no password prompt; polkit decides
            return writer.CreateMessage();
        }
    }
}
