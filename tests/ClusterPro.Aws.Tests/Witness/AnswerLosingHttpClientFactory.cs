using Amazon.Runtime;

namespace ClusterPro.Aws.Tests.Witness;

/// <summary>
/// An HTTP client factory for the AWS SDK whose handler can lose the answer to a request that reached the emulator: the
/// emulator applies the write, and the answer never reaches the SDK — either the connection drops (the SDK retries) or the
/// answer never comes (the caller's timeout ends the call). The loss of a response on the network, over real HTTP.
/// </summary>
internal sealed class AnswerLosingHttpClientFactory : HttpClientFactory
{
    private readonly Lock _sync = new();
    private string? _operation;
    private bool _hang;
    private TaskCompletionSource _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Loses the answer to the next call of <paramref name="operation"/>; completes once it was lost.</summary>
    public Task LoseNext(string operation, bool hang)
    {
        lock (_sync)
        {
            _operation = operation;
            _hang = hang;
            _lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _lost.Task;
        }
    }

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Handler(this) { InnerHandler = new SocketsHttpHandler() });

    private (bool Lose, bool Hang, TaskCompletionSource Lost) Take(HttpRequestMessage request)
    {
        lock (_sync)
        {
            var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.FirstOrDefault() : null;
            if (_operation is null || target?.EndsWith("." + _operation, StringComparison.Ordinal) != true)
            {
                return (false, false, _lost);
            }

            _operation = null;
            return (true, _hang, _lost);
        }
    }

    private sealed class Handler(AnswerLosingHttpClientFactory owner) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var (lose, hang, lost) = owner.Take(request);
            var response = await base.SendAsync(request, cancellationToken);
            if (!lose)
            {
                return response;
            }

            // The emulator has applied the call; its answer goes nowhere.
            response.Dispose();
            lost.TrySetResult();
            if (hang)
            {
                await new TaskCompletionSource().Task.WaitAsync(cancellationToken);
            }

            throw new HttpRequestException("The connection was reset after the request was sent (answer lost).", new IOException("Connection reset by peer"));
        }
    }
}
