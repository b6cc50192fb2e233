// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Globalization;
using System.Runtime.InteropServices;

namespace Bellows.LabBenchmarks.Tools;

/// <summary>What /proc says about a process: CPU time of all its threads, resident memory, open descriptors.</summary>
public static partial class ProcFs
{
    private const int ScClockTick = 2;

    private static readonly long s_ticksPerSecond = ReadTicksPerSecond();

    /// <summary>utime + stime from /proc/PID/stat: CPU time of every thread of the process, user and kernel.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");

        // Field 2 (comm) is in parentheses and may hold spaces: count fields after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((double)ticks / s_ticksPerSecond);
    }

    /// <summary>VmRSS from /proc/PID/status, in bytes: the whole process, runtime and native heaps included.</summary>
    public static long ResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidDataException($"no VmRSS for pid {pid}");
    }

    public static int OpenDescriptors(int pid) => Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;

    private static long ReadTicksPerSecond()
    {
        long ticks = sysconf(ScClockTick);
        return ticks > 0 ? ticks : 100;
    }

    [LibraryImport("libc")]
    private static partial long sysconf(int name);
}
