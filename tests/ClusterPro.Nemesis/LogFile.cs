namespace ClusterPro.Nemesis;

/// <summary>A child process's output, line by line, into a file under the run's folder; lines after it is closed are dropped.</summary>
internal sealed class LogFile : IDisposable
{
    private readonly StreamWriter _writer;
    private bool _closed;

    /// <summary>Opens (appends to) the file.</summary>
    /// <param name="path">The file.</param>
    public LogFile(string path) => _writer = new StreamWriter(path, append: true) { AutoFlush = true };

    /// <summary>Writes a line.</summary>
    /// <param name="line">The line.</param>
    public void Write(string line)
    {
        lock (_writer)
        {
            if (!_closed)
            {
                _writer.WriteLine(line);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_writer)
        {
            _closed = true;
            _writer.Dispose();
        }
    }
}
