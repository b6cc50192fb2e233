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

    /// <summary>
    /// CPU time of <paramref name="pid"/> and every live descendant (Squid and its security_file_certgen helpers),
    /// plus what the root's children that already exited and were waited for used (cutime + cstime).
    /// </summary>
    public static TimeSpan CpuTimeOfTree(int pid)
    {
        var parents = new Dictionary<int, int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int candidate)
                && TryReadStat(candidate) is { } fields)
            {
                parents[candidate] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
        }

        var tree = new HashSet<int> { pid };
        bool grew = true;
        while (grew)
        {
            grew = false;
            foreach (var (child, parent) in parents)
            {
                if (tree.Contains(parent) && tree.Add(child))
                {
                    grew = true;
                }
            }
        }

        long ticks = 0;
        foreach (int member in tree)
        {
            if (TryReadStat(member) is { } fields)
            {
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                if (member == pid)
                {
                    ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
                }
            }
        }

        return TimeSpan.FromSeconds((double)ticks / s_ticksPerSecond);
    }

    /// <summary>The processes in the tree below <paramref name="pid"/> (not itself), by name, for the report.</summary>
    public static IReadOnlyList<string> ChildNames(int pid)
    {
        var names = new List<string>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int candidate)
                && TryReadStat(candidate) is { } fields && fields[1] == pid.ToString(CultureInfo.InvariantCulture))
            {
                string stat = File.ReadAllText($"/proc/{candidate}/stat");
                names.Add(stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..stat.LastIndexOf(')')]);
            }
        }

        return names;
    }

    /// <summary>The fields of /proc/PID/stat after comm (fields[0] is the state), or null if it has gone.</summary>
    private static string[]? TryReadStat(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
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
