//! What the benchmark reads from the operating system: thread and process CPU time, this
//! process's peak memory, a child process's wall time, CPU time and peak memory, and (through a
//! counting global allocator) the heap each stage of a plan needs. Linux.

use std::alloc::{GlobalAlloc, Layout, System};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// CPU time of the calling thread (`CLOCK_THREAD_CPUTIME_ID`): what a pure function costs,
/// unaffected by the emulator's and the runtime's threads.
pub fn thread_cpu() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec; the clock id is a constant Linux knows.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

fn rusage(who: libc::c_int) -> libc::rusage {
    // SAFETY: rusage is plain old data; all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is valid and writable; `who` is RUSAGE_SELF.
    let status = unsafe { libc::getrusage(who, &mut usage) };
    assert_eq!(status, 0, "getrusage failed");
    usage
}

fn cpu_of(usage: &libc::rusage) -> Duration {
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1_000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// User plus system CPU time of this whole process, every thread included.
pub fn process_cpu() -> Duration {
    cpu_of(&rusage(libc::RUSAGE_SELF))
}

/// A field of /proc/self/status in bytes (`VmHWM`, `VmRSS`), if readable.
fn status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status
        .lines()
        .find(|line| line.starts_with(field) && line[field.len()..].starts_with(':'))?;
    let kib: u64 = line[field.len() + 1..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

/// This process's peak resident memory so far.
pub fn peak_rss() -> Option<u64> {
    status_bytes("VmHWM")
}

/// This process's resident memory now.
pub fn current_rss() -> Option<u64> {
    status_bytes("VmRSS")
}

/// A finished child process.
#[derive(Debug, Clone)]
pub struct ChildRun {
    pub wall: Duration,
    pub cpu: Duration,
    pub peak_rss: u64,
    /// The exit code, or `None` when a signal ended it.
    pub exit_code: Option<i32>,
}

impl ChildRun {
    /// One line for the wrapper process to print: wall ns, CPU ns, peak bytes, exit code.
    pub fn render(&self) -> String {
        format!(
            "{} {} {} {}",
            self.wall.as_nanos(),
            self.cpu.as_nanos(),
            self.peak_rss,
            self.exit_code
                .map_or("signal".to_string(), |code| code.to_string())
        )
    }

    /// Reads what `render` wrote.
    pub fn parse(line: &str) -> Option<ChildRun> {
        let mut fields = line.split_whitespace();
        let nanos = |text: &str| text.parse::<u64>().ok().map(Duration::from_nanos);
        Some(ChildRun {
            wall: nanos(fields.next()?)?,
            cpu: nanos(fields.next()?)?,
            peak_rss: fields.next()?.parse().ok()?,
            exit_code: fields.next()?.parse().ok(),
        })
    }
}

impl ChildRun {
    /// What several runs of one command add up to: the median wall and CPU times (the issue's
    /// targets were measured as the median of five runs), the highest peak memory of any run
    /// (a memory bound must hold every time), and the first failing exit code, if any.
    pub fn summary(runs: &[ChildRun]) -> ChildRun {
        let median = |mut times: Vec<Duration>| {
            times.sort();
            times[times.len() / 2]
        };
        ChildRun {
            wall: median(runs.iter().map(|run| run.wall).collect()),
            cpu: median(runs.iter().map(|run| run.cpu).collect()),
            peak_rss: runs.iter().map(|run| run.peak_rss).max().unwrap_or(0),
            exit_code: runs
                .iter()
                .map(|run| run.exit_code)
                .find(|code| *code != Some(0))
                .unwrap_or(Some(0)),
        }
    }
}

/// Runs `command` to completion and reports its own resources (`wait4`, so earlier children
/// do not blur the peak).
pub fn run_child(command: &mut Command) -> std::io::Result<ChildRun> {
    let started = Instant::now();
    let child = command.spawn()?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain old data; all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet reaped (`Child` only reaps in `wait`, which is
    // never called); `status` and `usage` are valid and writable.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    if reaped != pid {
        return Err(std::io::Error::last_os_error());
    }
    let exit_code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    Ok(ChildRun {
        wall,
        cpu: cpu_of(&usage),
        // Linux reports ru_maxrss in KiB.
        peak_rss: usage.ru_maxrss as u64 * 1024,
        exit_code,
    })
}

/// One line about the machine: cores, CPU model, memory.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|line| line.starts_with("model name"))
        .and_then(|line| line.split_once(':'))
        .map_or("unknown CPU", |(_, model)| model.trim())
        .to_string();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory_gib = meminfo
        .lines()
        .find(|line| line.starts_with("MemTotal:"))
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|kib| kib.parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0 / 1024.0);
    format!("{cores} cores available, {model}, {memory_gib:.0} GiB RAM")
}

/// Milliseconds with one decimal, for the report.
pub fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

/// Mebibytes with one decimal.
pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Minimum and median of some durations (at least one).
pub fn min_median(samples: &[Duration]) -> (Duration, Duration) {
    let mut sorted = samples.to_vec();
    sorted.sort();
    (sorted[0], sorted[sorted.len() / 2])
}

/// Bytes allocated on the heap now and at most since the last reset, counted by
/// [`CountingAllocator`]: what each stage (load, fetch, plan) holds and needs at its peak.
static HEAP_NOW: AtomicUsize = AtomicUsize::new(0);
static HEAP_PEAK: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting live bytes and their peak.
pub struct CountingAllocator;

// SAFETY: every call is forwarded to the system allocator unchanged; the counters are only
// arithmetic on the side.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            grew(layout.size());
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let pointer = unsafe { System.alloc_zeroed(layout) };
        if !pointer.is_null() {
            grew(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged; the caller guarantees `pointer` came from us.
        unsafe { System.dealloc(pointer, layout) };
        HEAP_NOW.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded unchanged.
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                HEAP_NOW.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        moved
    }
}

fn grew(bytes: usize) {
    let now = HEAP_NOW.fetch_add(bytes, Ordering::Relaxed) + bytes;
    HEAP_PEAK.fetch_max(now, Ordering::Relaxed);
}

/// Heap bytes allocated now.
pub fn heap_now() -> usize {
    HEAP_NOW.load(Ordering::Relaxed)
}

/// Starts a new peak at the current level and returns that level.
pub fn reset_heap_peak() -> usize {
    let now = heap_now();
    HEAP_PEAK.store(now, Ordering::Relaxed);
    now
}

/// The highest heap level since the last reset.
pub fn heap_peak() -> usize {
    HEAP_PEAK.load(Ordering::Relaxed)
}

/// What one stage did to the heap: its peak above the level it started at, and what it kept.
#[derive(Debug, Clone, Copy)]
pub struct HeapUse {
    pub peak_above_start: usize,
    pub kept: isize,
}

/// Runs `stage` and reports its heap use.
pub fn heap_use<T>(stage: impl FnOnce() -> T) -> (T, HeapUse) {
    let start = reset_heap_peak();
    let value = stage();
    let heap = HeapUse {
        peak_above_start: heap_peak().saturating_sub(start),
        kept: heap_now() as isize - start as isize,
    };
    (value, heap)
}

impl std::fmt::Display for HeapUse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "heap peak +{}, kept {}{}",
            mib(self.peak_above_start as u64),
            if self.kept < 0 { "-" } else { "+" },
            mib(self.kept.unsigned_abs() as u64)
        )
    }
}
