// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Host.Commands;

/// <summary>A command line that cannot be acted on; printed without a stack trace.</summary>
internal sealed class CommandLineException(string message) : Exception(message);
