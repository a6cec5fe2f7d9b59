using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using ClusterPro.Aws.Testing.Hosting;
using ClusterPro.Aws.Testing.Route53;

namespace ClusterPro.Aws.Testing.Dns;

/// <summary>
/// Answers DNS queries on loopback for the emulator's hosted zones as they stand once INSYNC:
/// the records of a known name, NXDOMAIN (with the zone's SOA) for a missing name in a known zone,
/// REFUSED outside every zone. Wire format by ARSoft.Tools.Net.
/// </summary>
internal sealed class DnsResponder : IDisposable
{
    private readonly EmulatorState _state;
    private readonly DnsServer _server;

    private DnsResponder(EmulatorState state, IPEndPoint endpoint)
    {
        _state = state;
        Endpoint = endpoint;
        _server = new DnsServer(new UdpServerTransport(endpoint));
        _server.QueryReceived += OnQueryReceivedAsync;
    }

    public IPEndPoint Endpoint { get; }

    public static DnsResponder Start(EmulatorState state, int port)
    {
        // ARSoft binds the port itself, so a free port is picked first; another process may take it in between, so retry.
        for (var attempt = 1; ; attempt++)
        {
            var chosen = port;
            if (port == 0)
            {
                using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
                chosen = ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
            }

            var responder = new DnsResponder(state, new IPEndPoint(IPAddress.Loopback, chosen));
            try
            {
                responder._server.Start();
                return responder;
            }
            catch (SocketException ex) when (port == 0 && attempt < 10 && ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                responder.Dispose();
            }
        }
    }

    public void Dispose()
    {
        try
        {
            _server.Stop();
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OperationCanceledException))
        {
            // ARSoft cancels its accept loop on Stop(); a server stopped right after it started reports that cancellation.
        }
    }

    private Task OnQueryReceivedAsync(object sender, QueryReceivedEventArgs e)
    {
        if (e.Query is not DnsMessage query)
        {
            return Task.CompletedTask;
        }

        var response = query.CreateResponseInstance();
        response.IsRecursionAllowed = false;
        if (query.Questions.Count != 1)
        {
            response.ReturnCode = ReturnCode.FormatError;
            e.Response = response;
            return Task.CompletedTask;
        }

        var question = query.Questions[0];
        var name = Route53State.NormalizeName(question.Name.ToString());
        lock (_state.Sync)
        {
            var zone = _state.Route53.Zones.Values
                .Where(z => name == z.Name || name.EndsWith("." + z.Name, StringComparison.Ordinal))
                .OrderByDescending(z => z.Name.Length)
                .FirstOrDefault();
            if (zone is null)
            {
                response.ReturnCode = ReturnCode.Refused;
                e.Response = response;
                return Task.CompletedTask;
            }

            _state.Route53.Publish(zone);
            response.IsAuthoritiveAnswer = true;
            var atName = zone.Published.Where(r => r.Name == name).ToList();
            var type = question.RecordType.ToString().ToUpperInvariant();
            foreach (var set in atName.Where(r => r.Type == type && type is "A" or "AAAA"))
            {
                foreach (var value in set.Values)
                {
                    if (IPAddress.TryParse(value, out var ip))
                    {
                        response.AnswerRecords.Add(new ARecord(question.Name, (int)set.Ttl, ip));
                    }
                }
            }

            response.ReturnCode = atName.Count == 0 ? ReturnCode.NxDomain : ReturnCode.NoError;
            if (response.AnswerRecords.Count == 0)
            {
                response.AuthorityRecords.Add(new SoaRecord(
                    DomainName.Parse(zone.Name), 900, DomainName.Parse("ns-1.emulator.invalid."), DomainName.Parse("awsdns-hostmaster.amazon.com."), 1, 7200, 900, 1209600, 86400));
            }
        }

        e.Response = response;
        return Task.CompletedTask;
    }
}
