// The application resources run Linux processes (process groups, signals, /proc); so do their tests.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
