//! Files that may hold what a row said (rejects) or employer-level results (summaries):
//! readable and writable by their owner only, in directories only the owner can list.

use std::fs::File;
use std::io;
use std::path::Path;

/// Creates (or truncates) `path` with mode 0600, creating its missing parent directories
/// with mode 0700. A file that existed is made 0600 too, whatever it was.
pub fn create_private_file(path: &Path) -> io::Result<File> {
    if let Some(parent) = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(parent)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    #[cfg(unix)]
    file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    Ok(file)
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::create_private_file;

    #[test]
    fn only_the_owner_reads_the_file_and_lists_its_new_directory() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rejects").join("x.rejects.csv");
        create_private_file(&path).unwrap();
        let mode =
            |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        // A file left readable by an older lmo is closed up when written again.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        create_private_file(&path).unwrap();
        assert_eq!(mode(&path), 0o600);
    }
}
