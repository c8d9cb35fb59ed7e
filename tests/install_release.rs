//! `scripts/install-release.sh`, the download-and-verify path of the composite action, against
//! a local release directory (file:// URLs): a matching checksum installs the binary, a wrong or
//! missing one is refused, and a cached archive is checked against the release checksum too;
//! and the action's first step, which picks a release or (for an unreleased ref) a source build.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sha2::{Digest, Sha256};

const VERSION: &str = "1.2.3";
const LINUX_X64: &str = "x86_64-unknown-linux-musl";

/// A release directory laid out like the GitHub releases: `<root>/v<version>/<archive>` and
/// `<archive>.sha256` beside it, plus empty download and install directories.
struct Release {
    dir: tempfile::TempDir,
}

impl Release {
    fn new() -> Self {
        let release = Release {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir_all(release.version_dir()).unwrap();
        release
    }

    fn version_dir(&self) -> PathBuf {
        self.dir.path().join("releases").join(format!("v{VERSION}"))
    }

    fn download_dir(&self) -> PathBuf {
        self.dir.path().join("downloads")
    }

    fn install_dir(&self) -> PathBuf {
        self.dir.path().join("bin")
    }

    fn archive_path(&self, target: &str) -> PathBuf {
        self.version_dir().join(format!("scoville-{target}.tar.xz"))
    }

    /// Builds an archive as the release tool lays it out (one folder named after the archive,
    /// holding the binary) whose binary prints `says`, and returns its bytes.
    fn build_archive(&self, target: &str, says: &str) -> Vec<u8> {
        let staging = tempfile::tempdir().unwrap();
        let folder = staging.path().join(format!("scoville-{target}"));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("scoville"), format!("#!/bin/sh\necho {says}\n")).unwrap();
        let out = tempfile::tempdir().unwrap();
        let archive = out.path().join("archive.tar.xz");
        let status = Command::new("tar")
            .arg("-cJf")
            .arg(&archive)
            .arg("-C")
            .arg(staging.path())
            .arg(format!("scoville-{target}"))
            .status()
            .expect("tar runs");
        assert!(status.success(), "tar could not build the fixture archive");
        std::fs::read(archive).unwrap()
    }

    /// Publishes an archive and a checksum file holding `digest` for it.
    fn publish(&self, target: &str, bytes: &[u8], digest: &str) {
        let archive = self.archive_path(target);
        std::fs::write(&archive, bytes).unwrap();
        let name = archive.file_name().unwrap().to_string_lossy().into_owned();
        std::fs::write(
            archive.with_file_name(format!("{name}.sha256")),
            format!("{digest} *{name}\n"),
        )
        .unwrap();
    }

    fn publish_genuine(&self, target: &str) -> Vec<u8> {
        let bytes = self.build_archive(target, "genuine-scoville");
        self.publish(target, &bytes, &sha256_hex(&bytes));
        bytes
    }

    fn install(&self, env: &[(&str, &str)]) -> Output {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/install-release.sh");
        let mut command = Command::new("bash");
        command
            .arg(script)
            .env_remove("RUNNER_OS")
            .env_remove("RUNNER_ARCH")
            .env("SCOVILLE_VERSION", VERSION)
            .env("SCOVILLE_TARGET", LINUX_X64)
            .env(
                "SCOVILLE_RELEASES_URL",
                format!("file://{}", self.dir.path().join("releases").display()),
            )
            .env("SCOVILLE_DOWNLOAD_DIR", self.download_dir())
            .env("SCOVILLE_INSTALL_DIR", self.install_dir());
        for (key, value) in env {
            command.env(key, value);
        }
        command.output().expect("bash runs")
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The binary path the script printed, after checking it succeeded.
fn installed_binary(output: &Output) -> PathBuf {
    assert!(
        output.status.success(),
        "install failed: {}",
        stderr(output)
    );
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    PathBuf::from(stdout.trim_end())
}

fn run(binary: &Path) -> String {
    let output = Command::new(binary)
        .output()
        .expect("installed binary runs");
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flat_map(|entry| {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files_under(&path)
            } else {
                vec![path]
            }
        })
        .collect()
}

#[test]
fn a_matching_checksum_installs_the_release_binary_and_keeps_the_archive() {
    let release = Release::new();
    release.publish_genuine(LINUX_X64);
    let binary = installed_binary(&release.install(&[]));
    assert!(binary.starts_with(release.install_dir()), "{binary:?}");
    assert_eq!(run(&binary), "genuine-scoville");
    assert!(
        release
            .download_dir()
            .join(format!("scoville-{LINUX_X64}.tar.xz"))
            .is_file(),
        "the archive stays in the download directory for the cache"
    );
}

#[test]
fn an_archive_that_does_not_match_its_checksum_is_refused() {
    let release = Release::new();
    let bytes = release.build_archive(LINUX_X64, "genuine-scoville");
    release.publish(LINUX_X64, &bytes, &sha256_hex(b"some other archive"));
    let output = release.install(&[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("does not match its checksum"),
        "{}",
        stderr(&output)
    );
    assert!(output.stdout.is_empty());
    assert_eq!(files_under(&release.install_dir()), Vec::<PathBuf>::new());
    assert_eq!(
        files_under(&release.download_dir()),
        Vec::<PathBuf>::new(),
        "a refused archive is not kept for the cache"
    );
}

#[test]
fn a_missing_or_empty_checksum_file_is_refused() {
    let release = Release::new();
    release.publish_genuine(LINUX_X64);
    let checksum = release
        .version_dir()
        .join(format!("scoville-{LINUX_X64}.tar.xz.sha256"));
    std::fs::write(&checksum, "\n").unwrap();
    let output = release.install(&[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("holds no SHA-256 digest"),
        "{}",
        stderr(&output)
    );

    std::fs::remove_file(&checksum).unwrap();
    let output = release.install(&[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("could not download the checksum"),
        "{}",
        stderr(&output)
    );
    assert_eq!(files_under(&release.install_dir()), Vec::<PathBuf>::new());
}

#[test]
fn a_cached_archive_is_used_only_when_it_matches_the_release_checksum() {
    let release = Release::new();
    let genuine = release.publish_genuine(LINUX_X64);
    let cached = release
        .download_dir()
        .join(format!("scoville-{LINUX_X64}.tar.xz"));
    std::fs::create_dir_all(release.download_dir()).unwrap();

    // A tampered cache entry is replaced by the genuine download.
    std::fs::write(&cached, release.build_archive(LINUX_X64, "tampered")).unwrap();
    let output = release.install(&[]);
    assert!(
        stderr(&output).contains("does not match the release checksum"),
        "{}",
        stderr(&output)
    );
    assert_eq!(run(&installed_binary(&output)), "genuine-scoville");
    assert_eq!(std::fs::read(&cached).unwrap(), genuine);

    // A matching cache entry is used without downloading the archive again.
    std::fs::remove_file(release.archive_path(LINUX_X64)).unwrap();
    let output = release.install(&[]);
    assert_eq!(run(&installed_binary(&output)), "genuine-scoville");
}

#[test]
fn the_archive_is_chosen_by_the_runner_os_and_architecture() {
    let release = Release::new();
    release.publish_genuine("aarch64-unknown-linux-musl");
    let output = release.install(&[
        ("SCOVILLE_TARGET", ""),
        ("RUNNER_OS", "Linux"),
        ("RUNNER_ARCH", "ARM64"),
    ]);
    assert_eq!(run(&installed_binary(&output)), "genuine-scoville");

    let output = release.install(&[
        ("SCOVILLE_TARGET", ""),
        ("RUNNER_OS", "macOS"),
        ("RUNNER_ARCH", "ARM64"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("scoville-aarch64-apple-darwin.tar.xz.sha256"),
        "{}",
        stderr(&output)
    );

    let output = release.install(&[
        ("SCOVILLE_TARGET", ""),
        ("RUNNER_OS", "Linux"),
        ("RUNNER_ARCH", "ARM"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("build from source"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_version_that_is_not_a_release_number_is_refused_before_any_download() {
    let release = Release::new();
    for version in ["", "main", "1.2", "1.2.3; rm -rf /"] {
        let output = release.install(&[("SCOVILLE_VERSION", version)]);
        assert_eq!(output.status.code(), Some(1), "{version:?}");
        assert!(
            stderr(&output).contains("SCOVILLE_VERSION"),
            "{}",
            stderr(&output)
        );
    }
    let output = release.install(&[("SCOVILLE_VERSION", "v1.2.3")]);
    assert!(
        stderr(&output).contains("could not download the checksum"),
        "a leading v is accepted: {}",
        stderr(&output)
    );
}

#[test]
fn a_windows_zip_archive_is_unpacked_to_scoville_exe() {
    let release = Release::new();
    let target = "x86_64-pc-windows-msvc";
    let staging = tempfile::tempdir().unwrap();
    let folder = staging.path().join(format!("scoville-{target}"));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("scoville.exe"),
        "#!/bin/sh\necho windows-build\n",
    )
    .unwrap();
    let zip = staging.path().join("archive.zip");
    let status = Command::new("zip")
        .arg("-qr")
        .arg(&zip)
        .arg(format!("scoville-{target}"))
        .current_dir(staging.path())
        .status()
        .expect("zip runs");
    assert!(status.success(), "zip could not build the fixture archive");
    let bytes = std::fs::read(&zip).unwrap();
    let archive = release.version_dir().join(format!("scoville-{target}.zip"));
    std::fs::write(&archive, &bytes).unwrap();
    std::fs::write(
        archive.with_file_name(format!("scoville-{target}.zip.sha256")),
        format!("{} *scoville-{target}.zip\n", sha256_hex(&bytes)),
    )
    .unwrap();
    let binary = installed_binary(&release.install(&[("SCOVILLE_TARGET", target)]));
    assert!(binary.ends_with("scoville.exe"), "{binary:?}");
    assert_eq!(run(&binary), "windows-build");
}

/// Runs the composite action's first step (which picks the release, or a source build) with
/// the action referenced at `action_ref` and the `version` input, and returns its outputs.
fn choose_release(action_ref: &str, version_input: &str) -> Option<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let action: serde_json::Value =
        serde_saphyr::from_str(&std::fs::read_to_string(root.join("action.yml")).unwrap()).unwrap();
    let step = &action["runs"]["steps"][0];
    assert_eq!(step["id"], "choose");
    let outputs = tempfile::NamedTempFile::new().unwrap();
    let status = Command::new("bash")
        .arg("-e")
        .arg("-c")
        .arg(step["run"].as_str().unwrap())
        .env("GITHUB_ACTION_PATH", root)
        .env("GITHUB_OUTPUT", outputs.path())
        .env("SCOVILLE_ACTION_REF", action_ref)
        .env("SCOVILLE_VERSION_INPUT", version_input)
        .output()
        .unwrap()
        .status;
    status
        .success()
        .then(|| std::fs::read_to_string(outputs.path()).unwrap())
}

#[test]
fn the_action_runs_a_release_at_release_tags_and_builds_only_unreleased_refs() {
    let cargo_toml =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let own_version = cargo_toml
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap();
    for tag in ["v0", "v0.1", &format!("v{own_version}")] {
        assert_eq!(
            choose_release(tag, "").as_deref(),
            Some(format!("version={own_version}\n").as_str()),
            "at tag {tag}"
        );
    }
    for unreleased in [
        "main",
        "3d3c42e5aac5ba805825da76410c181273ba90b1",
        "feature/v1",
    ] {
        let outputs = choose_release(unreleased, "").unwrap();
        assert!(
            outputs.starts_with("version=\nsource-digest="),
            "{unreleased}: {outputs}"
        );
    }
    // A commit pin names its release explicitly.
    assert_eq!(
        choose_release("3d3c42e5aac5ba805825da76410c181273ba90b1", "v0.2.0").as_deref(),
        Some("version=0.2.0\n")
    );
    assert_eq!(choose_release("main", "0.2; curl evil").as_deref(), None);
}
