use clap::Parser;

fn main() {
    let cli = encours::cli::Cli::parse();
    match encours::cli::run(cli) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("encours: {e}");
            std::process::exit(2);
        }
    }
}
