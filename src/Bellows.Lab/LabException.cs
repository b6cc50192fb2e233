// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Lab;

/// <summary>The lab could not be built or driven (missing tool, not root, a command failed).</summary>
public sealed class LabException : Exception
{
    public LabException()
    {
    }

    public LabException(string message)
        : base(message)
    {
    }

    public LabException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
