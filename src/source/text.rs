//! Turning a file's bytes into the text the rest of the pipeline reads.
//!
//! A byte-order mark is dropped and Windows line endings become `\n`
//! (neither changes line numbers). Bytes that are not UTF-8, or a NUL byte
//! (binary data), are errors that name the line where they start.

use std::path::Path;

use crate::diag::Diagnostic;

/// Decode `bytes` read from `file` into normalised text.
pub fn decode(bytes: &[u8], file: &Path) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        let (line, col) = line_col(bytes, pos);
        return Err(Diagnostic::error(
            "binary data (a NUL byte) in a text file; expected UTF-8 text",
        )
        .in_file(file)
        .at(line, col));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let (line, col) = line_col(bytes, e.valid_up_to());
            return Err(Diagnostic::error(
                "this file is not valid UTF-8; expected UTF-8 text (re-save it as UTF-8)",
            )
            .in_file(file)
            .at(line, col));
        }
    };
    if text.contains('\r') {
        Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Ok(text.to_string())
    }
}

fn line_col(bytes: &[u8], pos: usize) -> (usize, usize) {
    let before = &bytes[..pos];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    (line, pos - start + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_just_work() {
        let t = decode(b"\xEF\xBB\xBF---\r\ntitle: x\r\n---\r\n", Path::new("a.md")).unwrap();
        assert_eq!(t, "---\ntitle: x\n---\n");
    }

    #[test]
    fn invalid_utf8_names_line() {
        let e = decode(b"ok\nbad \xff here", Path::new("a.md")).unwrap_err();
        assert_eq!((e.line, e.column), (2, 5));
    }

    #[test]
    fn nul_is_binary() {
        let e = decode(b"abc\0", Path::new("a.md")).unwrap_err();
        assert!(e.message.contains("binary"));
    }
}
