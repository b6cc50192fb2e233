// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Transport.Interop;

/// <summary>RLIMIT_NOFILE: every proxied connection costs two descriptors, so this bounds the session count.</summary>
public static unsafe class FileDescriptorLimit
{
    /// <summary>Raises the soft limit to the hard limit and returns the resulting soft limit.</summary>
    public static long RaiseToHardLimit()
    {
        LibC.RLimit limit;
        if (LibC.getrlimit(LibC.RlimitNofile, &limit) != 0)
        {
            return -1;
        }

        if (limit.Current < limit.Maximum)
        {
            var raised = new LibC.RLimit { Current = limit.Maximum, Maximum = limit.Maximum };
            if (LibC.setrlimit(LibC.RlimitNofile, &raised) == 0)
            {
                return (long)raised.Current;
            }
        }

        return (long)limit.Current;
    }

    public static long Current()
    {
        LibC.RLimit limit;
        return LibC.getrlimit(LibC.RlimitNofile, &limit) == 0 ? (long)limit.Current : -1;
    }

    /// <summary>Descriptors this process has open now (entries in /proc/self/fd).</summary>
    public static int OpenCount()
    {
        try
        {
            return Directory.GetFileSystemEntries("/proc/self/fd").Length;
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
