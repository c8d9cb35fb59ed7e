//! Every kind of file that is not a regular file inside the manifest root is refused before it
//! is read, with a message that names it: for manifests and for `--token-file` alike.

use std::path::{Path, PathBuf};

use scoville::edge::{ApiToken, TokenError};
use scoville::fsio::{self, MAX_MANIFEST_BYTES, MAX_TOKEN_FILE_BYTES};
use scoville::manifest;

/// What a hostile pull request hides behind a manifest name.
const SECRET_TEXT: &str = "CHILI_PIPER_API_KEY=fake-secret-in-a-file-4d21c9e0b7";

fn valid_manifest(dir: &Path) {
    std::fs::write(dir.join("org.yaml"), "org:\n  tenant: acme-corp.app3\n").unwrap();
}

/// A FIFO at `path` (nothing ever writes to it: reading it would block forever).
fn make_fifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
}

/// Each non-regular kind, made at `path` inside a manifest directory; the secret file lives
/// beside the directory, outside it.
fn make_kind(kind: &str, path: &Path, outside: &Path) -> Option<std::os::unix::net::UnixListener> {
    use std::os::unix::fs::symlink;
    match kind {
        "symlink leaving the root" => symlink(outside, path).unwrap(),
        "symlink to /proc/self/environ" => symlink("/proc/self/environ", path).unwrap(),
        "symlink to a device" => symlink("/dev/zero", path).unwrap(),
        "FIFO" => make_fifo(path),
        "socket" => return Some(std::os::unix::net::UnixListener::bind(path).unwrap()),
        "symlink to a FIFO outside" => {
            let fifo = outside.with_extension("fifo");
            make_fifo(&fifo);
            symlink(&fifo, path).unwrap();
        }
        other => panic!("unknown kind {other}"),
    }
    None
}

const KINDS: [&str; 6] = [
    "symlink leaving the root",
    "symlink to /proc/self/environ",
    "symlink to a device",
    "FIFO",
    "socket",
    "symlink to a FIFO outside",
];

/// Regression: `ln -s /proc/self/environ chilipiper/x.yaml` printed the environment, token
/// included. Every kind is refused, named, and nothing of its content is shown.
#[test]
fn every_non_regular_manifest_is_refused_before_it_is_read() {
    for kind in KINDS {
        let work = tempfile::tempdir().unwrap();
        let outside = work.path().join("secret.txt");
        std::fs::write(&outside, format!("{SECRET_TEXT}\n")).unwrap();
        let root = work.path().join("chilipiper");
        std::fs::create_dir(&root).unwrap();
        valid_manifest(&root);
        let hostile = root.join("x.yaml");
        let _socket = make_kind(kind, &hostile, &outside);

        let started = std::time::Instant::now();
        let diagnostics = manifest::load(std::slice::from_ref(&root)).unwrap_err();
        assert!(started.elapsed().as_secs() < 5, "{kind}: no blocking read");
        for text in [
            diagnostics.render_text(),
            diagnostics.render_github(),
            diagnostics.render_json(),
        ] {
            assert!(text.contains("x.yaml"), "{kind}: the file is named: {text}");
            assert!(text.contains("refusing"), "{kind}: {text}");
            assert!(
                !text.contains("fake-secret"),
                "{kind}: content leaked: {text}"
            );
        }
        // Given directly on the command line, it is refused the same way.
        let direct = manifest::load(std::slice::from_ref(&hostile)).unwrap_err();
        assert!(
            direct.render_text().contains("refusing"),
            "{kind} given directly"
        );
    }
}

/// A link that stays inside the manifest root is an ordinary manifest.
#[test]
fn a_symlink_inside_the_root_is_read() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("acme");
    std::fs::create_dir_all(root.join("shared")).unwrap();
    let acme = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    for entry in std::fs::read_dir(&acme).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), root.join(entry.file_name())).unwrap();
    }
    std::fs::rename(root.join("org.yaml"), root.join("shared/org.txt")).unwrap();
    std::os::unix::fs::symlink(root.join("shared/org.txt"), root.join("org.yaml")).unwrap();
    if let Err(diagnostics) = manifest::load(&[root]) {
        panic!("{}", diagnostics.render_text());
    }
}

/// The size cap holds at and past the limit, whatever the file reports.
#[test]
fn the_manifest_size_cap_holds_past_the_limit() {
    let work = tempfile::tempdir().unwrap();
    let big = work.path().join("big.yaml");
    let line = format!("# {}\n", "x".repeat(1021));
    let n_lines = usize::try_from(MAX_MANIFEST_BYTES).unwrap() / line.len() + 1;
    std::fs::write(&big, line.repeat(n_lines)).unwrap();
    let text = manifest::load(&[big]).unwrap_err().render_text();
    assert!(text.contains("larger than 8388608 bytes"), "{text}");

    let at = work.path().join("at.txt");
    std::fs::write(&at, vec![b'#'; 4096]).unwrap();
    assert!(fsio::read_checked(&at, fsio::Within::Anywhere, 4096).is_ok());
    assert!(fsio::read_checked(&at, fsio::Within::Anywhere, 4095).is_err());
}

fn token_error(path: &Path) -> TokenError {
    ApiToken::load_with_env(Some(path), Ok("fake-env-token-unused".into())).unwrap_err()
}

/// The same refusals for `--token-file`: a FIFO, a device, /proc, a directory, a socket, an
/// oversized file. None blocks, each names the file.
#[test]
fn every_non_regular_token_file_is_refused() {
    let work = tempfile::tempdir().unwrap();
    let fifo = work.path().join("token.fifo");
    make_fifo(&fifo);
    let socket_path = work.path().join("token.sock");
    let _socket = std::os::unix::net::UnixListener::bind(&socket_path).unwrap();
    let huge = work.path().join("huge-token");
    std::fs::write(
        &huge,
        vec![b'a'; usize::try_from(MAX_TOKEN_FILE_BYTES).unwrap() + 1],
    )
    .unwrap();
    let cases: Vec<(PathBuf, &str)> = vec![
        (fifo, "FIFO"),
        (PathBuf::from("/dev/zero"), "kernel pseudo file system"),
        (
            PathBuf::from("/proc/self/environ"),
            "kernel pseudo file system",
        ),
        (work.path().to_path_buf(), "directory"),
        (socket_path, "socket"),
        (huge, "larger than"),
    ];
    for (path, expected) in cases {
        let started = std::time::Instant::now();
        let message = format!("{:#}", anyhow::Error::new(token_error(&path)));
        assert!(started.elapsed().as_secs() < 5, "{}", path.display());
        assert!(message.contains(expected), "{}: {message}", path.display());
        assert!(
            message.contains(&*path.to_string_lossy()),
            "names the file: {message}"
        );
    }
}

/// Regression: token files other users can read were accepted silently. Warn, as ssh does.
#[test]
fn a_token_file_readable_by_others_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let work = tempfile::tempdir().unwrap();
    let path = work.path().join("token");
    std::fs::write(&path, "fake-token-mode-test-0001\n").unwrap();
    for (mode, warned) in [
        (0o600, false),
        (0o400, false),
        (0o640, true),
        (0o644, true),
        (0o606, true),
    ] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        let token =
            ApiToken::load_with_env(Some(&path), Err(std::env::VarError::NotPresent)).unwrap();
        let warning = token.permission_warning();
        assert_eq!(warning.is_some(), warned, "mode {mode:o}");
        if let Some(warning) = warning {
            assert!(warning.contains("chmod 600"), "{warning}");
            assert!(warning.contains(&format!("{mode:04o}")), "{warning}");
        }
    }
}
