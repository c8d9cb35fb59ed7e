//! `src/drift/` is pure like the planner: no HTTP client, no async runtime, no file system and
//! no clock (the CLI passes today's date in).

use std::path::Path;

#[test]
fn the_drift_module_does_no_io_and_reads_no_clock() {
    let forbidden = [
        "reqwest",
        "tokio",
        "std::fs",
        "std::net",
        "std::env",
        "SystemTime",
        "Instant::now",
        "Timestamp::now",
        "Zoned::now",
    ];
    let directory = Path::new("src/drift");
    let mut n_files = 0;
    for entry in std::fs::read_dir(directory).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        n_files += 1;
        let source = std::fs::read_to_string(&path).unwrap();
        for word in forbidden {
            assert!(
                !source.contains(word),
                "{} mentions `{word}`: keep I/O and the clock in src/cli/drift.rs",
                path.display()
            );
        }
    }
    assert!(n_files >= 5, "found only {n_files} files in src/drift");
}
