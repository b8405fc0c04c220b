//! The `openbook` binary: run the command line, exit with its code.

fn main() {
    openbook::install_panic_hook();
    std::process::exit(openbook::cli::run(std::env::args_os()));
}
